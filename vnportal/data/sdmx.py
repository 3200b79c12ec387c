"""SDMX 2.1 for the statistical series: a structure message (code lists, concepts, data structure, dataflow),
a generic data message and SDMX-CSV 2.0, all made from the metadata and the version's CSV.

Written with the standard library's XML writers, which escape every text and attribute: metadata values
are hostile. Validated in the tests against the official SDMX 2.1 XML schemas and read back with sdmx1.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import XMLGenerator

from vnportal.core.xmlwrite import to_bytes
from vnportal.data.columns import SDMX_FREQ, Series, area_name, languages, sdmx_id, series

AGENCY = "VNPORTAL"
NS = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "structure": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    "generic": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
CONCEPTS = {  # concept id -> name in English (the other languages: the metadata's column titles where they apply)
    "FREQ": "Frequency",
    "REF_AREA": "Reference area",
    "INDICATOR": "Indicator",
    "TIME_PERIOD": "Time period",
    "OBS_VALUE": "Observation value",
    "UNIT_MEASURE": "Unit of measure",
    "UNIT_MULT": "Unit multiplier",
}
FREQ_NAMES = {"A": "Annual", "Q": "Quarterly", "M": "Monthly"}


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _names(parent: ET.Element, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        ET.SubElement(parent, _q("common", "Name"), {_q("xml", "lang"): lang}).text = text


def _header(root: ET.Element, message_id: str, prepared: dt.date) -> None:
    header = ET.SubElement(root, _q("message", "Header"))
    ET.SubElement(header, _q("message", "ID")).text = message_id
    ET.SubElement(header, _q("message", "Test")).text = "false"
    ET.SubElement(header, _q("message", "Prepared")).text = f"{prepared.isoformat()}T00:00:00Z"
    ET.SubElement(header, _q("message", "Sender"), {"id": AGENCY})


def ids(dataset_id: str, version: str) -> dict[str, str]:
    flow = sdmx_id(dataset_id)
    return {"flow": flow, "dsd": f"DSD_{flow}", "version": version,
            "urn": f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={AGENCY}:{flow}({version})"}  # fmt: skip


def _ref(parent: ET.Element, tag: str, ref_id: str, version: str, cls: str, package: str) -> None:
    wrapper = ET.SubElement(parent, tag)
    ET.SubElement(
        wrapper, "Ref", {"id": ref_id, "version": version, "agencyID": AGENCY, "class": cls, "package": package}
    )


def structure(dataset_id: str, version: str, date: dt.date, meta: dict[str, Any], units: dict[str, Any]) -> bytes:
    """The structure message: what the codes mean, in every language of the version."""
    langs, measured = languages(meta), series(meta)
    names = ids(dataset_id, version)
    root = ET.Element(_q("message", "Structure"))
    _header(root, f"{names['flow']}_STRUCTURE", date)
    structures = ET.SubElement(root, _q("message", "Structures"))
    codelists = ET.SubElement(structures, _q("structure", "Codelists"))
    freq = SDMX_FREQ[meta["frequency"]]
    lists = {
        "CL_FREQ": ({"en": "Frequency"}, [(freq, {"en": FREQ_NAMES[freq]})]),
        "CL_AREA": ({"en": "Reference area"}, [(meta["spatial"], {lang: area_name(meta["spatial"], lang) for lang in langs})]),
        "CL_INDICATOR": ({"en": "Indicator"}, [(s.sdmx_code, {lang: f"{s.field['title'][lang]} ({s.indicator})" for lang in langs}) for s in measured]),
        "CL_UNIT_MEASURE": ({"en": "Unit of measure"}, [(key, units[key]["label"]) for key in sorted({s.unit for s in measured})]),
        "CL_UNIT_MULT": ({"en": "Unit multiplier"}, [(str(m), {"en": f"10^{m}"}) for m in sorted({s.unit_mult for s in measured})]),
    }  # fmt: skip
    for list_id, (title, entries) in lists.items():
        codelist = ET.SubElement(codelists, _q("structure", "Codelist"),
                                 {"id": list_id, "agencyID": AGENCY, "version": version, "isFinal": "true",
                                  "urn": f"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={AGENCY}:{list_id}({version})"})  # fmt: skip
        _names(codelist, title)
        for code, label in entries:
            item = ET.SubElement(codelist, _q("structure", "Code"),
                                 {"id": code, "urn": f"urn:sdmx:org.sdmx.infomodel.codelist.Code={AGENCY}:{list_id}({version}).{code}"})  # fmt: skip
            _names(item, {lang: label[lang] for lang in label if lang in langs} or label)
    schemes = ET.SubElement(structures, _q("structure", "Concepts"))
    scheme = ET.SubElement(schemes, _q("structure", "ConceptScheme"),
                           {"id": "CS_CONCEPTS", "agencyID": AGENCY, "version": version, "isFinal": "true",
                            "urn": f"urn:sdmx:org.sdmx.infomodel.conceptscheme.ConceptScheme={AGENCY}:CS_CONCEPTS({version})"})  # fmt: skip
    _names(scheme, {"en": "Concepts"})
    for concept, name in CONCEPTS.items():
        node = ET.SubElement(scheme, _q("structure", "Concept"),
                             {"id": concept, "urn": f"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={AGENCY}:CS_CONCEPTS({version}).{concept}"})  # fmt: skip
        _names(node, {"en": name})
    dsds = ET.SubElement(structures, _q("structure", "DataStructures"))
    dsd = ET.SubElement(dsds, _q("structure", "DataStructure"),
                        {"id": names["dsd"], "agencyID": AGENCY, "version": version, "isFinal": "true",
                         "urn": f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={AGENCY}:{names['dsd']}({version})"})  # fmt: skip
    _names(dsd, {lang: meta["title"][lang] for lang in langs})
    components = ET.SubElement(dsd, _q("structure", "DataStructureComponents"))
    dimensions = ET.SubElement(components, _q("structure", "DimensionList"), {"id": "DimensionDescriptor"})

    def component(
        parent: ET.Element, tag: str, concept: str, codelist: str | None, attrs: dict[str, str]
    ) -> ET.Element:
        node = ET.SubElement(parent, _q("structure", tag), {"id": concept, **attrs})
        identity = ET.SubElement(node, _q("structure", "ConceptIdentity"))
        ET.SubElement(identity, "Ref", {"id": concept, "maintainableParentID": "CS_CONCEPTS", "maintainableParentVersion": version,
                                        "agencyID": AGENCY, "class": "Concept", "package": "conceptscheme"})  # fmt: skip
        ref = ET.SubElement(node, _q("structure", "LocalRepresentation"))
        if codelist:
            _ref(ref, _q("structure", "Enumeration"), codelist, version, "Codelist", "codelist")
        else:
            ET.SubElement(
                ref,
                _q("structure", "TextFormat"),
                {"textType": "ObservationalTimePeriod" if concept == "TIME_PERIOD" else "Double"},
            )
        return node

    for position, (concept, codelist) in enumerate(
        (("FREQ", "CL_FREQ"), ("REF_AREA", "CL_AREA"), ("INDICATOR", "CL_INDICATOR")), 1
    ):
        component(dimensions, "Dimension", concept, codelist, {"position": str(position)})
    component(dimensions, "TimeDimension", "TIME_PERIOD", None, {"position": "4"})
    attributes = ET.SubElement(components, _q("structure", "AttributeList"), {"id": "AttributeDescriptor"})
    for concept, codelist in (("UNIT_MEASURE", "CL_UNIT_MEASURE"), ("UNIT_MULT", "CL_UNIT_MULT")):
        node = component(attributes, "Attribute", concept, codelist, {"assignmentStatus": "Mandatory"})
        relation = ET.SubElement(node, _q("structure", "AttributeRelationship"))
        for dimension in ("FREQ", "REF_AREA", "INDICATOR"):
            ET.SubElement(ET.SubElement(relation, _q("structure", "Dimension")), "Ref", {"id": dimension})
    measures = ET.SubElement(components, _q("structure", "MeasureList"), {"id": "MeasureDescriptor"})
    component(measures, "PrimaryMeasure", "OBS_VALUE", None, {})
    flows = ET.SubElement(structures, _q("structure", "Dataflows"))
    flow = ET.SubElement(flows, _q("structure", "Dataflow"),
                         {"id": names["flow"], "agencyID": AGENCY, "version": version, "isFinal": "true", "urn": names["urn"]})  # fmt: skip
    _names(flow, {lang: meta["title"][lang] for lang in langs})
    _ref(flow, _q("structure", "Structure"), names["dsd"], version, "DataStructure", "datastructure")
    order = ["Dataflows", "Codelists", "Concepts", "DataStructures"]  # the sequence SDMXStructure.xsd requires
    structures[:] = sorted(structures, key=lambda node: order.index(node.tag.rsplit("}", 1)[1]))
    _move_names_first(root)
    ET.indent(root)
    return to_bytes(root, NS) + b"\n"


def _move_names_first(root: ET.Element) -> None:
    """SDMX wants an item's Name elements before its other children (the builders above append in any order)."""
    for node in root.iter():
        children = list(node)
        ordered = [c for c in children if c.tag == _q("common", "Name")] + [
            c for c in children if c.tag != _q("common", "Name")
        ]
        if ordered != children:
            node[:] = ordered


def observations(csv_path: Path, meta: dict[str, Any], measured: Series) -> Iterator[tuple[str, str]]:
    """(period, value exactly as the source wrote it) of one series, streaming the version's CSV."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row[measured.column] not in meta["schema"].get("missingValues", [""]):
                yield row[meta["period"]], row[measured.column]


def generic_data(dataset_id: str, version: str, date: dt.date, meta: dict[str, Any], csv_path: Path, out: Path) -> None:
    """A GenericData message, streamed (one pass over the CSV per series)."""
    names = ids(dataset_id, version)
    freq = SDMX_FREQ[meta["frequency"]]
    with out.open("w", encoding="utf-8") as handle:
        xml = XMLGenerator(handle, encoding="utf-8", short_empty_elements=True)
        xml.startDocument()

        def element(name: str, attrs: dict[str, str] | None = None, text: str | None = None, depth: int = 0) -> None:
            xml.ignorableWhitespace("  " * depth)
            xml.startElement(name, attrs or {})
            if text is not None:
                xml.characters(text)
            xml.endElement(name)
            xml.ignorableWhitespace("\n")

        def open_(name: str, attrs: dict[str, str] | None = None, depth: int = 0) -> None:
            xml.ignorableWhitespace("  " * depth)
            xml.startElement(name, attrs or {})
            xml.ignorableWhitespace("\n")

        def close(name: str, depth: int = 0) -> None:
            xml.ignorableWhitespace("  " * depth)
            xml.endElement(name)
            xml.ignorableWhitespace("\n")

        open_(
            "message:GenericData", {f"xmlns:{p}": uri for p, uri in NS.items() if p in ("message", "common", "generic")}
        )
        open_("message:Header", depth=1)
        element("message:ID", text=f"{names['flow']}_DATA", depth=2)
        element("message:Test", text="false", depth=2)
        element("message:Prepared", text=f"{date.isoformat()}T00:00:00Z", depth=2)
        element("message:Sender", {"id": AGENCY}, depth=2)
        open_("message:Structure", {"structureID": names["dsd"], "dimensionAtObservation": "TIME_PERIOD"}, depth=2)
        open_("common:Structure", depth=3)
        element("Ref", {"agencyID": AGENCY, "id": names["dsd"], "version": version}, depth=4)
        close("common:Structure", depth=3)
        close("message:Structure", depth=2)
        close("message:Header", depth=1)
        open_("message:DataSet", {"structureRef": names["dsd"], "action": "Information"}, depth=1)
        for measured in series(meta):
            open_("generic:Series", depth=2)
            open_("generic:SeriesKey", depth=3)
            for concept, value in (("FREQ", freq), ("REF_AREA", meta["spatial"]), ("INDICATOR", measured.sdmx_code)):
                element("generic:Value", {"id": concept, "value": value}, depth=4)
            close("generic:SeriesKey", depth=3)
            open_("generic:Attributes", depth=3)
            element("generic:Value", {"id": "UNIT_MEASURE", "value": measured.unit}, depth=4)
            element("generic:Value", {"id": "UNIT_MULT", "value": str(measured.unit_mult)}, depth=4)
            close("generic:Attributes", depth=3)
            for period, value in observations(csv_path, meta, measured):
                open_("generic:Obs", depth=3)
                element("generic:ObsDimension", {"value": period}, depth=4)
                element("generic:ObsValue", {"value": value}, depth=4)
                close("generic:Obs", depth=3)
            close("generic:Series", depth=2)
        close("message:DataSet", depth=1)
        close("message:GenericData")
        xml.endDocument()


SDMX_CSV_HEADER = ["STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE",
                   "UNIT_MEASURE", "UNIT_MULT"]  # fmt: skip


def sdmx_csv(dataset_id: str, version: str, meta: dict[str, Any], csv_path: Path, out: Path) -> None:
    """SDMX-CSV 2.0: one observation a row, the dataflow it belongs to in the first columns."""
    flow = f"{AGENCY}:{sdmx_id(dataset_id)}({version})"
    freq = SDMX_FREQ[meta["frequency"]]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(SDMX_CSV_HEADER)
        for measured in series(meta):
            for period, value in observations(csv_path, meta, measured):
                writer.writerow(["dataflow", flow, "I", freq, meta["spatial"], measured.sdmx_code, period, value,
                                 measured.unit, measured.unit_mult])  # fmt: skip
