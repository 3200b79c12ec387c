"""Open data: the Resolution 47 parser, exports, the DCAT-AP catalog, data pages and every bad-input path."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import LANGS, ROOT, Site, build
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from vnportal.data.export import export_version
from vnportal.data.model import load_all, update_lock
from vnportal.data.resolution47 import parse
from vnportal.data.sources import BUILDERS
from vnportal.data.table import RowError, read

SHARED = ROOT.parent / "shared"
DATA = ROOT / "data"
IDS = ("international-rankings", "resolution-47-tasks", "vn-population-gdp")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repository")


@needs_shared
def test_resolution_47_appendix_is_parsed_completely() -> None:
    tasks = parse(SHARED / "sources" / "resolution-47-NQ-CP-2024.vi.txt")
    assert len(tasks) == 56
    assert [sum(t.group == g for t in tasks) for g in range(1, 6)] == [2, 13, 21, 5, 15]
    by_id = {t.id: t for t in tasks}
    assert by_id["3.1"].lead == "Bộ Thông tin và Truyền thông" and by_id["3.1"].start_year == 2024
    assert by_id["3.2"].title.endswith("diễn đàn xuất bản sách quốc tế") and by_id["3.2"].end_year == 2026
    assert by_id["4.3"].lead == "Bộ Ngoại giao, Bộ Quốc phòng, Bộ Công an"
    assert by_id["5.12"].title.startswith("Nghiên cứu xây dựng Bộ quy tắc ứng xử")
    assert by_id["5.3"].title.endswith("chuyên trách về thông tin đối ngoại")
    assert by_id["3.19"].coordinating.endswith("các bộ, ngành liên quan")
    assert by_id["1.2"].recurrence == "annual" and by_id["5.2"].recurrence == "until-2030"
    assert all(t.title and t.lead and t.timeframe for t in tasks)


@needs_shared
@pytest.mark.parametrize("dataset_id", sorted(BUILDERS))
def test_committed_sources_match_what_the_scripts_build(dataset_id: str) -> None:
    committed = (DATA / dataset_id / "1.0" / f"{dataset_id}.csv").read_text(encoding="utf-8")
    assert committed == BUILDERS[dataset_id](DATA, SHARED)


@needs_shared
def test_world_bank_figures_are_exactly_as_published() -> None:
    ours = {r["year"]: r for r in csv.DictReader((DATA / "vn-population-gdp" / "1.0" / "vn-population-gdp.csv").open())}
    for name, column in (("population-VNM.csv", "population"), ("gdp-VNM.csv", "gdp_current_usd")):
        for row in csv.DictReader((SHARED / "data" / "world-bank" / name).open()):
            assert ours[row["Year"]][column] == row["Value"]


def exported(site: Site, dataset_id: str, version: str = "1.0") -> Path:
    return site.root / "data" / dataset_id / version


@pytest.mark.parametrize("dataset_id", IDS)
def test_exports_formats_checksums_and_latest(site: Site, dataset_id: str) -> None:
    folder = exported(site, dataset_id)
    names = [f"{dataset_id}.csv", f"{dataset_id}.json", f"{dataset_id}.xlsx", "datapackage.json"]
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == sorted(names)
    for name in names:
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sums[name]
        assert (site.root / "data" / dataset_id / "latest" / name).read_bytes() == (folder / name).read_bytes()
    raw = (folder / f"{dataset_id}.csv").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # RFC 4180 line endings
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    records = json.loads((folder / f"{dataset_id}.json").read_text())
    sheet = load_workbook(folder / f"{dataset_id}.xlsx", read_only=True).active
    assert len(records) == len(rows) - 1 == sum(1 for _ in sheet.iter_rows()) - 1
    assert list(records[0]) == rows[0]


@pytest.mark.parametrize("dataset_id", IDS)
def test_datapackage_is_valid_frictionless_v2(site: Site, dataset_id: str) -> None:
    from frictionless import validate

    report = validate(str(exported(site, dataset_id) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((exported(site, dataset_id) / "datapackage.json").read_text())
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["licenses"][0]["path"].startswith("https://") and package["sources"]


def test_exports_are_deterministic(tmp_path: Path) -> None:
    datasets, findings = load_all(DATA)
    assert not findings
    for dataset in datasets:
        a = export_version(dataset, dataset.latest, tmp_path / "a" / dataset.id, "https://x/", "f")
        b = export_version(dataset, dataset.latest, tmp_path / "b" / dataset.id, "https://x/", "f")
        assert a.files == b.files
        for name in [*a.files, "SHA256SUMS"]:
            assert (tmp_path / "a" / dataset.id / name).read_bytes() == (
                tmp_path / "b" / dataset.id / name
            ).read_bytes()
        with zipfile.ZipFile(tmp_path / "a" / dataset.id / f"{dataset.id}.xlsx") as xlsx:
            core = xlsx.read("docProps/core.xml").decode()
        stamp = f"{dataset.latest.date.isoformat()}T00:00:00Z"
        assert f">{stamp}</dcterms:modified>" in core, "the workbook carries the version's date, not the clock"


@needs_shared
def test_catalog_conforms_to_dcat_ap_3_shacl(site: Site) -> None:
    from pyshacl import validate
    from rdflib import Graph

    text = (site.root / "data" / "catalog.jsonld").read_text()
    document = json.loads(text)
    assert isinstance(document["@context"], dict)  # inline: readers may be offline
    data = Graph().parse(data=text, format="json-ld")
    shapes = Graph().parse(SHARED / "data" / "standards" / "dcat-ap-3.0.1-SHACL.ttl")
    conforms, _, report = validate(data, shacl_graph=shapes)
    assert conforms, report
    turtle = Graph().parse(site.root / "data" / "catalog.ttl")
    assert len(turtle) == len(data)


def test_catalog_sizes_and_checksums_match_the_files(site: Site) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT

    g = Graph().parse(site.root / "data" / "catalog.ttl")
    spdx = "http://spdx.org/rdf/terms#"
    distributions = list(g.subjects(predicate=DCAT.downloadURL))
    assert len(distributions) == 3 * len(IDS)
    for dist in distributions:
        url = str(g.value(dist, DCAT.downloadURL))
        path = site.root / url[len(site.url) :]
        assert int(g.value(dist, DCAT.byteSize)) == path.stat().st_size
        checksum = g.value(dist, URIRef(spdx + "checksum"))
        assert str(g.value(checksum, URIRef(spdx + "checksumValue"))) == hashlib.sha256(path.read_bytes()).hexdigest()
    for lang in LANGS:
        titles = {t.language for t in g.objects(predicate=URIRef("http://purl.org/dc/terms/title")) if t.language}
        assert lang in titles


@pytest.mark.parametrize("lang", LANGS)
def test_data_pages_in_every_language(site: Site, lang: str) -> None:
    base = site.root if lang == "vi" else site.root / lang
    listing = site.soup(base / "data" / "index.html")
    assert len(listing.select(".portal-dataset-card")) == len(IDS)
    for dataset_id in IDS:
        page = base / "data" / dataset_id / "index.html"
        soup = site.soup(page)
        assert soup.html["lang"] == lang
        ld = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert ld["@type"] == "Dataset" and len(ld["description"]) >= 50 and ld["license"].startswith("https://")
        assert ld["inLanguage"] == lang and ld["distribution"]
        for dist in ld["distribution"]:
            assert (site.root / dist["contentUrl"][len(site.url) :]).is_file()
        assert soup.select_one("#downloads ~ div table tbody tr")
        assert "[Data set]" in soup.select_one("#cite ~ pre").get_text() and "@misc{" in soup.get_text()
        assert soup.select("#versions ~ ul li")
        preview = soup.select("#preview ~ div table tbody tr")
        # a sample of the first rows, bounded by the text of their cells: wide tables show fewer
        text = sum(len(td.get_text()) for tr in preview for td in tr.select("td"))
        assert len(preview) == 10 or (3 <= len(preview) < 10 and text <= 2_500 * 1.2), (dataset_id, text)
        assert soup.select_one("#preview ~ div caption").get_text().count(str(len(preview)))
        for link in soup.select("#downloads ~ div a[download]"):
            assert (page.parent / link["href"]).resolve().is_file()
    chart = site.soup(base / "data" / "vn-population-gdp" / "index.html").select("figure.portal-figure svg")
    assert len(chart) == 2 and chart[0].find("title").get_text() and chart[0].select_one("path.line")


# -- bad input --------------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def test_row_violating_the_schema_fails_the_build_naming_row_column_value_rule(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "published.lock").unlink()  # an unpublished edit: the lock would (rightly) object first
    path = data_copy / "vn-population-gdp" / "1.0" / "vn-population-gdp.csv"
    lines = path.read_text().splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[1], "-12")
    path.write_text("\n".join(lines) + "\n")
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nX.\n")
    result = build(tmp_path / "site", docs_dir=docs, env={"PORTAL_DATA_DIR": str(data_copy)})
    assert result.returncode != 0
    assert "vn-population-gdp.csv:6: row 6, column 'population', value '-12': below the minimum 0" in result.stderr


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("1960,abc,", "type integer"),
        ("1960,5", "row has 2 cells"),
        (",5,", "a value is required"),
        ("1959,5,1e3", "below the minimum 1960"),
        ("1961,5,\n1961,6,", "is not after"),
    ],
)
def test_table_rules(tmp_path: Path, cells: str, message: str) -> None:
    schema = yaml.safe_load((DATA / "vn-population-gdp" / "metadata.yml").read_text())["schema"]
    path = tmp_path / "t.csv"
    path.write_text("year,population,gdp_current_usd\n" + cells + "\n")
    with pytest.raises(RowError) as info:
        list(read(path, schema, "t.csv"))
    assert message in info.value.finding.message and info.value.finding.fix


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='0123456789-.,e"x ', max_size=8), min_size=1, max_size=4), max_size=6))
def test_any_csv_yields_rows_or_a_located_finding(tmp_path_factory, rows: list[list[str]]) -> None:
    schema = yaml.safe_load((DATA / "vn-population-gdp" / "metadata.yml").read_text())["schema"]
    path = tmp_path_factory.mktemp("h") / "t.csv"
    out = io.StringIO()
    csv.writer(out).writerows([["year", "population", "gdp_current_usd"], *rows])
    path.write_text(out.getvalue())
    try:
        for raw, typed in read(path, schema, "t.csv"):
            assert len(raw) == len(typed) == 3
    except RowError as exc:
        assert exc.finding.line >= 1 and exc.finding.fix


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.pop("licence"), "'metadata' needs 'licence'"),
        (lambda m: m.pop("source"), "'metadata' needs 'source'"),
        (lambda m: m["title"].pop("zh"), "'title' needs 'zh'"),
        (lambda m: m["description"].pop("fr"), "'description' needs 'fr'"),
        (lambda m: m.update(titel={"vi": "x"}), "has unknown key(s) 'titel'"),
        (lambda m: m["licence"].update(url="javascript:alert(1)"), "'licence.url' must be an https:// address"),
        (lambda m: m["source"].update(url='https://x.example/" onmouseover="x'), "'source.url' must be an https://"),
        (lambda m: m["title"].update(vi="a\x1bb"), "'title.vi' contains the control character U+001B"),
        (lambda m: m["title"].update(en="x" * 5000), "'title.en' is 5,000 characters long (at most 300)"),
        (lambda m: m["schema"]["fields"][0].update(unofficial=None), "'schema.fields.0' has unknown key(s)"),
    ],
)
def test_bad_metadata_is_reported(data_copy: Path, edit, message: str) -> None:
    path = data_copy / "international-rankings" / "metadata.yml"
    meta = yaml.safe_load(path.read_text())
    edit(meta)
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
    _, findings = load_all(data_copy)
    assert any(message in f.message and f.path.endswith("international-rankings/metadata.yml") for f in findings)


def test_published_versions_never_disappear_or_change(data_copy: Path) -> None:
    datasets, _ = load_all(data_copy)
    update_lock(data_copy, datasets)
    csv_path = data_copy / "international-rankings" / "1.0" / "international-rankings.csv"
    csv_path.write_text(csv_path.read_text() + "extra-row,X,Y,economy,annual,https://example.org/\n")
    _, findings = load_all(data_copy)
    assert any("international-rankings/1.0 has changed" in f.message for f in findings)
    shutil.rmtree(csv_path.parent)
    _, findings = load_all(data_copy)
    assert any("published version international-rankings/1.0 has been removed" in str(f) for f in findings)
    assert any(f.path.endswith("published.lock") and "new version" in f.fix for f in findings)


CATALOG_SCRIPT = """
import hashlib, sys, yaml
from pathlib import Path
from vnportal.data import catalog
from vnportal.data.export import export_version
from vnportal.data.model import load_all
data, out = Path(sys.argv[1]), Path(sys.argv[2])
datasets, _ = load_all(data)
exports = {d.id: {"1.0": export_version(d, d.latest, out / d.id, "u", "f")} for d in datasets}
meta = yaml.safe_load((data / "catalog.yml").read_text())
for text in catalog.serialise(catalog.build(datasets, exports, "https://a/", meta)):
    print(hashlib.sha256(text.encode()).hexdigest())
"""


def test_catalog_is_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    """rdflib iterates sets: two processes with different hash seeds must still write the same bytes."""
    digests = []
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", CATALOG_SCRIPT, str(DATA), str(tmp_path / seed)],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        digests.append(result.stdout)
    assert digests[0] == digests[1] == digests[2]
