"""Where each dataset's files are published in the site: ``data/<id>/<version>/<name>`` for every version (those
never change), and the latest version's again under ``data/<id>/latest/<name>``. The plugin's file map, the
DCAT-AP catalog, the data index, data.json and the data pages all take these addresses from here."""

from __future__ import annotations

from vnportal.data.model import Dataset, Version

#: The folder that always holds a dataset's latest version.
LATEST = "latest"


def folder(dataset_id: str, version: str) -> str:
    """A version's folder below the site root, with its slash: ``data/<id>/<version>/`` (or ``…/latest/``)."""
    return f"data/{dataset_id}/{version}/"


def folders(dataset: Dataset, version: Version) -> list[str]:
    """Every folder a version's files are published in: its own, and ``latest/`` while it is the latest."""
    own = folder(dataset.id, version.version)
    return [own, folder(dataset.id, LATEST)] if version is dataset.latest else [own]
