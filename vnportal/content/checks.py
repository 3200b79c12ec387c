"""Content checks that run without building the site (``make check``): fast feedback for editors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from vnportal.content import frontmatter, tree
from vnportal.content.placeholders import placeholder_findings
from vnportal.content.textpolicy import MAX_PAGE_BYTES, character_problem, nesting_problem
from vnportal.content.tree import tree_findings
from vnportal.core.config import CONTACT_KEYS, plugin_config, site_config, site_languages
from vnportal.core.findings import Finding, FindingsError, display_path
from vnportal.core.messages import tr
from vnportal.core.site import cache_root


def markdown_files(docs_dir: Path) -> Iterator[Path]:
    """The pages of a docs tree, never through a link that leaves it (reported by vnportal.content.tree)."""
    yield from sorted(
        p for p in tree.walk(docs_dir) if p.suffix == ".md" and p.is_file() and not tree.leaves(p, docs_dir)
    )


def read_page(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    """The text of a Markdown file, or why it cannot be one (too big, not UTF-8)."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        return None, [Finding(shown, 1, tr("page is {size:,} KB (at most {limit:,} KB)", size=size // 1024,
                                           limit=MAX_PAGE_BYTES // 1024), tr("split it into several pages"))]  # fmt: skip
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [
            Finding(shown, line, tr("file is not UTF-8 ({reason})", reason=exc.reason), tr("save the file as UTF-8"))
        ]


def body_findings(source: str, shown: str) -> list[Finding]:
    """Characters and nesting of the Markdown text (the front matter's values are checked as values)."""
    findings = []
    for number, line in enumerate(source.splitlines(), 1):
        if problem := character_problem(line):
            findings.append(Finding(shown, number, tr("line {problem}", problem=problem),
                                    tr("delete the invisible character (retype the text around it)")))  # fmt: skip
        elif problem := nesting_problem(line):
            findings.append(
                Finding(shown, number, problem, tr("flatten the structure: use headings or separate lists"))
            )
    return findings


def check_file(path: Path, root: Path) -> list[Finding]:
    """Encoding, size, characters and front matter of one Markdown file (the build runs this per page)."""
    shown = display_path(path, root)
    source, findings = read_page(path, shown)
    if source is None:
        return findings
    return frontmatter.validate(source, shown)[1] + body_findings(source, shown)


def _nfc_findings(path: Path, source: str, shown: str) -> list[Finding]:
    findings = []
    if unicodedata.normalize("NFC", path.name) != path.name:
        findings.append(
            Finding(
                shown,
                1,
                tr("file name is not Unicode NFC"),
                tr("rename the file (type the name again with a standard keyboard layout)"),
            )
        )
    if not unicodedata.is_normalized("NFC", source):
        for number, line in enumerate(source.splitlines(), 1):
            if not unicodedata.is_normalized("NFC", line):
                findings.append(
                    Finding(
                        shown,
                        number,
                        tr("text is not Unicode NFC (decomposed Vietnamese diacritics)"),
                        tr("retype the line or save the file as NFC"),
                    )
                )
                break
    return findings


def check_rendered(docs_dir: Path, root: Path, config_file: Path, languages: list[str], default: str) -> list[Finding]:
    """Links, anchors and the raw-HTML policy, on every page rendered with the site's Markdown extensions."""
    from vnportal.content.htmlpolicy import video_services
    from vnportal.content.links import check_links, render

    config = site_config(config_file)
    extensions, configs = [], {}
    for entry in config.get("markdown_extensions", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        extensions.append(name)
        if options:
            configs[name] = options
    try:
        services = video_services(plugin_config(config, "vnportal/safety").get("video_embeds", []))
    except ValueError as exc:
        return [Finding(display_path(config_file, root), 1, str(exc), tr("fix the entry in mkdocs.yml"))]
    pages = {}
    for path in markdown_files(docs_dir):
        if path.relative_to(docs_dir).parts[0] not in languages:
            continue  # reported as a stray folder
        source, _ = read_page(path, display_path(path, root))
        if source is None:
            continue  # reported by check_tree
        pages[path] = render(source, display_path(path, root), extensions, configs)
    return check_links(docs_dir, pages, languages, default, services)


IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _image_findings(path: Path, source: str, shown: str, docs_dir: Path) -> list[Finding]:
    """Pictures in content come from the media library (docs/assets/media), where each has its rights."""
    findings = []
    library = (docs_dir / tree.MEDIA_FOLDER).resolve()
    for match in IMAGE_RE.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        src = match["src"]
        if re.match(r"[a-z]+:", src):
            findings.append(Finding(shown, line, tr('image {src} is on another site', src=src),
                                    tr('add it to the media library (docs/assets/media/) with its metadata')))  # fmt: skip
            continue
        target = (path.parent / src.split("#")[0]).resolve()
        if tree.leaves(target, docs_dir):
            findings.append(Finding(shown, line, tr('image {src} is outside the docs folder', src=src),
                                    tr('add it to the media library (docs/assets/media/) with its metadata')))  # fmt: skip
        elif tree.leaves(target, library):
            findings.append(Finding(shown, line, tr('image {src} is not in the media library', src=src),
                                    tr('move it to docs/assets/media/ beside a metadata file (caption, alt, creator, licence)')))  # fmt: skip
        elif not target.is_file():
            findings.append(Finding(shown, line, tr("image {src} does not exist", src=src), tr("check the file name")))
        elif not target.with_suffix(".yml").is_file():
            findings.append(Finding(shown, line, tr('image {src} has no metadata file {name}', src=src, name=target.with_suffix('.yml').name),
                                    tr('add it: caption and alt text in every language, creator, source, licence, date')))  # fmt: skip
    return findings


def _hero_findings(fm: frontmatter.FrontMatter, docs_dir: Path, shown: str) -> list[Finding]:
    """A page's ``image:`` is a picture of the media library (with its metadata) or an original illustration."""
    from vnportal.brand.illustrations import MOTIFS

    name = fm.data.get("image")
    if not isinstance(name, str) or name in {f"illustration-{m}.svg" for m in MOTIFS}:
        return []
    picture = docs_dir / tree.MEDIA_FOLDER / name
    if picture.is_file() and picture.with_suffix(".yml").is_file():
        return []
    return [Finding(shown, fm.line_of("image"), tr('image {src} is not in the media library', src=name),
                    tr('add docs/assets/media/{name} with its metadata file, or use an illustration such as illustration-drum.svg', name=name))]  # fmt: skip


def check_media(docs_dir: Path, root: Path, languages: list[str]) -> list[Finding]:
    """Every picture of the media library has complete metadata (rights, alt text in every language)."""
    from vnportal.media.library import load_library  # local: the library reads Pillow, only when checked

    return load_library(docs_dir / tree.MEDIA_FOLDER, languages, root)[1]


def check_brand(config_file: Path) -> list[Finding]:
    """The brand source the build generates the theme, icons and kit from: token file and logo artwork."""
    from vnportal.brand.artwork import load_svg
    from vnportal.brand.texts import load as load_texts
    from vnportal.brand.tokens import LOGO_KINDS, load

    brand = plugin_config(site_config(config_file), "vnportal/brand")
    tokens = config_file.parent / brand.get("tokens", "assets/brand/tokens.yml")
    if not tokens.is_file():
        return []  # a site without the brand plugin's token file has no brand to check
    languages = tuple(site_languages(config_file)[0])
    texts = config_file.parent / brand.get("texts", "assets/brand/kit.yml")
    findings: list[Finding] = []
    readers = [(lambda p: load(p, languages), tokens), (lambda p: load_texts(p, languages), texts)]
    for read, path in readers + [(load_svg, tokens.parent / "logo" / f"{kind}.svg") for kind in LOGO_KINDS]:
        try:
            read(path)
        except FindingsError as exc:
            findings += exc.findings
    return findings


def check_ui_strings(config_file: Path, root: Path) -> list[Finding]:
    """Every language's interface strings (overrides/locales/<lang>.yml) against the default language's."""
    from vnportal.content.ui_strings import load

    return load(config_file, root)[1]


def check_data(data_dir: Path, languages: list[str]) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) of the open data: metadata, every CSV row against its schema, published versions
    rebuilt byte for byte against data/published.lock; overdue updates and unset settings as warnings."""
    import datetime as dt

    from vnportal.data.build import export_all
    from vnportal.data.model import load_all, load_catalog, warnings

    datasets, findings = load_all(data_dir, languages)
    if findings:
        return findings, []
    cache = cache_root(Path.cwd()) / "data"
    findings += export_all(datasets, data_dir, cache)[2]
    return findings, warnings(datasets, load_catalog(data_dir, languages)[0], dt.date.today())


def check_settings(config_file: Path, root: Path) -> list[Finding]:
    """Warnings for the settings that must come from the responsible agency and are still unset."""
    contact = plugin_config(site_config(config_file), "vnportal/i18n_seo").get("contact") or {}
    lines = config_file.read_text(encoding="utf-8").splitlines()
    shown = display_path(config_file, root)
    return [
        Finding(
            shown,
            next((i for i, row in enumerate(lines, 1) if row.strip().startswith(f"{key}:")), 1),
            tr("contact setting '{key}' is not set (the contact page leaves it out)", key=key),
            tr("set it under plugins.vnportal/i18n_seo.contact once the responsible agency confirms it"),
        )
        for key in CONTACT_KEYS
        if not contact.get(key)
    ]


def check_facts(
    docs_dir: Path, root: Path, data_dir: Path, languages: list[str]
) -> tuple[list[Finding], list[Finding]]:
    """The facts register, and every page's fact references: (errors, warnings)."""
    from vnportal.facts.check import page_findings  # local: the register reads datasets, which import this module
    from vnportal.facts.register import load_register

    path = data_dir / "facts.yml"
    register, errors = load_register(path, data_dir, languages, display_path(path, root))
    warnings: list[Finding] = []
    if errors:
        return errors, warnings
    for path in markdown_files(docs_dir):
        if path.relative_to(docs_dir).parts[0] not in languages:
            continue
        source, _ = read_page(path, display_path(path, root))
        if source is None:
            continue
        fm, _ = frontmatter.parse(source, display_path(path, root))
        found, warned = page_findings(source, display_path(path, root), fm.data, register)
        errors += found
        warnings += warned
    return errors, warnings


def check_tree(docs_dir: Path, root: Path, languages: list[str], default: str) -> tuple[list[Finding], list[Finding]]:
    """All content checks: (errors that fail the build, warnings such as stale translations)."""
    errors: list[Finding] = []
    for entry in sorted(docs_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and entry.name not in languages and entry.name != "assets":
            errors.append(Finding(display_path(entry, root), 1, tr("folder '{name}' is not a configured language, so the build would ignore it", name=entry.name),
                                  tr("move its pages into one of {languages}/ or add the language in mkdocs.yml", languages=", ".join(languages))))  # fmt: skip
        elif entry.is_file() and entry.suffix == ".md":
            errors.append(Finding(display_path(entry, root), 1, tr("page outside a language folder"),
                                  tr("move it into {default}/ (or another language folder)", default=default)))  # fmt: skip
    errors += tree_findings(docs_dir, root)
    titles: dict[tuple[str, str], str] = {}
    for path in markdown_files(docs_dir):
        shown = display_path(path, root)
        source, found = read_page(path, shown)
        if source is None:
            errors += found
            continue
        fm, found = frontmatter.validate(source, shown)
        errors += found + body_findings(source, shown) + _nfc_findings(path, source, shown)
        errors += placeholder_findings(fm, source, shown)
        errors += _image_findings(path, source, shown, docs_dir) + _hero_findings(fm, docs_dir, shown)
        parts = path.relative_to(docs_dir).parts
        if parts[0] not in languages:
            continue
        lang = parts[0]
        title = str(fm.data.get("title", "")).strip().casefold()
        if title and (lang, title) in titles:
            errors.append(
                Finding(
                    shown,
                    fm.line_of("title"),
                    tr("same title as {other}", other=titles[lang, title]),
                    tr("give each page of a language its own title"),
                )
            )
        elif title:
            titles[lang, title] = shown
    warnings = translation_findings(docs_dir, root, languages, default) if (docs_dir / default).is_dir() else []
    return errors, warnings


def translation_findings(docs_dir: Path, root: Path, languages: list[str], default: str) -> list[Finding]:
    """Translations that may no longer say what the original says (warnings: the page still builds)."""
    from vnportal.content.translations import status  # local: translations imports frontmatter too

    findings = []
    for page in status(docs_dir, languages, default):
        shown = display_path(docs_dir / page.lang / page.path, root)
        source = f"{docs_dir.name}/{default}/{page.path}"
        if page.state == "stale":
            findings.append(Finding(shown, 1, tr("translation is stale: the {default} page changed after it was translated", default=default),
                                    tr("update the text from {source}, then run  make stamp PAGE={page}", source=source, page=shown)))  # fmt: skip
        elif page.state == "untracked":
            findings.append(Finding(shown, 1, tr("translation is not tracked: nothing records which version of {source} it matches", source=source),
                                    tr("compare it with {source}; once it matches, run  make stamp PAGE={page}", source=source, page=shown)))  # fmt: skip
    return findings
