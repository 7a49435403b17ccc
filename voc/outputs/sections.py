"""The report's sections about segments, themes and the people in no segment."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from voc.core.rundir import Run
from voc.core.tables import CRITERIA, NOISE, UNASSIGNED, is_voice, nps
from voc.outputs.markdown import MARK, Tables, clip, md, pct, score


def citation(t: Tables, ids: list[str]) -> str:
    return " ".join(f"[`{i}`](#{i})" for i in ids if i in t.by_unit.index)


def quote_line(t: Tables, unit_id: str) -> str:
    """'> "text" — source, locator, speaker' with an anchor the citations link to. Speakers are
    named only when redaction is off; otherwise they show as a placeholder."""
    u = t.by_unit.loc[unit_id]
    speaker = (u["speaker"] if not t.redact else "[interviewee]") if u.get("speaker") else ""
    who = f", {md(speaker)}" if speaker else ""
    return (
        f'> <a id="{unit_id}"></a>“{md(clip(u["text"]))}”  \n'
        f"> — `{md(u['source'])}` {md(u['locator'])}{who} · `{unit_id}`"
    )


STABILITY_NOTE = (
    "Stability: how closely the segment is found again when people are re-segmented on random "
    "resamples (mean best Jaccard overlap; 0.75 or more: it holds, 1.00: always the same people)."
)


def summary_table(t: Tables) -> list[str]:
    criteria = " | ".join(c.capitalize() for c in CRITERIA)
    lines = [f"| # | Segment | People | NPS | Stability | {criteria} |"]
    lines.append("|" + "---|" * (5 + len(CRITERIA)))
    for _, s in t.segments.iterrows():
        cells = [f"{MARK[s[c]]} {md(s[c + '_shown'])}" for c in CRITERIA]
        stable = s.get("stability", float("nan"))
        lines.append(
            f"| {s['segment_id']} | [{md(s['name'])}](#segment-{s['segment_id']}) | "
            f"{s['size']} ({pct(s['share'])}) | {score(s['nps'])} | "
            f"{'–' if pd.isna(stable) else f'{stable:.2f}'} | " + " | ".join(cells) + " |"
        )
    return [*lines, "", STABILITY_NOTE]


def respondent_scores(t: Tables) -> pd.Series:
    """Each scored respondent's mean score (a person who answered twice counts once)."""
    return t.units.groupby("respondent_id")["score"].mean().dropna()


def outside_table(t: Tables) -> list[str]:
    """People in no segment, by why ("nothing to add", "no answer", …), with their NPS: set
    aside from the segmentation, never from the count."""
    if "segment_note" not in t.people:
        return []
    out = t.people[t.people["segment_id"] == UNASSIGNED]
    if out.empty:
        return []
    scores = respondent_scores(t)
    lines = [
        "**People in no segment** (they count in every total and in the overall NPS)",
        "",
        "| Group | People | NPS |",
        "|---|---|---|",
    ]
    for note, members in out.groupby("segment_note", sort=False):
        group_nps = nps(scores.reindex(members["respondent_id"]).dropna())
        lines.append(f"| {md(str(note).capitalize())} | {len(members)} | {score(group_nps)} |")
    return [*lines, ""]


def claims(t: Tables, title: str, items: list[dict]) -> list[str]:
    if not items:
        return []
    lines = [f"**{title}**", ""]
    lines += [f"- {md(c['text'])} {citation(t, c['quote_ids'])}" for c in items]
    return [*lines, ""]


def attribute_lines(attributes: dict) -> list[str]:
    lines = []
    for name, values in attributes.items():
        if values:
            parts = ", ".join(
                f"{md(v['value'])} {pct(v['share'])} ({v['lift']:.1f}×)" for v in values
            )
            lines.append(f"- **{md(name)}**: {parts}")
    return lines


def segment_section(t: Tables, s: pd.Series) -> list[str]:
    p = s["profile"]
    sid = s["segment_id"]
    lines = [
        f'<a id="segment-{sid}"></a>',
        "",
        f"## Segment {sid}: {md(s['name'])}",
        "",
        f"*{md(p['summary'])}*",
        "",
    ]
    facts = [
        f"**{s['size']} people** ({pct(s['share'])} of respondents)",
        f"**NPS {score(s['nps'])}** ({s['n_scored']} scored; {pct(s['promoters'])} promoters, "
        f"{pct(s['detractors'])} detractors)"
        if s["n_scored"]
        else "**NPS** –",
    ]
    if not pd.isna(s["revenue"]) and s["revenue"] > 0:
        facts.append(f"**revenue {s['revenue']:,.0f}** ({pct(s['revenue_share'])} of total)")
    lines += [" · ".join(facts), ""]
    if p.get("key_message"):
        lines += [f"**Key message:** {md(p['key_message'])}", ""]
    who = attribute_lines(s["attributes"])
    if who:
        lines += [
            "**Who they are** (share of members, and lift over all respondents)",
            "",
            *who,
            "",
        ]
    lines += claims(t, "Goals and jobs", p["goals"])
    lines += claims(t, "Pain points", p["pains"])
    lines += claims(t, "Behaviours", p["behaviours"])
    lines += claims(t, "Buying process", p["buying_process"])
    if p.get("channels"):
        lines += [f"**Go-to-market channels:** {md(', '.join(p['channels']))}", ""]
    lines += [
        "**Themes that set them apart**",
        "",
        "| Theme | Members mentioning | Lift |",
        "|---|---|---|",
    ]
    for th in [th for th in s["themes"] if th["lift"] > 1][:6]:
        lines.append(
            f"| {md(t.theme_label.get(th['theme_id'], th['theme_id']))} | "
            f"{pct(th['mention_share'])} | {th['lift']:.1f}× |"
        )
    lines += [
        "",
        "**The five criteria**",
        "",
        "| Criterion | Verdict | Measured | Why |",
        "|---|---|---|---|",
    ]
    for c in CRITERIA:
        lines.append(
            f"| {c} | {MARK[s[c]]} {s[c]} | {md(s[c + '_shown'])} | {md(s[c + '_reason'])} |"
        )
    if s.get("recommendation"):
        lines += ["", f"**Recommendation:** {md(s['recommendation'])}"]
    judgement = s.get("judgement")
    if isinstance(judgement, dict):
        lines += ["", "*The LLM's judgement (an opinion beside the measurements):*", ""]
        for c in ("actionable", "accessible"):
            j = judgement[c]
            lines.append(
                f"- {c}: {j['verdict']} — {md(j['reason'])}"
                + (f" Actions: {md('; '.join(j['actions']))}" if j.get("actions") else "")
            )
    cited = [
        i
        for group in ("goals", "pains", "behaviours", "buying_process")
        for c in p[group]
        for i in c["quote_ids"]
    ]
    lines += ["", "**Evidence**", ""]
    for uid in dict.fromkeys(cited):
        if uid in t.by_unit.index:
            lines += [quote_line(t, uid), ""]
    return lines


def themes_section(run: Run, t: Tables) -> list[str]:
    lines = [
        "## Themes (jobs to be done)",
        "",
        *codebook_lines(run.manifest.get("codebook"), t.themes),
        "| # | Theme | Job | Units | People | Stability | Keywords |",
        "|---|---|---|---|---|---|---|",
    ]
    for _, th in t.themes.iterrows():
        hidden = " *(hidden)*" if th.get("hidden") else ""
        hidden += " *(new)*" if th.get("status") == "new" else ""
        stab = "edited" if pd.isna(th["stability"]) else f"{th['stability']:.2f}"
        lines.append(
            f"| {th['theme_id']} | {md(th['label'])}{hidden} | {md(th['job'])} | "
            f"{th['size']} | {th['respondents']} | {stab} | {md(', '.join(th['keywords'][:5]))} |"
        )
    voice = t.units[is_voice(t.units)]
    noise = int((voice["theme_id"] == NOISE).sum())
    lines += [
        "",
        f"{noise} of {len(voice)} units ({noise / max(len(voice), 1):.0%}) fit no "
        "theme closely enough and are listed as unclustered (theme −1) in `units.csv`.",
        "",
    ]
    return lines


def codebook_lines(codebook: dict | None, themes: pd.DataFrame) -> list[str]:
    """What became of the codebook the run started from, and which codes found no evidence."""
    if not codebook:
        return []
    codes, missing = codebook["codes"], codebook["without_evidence"]
    new = int((themes.get("status") == "new").sum()) if "status" in themes else 0
    lines = [
        f"Started from the codebook `{codebook['file']}`: {len(codes) - len(missing)} of its "
        f"{len(codes)} codes are themes below, under their own names; {new} more themes were "
        "found beside them and are marked *(new)*.",
        "",
    ]
    if missing:
        lines += [
            f"**Codes with no evidence** (no answer came close to them): "
            f"{', '.join(md(c) for c in missing)}. Check their wording, or add an example "
            "sentence to each, if you expected them here.",
            "",
        ]
    return lines


def codes_by_case(t: Tables) -> pd.DataFrame:
    """Interviewees × themes: how many of each person's passages fall in each theme (the table
    researchers build by hand); empty when the corpus has no interviews."""
    spoken = t.units[(t.units["kind"] == "interview") & (t.units["theme_id"] != NOISE)]
    if spoken.empty:
        return pd.DataFrame()
    counts = pd.crosstab(spoken["respondent_id"], spoken["theme_id"])
    return counts.rename(columns=lambda c: t.theme_label.get(c, str(c)))


def source_link(run: Run, source: str) -> str:
    """A corpus file as a link relative to the report (so it opens from the run directory)."""
    for root in run.corpus:
        path = Path(root) / source if Path(root).is_dir() else Path(root)
        if path.exists() and (Path(root).is_dir() or Path(root).name == source):
            return Path(os.path.relpath(path.resolve(), run.dir.resolve())).as_posix()
    return source


def codes_by_case_section(run: Run, t: Tables, table: pd.DataFrame, widest: int = 10) -> list[str]:
    """The matrix in the report: the most mentioned themes; each number links the transcript,
    and its hover text is the person's first quote in that theme."""
    if table.empty:
        return []
    top = table.sum().sort_values(ascending=False).index[:widest]
    spoken = t.units[(t.units["kind"] == "interview") & (t.units["theme_id"] != NOISE)]
    first = spoken.groupby(["respondent_id", "theme_id"])[["text", "source"]].first()
    ids = {t.theme_label.get(i, str(i)): i for i in spoken["theme_id"].unique()}

    def cell(person: str, theme: str, n: int) -> str:
        if not n:
            return ""
        quote = first.loc[(person, ids[theme])]
        tip = md(clip(quote["text"], 200)).replace('"', "'")
        return f'[{n}]({source_link(run, quote["source"])} "{tip}")'

    lines = [
        "## Codes by case (interviews)",
        "",
        "Passages per interviewee and theme; a number opens the transcript and shows the first "
        "quote on hover. All themes are in `codes_by_case.csv`.",
        "",
        "| Respondent | " + " | ".join(md(c) for c in top) + " |",
        "|---" * (len(top) + 1) + "|",
    ]
    for person, row in table[top].iterrows():
        cells = [cell(str(person), c, int(n)) for c, n in row.items()]
        lines.append(f"| {md(person)} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def left_out(inputs: list[dict]) -> str:
    """The sentence on answers that held no words to analyse, or '' when there were none."""
    blank = sum(i.get("empty", 0) for i in inputs)
    stock = sum(i.get("non_answers", 0) for i in inputs)
    parts = []
    if blank:
        parts.append(f"{blank} blank answer(s)")
    if stock:
        parts.append(f'{stock} non-answer(s) such as "nothing", "N/A" or "did not answer"')
    if not parts:
        return ""
    return (
        f"Not clustered: {' and '.join(parts)}, which hold no words to find themes in; the "
        "people who gave them still count, with their scores, as a group of their own."
    )


def top_jobs(t: Tables, n: int = 5) -> list[str]:
    visible = t.themes[~t.themes.get("hidden", False)]
    ranked = visible.sort_values("respondents", ascending=False).head(n)
    return [
        f"{i}. **{md(th.label)}** ({th.respondents} people): {md(th.job)}"
        for i, th in enumerate(ranked.itertuples(), 1)
    ]
