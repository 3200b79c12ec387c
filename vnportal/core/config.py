"""mkdocs.yml read without MkDocs: fast, no plugin loaded, for ``make check``, the CLI and the tools."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

#: The project folder (mkdocs.yml, docs/, overrides/, assets/ and data/ are in it).
PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: The contact settings only the responsible agency can give (plugins.vnportal/i18n_seo.contact): shown on the
#: contact page when set, reported by ``make check`` while unset.
CONTACT_KEYS = ("organisation", "address", "email", "phone", "press_email", "press_phone", "form_url")


def site_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (``!ENV`` by MkDocs' own constructor: the variable if set, else the default),
    with Python tags (Material's emoji functions) read as nothing."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", construct_env_tag)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader)


def plugin_config(config: dict[str, Any], name: str) -> dict[str, Any]:
    """One plugin's options in a configuration read by ``site_config`` ({} when it has none)."""
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
