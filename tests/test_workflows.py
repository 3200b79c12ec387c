"""The GitHub workflows: pinned actions, least privilege, caches, and the pull request's fast path."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = {path.stem: yaml.safe_load(path.read_text()) for path in (ROOT / ".github" / "workflows").glob("*.yml")}


def steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job.get("steps", [])]


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_actions_pinned_and_checkouts_keep_no_credentials(name: str) -> None:
    workflow = WORKFLOWS[name]
    assert workflow["permissions"] == {"contents": "read"}
    for _, step in steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
    for job in workflow["jobs"].values():
        if "container" in job:  # the image is pinned by digest: a moved tag cannot change what runs
            assert re.fullmatch(r"[a-z0-9./-]+:[\w.-]+@sha256:[0-9a-f]{64}", job["container"]), job["container"]


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_pip_npm_and_build_caches_keyed_on_the_lock_files(name: str) -> None:
    for job, job_steps in _by_job(WORKFLOWS[name]).items():
        if not any("checkout" in s.get("uses", "") for s in job_steps):
            continue
        caches = {s["with"]["path"]: s["with"]["key"] for s in job_steps if "actions/cache@" in s.get("uses", "")}
        assert set(caches) == {"~/.cache/pip", "~/.npm", ".cache"}, job
        assert "requirements.lock" in caches["~/.cache/pip"] and "package-lock.json" in caches["~/.npm"]
        assert "requirements.lock" in caches[".cache"] and "package-lock.json" in caches[".cache"]


def _by_job(workflow: dict) -> dict[str, list[dict]]:
    return {name: job.get("steps", []) for name, job in workflow["jobs"].items()}


def test_publish_reads_pages_settings_with_least_privilege() -> None:
    jobs = WORKFLOWS["publish"]["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    configure = next(s for s in jobs["build"]["steps"] if "configure-pages" in s.get("uses", ""))
    assert "enablement" not in configure.get("with", {})  # needs an administrator's token; README explains


def test_pull_request_fast_path_comes_first_and_reports_even_on_failure() -> None:
    jobs = WORKFLOWS["pr"]["jobs"]
    assert jobs["test"]["needs"] == "content"
    runs = [s.get("run", "") for s in jobs["content"]["steps"]]
    order = [
        next(i for i, r in enumerate(runs) if r.startswith(cmd)) for cmd in ("make check", "make build", "make preview")
    ]
    assert order == sorted(order)
    upload = next(s for s in jobs["content"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "build/preview/"
    summary = next(s for s in jobs["content"]["steps"] if "pr-summary" in s.get("run", ""))
    assert summary["if"] == "always()"
    assert jobs["content"]["steps"][0]["with"]["fetch-depth"] == 0
