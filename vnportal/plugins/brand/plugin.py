"""MkDocs plugin ``vnportal/brand``: brand assets into the site, social cards per page, data for /brand/."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.brand import artwork, fonts, graphics, kit, readme
from vnportal.brand.contrast import MINIMUM, THEME_PAIRS, cmyk, ratio, rgb
from vnportal.brand.texts import Texts, fill
from vnportal.brand.texts import load as load_texts
from vnportal.brand.tokens import COLOR_ROLES, LOGO_KINDS, SCHEMES, Brand, load
from vnportal.core.cache import fingerprint
from vnportal.core.compat import norm_src_uri
from vnportal.core.findings import FindingsError, display_path
from vnportal.core.generated import in_every_language
from vnportal.core.site import Site
from vnportal.plugins.brand.config import BrandConfig

if TYPE_CHECKING:  # the card drawer (numpy) is imported by the builds that place cards
    from vnportal.brand import cards

log = get_plugin_logger(__name__)
BRAND_PAGE = "brand/index.md"
#: /brand/'s own pages (docs-relative folder below brand/ -> template); their titles and descriptions are UI strings.
SUBPAGES = {"colours": "brand-colours.html", "templates": "brand-templates.html"}


class BrandPlugin(BasePlugin[BrandConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._brand: Brand | None = None
        self._outputs: dict[str, Path] = {}
        self._style: cards.CardStyle | None = None
        self._jobs: list[cards.CardJob] = []
        self._page_data: dict[str, Any] = {}
        self._inputs: tuple[Any, ...] = ()  # what the last build in this process was made from

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance across ``mkdocs serve`` rebuilds: the kit and the
        card style it made last time are reused while ``_inputs`` holds."""

    @property
    def brand(self) -> Brand:
        assert self._brand is not None, "brand used before on_pre_build"
        return self._brand

    def _cache(self, config: MkDocsConfig) -> Path:
        return Site.of(config).cache("brand")

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Generates the brand kit, the social cards' style and the /brand/ page's data once per site (main build
        only, unless the site is unchanged), reusing them while their inputs are unchanged."""
        if not Site.of(config).main_build or Site.of(config).unchanged:
            return  # generated once per site, not once per language
        site = self._site(config)
        inputs = (fingerprint(Path(self.config.tokens).parent), site.key(), self._cache(config))
        if inputs == self._inputs:  # mkdocs serve rebuilds after an edit elsewhere: the kit holds
            return
        codes = tuple(lang.code for lang in site.languages)
        try:
            self._brand = load(Path(self.config.tokens), codes)
            texts = load_texts(Path(self.config.texts), codes)
            start = time.perf_counter()
            self._outputs = kit.generate(self.brand, self._cache(config) / "kit", site, texts)
            log.info(f"Brand kit: {len(self._outputs)} files in {time.perf_counter() - start:.2f} s")
            self._style = self._card_style(config) if self.config.cards else None
        except FindingsError as exc:
            raise PluginError(str(exc)) from exc
        self._page_data = self._brand_page_data(site, texts)
        self._inputs = inputs

    def _site(self, config: MkDocsConfig) -> kit.Site:
        """The site's name, author and languages (mkdocs.yml is the one list of languages)."""
        site = Site.of(config)
        languages = tuple(
            kit.Language(code, lang.name or code, lang.site_name or config.site_name)
            for code, lang in ((code, site.language_config(code)) for code in site.build_languages)
        )
        root = Path(config.config_file_path).parent
        return kit.Site(config.site_name, config.site_author or config.site_name, languages,
                        root / self.config.node_modules, Path(config.config_file_path))  # fmt: skip

    def _card_style(self, config: MkDocsConfig) -> cards.CardStyle:
        from vnportal.brand import cards

        brand = self.brand
        fonts_dir = brand.root / "fonts"
        bold = fonts.build_index(fonts_dir, self._cache(config) / "fonts", brand.data["typography"]["weights"]["bold"])
        semibold = fonts.build_index(
            fonts_dir, self._cache(config) / "fonts", brand.data["typography"]["weights"]["semibold"]
        )
        mark = artwork.variant_svg(artwork.load_artwork(brand)["mark"], brand, "colour")
        mark_png = artwork.png_bytes(artwork.render_png(mark, 96))
        font_key = "".join(bold.files + semibold.files)
        key = hashlib.sha256("\x1f".join((brand.digest, cards.CARD_VERSION, font_key)).encode() + mark_png).hexdigest()[
            :16
        ]
        light = {role: brand.color("light", role) for role in ("surface", "primary", "accent", "text", "text-muted")}
        return cards.CardStyle(
            light["surface"], light["primary"], light["accent"], light["text"], light["text-muted"],
            mark_png, bold, semibold, key,
        )  # fmt: skip

    def _kit_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Adds the brand kit's files to the default language's build (one copy for every language) and starts this
        language's list of social cards to draw."""
        self._jobs = []
        if Site.of(config).default_build:
            for dest, source in sorted(self._outputs.items()):
                files.append(File.generated(config, dest, abs_src_path=str(source)))
        return files

    @event_priority(-110)  # after static-i18n (-100) has sorted the language's files
    def _subpages(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Adds /brand/'s own pages (colours and typography; templates and co-branding) in every language, where
        the content has a /brand/ page."""
        site = Site.of(config)
        if not (Path(config.docs_dir) / site.default / BRAND_PAGE).is_file():
            return files
        for key, template in SUBPAGES.items():
            meta = {
                lang: {"title": site.ui(lang)["brand"][f"{key}_title"], "type": "topic", "template": template,
                       "description": site.ui(lang)["brand"][f"{key}_description"]}
                for lang in site.build_languages
            }  # fmt: skip
            files.append(in_every_language(config, f"brand/{key}/index.md", meta, in_nav=False))
        return files

    on_files = CombinedEvent(_kit_files, _subpages)

    def _brand_page_data(self, site: kit.Site, texts: Texts) -> dict[str, Any]:
        brand = self.brand
        pairs = []
        for scheme in SCHEMES:
            for pair in THEME_PAIRS:
                if scheme not in pair.schemes:
                    continue
                fg, bg = brand.color(scheme, pair.foreground), brand.color(scheme, pair.background)
                value = ratio(fg, bg)
                pairs.append(
                    {
                        "scheme": scheme,
                        "pair": pair,
                        "fg": fg,
                        "bg": bg,
                        "ratio": f"{value:.2f}",
                        "minimum": MINIMUM[pair.kind],
                        "ok": value >= MINIMUM[pair.kind],
                    }
                )
        colours = {
            scheme: [
                {
                    "role": role,
                    "names": brand.data["color_names"][role],
                    "hex": brand.color(scheme, role),
                    "rgb": ", ".join(str(v) for v in rgb(brand.color(scheme, role))),
                    "cmyk": " ".join(f"{v}" for v in cmyk(brand.color(scheme, role))),
                }
                for role in COLOR_ROLES
            ]
            for scheme in SCHEMES
        }
        manifest = json.loads(self._outputs["assets/brand/kit.json"].read_text(encoding="utf-8"))
        codes = [lang.code for lang in site.languages]
        values = readme.cobranding_values(brand)
        return {
            "tokens": brand.data,
            "colours": colours,
            "contrast": pairs,
            "logos": [
                {"kind": kind, "variant": variant, "widths": kit.LOGO_WIDTHS}
                for kind in LOGO_KINDS
                for variant in artwork.VARIANTS
            ],
            "kit": manifest["kit"],
            "parts": [{"part": part, **manifest["parts"][part]} for part in kit.PARTS],
            "fonts": manifest["fonts"],
            "languages": [
                {"code": lang.code, "name": lang.name, "site_name": lang.site_name} for lang in site.languages
            ],
            "social_sizes": graphics.SOCIAL_SIZES,
            "variants": artwork.VARIANTS,
            "by_lang": {
                code: {
                    "text": {key: value[code] for key, value in texts.data["page"].items()},
                    "parts": {
                        part: texts.get(f"parts.{part}", code, **self._part_names(manifest)) for part in kit.PARTS
                    },
                    "cobranding": [fill(rule[code], **values) for rule in brand.data["cobranding"]["rules"]],
                    "fonts": [self._font_line(font, texts, code) for font in manifest["fonts"]],
                    "terms": [
                        texts.get(f"readme.{key}", code, **self._part_names(manifest), site_name=lang.site_name)
                        for key in ("licence_fonts", "licence_mark", "licence_other")
                    ],
                }
                for code, lang in zip(codes, site.languages, strict=True)
            },
        }

    @staticmethod
    def _font_line(font: dict[str, Any], texts: Texts, code: str) -> str:
        """'Be Vietnam Pro: Regular, … — 459 characters; 178/178 Vietnamese letters …' in the page's language."""
        number = lambda n: format_decimal(n, locale=code)  # noqa: E731
        parts = [texts.get("page.characters", code, count=number(font["characters"]))]
        for script in ("vietnamese", "chinese"):
            count, total = font[script]
            if count:
                parts.append(texts.get(f"page.coverage_{script}", code, count=number(count), total=number(total)))
        return f"{font['family']}: {font['styles']} — " + "; ".join(parts)

    @staticmethod
    def _part_names(manifest: dict[str, Any]) -> dict[str, str]:
        text, cjk = ({row["key"]: row for row in manifest["fonts"]}[key] for key in ("text", "cjk"))
        return {"text_family": text["family"], "text_styles": text["styles"],
                "cjk_family": cjk["family"], "cjk_styles": cjk["styles"]}  # fmt: skip

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives every page its social card (queued for drawing; a title the card fonts cannot show fails the build)
        and the /brand/ page's data in the language being built."""
        lang = Site.of(config).lang
        title = page.meta.get("title") or page.title or config.site_name
        card = None
        if self._style is not None:
            folder = Path(page.file.dest_uri).parent.as_posix()
            rel = f"{folder}/{self.config.card_file}" if folder != "." else self.config.card_file
            text = f"{title}{config.site_name}"
            missing = self._style.bold.missing(text) or self._style.semibold.missing(config.site_name)
            if missing:
                where = display_path(Path(page.file.abs_src_path or page.file.src_uri), Path.cwd())
                found = fonts.coverage_findings(self._style.bold, text, where, 2)
                raise PluginError(str(FindingsError(found)))
            from vnportal.brand import cards

            self._jobs.append(cards.CardJob(title, config.site_name, lang, str(Path(config.site_dir) / rel)))
            card = {
                "url": f"{config.site_url}{rel}",
                "alt": f"{title} — {config.site_name}",
                "width": 1200,
                "height": 630,
            }
        by_lang = self._page_data.get("by_lang", {})
        context["brand"] = {
            "card": card,
            **self._page_data,
            "here": by_lang.get(lang, next(iter(by_lang.values()), {})),
        }
        if page.meta.get("template", "").startswith("brand"):
            context["brand"] |= self._family(config, nav)
        return context

    @staticmethod
    def _family(config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
        """/brand/ and its own pages, for the links between them."""
        site = Site.of(config)
        ui = site.ui(site.lang)["brand"]
        prefix = site.prefix(site.lang)
        home = next((p for p in nav.pages if norm_src_uri(p.file, "") == BRAND_PAGE), None)
        return {
            "home": f"{prefix}brand/",
            "home_title": home.title if home is not None else "",
            "pages": [
                {"url": f"{prefix}brand/{key}/", "title": ui[f"{key}_title"], "description": ui[f"{key}_description"]}
                for key in SUBPAGES
            ],
        }

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Draws this language's social cards once its pages are written (cards already drawn are reused from the
        cache)."""
        if self._style is None or not self._jobs:
            return
        start = time.perf_counter()
        from vnportal.brand import cards

        site, out = Site.of(config), Path(config.site_dir)

        def placed(target: str, data: bytes) -> bool:  # a card of a page its language's folder already has
            return site.already_written(Path(target).relative_to(out).as_posix(), data, compressed=False)

        drawn = cards.render_all(self._jobs, self._style, self._cache(config) / "cards", placed=placed)
        log.info(f"Social cards: {len(self._jobs)} placed, {drawn} drawn in {time.perf_counter() - start:.2f} s")
