"""Theme CSS custom properties (light and dark) and the SCSS/JSON forms of the tokens, all from tokens.yml."""

from __future__ import annotations

import json

from vnportal.brand.tokens import COLOR_ROLES, SCHEMES, Brand

#: Material for MkDocs variables and the token role that fills each (contrast.THEME_PAIRS checks them).
MATERIAL_ROLES = {
    "--md-primary-fg-color": "primary",
    "--md-primary-fg-color--light": "primary",
    "--md-primary-fg-color--dark": "primary",
    "--md-primary-bg-color": "on-primary",
    "--md-primary-bg-color--light": "on-primary",
    "--md-accent-fg-color": "accent-text",
    "--md-accent-bg-color": "surface",
    "--md-typeset-a-color": "link",
    "--md-default-bg-color": "surface",
    "--md-default-fg-color": "text",
    "--md-default-fg-color--light": "text-muted",
    "--md-default-fg-color--lighter": "neutral-300",
    "--md-default-fg-color--lightest": "neutral-100",
    "--md-code-bg-color": "surface-alt",
    "--md-code-fg-color": "text",
    "--md-footer-bg-color": "surface-alt",
    "--md-footer-bg-color--dark": "surface-alt",
    "--md-footer-fg-color": "text",
    "--md-footer-fg-color--light": "text-muted",
    "--md-footer-fg-color--lighter": "text-muted",
}
MATERIAL_SCHEME = {"light": "default", "dark": "slate"}


def _stack(*names: str) -> str:
    return ", ".join([*(f'"{name}"' for name in names), "sans-serif"])


def _text_font(brand: Brand) -> str:
    """Latin and Vietnamese text: the brand family; another script falls to the system's fonts."""
    return _stack(brand.data["typography"]["families"]["text"]["name"])


def _cjk_font(brand: Brand) -> str:
    """Chinese pages: Latin in the brand family, Chinese in the system CJK font, else the self-hosted one."""
    families = brand.data["typography"]["families"]
    return _stack(families["text"]["name"], *families["cjk"].get("system", []), families["cjk"]["name"])


def theme_css(brand: Brand) -> str:
    lines = [f"/* Generated from assets/brand/tokens.yml ({brand.digest}); do not edit. */", ":root {"]
    for scheme in SCHEMES:
        for role in COLOR_ROLES:
            lines.append(f"  --brand-{scheme}-{role}: {brand.color(scheme, role)};")
    lines.append(f"  --md-text-font: {_text_font(brand)};")
    lines.append("}")
    lines.append(f":lang(zh), :lang(ja), :lang(ko) {{ --md-text-font: {_cjk_font(brand)}; }}")  # by script
    lines.append("body, input { font-family: var(--md-text-font); }")
    for scheme in SCHEMES:
        lines.append(f'[data-md-color-scheme="{MATERIAL_SCHEME[scheme]}"] {{')
        for var, role in MATERIAL_ROLES.items():
            lines.append(f"  {var}: var(--brand-{scheme}-{role});")
        lines.append("}")
    return "\n".join(lines) + "\n"


def tokens_json(brand: Brand) -> str:
    data = {
        "name": brand.data["name"],
        "colors": {s: {r: brand.color(s, r) for r in COLOR_ROLES} for s in SCHEMES},
        "color_names": brand.data["color_names"],
        "typography": brand.data["typography"],
        "logo": brand.data["logo"],
        "usage": brand.data["usage"],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def tokens_scss(brand: Brand) -> str:
    lines = [f"// Generated from tokens.yml ({brand.digest})."]
    for scheme in SCHEMES:
        for role in COLOR_ROLES:
            lines.append(f"${scheme}-{role}: {brand.color(scheme, role)};")
    for scheme in SCHEMES:
        entries = ", ".join(f'"{r}": ${scheme}-{r}' for r in COLOR_ROLES)
        lines.append(f"$colors-{scheme}: ({entries});")
    lines.append(f"$font-text: {_text_font(brand)};")
    lines.append(f"$font-cjk: {_cjk_font(brand)};")
    return "\n".join(lines) + "\n"
