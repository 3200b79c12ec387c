"""Contract tests: the internals vnportal.core.compat relies on are still there in the pinned versions.

A failure here after an upgrade names what moved; fix the one function in vnportal/core/compat.py that uses it.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import re
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import material
import mkdocs.commands.build
import mkdocs_static_i18n.folder
import mkdocs_static_i18n.reconfigure
import pytest
import watchdog.observers.api
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.plugins import EVENTS
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme
from mkdocs_static_i18n.plugin import I18n

from vnportal.core import compat
from vnportal.tools import timeline

pytestmark = pytest.mark.unit


def test_the_pinned_versions_are_the_ones_the_door_was_written_for() -> None:
    """compat.py's functions were checked against these versions; a new one means reading this module again."""
    pinned = {name: metadata.version(name) for name in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "watchdog")}
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    for name, version in pinned.items():
        assert f"\n{name}=={version} " in lock, f"{name} {version} is not the locked version"


def test_static_i18n_keeps_its_build_state_on_the_plugin() -> None:
    plugin = I18n()
    for name in ("building", "current_language", "extra_alternate"):
        assert hasattr(plugin, name), f"static-i18n's plugin has no {name}"
    for name in ("default_language", "build_languages", "is_default_language_build"):
        assert isinstance(inspect.getattr_static(type(plugin), name), property), name


def test_static_i18n_reads_the_file_attributes_a_generated_page_sets() -> None:
    source = inspect.getsource(mkdocs_static_i18n.reconfigure) + inspect.getsource(mkdocs_static_i18n.folder)
    for name in ("locale", "locale_alternate_of", "localization", "norm_src_uri", "alternates"):
        assert f".{name}" in source, f"static-i18n no longer uses File.{name}"


def test_static_i18n_logs_where_the_portal_listens_and_filters_as_it_does() -> None:
    import mkdocs_static_i18n.utils

    assert mkdocs_static_i18n.reconfigure.log.name == compat.STATIC_I18N_RECONFIGURE_LOGGER
    assert isinstance(mkdocs_static_i18n.utils.I18nLoggingFilter().filtered_prefixes, set)
    with compat.quiet_nested_builds():
        assert any(type(f).__name__ == "I18nLoggingFilter" for f in logging.getLogger("mkdocs.commands.build").filters)
    assert not any(type(f).__name__ == "I18nLoggingFilter" for f in logging.getLogger("mkdocs.commands.build").filters)


def test_static_i18n_warns_of_a_missing_homepage_where_the_portal_hushes_it() -> None:
    import mkdocs_static_i18n.plugin

    assert mkdocs_static_i18n.plugin.log.name == compat.STATIC_I18N_PLUGIN_LOGGER
    assert "Could not find a homepage for locale '{self.current_language}'" in inspect.getsource(
        mkdocs_static_i18n.plugin
    )
    counter = mkdocs.utils.CountHandler()
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        with compat.no_homepage_warning("vi"):
            mkdocs_static_i18n.plugin.log.warning("Could not find a homepage for locale 'vi'")
            assert counter.get_counts() == []
            mkdocs_static_i18n.plugin.log.warning("Could not find a homepage for locale 'en'")  # another language
        mkdocs_static_i18n.plugin.log.warning("Could not find a homepage for locale 'vi'")
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    assert counter.get_counts() == [("WARNING", 2)]


def test_mkdocs_says_what_it_skipped_as_the_portal_hushes_it(caplog: pytest.LogCaptureFixture) -> None:
    source = inspect.getsource(mkdocs.commands.build)
    assert "log.info(f\"Page skipped: '{page.file.src_uri}'. Generated empty output.\")" in source
    assert "log.info(f\"Template skipped: '{template_name}' generated empty output.\")" in source
    assert "if output.strip():" in source  # an empty output is not written
    skipped = compat.SkippedPages()
    skipped.pages.add("en/a.md")
    skipped.templates.add("404.html")
    logger = logging.getLogger(compat.BUILD_LOGGER)
    with caplog.at_level(logging.INFO, logger=compat.BUILD_LOGGER), compat.quiet_skipped_pages(skipped):
        logger.info("Page skipped: 'en/a.md'. Generated empty output.")
        logger.info("Template skipped: '404.html' generated empty output.")
        logger.info("Page skipped: 'en/b.md'. Generated empty output.")  # not one the portal left unwritten
    assert [r.getMessage() for r in caplog.records] == ["Page skipped: 'en/b.md'. Generated empty output."]
    assert skipped not in logger.filters


def test_mkdocs_clears_the_site_folder_through_utils() -> None:
    assert "utils.clean_directory(" in inspect.getsource(mkdocs.commands.build)
    with compat.keep_site_directory():
        assert mkdocs.utils.clean_directory.__name__ == "<lambda>"
    assert mkdocs.utils.clean_directory.__name__ == "clean_directory"


def test_page_render_sets_what_a_skipped_render_sets() -> None:
    assert list(inspect.signature(Page.render).parameters) == ["self", "config", "files"]
    source = inspect.getsource(Page.render)
    for name in ("self.content", "self.toc", "self._title_from_render", "present_anchor_ids", "links_to_anchors"):
        assert name in source, f"Page.render no longer sets {name}"


def test_theme_makes_environments_with_get_env() -> None:
    theme = Theme(name="material")
    made = []
    compat.wrap_get_env(theme, lambda env: made.append(env) or env)
    compat.wrap_get_env(theme, lambda env: pytest.fail("wrapped twice"))
    env = theme.get_env()
    assert made == [env] and hasattr(env, "list_templates")


def test_watchdog_emitters_poll_with_timeout() -> None:
    assert "self._timeout" in inspect.getsource(watchdog.observers.api.EventEmitter)


def test_the_copied_material_template_is_from_the_pinned_material() -> None:
    """overrides/partials/nav-item.html is Material's file with one marked change: on an upgrade, copy the new
    file, re-apply the change and record the new file's digest here."""
    upstream = Path(material.__file__).parent / "templates" / "partials" / "nav-item.html"
    assert hashlib.sha256(upstream.read_bytes()).hexdigest() == (
        "89895208f22d68ce405a4bcb6649b9150eba5bbb04663a6cb3f93f02daf1d2f7"
    ), "Material's nav-item.html changed: update overrides/partials/nav-item.html from it"
    assert "9.8.1" in (ROOT / "overrides" / "partials" / "nav-item.html").read_text(encoding="utf-8")


def test_the_timeline_places_every_mkdocs_event() -> None:
    """timeline.RUN_ORDER follows mkdocs.commands.build; an event a new MkDocs adds must be placed in it."""
    assert sorted(timeline.RUN_ORDER) == sorted(EVENTS), "MkDocs' events changed: place them in timeline.RUN_ORDER"


def test_the_readme_timeline_is_read_from_the_plugins() -> None:
    """vnportal/README.md's table is what the handlers' priorities and docstrings say now."""
    readme = ROOT / "vnportal" / "README.md"
    assert timeline.table_in(readme.read_text(encoding="utf-8"), readme) == timeline.markdown(), (
        "vnportal/README.md: the timeline differs from the plugins' event handlers — run  make timeline  and commit it"
    )


def test_the_timeline_is_written_between_its_markers_only(tmp_path: Path) -> None:
    page = tmp_path / "README.md"
    page.write_text(f"# Map\n\n{timeline.START}\n| old |\n{timeline.END}\n\nAfter.\n", encoding="utf-8")
    assert timeline.write(page) and not timeline.write(page)
    text = page.read_text(encoding="utf-8")
    assert text == f"# Map\n\n{timeline.START}\n{timeline.markdown()}{timeline.END}\n\nAfter.\n"
    assert timeline.table_in(text, page) == timeline.markdown()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("no markers\n", 1),
        (f"{timeline.END}\n\n{timeline.START}\n", 3),
        (f"\n{timeline.START}\n{timeline.START}\n{timeline.END}\n", 2),
    ],
)
def test_a_page_without_its_markers_is_named_with_the_fix(tmp_path: Path, text: str, line: int) -> None:
    page = tmp_path / "README.md"
    page.write_text(text, encoding="utf-8")
    fix = "put the two markers where the table goes"
    with pytest.raises(timeline.MarkersError, match=rf"^{re.escape(str(page))}:{line}: .* — {fix}$"):
        timeline.write(page)
    assert page.read_text(encoding="utf-8") == text
    with pytest.raises(timeline.MarkersError, match=rf"^{re.escape(str(tmp_path / 'none.md'))}:1: no such file"):
        timeline.write(tmp_path / "none.md")


def test_mkdocs_builds_a_page_in_two_steps_the_page_refresh_calls() -> None:
    populate = inspect.signature(mkdocs.commands.build._populate_page).parameters
    assert list(populate)[:3] == ["page", "config", "files"]
    assert list(inspect.signature(mkdocs.commands.build._build_page).parameters)[:5] == [
        "page", "config", "doc_files", "nav", "env"
    ]  # fmt: skip


def test_a_plugin_added_to_a_loaded_configuration_gets_its_events() -> None:
    from mkdocs.plugins import PluginCollection

    class Probe:
        def on_env(self, env, *, config, files):
            return env

    config, probe = SimpleNamespace(plugins=PluginCollection()), Probe()
    compat.add_plugin(config, "probe", probe)  # type: ignore[arg-type]
    assert config.plugins["probe"] is probe and config.plugins.events["env"] == [probe.on_env]


def test_a_configuration_snapshot_keeps_its_values_when_static_i18n_rewrites_them() -> None:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    snapshot = compat.config_snapshot(config)
    language, site_name = config.theme["language"], config.site_name
    config.theme["language"] = "xx"
    config.extra["alternate"] = []
    config.load_dict({"site_name": "Other"})  # how static-i18n overrides a setting
    assert snapshot.theme["language"] == language and "alternate" not in snapshot.extra
    assert snapshot.site_name == site_name and snapshot.plugins is config.plugins


def test_a_skipped_render_can_be_undone() -> None:
    page = object.__new__(Page)
    compat.skip_render(page)
    assert page.render.__func__ is not Page.render
    compat.unskip_render(page)
    assert page.render.__func__ is Page.render


def test_the_live_reload_server_keeps_what_make_serve_subclasses() -> None:
    """vnportal/cli/devserver.py's PortalServer overrides ``watch``, ``_build_loop``, ``_serve_request`` and
    ``_inject_js_into_html`` and reads these attributes of MkDocs' server."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(ROOT))
    for name in ("_watched_paths", "_watch_refs", "_rebuild_cond", "_want_rebuild", "_epoch_cond", "_visible_epoch",
                 "_wanted_epoch", "_shutdown", "observer", "serve_thread", "build_delay", "root"):  # fmt: skip
        assert hasattr(server, name), name
    for name in ("watch", "_build_loop", "_serve_request", "_inject_js_into_html"):
        assert callable(getattr(server, name)), name
    server.server_close()


I18N_ATTRIBUTES = ("src_uri", "dest_path", "dest_uri", "abs_dest_path", "url", "name", "locale", "locale_alternate_of",
                   "localization", "norm_src_uri")  # fmt: skip


def _both_ways(path: str, dest: str | None, current: str, default: str, languages: list[str]) -> None:
    """static-i18n's create_i18n_file and the portal's, on one file: the same File, attribute for attribute."""
    from mkdocs.structure.files import File

    config = SimpleNamespace(docs_dir="/docs", site_dir="/site", use_directory_urls=True)
    original = mkdocs_static_i18n.folder.create_i18n_file
    if original is compat._create_i18n_file:  # a build in this process installed it
        original = compat._ORIGINAL_CREATE_I18N_FILE[0]
    source = File(path, "/docs", "/site", True)
    if dest is not None:
        source.dest_path = dest
    try:
        expected = original(source, current, default, languages, config)
    except Exception as exc:  # whatever the original raises, the portal's raises too
        with pytest.raises(type(exc)):
            compat._create_i18n_file(source, current, default, languages, config)
        return
    if not compat._ORIGINAL_CREATE_I18N_FILE:
        compat._ORIGINAL_CREATE_I18N_FILE.append(original)
    made = compat._create_i18n_file(source, current, default, languages, config)
    for name in I18N_ATTRIBUTES:
        assert getattr(made, name) == getattr(expected, name), (path, dest, current, name)
    assert made.alternates.keys() == expected.alternates.keys()


def test_the_fast_create_i18n_file_makes_the_files_static_i18n_makes_for_the_bundled_docs() -> None:
    languages = ["vi", "en", "fr", "zh"]
    paths = [p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()]
    assert len(paths) > 100
    for path in [*paths, "README.md", "vi/README.md", "en/sub/README.md", "assets/x.css", "ja/page.md", "en"]:
        for current in languages:
            _both_ways(path, None, current, "vi", languages)


PATH_PARTS = ["vi", "en", "fr", "zh", "ja", "README.md", "README.html", "index.md", "a", "b.md", ".", "..", "", "x.png",
              "zh-Hant"]  # fmt: skip


@given(
    parts=st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=4),
    dest=st.none() | st.sampled_from(["vi", "en", "en/README.html", "vi/a/index.html", "a/README.html", "zh/"]),
    current=st.sampled_from(["vi", "en", "zh"]),
)
def test_the_fast_create_i18n_file_agrees_with_static_i18n_on_any_path(
    parts: list[str], dest: str | None, current: str
) -> None:
    path = "/".join(parts)
    if not path or path.startswith("/"):
        return
    _both_ways(path, dest, current, "vi", ["vi", "en", "fr", "zh"])
