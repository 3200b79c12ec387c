"""Content checks that run without building the site (``make check``): fast feedback for editors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from vnportal import frontmatter, tree
from vnportal.findings import Finding
from vnportal.textpolicy import MAX_PAGE_BYTES, character_problem, nesting_problem
from vnportal.tree import tree_findings


def markdown_files(docs_dir: Path) -> Iterator[Path]:
    """The pages of a docs tree, never through a link that leaves it (reported by vnportal.tree)."""
    yield from sorted(
        p for p in tree.walk(docs_dir) if p.suffix == ".md" and p.is_file() and not tree.leaves(p, docs_dir)
    )


def display_path(path: Path, root: Path) -> str:
    """The path an editor recognises: relative to the project when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_page(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    """The text of a Markdown file, or why it cannot be one (too big, not UTF-8)."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        return None, [Finding(shown, 1, f"page is {size // 1024:,} KB (at most {MAX_PAGE_BYTES // 1024:,} KB)",
                              "split it into several pages")]  # fmt: skip
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [Finding(shown, line, f"file is not UTF-8 ({exc.reason})", "save the file as UTF-8")]


def body_findings(source: str, shown: str) -> list[Finding]:
    """Characters and nesting of the Markdown text (the front matter's values are checked as values)."""
    findings = []
    for number, line in enumerate(source.splitlines(), 1):
        if problem := character_problem(line):
            findings.append(Finding(shown, number, f"line {problem}",
                                    "delete the invisible character (retype the text around it)"))  # fmt: skip
        elif problem := nesting_problem(line):
            findings.append(Finding(shown, number, problem, "flatten the structure: use headings or separate lists"))
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
                "file name is not Unicode NFC",
                "rename the file (type the name again with a standard keyboard layout)",
            )
        )
    if not unicodedata.is_normalized("NFC", source):
        for number, line in enumerate(source.splitlines(), 1):
            if not unicodedata.is_normalized("NFC", line):
                findings.append(
                    Finding(
                        shown,
                        number,
                        "text is not Unicode NFC (decomposed Vietnamese diacritics)",
                        "retype the line or save the file as NFC",
                    )
                )
                break
    return findings


def site_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml read without MkDocs (fast, no plugins loaded); !ENV tags take their default."""

    class Loader(yaml.SafeLoader):
        pass

    def env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
        values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [None]
        return values[-1]

    Loader.add_constructor("!ENV", env)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader)


def plugin_config(config: dict[str, Any], name: str) -> dict[str, Any]:
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and name in plugin:
            return plugin[name] or {}
    return {}


def site_languages(config_file: Path) -> tuple[list[str], str]:
    """Languages and default language from mkdocs.yml."""
    languages = plugin_config(site_config(config_file), "i18n").get("languages")
    if not languages:
        return ["vi"], "vi"
    default = next(lang["locale"] for lang in languages if lang.get("default"))
    return [lang["locale"] for lang in languages], default


def check_rendered(docs_dir: Path, root: Path, config_file: Path, languages: list[str], default: str) -> list[Finding]:
    """Links, anchors and the raw-HTML policy, on every page rendered with the site's Markdown extensions."""
    from vnportal.linkcheck import check_links, render
    from vnportal.safety import video_services

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
        return [Finding(display_path(config_file, root), 1, str(exc), "fix the entry in mkdocs.yml")]
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
            findings.append(Finding(shown, line, f"image {src} is on another site",
                                    "add it to the media library (docs/assets/media/) with its metadata"))  # fmt: skip
            continue
        target = (path.parent / src.split("#")[0]).resolve()
        if tree.leaves(target, docs_dir):
            findings.append(Finding(shown, line, f"image {src} is outside the docs folder",
                                    "add it to the media library (docs/assets/media/) with its metadata"))  # fmt: skip
        elif tree.leaves(target, library):
            findings.append(Finding(shown, line, f"image {src} is not in the media library",
                                    "move it to docs/assets/media/ beside a metadata file (caption, alt, creator, licence)"))  # fmt: skip
        elif not target.is_file():
            findings.append(Finding(shown, line, f"image {src} does not exist", "check the file name"))
        elif not target.with_suffix(".yml").is_file():
            findings.append(Finding(shown, line, f"image {src} has no metadata file {target.with_suffix('.yml').name}",
                                    "add it: caption and alt in every language, creator, source, licence, date"))  # fmt: skip
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
    return [Finding(shown, fm.line_of("image"), f"image {name} is not in the media library",
                    f"add docs/assets/media/{name} with its metadata file, or use an illustration such as "
                    "illustration-drum.svg")]  # fmt: skip


def check_media(docs_dir: Path, root: Path, languages: list[str]) -> list[Finding]:
    """Every picture of the media library has complete metadata (rights, alt text in every language)."""
    from vnportal.media.library import load_library  # local: the library reads Pillow, only when checked

    return load_library(docs_dir / tree.MEDIA_FOLDER, languages, root)[1]


def check_brand(config_file: Path) -> list[Finding]:
    """The brand source the build generates the theme, icons and kit from: token file and logo artwork."""
    from vnportal.brand.artwork import load_svg
    from vnportal.brand.texts import load as load_texts
    from vnportal.brand.tokens import LOGO_KINDS, BrandError, load

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
        except BrandError as exc:
            findings += exc.findings
    return findings


def check_data(data_dir: Path, languages: list[str]) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) of the open data: metadata, every CSV row against its schema, published versions
    rebuilt byte for byte against data/published.lock; overdue updates and unset settings as warnings."""
    import datetime as dt
    import os

    from vnportal.data.build import export_all
    from vnportal.data.model import load_all, load_catalog, warnings

    datasets, findings = load_all(data_dir, languages)
    if findings:
        return findings, []
    cache = Path(os.environ.get("PORTAL_CACHE_DIR", ".cache")) / "data"
    findings += export_all(datasets, data_dir, cache)[2]
    return findings, warnings(datasets, load_catalog(data_dir, languages)[0], dt.date.today())


def check_settings(config_file: Path, root: Path) -> list[Finding]:
    """Warnings for the settings that must come from the responsible agency and are still unset."""
    from vnportal.plugin import CONTACT_KEYS  # local: the plugin module imports this one

    contact = plugin_config(site_config(config_file), "vnportal/i18n_seo").get("contact") or {}
    lines = config_file.read_text(encoding="utf-8").splitlines()
    shown = display_path(config_file, root)
    return [
        Finding(
            shown,
            next((i for i, row in enumerate(lines, 1) if row.strip().startswith(f"{key}:")), 1),
            f"contact setting '{key}' is not set (the contact page leaves it out)",
            "set it under plugins.vnportal/i18n_seo.contact once the responsible agency confirms it",
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
            errors.append(Finding(display_path(entry, root), 1, f"folder '{entry.name}' is not a configured language, so the build would ignore it",
                                  f"move its pages into one of {', '.join(languages)}/ or add the language in mkdocs.yml"))  # fmt: skip
        elif entry.is_file() and entry.suffix == ".md":
            errors.append(Finding(display_path(entry, root), 1, "page outside a language folder",
                                  f"move it into {default}/ (or another language folder)"))  # fmt: skip
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
                    f"same title as {titles[lang, title]}",
                    "give each page of a language its own title",
                )
            )
        elif title:
            titles[lang, title] = shown
    from vnportal.translations import status  # local: translations imports frontmatter too

    warnings = [
        Finding(display_path(docs_dir / s.lang / s.path, root), 1, f"translation is stale: the {default} page changed after it was translated",
                f"update the text from {default}/{s.path}, then run: python -m vnportal stamp {display_path(docs_dir / s.lang / s.path, root)}")
        for s in status(docs_dir, languages, default) if s.state == "stale"
    ] if (docs_dir / default).is_dir() else []  # fmt: skip
    return errors, warnings
