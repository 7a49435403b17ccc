"""Reading REFI-QDA files (a `.qdpx` project or a `.qdc` codebook) back: their codes, and in a
project every coded selection's text. A researcher's codebook starts a run from it."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from voc.core.errors import VocError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


@dataclass
class Code:
    """A code of an imported codebook, and the texts a researcher coded with it (in a .qdpx)."""

    name: str
    description: str = ""
    examples: list[str] = field(default_factory=list)


@dataclass
class Project:
    """What voc reads back from a .qdpx or .qdc: the codes, and every coded selection's text."""

    codes: list[Code]
    selections: list[tuple[str, str, str]]  # (code name, selection name, selected text)


def read_qda(path: Path) -> Project:
    """Read a REFI-QDA project (.qdpx) or codebook (.qdc): codes (leaves; groups that cannot
    be coded are skipped) and, in a project, each coded selection's text from its source."""
    try:
        if path.suffix.lower() == ".qdc":
            root = ET.parse(path).getroot()
            return Project(leaf_codes(root), [])
        with zipfile.ZipFile(path) as z:
            root = ET.fromstring(z.read("project.qde"))
            texts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("sources/")}
    except (OSError, zipfile.BadZipFile, KeyError, ET.ParseError) as err:
        raise VocError(f"Cannot read {path} as a REFI-QDA file ({err}). Export it again.") from None
    codes = leaf_codes(root)
    names = {c.get("guid"): c.get("name", "") for c in root.iter() if tag(c) == "Code"}
    by_name = {c.name: c for c in codes}
    selections = []
    for source in (s for s in root.iter() if tag(s) == "TextSource"):
        path_in_zip = (source.get("plainTextPath") or "").replace("internal://", "sources/")
        text = texts.get(path_in_zip) or next(
            (c.text or "" for c in source if tag(c) == "PlainTextContent"), ""
        )
        for sel in (s for s in source if tag(s) == "PlainTextSelection"):
            chosen = text[int(sel.get("startPosition", 0)) : int(sel.get("endPosition", 0))]
            for ref in (r for r in sel.iter() if tag(r) == "CodeRef"):
                name = names.get(ref.get("targetGUID"), "")
                selections.append((name, sel.get("name", ""), chosen))
                if name in by_name:
                    by_name[name].examples.append(chosen)
    return Project(codes, selections)


def tag(node: ET.Element) -> str:
    return node.tag.rsplit("}", 1)[-1]


def leaf_codes(root: ET.Element) -> list[Code]:
    found = []
    for node in (n for n in root.iter() if tag(n) == "Code"):
        if node.get("isCodable", "true") != "true":
            continue
        description = next((c.text or "" for c in node if tag(c) == "Description"), "")
        found.append(Code(node.get("name", ""), description))
    return found
