"""Finding corpus files and turning their bytes into text, whatever encoding they came in."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from voc.core.config import CONFIG_FILE
from voc.ingest.records import Unreadable

TRANSCRIPT_SUFFIXES = {".txt", ".md", ".docx", ".vtt", ".srt"}
TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".json", ".jsonl"}
SUPPORTED = TRANSCRIPT_SUFFIXES | TABLE_SUFFIXES
# Documentation that often sits beside a corpus; it is not customer voice.
IGNORED_STEMS = {"readme", "license", "changelog"}
RESPONDENTS_STEM = "respondents"
# Control characters never found in real text; many of them mean a wrong guess or binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# UTF-8 read as cp1252 leaves these marks ("Ã©" for "é", "â€™" for "’").
_MOJIBAKE = re.compile(r"[ÃÂâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


@dataclass(frozen=True)
class CorpusFile:
    """A file to read and its name relative to the corpus root (used in sources and ids)."""

    path: Path
    source: str

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def is_respondents(self) -> bool:
        return self.path.stem.lower() == RESPONDENTS_STEM and self.suffix in TABLE_SUFFIXES


def discover(
    paths: Sequence[Path], besides: Path | None = None
) -> tuple[list[CorpusFile], list[Path]]:
    """Corpus files under the given files and folders (sorted, hidden ones skipped), and the
    given paths that do not exist. `besides` is a file that sits in the corpus folder but is not
    customer voice (the run's codebook)."""
    found: dict[Path, CorpusFile] = {}
    missing: list[Path] = []
    other = Path(besides).resolve() if besides else None
    for given in paths:
        given = Path(given)
        if given.is_dir():
            for path in sorted(given.rglob("*")):
                rel = path.relative_to(given)
                if path.is_file() and not _skipped(rel) and path.resolve() != other:
                    found.setdefault(path.resolve(), CorpusFile(path, rel.as_posix()))
        elif given.is_file():
            found.setdefault(given.resolve(), CorpusFile(given, given.name))
        else:
            missing.append(given)
    return _unique_sources(list(found.values())), missing


def _skipped(rel: Path) -> bool:
    """Hidden files and folders, the run configuration and documentation are not corpus."""
    if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
        return True
    name = rel.name.lower()
    return name == CONFIG_FILE or Path(name).stem in IGNORED_STEMS or name.endswith("~")


def _unique_sources(files: list[CorpusFile]) -> list[CorpusFile]:
    """Prefix the root folder's name when two roots hold the same relative path, so unit ids
    stay distinct."""
    counts: dict[str, int] = {}
    for f in files:
        counts[f.source] = counts.get(f.source, 0) + 1
    return [
        CorpusFile(f.path, f"{_root_name(f)}/{f.source}") if counts[f.source] > 1 else f
        for f in files
    ]


def _root_name(f: CorpusFile) -> str:
    depth = len(Path(f.source).parts)
    root = f.path.parents[depth - 1] if depth <= len(f.path.parents) else f.path.parent
    return root.name or "corpus"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM), UTF-16 with BOM, cp1252, or whatever
    charset-normalizer recognises; raises Unreadable for binary or undecodable data."""
    if not data.strip():
        raise Unreadable("the file is empty", "remove it or export it again")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _clean(data.decode("utf-16", errors="replace"))
    if b"\x00" in data[:8192]:
        raise Unreadable(
            "the file is binary, not text", "export it as UTF-8 text (or use the right extension)"
        )
    try:
        return _repair(_clean(data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        pass
    # Legacy Windows exports are by far the most common non-UTF-8 files; charset-normalizer
    # tends to call short cp1252 text cp1250, which garbles accented letters.
    try:
        text = data.decode("cp1252")
        if not _looks_broken(text):
            return _clean(text)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or _looks_broken(str(best)):
        raise Unreadable(
            "the encoding could not be recognised (it may be binary)",
            "save the file as UTF-8 text and run again",
        )
    return _clean(str(best))


def _looks_broken(text: str) -> bool:
    """More than a trace of control characters means the bytes were not this encoding."""
    return len(_CONTROL.findall(text[:20000])) > max(2, len(text[:20000]) // 1000)


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff")


def _repair(text: str) -> str:
    """Undo the classic double encoding (UTF-8 saved as cp1252 then as UTF-8) when present."""
    if len(_MOJIBAKE.findall(text)) < 2:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text
