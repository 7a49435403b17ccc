"""Persona profiles for segments, in the practitioners' template. Every number comes from the
measured facts; every qualitative claim cites quotes from the segment's own members."""

from __future__ import annotations

import re

import pandas as pd

from voc.llm.schemas import Claim, SegmentProfile
from voc.themes.label import PAIN_CUES, distinct, sentences, tidy

BEHAVIOUR_CUES = re.compile(
    r"\b(spreadsheet|excel|export\w*|workaround|we use|currently|every (day|week|month|morning)|"
    r"manually|switch\w* (from|to)|before (we|i) (used|had)|our team|i usually|we usually)\b",
    re.IGNORECASE,
)
BUYING_CUES = re.compile(
    r"\b(free trial|trial|demo|procurement|security review|contract|pricing page|sales rep|"
    r"sales call|signed|pilot|evaluat\w*|compared|shortlist\w*|vendor (risk|assessment|review)|"
    r"purchas\w*|bought|renew\w*|rfp|proof of concept|switched from|chose|budget approval)\b",
    re.IGNORECASE,
)
DESCRIBED_ATTRIBUTES = ("role", "industry", "company_size", "plan", "channel", "region")
NAMING_ATTRIBUTES = ("role", "plan", "industry", "company_size")
QUOTES_PER_THEME = 3
DISTINCT_THEMES = 4


def segment_quotes(units: pd.DataFrame, members: set[str], theme_ids: list[int]) -> pd.DataFrame:
    """Members' units in the segment's distinguishing themes, most typical of the theme first."""
    mine = units[units["respondent_id"].isin(members) & units["theme_id"].isin(theme_ids)]
    mine = mine.sort_values(["theme_id", "theme_similarity"], ascending=[True, False])
    return mine.groupby("theme_id", sort=False).head(QUOTES_PER_THEME)


def profile_request(
    segment: pd.Series, themes: pd.DataFrame, units: pd.DataFrame, members: set[str]
) -> dict:
    """Evidence for one profile: measured facts, distinguishing themes and members' quotes."""
    top = [t for t in segment["themes"] if t["lift"] > 1][:DISTINCT_THEMES] or segment["themes"][:2]
    by_id = themes.set_index("theme_id")
    theme_info = [
        {
            "theme_id": t["theme_id"],
            "label": by_id.loc[t["theme_id"], "label"],
            "job": by_id.loc[t["theme_id"], "job"],
            "pains": list(by_id.loc[t["theme_id"], "pains"]),
            "lift": t["lift"],
            "mention_share": t["mention_share"],
        }
        for t in top
    ]
    quotes = segment_quotes(units, members, [t["theme_id"] for t in top])
    return {
        "facts": {
            "size": int(segment["size"]),
            "share": float(segment["share"]),
            "nps": None if pd.isna(segment["nps"]) else round(float(segment["nps"]), 1),
        },
        "attributes": {k: v for k, v in segment["attributes"].items() if v},
        "themes": theme_info,
        "quotes": [
            {"id": r.unit_id, "theme_id": int(r.theme_id), "text": r.text}
            for r in quotes.itertuples()
        ],
    }


def dominant(attributes: dict, names: tuple[str, ...] = DESCRIBED_ATTRIBUTES) -> list[str]:
    """'Finance Controller (78%)'-style phrases for the attributes that set members apart."""
    phrases = []
    for name in names:
        values = attributes.get(name) or []
        if values and values[0]["share"] >= 0.4 and values[0]["lift"] >= 1.2:
            phrases.append(f"{values[0]['value']} ({values[0]['share']:.0%})")
    return phrases


def persona_noun(attributes: dict) -> str:
    """The attribute value that best says who they are: common among members and much more
    common than among everyone (share × lift), preferring role, then plan, industry, size."""
    best, best_score = "Customers", 0.0
    for name in NAMING_ATTRIBUTES:
        for v in (attributes.get(name) or [])[:1]:
            score = v["share"] * v["lift"]
            if v["share"] >= 0.4 and v["lift"] >= 1.3 and score > best_score + 0.05:
                best, best_score = v["value"], score
    if best != "Customers" and best[:1].isdigit():
        best = f"{best} employees"
    return best


def cited(quotes: list[dict], pattern: re.Pattern[str], limit: int = 3) -> list[Claim]:
    """Claims made of the members' own sentences that match a cue, each citing its quote."""
    hits: dict[str, str] = {}
    for q in quotes:
        hit = next((s for s in sentences(q["text"]) if pattern.search(s)), None)
        if hit:
            hits.setdefault(hit, q["id"])
    return [Claim(text=f'"{h}"', quote_ids=[hits[h]]) for h in distinct(list(hits), limit)]


def offline_profile(data: dict) -> SegmentProfile:
    """A profile built from the evidence alone: jobs of the distinguishing themes, pains the
    members voiced, behaviours and buying steps they described in their own words."""
    themes, quotes = data["themes"], data["quotes"]
    by_theme: dict[int, list[str]] = {}
    for q in quotes:
        by_theme.setdefault(q["theme_id"], []).append(q["id"])
    goals = [
        Claim(text=t["job"], quote_ids=by_theme[t["theme_id"]][:2])
        for t in themes
        if by_theme.get(t["theme_id"])
    ]
    who = dominant(data["attributes"])
    lead = themes[0]["label"] if themes else "General feedback"
    first_role = persona_noun(data["attributes"])
    # Theme names share words ("Helpful, friendly", "Helpful, ease"): each is said once.
    apart = dict.fromkeys(p for t in themes[:3] for p in t["label"].lower().split(", "))
    summary = (
        f"{', '.join(who) if who else 'A mixed group'}; what sets them apart: {', '.join(apart)}."
    )
    channel = data["attributes"].get("channel") or []
    outcomes = [o for t in themes for o in t.get("outcomes", [])]
    pains = cited(quotes, PAIN_CUES)
    said_as_pain = {p.text for p in pains}
    return SegmentProfile(
        name=f"{first_role}: {lead}",
        summary=summary,
        goals=goals[:3],
        pains=pains,
        behaviours=[
            c for c in cited(quotes, BEHAVIOUR_CUES, limit=5) if c.text not in said_as_pain
        ][:3],
        buying_process=cited(quotes, BUYING_CUES, limit=2),
        key_message=f"Helps you {tidy(outcomes[0], 16)}." if outcomes else "",
        channels=[f"{c['value']} ({c['share']:.0%})" for c in channel[:2]],
    )
