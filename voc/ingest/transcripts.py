"""Interview transcripts (.txt, .md, .docx, .vtt, .srt): speaker turns become units, the
interviewer's turns become the context of the answers that follow them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from voc.ingest.records import FileResult, Record, Unreadable, norm_key

KIND = "interview"
_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A speaker label: up to four capitalised words, digits or a parenthesised role ("Dana (CFO)").
_NAME = r"[A-Za-z][\w.'’-]*(?: [A-Z0-9(][\w.'’()-]*){0,3}"
_B = r"(?:\*\*|__)?"  # Markdown bold around a label
_TURN_PATTERNS = [
    # [00:01:23] Dana: text   (00:01:23) - Dana: text
    re.compile(
        rf"^[\[(]?(?P<ts>{_TS})[\])]?\s*[-–—]?\s*{_B}(?P<name>{_NAME}){_B}\s*:{_B}\s*(?P<text>.*)$"
    ),
    # Dana (00:01:23): text   Dana [00:01:23] text
    re.compile(rf"^{_B}(?P<name>{_NAME}){_B}\s*[\[(](?P<ts>{_TS})[\])]\s*:?\s*(?P<text>.*)$"),
    # Otter: "Dana Whitfield  0:01" alone on a line, the words on the next lines
    re.compile(rf"^(?P<name>{_NAME})\s+(?P<ts>{_TS})\s*$"),
    # Dana: text   **Dana:** text   **Dana**: text
    re.compile(rf"^{_B}(?P<name>{_NAME}){_B}\s*:{_B}(?:\s+(?P<text>.*))?$"),
]
_CUE_TIME = re.compile(rf"^(?P<ts>{_TS})\s*-->\s*{_TS}")
_VOICE = re.compile(r"<v(?:\.[\w.]+)?\s+([^>]+)>")
_CUE_SPEAKER = re.compile(
    rf"^(?:-|>>)?\s*(?:\[(?P<b>{_NAME})\]|(?P<name>{_NAME})\s*:)\s*(?P<text>.*)$"
)
_TAG = re.compile(r"<[^>]+>|\{\\[^}]*\}")
# Header keys whose values describe the interview or the respondent, not a turn.
_HEADER_KEYS = {
    "respondent_id", "respondent", "participant", "participant_id", "interviewee", "customer",
    "date", "interview_date", "role", "title", "job_title", "company", "company_size",
    "industry", "plan", "segment", "region", "country", "channel", "team_size", "revenue", "arr",
    "mrr", "source", "interviewer", "duration", "location", "recorded", "id",
}  # fmt: skip
_ID_KEYS = ("respondent_id", "participant_id", "respondent", "participant", "interviewee", "id")
_NOT_ATTRIBUTES = set(_ID_KEYS) | {"date", "interview_date", "interviewer", "title", "duration"}
_ROLE_LABELS = {"a", "answer", "respondent", "participant", "interviewee", "customer", "user"}


@dataclass
class Turn:
    """What one speaker said without interruption; locator is where it starts."""

    speaker: str
    locator: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p for p in self.paragraphs if p)


def read_transcript(path: Path, text: str | None, stem: str, interviewer: list[str]) -> FileResult:
    """Units of one transcript; `text` is the decoded file (None for .docx, read here)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        lines, where = _docx_lines(path), "paragraph"
    else:
        lines, where = (text or "").split("\n"), "line"
    meta, body = _header(lines)
    if suffix in (".vtt", ".srt"):
        turns = _cue_turns(lines[body:])
    else:
        turns = _text_turns(lines, body, where)
    turns = [t for t in _merge(turns) if t.text.strip()]
    if not turns:
        raise Unreadable("no words found in the transcript", "check that the file holds the text")
    return _records(turns, meta, stem, interviewer)


def _docx_lines(path: Path) -> list[str]:
    import docx  # python-docx; imported here because only .docx files need it

    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises many kinds of errors
        raise Unreadable(
            f"not a readable Word file ({err})", "open and save it again in Word"
        ) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # some tools export transcripts as a speaker | text table
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            lines.append(f"{cells[0]}: {cells[-1]}" if len(cells) > 1 else cells[0])
    return lines


def _header(lines: list[str]) -> tuple[dict[str, str], int]:
    """Front matter (between --- lines) or 'Key: value' lines at the top, and where the body
    starts. A 'Respondent:' line is a header only when its value looks like an id or a name."""
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for i, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                return meta, i + 1
            key, _, value = line.partition(":")
            if value.strip():
                meta[norm_key(key)] = value.strip().strip("\"'")
        return {}, 0  # no closing ---: not front matter after all
    i = _title_lines(lines)
    start = i
    while i < len(lines) and lines[i].strip():
        key, colon, value = lines[i].strip().strip("*_").partition(":")
        value = value.strip().strip("*_ ")
        key = norm_key(key)
        if not colon or key not in _HEADER_KEYS or not _short_value(value):
            break
        meta[key] = value
        i += 1
    return (meta, i) if meta else ({}, start)


def _title_lines(lines: list[str]) -> int:
    """How many blank or title lines ('# Interview 14', 'Customer interview') open the file."""
    i = 0
    while i < min(len(lines), 4):
        line = lines[i].strip()
        if line and (":" in line or len(line) > 80) and not line.startswith("#"):
            break
        i += 1
    return i


def _short_value(value: str) -> bool:
    return bool(value) and len(value) <= 60 and len(value.split()) <= 5 and value[-1] not in ".?!"


def _text_turns(lines: list[str], start: int, where: str) -> list[Turn]:
    """Turns of a plain, Markdown or Word transcript; without any speaker label the whole text
    is one person's words, one turn per paragraph."""
    found = [(i, _match_turn(lines[i])) for i in range(start, len(lines))]
    labels = Counter(m["name"] for _, m in found if m)
    # A label seen once is more likely "Note: ..." inside an answer than a speaker.
    speakers = {name for name, n in labels.items() if n > 1 or _is_role(name)}
    turns: list[Turn] = []
    current: Turn | None = None
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if current is not None and paragraph:
            current.paragraphs.append(" ".join(paragraph))
        paragraph.clear()

    for i, match in found:
        line = _strip_markdown(lines[i])
        if match and match["name"] in speakers:
            close_paragraph()
            ts = match["ts"] if "ts" in match.groupdict() else None
            current = Turn(match["name"].strip(), _timestamp(ts) if ts else f"{where} {i + 1}")
            turns.append(current)
            if match.groupdict().get("text"):
                paragraph.append(_strip_markdown(match["text"]))
        elif not line or line.startswith("#"):
            close_paragraph()
            if not speakers:
                current = None
        elif current is None and not speakers:
            current = Turn("", f"{where} {i + 1}")
            turns.append(current)
            paragraph.append(line)
        elif current is not None:
            paragraph.append(line)
    close_paragraph()
    return turns


def _match_turn(line: str) -> re.Match[str] | None:
    line = line.strip()
    for pattern in _TURN_PATTERNS:
        match = pattern.match(line)
        if match and _plausible_name(match["name"]):
            return match
    return None


def _plausible_name(name: str) -> bool:
    return name[0].isupper() or _is_role(name)


def _is_role(name: str) -> bool:
    """Labels that are speakers even if they appear once: Q/A and role words."""
    first = re.split(r"[\s(]", name.strip().lower(), maxsplit=1)[0]
    return first in _ROLE_LABELS or first in {"q", "question", "interviewer", "moderator"}


def _strip_markdown(line: str) -> str:
    return re.sub(r"\*\*|__", "", line).strip().lstrip(">").strip()


def _timestamp(ts: str) -> str:
    """hh:mm:ss from '1:23', '01:02:03' or '00:01:23,456'."""
    parts = [int(p) for p in re.split(r"[.,]", ts)[0].split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    return "{:02d}:{:02d}:{:02d}".format(*parts)


def _cue_turns(lines: list[str]) -> list[Turn]:
    """Turns of a .vtt or .srt file: one per cue, the speaker from <v Name> or 'Name:' in the
    cue text, a cue without a speaker continuing the previous one."""
    turns: list[Turn] = []
    speaker, ts, words = "", "", []
    cues: list[tuple[str, str | None, str]] = []
    for line in [*lines, ""]:
        line = line.strip()
        time = _CUE_TIME.match(line)
        if time:
            ts, words = _timestamp(time["ts"]), []
        elif not line:
            if ts and words:
                cues.append(_cue(ts, " ".join(words)))
            ts, words = "", []
        elif ts:
            words.append(line)
    labels = Counter(name for _, name, _ in cues if name)
    for ts, name, text in cues:
        if name and (labels[name] > 1 or _is_role(name) or len(labels) > 1):
            speaker = name
        elif name:  # a lone "Note: ..." is part of the words, not a speaker
            text = f"{name}: {text}"
        turns.append(Turn(speaker, ts, [text]))
    return turns


def _cue(ts: str, text: str) -> tuple[str, str | None, str]:
    voice = _VOICE.search(text)
    if voice:
        return ts, voice.group(1).strip(), _TAG.sub("", text).strip()
    text = _TAG.sub("", text).strip()
    match = _CUE_SPEAKER.match(text)
    if match and _plausible_name(match["b"] or match["name"]):
        return ts, (match["b"] or match["name"]).strip(), match["text"].strip()
    return ts, None, text


def _merge(turns: list[Turn]) -> list[Turn]:
    """Consecutive turns of one speaker become one (captions cut sentences into cues)."""
    merged: list[Turn] = []
    for turn in turns:
        if merged and merged[-1].speaker == turn.speaker and turn.speaker:
            merged[-1].paragraphs.extend(turn.paragraphs)
        else:
            merged.append(turn)
    for turn in merged:  # caption cues are pieces of one paragraph
        if re.fullmatch(r"\d\d:\d\d:\d\d", turn.locator):
            turn.paragraphs = [" ".join(turn.paragraphs)]
    return merged


def _records(
    turns: list[Turn], meta: dict[str, str], stem: str, interviewer: list[str]
) -> FileResult:
    interviewers = _interviewers({t.speaker for t in turns if t.speaker}, turns, interviewer)
    respondent, header_names = _respondent(meta, stem)
    names = tuple(sorted({t.speaker for t in turns if t.speaker} | header_names))
    attributes = {k: v for k, v in meta.items() if k not in _NOT_ATTRIBUTES}
    date = meta.get("date") or meta.get("interview_date") or ""
    result = FileResult(KIND)
    context = ""
    for turn in turns:
        if turn.speaker in interviewers:
            context = turn.text
            continue
        result.records.append(
            Record(
                respondent_id=respondent,
                kind=KIND,
                locator=turn.locator,
                text=turn.text,
                speaker=turn.speaker,
                context=context,
                date=date,
                attributes=dict(attributes),
                names=names,
            )
        )
    if not result.records:
        raise Unreadable(
            "only interviewer turns were found",
            "check the speaker names; set `interviewer` in voc.toml to the interviewer's names",
        )
    return result


def _respondent(meta: dict[str, str], stem: str) -> tuple[str, set[str]]:
    """The respondent id from the header ('Dana Whitfield (P07)' gives P07), else the file stem,
    and any personal name the header gave."""
    for key in _ID_KEYS:
        value = meta.get(key, "").strip()
        if value:
            inner = re.fullmatch(r"(.+?)\s*[(\[]([\w.-]+)[)\]]", value)
            if inner:
                return inner[2], {inner[1]}
            return value, {value} if " " in value else set()
    return stem, set()


def _interviewers(speakers: set[str], turns: list[Turn], interviewer: list[str]) -> set[str]:
    """Speakers named as interviewers in the configuration (or Q); failing that, in a
    conversation, the one speaker who mostly asks questions."""
    wanted = {n.strip().lower() for n in interviewer} | {"q", "question"}
    found = {s for s in speakers if _named(s, wanted)}
    if found or len(speakers) < 2:
        return found
    asked: Counter[str] = Counter()
    spoke: Counter[str] = Counter()
    for turn in turns:
        spoke[turn.speaker] += 1
        asked[turn.speaker] += turn.text.rstrip().endswith("?")
    ratios = sorted(((asked[s] / spoke[s], s) for s in speakers), reverse=True)
    if ratios[0][0] >= 0.5 and ratios[0][0] > ratios[1][0]:
        return {ratios[0][1]}
    return set()


def _named(speaker: str, wanted: set[str]) -> bool:
    label = speaker.lower()
    words = set(re.findall(r"[\w'’-]+", label))
    return label in wanted or any(w in words if " " not in w else w in label for w in wanted)
