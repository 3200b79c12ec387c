"""The kit's README in each language: what each folder holds, the colours with CMYK, the rules, the licences.

Plain Markdown, written from the token file and the kit's texts; nothing in it is rendered as HTML.
"""

from __future__ import annotations

from vnportal.brand.contrast import cmyk, rgb
from vnportal.brand.desktop import DesktopFamily
from vnportal.brand.texts import Texts, fill
from vnportal.brand.tokens import COLOR_ROLES, Brand

STYLE_NAMES = {400: "Regular", 500: "Medium", 600: "SemiBold", 700: "Bold", 800: "ExtraBold", 900: "Black"}


def styles(family: DesktopFamily) -> str:
    names = []
    for font in family.fonts:
        name = STYLE_NAMES.get(font.weight, str(font.weight))
        names.append(("Italic" if name == "Regular" else f"{name} Italic") if font.style == "italic" else name)
    return ", ".join(names)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def cobranding_values(brand: Brand) -> dict[str, object]:
    data, logo = brand.data["cobranding"], brand.data["logo"]
    return {
        "gap": data["gap"], "clear": logo["clear_space"], "divider": data["divider"]["width"],
        "max_width": data["partner"]["max_width"], "min_height": data["partner"]["min_height"],
        "mark_mm": logo["min_size"]["mark"]["mm"], "mark_px": logo["min_size"]["mark"]["px"],
    }  # fmt: skip


def text(brand: Brand, texts: Texts, lang: str, site_name: str, families: tuple[DesktopFamily, ...],
         counts: dict[str, int]) -> str:  # fmt: skip
    by_key = {f.key: f for f in families}
    names = {"text_family": by_key["text"].name, "cjk_family": by_key["cjk"].name,
             "text_styles": styles(by_key["text"]), "cjk_styles": styles(by_key["cjk"]), "site_name": site_name}  # fmt: skip
    t = lambda dotted: texts.get(dotted, lang, **names)  # noqa: E731
    lines = [f"# {t('readme.title')}", "", t("readme.intro"), "", f"## {t('readme.contents')}", ""]
    colon = texts.get("readme.colon", lang)
    for part, count in counts.items():
        files = texts.get("readme.files", lang, count=count)
        lines.append(f"- `{part}/` ({files}){colon}{t(f'parts.{part}')}")
    lines.append(f"- `SHA256SUMS`{colon}{t('readme.checksums')}")
    lines += ["", f"## {t('readme.colours')}", "", t("readme.colours_intro"), ""]
    lines += [f"| {t('readme.name')} | {t('readme.role')} | HEX | RGB | CMYK |", "|---|---|---|---|---|"]
    for role in COLOR_ROLES:
        hex_value = brand.color("light", role)
        name = _cell(brand.data["color_names"][role][lang])
        lines.append(f"| {name} | `{role}` | {hex_value} | {', '.join(map(str, rgb(hex_value)))} | "
                     f"{' '.join(map(str, cmyk(hex_value)))} |")  # fmt: skip
    lines += [
        "",
        f"## {t('readme.rules')}",
        "",
        "- " + texts.get("readme.clear_space", lang, clear=brand.data["logo"]["clear_space"]),
    ]
    for kind in ("do", "dont"):
        lines += [f"- {rule[lang]}" for rule in brand.data["usage"][kind]]
    values = cobranding_values(brand)
    lines += ["", f"## {t('readme.cobranding')}", ""]
    lines += [f"- {fill(rule[lang], **values)}" for rule in brand.data["cobranding"]["rules"]]
    lines += ["", f"## {t('readme.terms')}", ""]
    lines += [f"- {t(key)}" for key in ("readme.licence_fonts", "readme.licence_mark", "readme.licence_other")]
    return "\n".join(lines) + "\n"
