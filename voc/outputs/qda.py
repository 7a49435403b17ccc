"""REFI-QDA export: a run's coding as a `.qdpx` project (or its codebook alone as `.qdc`) that
NVivo, ATLAS.ti, MAXQDA and QualCoder import (`voc.ingest.qda` reads them back).

A project holds one code per theme (nested under its group when themes have groups, the job
statement as description, the map's colour), one text source per corpus file (a transcript as
its turns, a table as a line per answer) with a coded selection per clustered unit at the exact
character positions of its text, and a case per respondent with their attributes and segment.
Texts are the units' texts, so personal data stays redacted as it was in the run."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from voc.core.rundir import Results
from voc.core.tables import NOISE, RESPONDENT_CORE, is_voice
from voc.ingest.qda import CODEBOOK_NS, PROJECT_NS
from voc.outputs.map import theme_colours

ORIGIN = "voc"


GUID_ROOT = uuid.UUID("7f1c2a56-0b7e-4c1e-9d3a-5e0c6a9b1d42")


def guid(*parts: object) -> str:
    """A stable GUID for a thing in a run, so re-exporting gives the same ids."""
    return str(uuid.uuid5(GUID_ROOT, "\x1f".join(map(str, parts))))


@dataclass
class Source:
    """One corpus file as the plain text a QDA tool shows, and where each unit sits in it."""

    name: str
    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # unit_id → [start, end)


def locator_key(locator: str) -> tuple:
    """'row 12#2' → (12, 2): units in the order they stand in their file."""
    numbers = [int(n) for n in "".join(c if c.isdigit() else " " for c in locator).split()]
    return (*numbers, locator)


def build_sources(units: pd.DataFrame) -> list[Source]:
    """The text of every source and each voice unit's span in it. A transcript is written as
    its turns (the interviewer's question, then the answer); a table as a line per answer."""
    sources = []
    for name, rows in units[is_voice(units)].groupby("source", sort=True):
        parts: list[str] = []
        spans: dict[str, tuple[int, int]] = {}
        at, asked = 0, ""
        ordered = rows.assign(key=rows["locator"].map(locator_key)).sort_values("key")
        for u in ordered.itertuples():
            if u.kind == "interview" and u.context and u.context != asked:
                parts.append(f"Interviewer: {u.context}\n")
                at += len(parts[-1])
                asked = u.context
            lead = f"{u.speaker or 'Respondent'}: " if u.kind == "interview" else ""
            start = at + len(lead)
            spans[u.unit_id] = (start, start + len(u.text))
            parts.append(f"{lead}{u.text}\n")
            at += len(parts[-1])
        sources.append(Source(str(name), "".join(parts), spans))
    return sources


def code_elements(parent: ET.Element, themes: pd.DataFrame, ns: str) -> None:
    """<Code> per theme, under a <Code> per group when themes have a `parent_id`."""
    colours = theme_colours(themes)

    def code(into: ET.Element, theme: pd.Series) -> None:
        node = ET.SubElement(
            into,
            f"{{{ns}}}Code",
            guid=guid("theme", theme["theme_id"]),
            name=str(theme["label"]),
            isCodable="true",
            color=colours[int(theme["theme_id"])],
        )
        if theme.get("job"):
            ET.SubElement(node, f"{{{ns}}}Description").text = str(theme["job"])

    if "parent_id" not in themes:
        for _, theme in themes.iterrows():
            code(parent, theme)
        return
    for group_id, members in themes.groupby("parent_id", sort=True):
        name = str(members["group_label"].iloc[0]) if "group_label" in members else ""
        group = ET.SubElement(
            parent,
            f"{{{ns}}}Code",
            guid=guid("group", group_id),
            name=name or f"Group {group_id}",
            isCodable="false",
        )
        for _, theme in members.iterrows():
            code(group, theme)


def project_xml(results: Results, sources: list[Source]) -> ET.Element:
    """The project.qde document for a run."""
    ET.register_namespace("", PROJECT_NS)
    q = f"{{{PROJECT_NS}}}"
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    user = guid("user", ORIGIN)
    root = ET.Element(
        f"{q}Project",
        name=results.run_dir.resolve().name,
        origin=ORIGIN,
        creatingUserGUID=user,
        creationDateTime=now,
    )
    ET.SubElement(ET.SubElement(root, f"{q}Users"), f"{q}User", guid=user, name=ORIGIN)
    themes = results.themes
    if not themes.empty:
        code_elements(
            ET.SubElement(ET.SubElement(root, f"{q}CodeBook"), f"{q}Codes"), themes, PROJECT_NS
        )
    people = results.respondents
    columns = [c for c in people.columns if c not in RESPONDENT_CORE or c == "segment_id"]
    if columns:
        variables = ET.SubElement(root, f"{q}Variables")
        for c in columns:
            ET.SubElement(
                variables, f"{q}Variable", guid=guid("variable", c), name=c, typeOfVariable="Text"
            )
    by_unit = results.units.set_index("unit_id")
    selections: dict[str, list[str]] = {}  # respondent → selection guids, for their case
    cases = ET.SubElement(root, f"{q}Cases")  # before Sources, as the schema orders them
    source_list = ET.SubElement(root, f"{q}Sources")
    for source in sources:
        sid = guid("source", source.name)
        node = ET.SubElement(
            source_list,
            f"{q}TextSource",
            guid=sid,
            name=source.name,
            plainTextPath=f"internal://{sid}.txt",
        )
        for unit_id, (start, end) in source.spans.items():
            unit = by_unit.loc[unit_id]
            if int(unit["theme_id"]) == NOISE:
                continue
            sel = guid("selection", unit_id)
            selection = ET.SubElement(
                node, f"{q}PlainTextSelection", guid=sel, name=unit_id,
                startPosition=str(start), endPosition=str(end),
            )  # fmt: skip
            coding = ET.SubElement(selection, f"{q}Coding", guid=guid("coding", unit_id))
            ET.SubElement(coding, f"{q}CodeRef", targetGUID=guid("theme", int(unit["theme_id"])))
            selections.setdefault(str(unit["respondent_id"]), []).append(sel)
    for _, person in people.iterrows():
        rid = str(person["respondent_id"])
        case = ET.SubElement(cases, f"{q}Case", guid=guid("case", rid), name=rid)
        for c in columns:
            value = ET.SubElement(case, f"{q}VariableValue")
            ET.SubElement(value, f"{q}VariableRef", targetGUID=guid("variable", c))
            ET.SubElement(value, f"{q}TextValue").text = (
                "" if pd.isna(person[c]) else str(person[c])
            )
        for sel in selections.get(rid, []):
            ET.SubElement(case, f"{q}SelectionRef", targetGUID=sel)
    if not len(cases):
        root.remove(cases)
    return root


def export_qdpx(results: Results, out: Path) -> Path:
    """Write the run as a REFI-QDA project: `project.qde` and `sources/<guid>.txt`."""
    sources = build_sources(results.units)
    tree = ET.ElementTree(project_xml(results, sources))
    ET.indent(tree)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("project.qde", "w") as fh:
            tree.write(fh, encoding="utf-8", xml_declaration=True)
        for source in sources:
            z.writestr(f"sources/{guid('source', source.name)}.txt", source.text.encode("utf-8"))
    return out


def export_qdc(results: Results, out: Path) -> Path:
    """Write the codebook alone (REFI-QDA `.qdc`)."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=ORIGIN)
    code_elements(ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), results.themes, CODEBOOK_NS)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    out.parent.mkdir(parents=True, exist_ok=True)
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out
