"""MkDocs plugin ``vnportal/facts``: ``[[fact:id]]`` in Markdown becomes the fact in the page's language, with
a numbered link to the page's sources block; the block lists the cited facts (value, period, source, licence)
and the page's own ``sources:``; the home page's ``figures:`` become its key-figures band.

References are replaced by a Markdown preprocessor, before tables are parsed (a ``|`` in a reference does
not split a table cell), with the HTML kept in Python-Markdown's stash (never re-read as Markdown).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.core.findings import Finding, FindingsError, display_path
from vnportal.core.site import Site
from vnportal.facts.check import page_findings
from vnportal.facts.register import Register, load_register, localised
from vnportal.facts.render import Cited, inline, period, sources_block, value
from vnportal.facts.syntax import FENCE_RE, substitute
from vnportal.plugins.facts.config import FactsConfig

log = get_plugin_logger(__name__)


class _Preprocessor(Preprocessor):
    def __init__(self, md: Markdown, plugin: FactsPlugin) -> None:
        super().__init__(md)
        self.plugin = plugin

    def run(self, lines: list[str]) -> list[str]:
        out, fenced = [], False
        for line in lines:
            if FENCE_RE.match(line):
                fenced = not fenced
            out.append(line if fenced else substitute(line, self._replace))
        return out

    def _replace(self, match: Any) -> str:
        html = self.plugin.render_reference(match["id"], match["form"] or "full")
        return match.group() if html is None else self.md.htmlStash.store(html)


class _Extension(Extension):
    def __init__(self, plugin: FactsPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Preprocessor(md, self.plugin), "vnportal_facts", 20)  # after fenced code


class FactsPlugin(BasePlugin[FactsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.register = Register("", {}, {})
        self._findings: list[Finding] = []
        self._cited: dict[str, Cited] = {}  # src_uri -> the facts its body cited, in order
        self._current: tuple[str, Cited, dict[str, str]] | None = None  # the page being rendered
        self._ui: dict[str, dict[str, str]] = {}

    def _ui_of(self, lang: str, config: MkDocsConfig) -> dict[str, str]:
        return self._ui.get(lang) or config.extra["ui"]["sources"]

    def site_inputs(self, config: MkDocsConfig) -> list[Path]:
        """The register and the datasets its figures are read from: a change reaches every page citing them
        (vnportal.plugins.render_cache.plugin.SiteInputs)."""
        return [Path(config.config_file_path).parent / self.config.data_dir]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Loads and checks the facts register (data/facts.yml) once per site (main build) and adds the Markdown
        preprocessor that replaces ``[[fact:id]]``; a register finding stops the build.

        The language builds use the main build's register: it is the same file for every language, and each
        new build of ``mkdocs serve`` starts with a main build, which reads it again."""
        site = Site.of(config)
        languages = site.languages
        self._ui = {code: site.ui(code).get("sources") for code in languages}
        if site.main_build:
            root = Path(config.config_file_path).parent
            data_dir = root / self.config.data_dir
            path = data_dir / "facts.yml"
            self.register, findings = load_register(path, data_dir, languages, display_path(path, root))
            if findings:
                raise PluginError(str(FindingsError(findings)))
        if not any(isinstance(e, _Extension) for e in config.markdown_extensions):
            config.markdown_extensions.append(_Extension(self))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Starts a language build with no findings and no cited facts."""
        self._findings, self._cited = [], {}
        return files

    def render_reference(self, fact_id: str, form: str) -> Any:
        """The HTML of one reference on the page being rendered, or None to leave it (reported by the check)."""
        fact = self.register.get(fact_id)
        if fact is None or self._current is None or form not in ("full", "value", "number", "period"):
            return None
        lang, cited, ui = self._current
        return inline(fact, self.register, lang, form, cited, ui)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sets the page the preprocessor renders references for (its own language, its citation numbers, ``figures:``
        first) and checks its references against the register.

        Errors fail the build at ``on_env``; warnings (``make check`` reports them too) are logged."""
        site = Site.of(config)
        lang = site.page_lang(page)  # a fallback page: its own language
        cited = Cited([])
        self._cited[page.file.src_uri] = cited
        self._current = (lang, cited, self._ui_of(lang, config))
        for fact_id in page.meta.get("figures") or []:  # the key figures come first in the sources block
            if self.register.get(str(fact_id)):
                cited.number_of(str(fact_id))
        cache = config.plugins.get("vnportal/render_cache")
        reused = cache is not None and cache.reused(page)
        if lang == site.lang and page.file.abs_src_path and not reused:
            source = Path(page.file.abs_src_path)
            errors, warnings = page_findings(
                source.read_text(encoding="utf-8"), display_path(source, Path.cwd()), page.meta, self.register
            )
            self._findings += errors
            for warning in warnings:  # make check reports these as warnings; the build goes on
                log.info(str(warning))
        return markdown

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Fails the build with every page's fact errors at once, now that every page is read, and adds the
        ``portal_host`` filter (a source's link text)."""
        if self._findings:
            raise PluginError(str(FindingsError(self._findings)))
        env.filters["portal_host"] = lambda url: urlsplit(url).hostname or url  # a source's link text
        return env

    @event_priority(-50)
    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives the templates the page's sources block (the facts it cited, then its own ``sources:``) and the home
        page's key figures, numbered as cited."""
        cited = self._cited.get(page.file.src_uri, Cited([]))
        lang = Site.of(config).page_lang(page)
        ui = self._ui_of(lang, config)
        context["portal_sources"] = sources_block(page.meta.get("sources") or [], cited, self.register, lang, ui)
        figures = []
        for fact_id in page.meta.get("figures") or []:
            fact = self.register.get(str(fact_id))
            if fact is not None:
                figures.append({
                    "label": localised(fact.data["label"], lang),
                    "value": value(fact, self.register, lang),
                    "period": period(fact, lang),
                    "number": cited.number_of(fact.id),
                })  # fmt: skip
        context["portal_figures"] = figures
        return context
