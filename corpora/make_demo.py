#!/usr/bin/env python3
# ruff: noqa: E501  (the README text and a few message templates: long lines are output)
"""Generate the voc demo corpus in corpora/demo/ (and the answer key corpora/demo_truth.csv).

The corpus is voice-of-customer text about *Ledgerly*, a fictional spend-management and
invoicing SaaS. Four customer groups are planted in it, each with its own jobs-to-be-done,
attributes and NPS; see corpora/demo/README.md (written by this script) for the details.

Standard library only and fully deterministic: running

    python corpora/make_demo.py

rewrites corpora/demo/ byte-identically. The customer text (phrase banks, personas) lives in
corpora/demo_data/*.json; this file holds the generation logic and its numeric parameters.
All text is hand-written for this project; people, companies, e-mail addresses and phone
numbers are fictional (phone numbers use the 555-01xx / drama ranges, e-mail domains end in
.example, card numbers are public test numbers).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20260315
HERE = Path(__file__).resolve().parent
OUT = HERE / "demo"
TRUTH = HERE / "demo_truth.csv"

N_NPS_PEOPLE = 340  # people who answered the NPS survey (a few answered twice)
N_TWO_WAVE = 150  # of those, people who answered both survey waves
N_TICKET_ONLY = 90  # people who only appear as ticket requesters
N_TICKETS = 330
SHARE_TICKETS_FROM_NPS = 0.65
GROUP_WEIGHTS = {"A": 0.30, "B": 0.32, "C": 0.245, "D": 0.135}
TICKET_RATE = {"A": 1.0, "B": 0.7, "C": 1.7, "D": 0.8}

# ---------------------------------------------------------------------------------------------
# Attributes. Each attribute follows the person's group with probability ATTR_FIDELITY,
# otherwise it is drawn from the full set (so attributes track the group imperfectly).
# The attribute values themselves are in demo_data/people.json.
# ---------------------------------------------------------------------------------------------
ATTR_FIDELITY = 0.8
ARR_RANGE = {
    "A": (15_000, 80_000),
    "B": (400, 4_500),
    "C": (90_000, 450_000),
    "D": (25_000, 140_000),
}

# NPS score weights for 0..10
SCORE_WEIGHTS = {
    "A": [1, 1, 1, 2, 3, 5, 6, 10, 10, 9, 6],
    "B": [0, 0, 0, 0, 1, 1, 2, 4, 8, 16, 20],
    "C": [2, 3, 4, 6, 7, 8, 8, 8, 6, 4, 2],
    "D": [0, 0, 1, 1, 2, 3, 5, 10, 12, 6, 3],
}


# ---------------------------------------------------------------------------------------------
# Phrase banks: hand-written text in demo_data/*.json (each file's "_about" explains its keys).
# List order matters: every draw goes through one seeded Random, so reordering, adding or
# removing an entry changes the corpus.
# ---------------------------------------------------------------------------------------------
def load(name: str) -> dict:
    with open(HERE / "demo_data" / name, encoding="utf-8") as f:
        return json.load(f)


_people = load("people.json")
GROUP_NAMES = _people["group_names"]
ROLES = _people["roles"]
SIZES = _people["sizes"]
INDUSTRIES = _people["industries"]
PLANS = _people["plans"]
CHANNELS = _people["channels"]
REGIONS = _people["regions"]
ALL_SIZES = _people["all_sizes"]
ALL_PLANS = _people["all_plans"]
ALL_CHANNELS = _people["all_channels"]
ALL_REGIONS = _people["all_regions"]
FIRST_NAMES = _people["first_names"]
LAST_NAMES = _people["last_names"]
CO_A = _people["co_a"]  # first word of a company name
CO_B = _people["co_b"]  # last words of a company name, per group

_themes = load("themes.json")
THEMES: dict[str, list[str]] = _themes["themes"]
MONTHS = _themes["months"]
GROUP_THEMES = {g: [t for t in THEMES if t.startswith(g + "_")] for g in "ABCD"}
SHARED_THEMES = ["S_onboarding", "S_pricing", "S_support"]

_nps = load("nps_text.json")
NPS_NOISE = _nps["nps_noise"]
OPENERS = _nps["openers"]
PROMOTER_NEG_OPENERS = _nps["promoter_neg_openers"]
BUT = _nps["but"]

_tickets = load("ticket_text.json")
TICKET_NOISE = _tickets["ticket_noise"]  # [subject, body] pairs
SUBJECTS = _tickets["subjects"]
TICKET_ASKS = _tickets["ticket_asks"]
GREETINGS = _tickets["greetings"]
AGENTS = _tickets["agents"]
AGENT_REPLIES = _tickets["agent_replies"]
FOLLOWUPS = _tickets["followups"]
NOTIFICATIONS = _tickets["notifications"]

_interviews = load("interview_text.json")
THEME_QUESTIONS = _interviews["theme_questions"]
IQ = _interviews["iq"]
LEADS = _interviews["leads"]
CONNECT = _interviews["connect"]
PERSONAS = _interviews["personas"]
LONG_ANSWERS = _interviews["long_answers"]
CLOSINGS = _interviews["closings"]


# =============================================================================================
# Generation
# =============================================================================================
class _Keep(dict):
    """format_map helper: leaves unknown {placeholders} in place."""

    def __missing__(self, key):
        return "{" + key + "}"


class Gen:
    """All random choices go through one seeded Random, in a fixed order."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.uses: Counter = Counter()  # (theme, index) -> times used, to spread sentences
        self.seen: set[str] = set()  # customer texts already emitted (exact duplicates check)
        self.log: dict = defaultdict(int)

    # ---- small helpers ------------------------------------------------------------------
    def money(self, region: str, lo: int = 300, hi: int = 25_000) -> str:
        r = self.rng
        x = round(math.exp(r.uniform(math.log(lo), math.log(hi))), -1 if hi < 5000 else -2)
        x = int(x)
        if region == "EMEA":
            sym = r.choice(["€", "£", "€"])
            return (
                f"{sym}{x:,}".replace(",", ".")
                if sym == "€" and r.random() < 0.5
                else f"{sym}{x:,}"
            )
        if region == "APAC":
            return r.choice(["S$", "A$", "$"]) + f"{x:,}"
        if region == "LATAM":
            return r.choice(["R$", "US$", "$"]) + f"{x:,}"
        return f"${x:,}"

    def price(self, region: str) -> str:
        r = self.rng
        n = r.choice([29, 35, 39, 45, 49, 59])
        return {"EMEA": r.choice(["€", "£"]), "APAC": "A$", "LATAM": "US$"}.get(region, "$") + str(
            n
        )

    def fill(self, text: str, person: dict) -> str:
        r = self.rng
        reg = person["region"]
        vals = {
            "d": r.randint(2, 9),
            "h": r.choice([3, 4, 5, 6, 8, 10, 12, 15]),
            "n": r.randint(12, 140),
            "tk": r.randint(20_000, 99_999),
            "m": r.choice(MONTHS),
        }
        if "{amt}" in text:
            vals["amt"] = self.money(reg)
        if "{price}" in text:
            vals["price"] = self.price(reg)
        return text.format_map(_Keep(vals)) if "{" in text else text

    def typo(self, text: str) -> str:
        words = text.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha() and w.islower()]
        if not idx:
            return text
        i = self.rng.choice(idx)
        w = words[i]
        j = self.rng.randint(1, len(w) - 3)
        # swap two letters, or drop one
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if self.rng.random() < 0.6 else w[:j] + w[j + 1 :]
        words[i] = w
        return " ".join(words)

    def sentence(
        self, theme: str, pol: str | None, person: dict, exclude: set | None = None
    ) -> tuple[str, int]:
        """Pick a base sentence of a theme (with the wanted polarity), least-used first."""
        items = [(i, s) for i, s in enumerate(THEMES[theme]) if (pol is None or s[0] == pol)]
        if exclude:
            items = [(i, s) for i, s in items if i not in exclude] or items
        weights = [1.0 / (1 + self.uses[(theme, i)]) ** 2 for i, _ in items]
        i, s = self.rng.choices(items, weights)[0]
        self.uses[(theme, i)] += 1
        return self.fill(s[2:], person), i

    def pick_theme(
        self, person: dict, p_group: float, shared_w: dict, pol: str | None = None
    ) -> str:
        r = self.rng
        if r.random() < p_group:
            cands = GROUP_THEMES[person["group"]]
            w = [3.0 if t in person["fav"] else 1.0 for t in cands]
        else:
            cands = list(shared_w)
            w = [shared_w[t] for t in cands]
        if pol is not None:
            keep = [
                (t, x) for t, x in zip(cands, w, strict=True) if any(s[0] == pol for s in THEMES[t])
            ]
            cands, w = [t for t, _ in keep], [x for _, x in keep]
        return r.choices(cands, w)[0]

    def unique(self, make, tries: int = 400):
        """Call make() until it returns a text not seen before."""
        for _ in range(tries):
            out = make()
            key = out[0] if isinstance(out, tuple) else out
            key = re.sub(r"[^a-z]", "", key.lower())  # ignore case, punctuation and numbers
            if key not in self.seen:
                self.seen.add(key)
                return out
        raise RuntimeError(f"could not make a unique text, last: {key!r}")


def lower_first(s: str) -> str:
    if not s:
        return s
    w = s.split(" ", 1)[0]
    if (
        w in ("I", "Ledgerly")
        or w.startswith("I'")
        or (len(w) > 1 and w[:2].isupper())
        or w[0].isdigit()
    ):
        return s
    return s[0].lower() + s[1:]


def end_punct(s: str) -> str:
    return s if s[-1:] in ".!?)" else s + "."


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------
def make_person(g: Gen, group: str) -> dict:
    r = g.rng

    def attr(by_group: dict, everything: list):
        return r.choice(by_group[group]) if r.random() < ATTR_FIDELITY else r.choice(everything)

    all_roles = [x for v in ROLES.values() for x in v]
    all_ind = sorted({x for v in INDUSTRIES.values() for x in v})
    lo, hi = ARR_RANGE[group]
    arr = int(round(math.exp(r.uniform(math.log(lo), math.log(hi))), -1 if group == "B" else -2))
    first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
    company = f"{r.choice(CO_A)} {r.choice(CO_B[group])}"
    p = dict(
        group=group,
        role=attr(ROLES, all_roles),
        company_size=attr(SIZES, ALL_SIZES),
        industry=attr(INDUSTRIES, all_ind),
        plan=attr(PLANS, ALL_PLANS),
        channel=attr(CHANNELS, ALL_CHANNELS),
        region=attr(REGIONS, ALL_REGIONS),
        arr=arr,
        first=first,
        last=last,
        company=company,
        fav=set(r.sample(GROUP_THEMES[group], 2)),
    )
    p["domain"] = (
        re.sub(r"[^a-z]", "", company.lower().split()[0] + company.lower().split()[-1]) + ".example"
    )
    return p


def phone(g: Gen, region: str) -> str:
    r = g.rng
    if region == "EMEA":
        return f"+44 20 7946 0{r.randint(100, 999)}"
    if region == "APAC":
        return f"+61 491 570 {r.randint(100, 199)}"
    if region == "LATAM":
        return f"+52 55 5555 01{r.randint(10, 99)}"
    return r.choice(
        [
            f"+1 415 555 01{r.randint(10, 99)}",
            f"(312) 555-01{r.randint(10, 99)}",
            f"+1 (646) 555-01{r.randint(10, 99)}",
        ]
    )


def email(p: dict) -> str:
    base = (p["first"] + "." + p["last"]).lower()
    base = base.replace("ë", "e").replace("í", "i").replace("'", "")
    return f"{base}@{p['domain']}"


# ---------------------------------------------------------------------------------------------
# NPS
# ---------------------------------------------------------------------------------------------
def nps_comment(g: Gen, p: dict, score: int, multiline: bool = False) -> str:
    r = g.rng
    if score >= 9:
        pol = "+" if r.random() < 0.8 else "-"
    elif score >= 7:
        pol = "mix" if r.random() < 0.3 else ("+" if r.random() < 0.45 else "-")
    else:
        pol = "-" if r.random() < 0.94 else "+"
    if pol == "-" and score >= 9:
        openers = PROMOTER_NEG_OPENERS
    elif pol == "+" and score <= 6:
        openers = [""]
    else:
        openers = OPENERS.get(pol, [""])
    shared = {"S_onboarding": 1.0, "S_pricing": 2.0 if score <= 6 else 0.8, "S_support": 1.2}

    def make() -> str:
        if pol == "mix":
            t1 = g.pick_theme(p, 0.8, shared, "+")
            t2 = g.pick_theme(p, 0.75, shared, "-")
            s1, _ = g.sentence(t1, "+", p)
            s2, _ = g.sentence(t2, "-", p)
            s1 = s1.rstrip(".!")
            text = s1 + r.choice(BUT) + lower_first(s2)
        else:
            t1 = g.pick_theme(p, 0.82, shared, pol)
            s1, i1 = g.sentence(t1, pol, p)
            opener = r.choice(openers)
            text = (
                (opener + lower_first(s1))
                if opener.endswith(", ") or opener.endswith(": ")
                else opener + s1
            )
            if multiline or r.random() < 0.28:
                t2 = g.pick_theme(p, 0.7, shared, pol)
                s2, _ = g.sentence(t2, pol, p, exclude={i1} if t2 == t1 else None)
                if multiline:
                    text = f"1) {end_punct(s1)}\n2) {end_punct(s2)}"
                else:
                    text = end_punct(text) + " " + s2
        if not multiline:
            x = r.random()
            if x < 0.06:
                text = g.typo(text)
            elif x < 0.12:
                text = text.lower()
            elif x < 0.2:
                text = text.rstrip(".")
        return text

    return g.unique(make)


def make_nps(g: Gen, people: list[dict]) -> list[dict]:
    r = g.rng
    rows = []
    two_wave = set(id(p) for p in r.sample([p for p in people if p["group"] != "B"], N_TWO_WAVE))
    for p in people:
        score = r.choices(range(11), SCORE_WEIGHTS[p["group"]])[0]
        waves = [1, 2] if id(p) in two_wave else [1 if r.random() < 0.45 else 2]
        for w in waves:
            if w == 2 and len(waves) == 2:
                score = max(0, min(10, score + r.choice([-2, -1, -1, 0, 1, 1, 2])))
            start = dt.date(2025, 11, 3) if w == 1 else dt.date(2026, 2, 2)
            date = start + dt.timedelta(days=r.randint(0, 25))
            rows.append(dict(person=p, date=date.isoformat(), score=score))
    rows.sort(key=lambda x: (x["date"], x["person"]["id"]))
    # plan the generic answers (~10%): four deliberate "Great product" duplicates + distinct others
    n_noise = round(0.10 * len(rows))
    noise_idx = sorted(r.sample(range(len(rows)), n_noise))
    great = [i for i in noise_idx if rows[i]["score"] >= 9][:4]
    pool = list(NPS_NOISE)
    r.shuffle(pool)
    multi = set(r.sample([i for i in range(len(rows)) if i not in noise_idx], 2))
    for i, row in enumerate(rows):
        p, score = row["person"], row["score"]
        if i in great:
            row["comment"], row["truth_theme"] = "Great product", "noise"
        elif i in noise_idx:
            want = "+" if score >= 9 else ("-" if score <= 6 else "~")
            j = next((k for k, s in enumerate(pool) if s[0] == want), 0)
            s = pool.pop(j) if pool else "~ no further comments"
            row["comment"], row["truth_theme"] = s[2:], "noise"
            g.seen.add(re.sub(r"[^a-z]", "", s[2:].lower()))
        else:
            row["comment"], row["truth_theme"] = (
                nps_comment(g, p, score, multiline=i in multi),
                "job",
            )
    # deliberate bad input: one non-numeric score, one empty comment
    ten = next(
        i
        for i, row in enumerate(rows)
        if row["score"] == 10 and row["truth_theme"] == "job" and i > 40
    )
    rows[ten]["score"] = "ten"
    empty = next(
        i
        for i, row in enumerate(rows)
        if row["truth_theme"] == "job" and i > 120 and i not in multi
    )
    g.seen.discard(re.sub(r"[^a-z]", "", rows[empty]["comment"].lower()))
    rows[empty]["comment"] = ""
    g.log["nps_bad_score"] = f"{rows[ten]['person']['id']} ({rows[ten]['date']})"
    g.log["nps_empty_comment"] = f"{rows[empty]['person']['id']} ({rows[empty]['date']})"
    return rows


# ---------------------------------------------------------------------------------------------
# Tickets
# ---------------------------------------------------------------------------------------------
def fmt_quote_date(t: dt.datetime) -> str:
    h = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    return f"{t.strftime('%a')}, {t.strftime('%b')} {t.day}, {t.year} at {h}:{t.minute:02d} {ampm}"


def quote_block(header: str, text: str) -> str:
    lines = [("> " + ln) if ln.strip() else ">" for ln in text.splitlines()]
    return header + "\n" + "\n".join(lines)


def signature(g: Gen, p: dict) -> tuple[str, bool]:
    """A sign-off; returns (text, contains personal data beyond a name)."""
    r = g.rng
    x = r.random()
    if x < 0.28:
        return f"{r.choice(['Thanks', 'Thank you', 'Thanks'])},\n{p['first']}", False
    if x < 0.40:
        co = p["company"]
        return (
            f"Thanks,\n{p['first']} {p['last']}\n{p['role']} | {co} | {phone(g, p['region'])}",
            True,
        )
    if x < 0.50:
        return f"--\n{p['first']} {p['last']}\n{p['role']}, {p['company']}\n{email(p)}", True
    if x < 0.58:
        return f"Best regards,\n{p['first']} {p['last']}", False
    if x < 0.66:
        return f"Cheers, {p['first']}", False
    if x < 0.72 and p["group"] == "B":
        return "Sent from my phone", False
    if x < 0.76:
        return f"Kind regards\n\n{p['first']} {p['last']}\n{p['company']}", False
    return "", False


def body_pii(g: Gen, p: dict) -> str:
    r = g.rng
    return r.choice(
        [
            f"You can reach me directly on {phone(g, p['region'])}.",
            f"Please reply to {email(p)} rather than the shared inbox.",
            f"The card that was charged twice is {r.choice(['4111 1111 1111 1111', '5555-5555-5555-4444', '4000 0566 5566 5556'])}, exp 09/28.",
            f"Our bank account number is {r.randint(10_000_000, 99_999_999)} and sort code 40-47-{r.randint(10, 99)} if that helps.",
            f"My cell is {phone(g, p['region'])} if it's easier to call.",
            f"cc'ing my colleague, {r.choice(FIRST_NAMES).lower()}.{r.choice(LAST_NAMES).lower().replace(chr(39), '')}@{p['domain']}",
        ]
    )


def to_html(text: str) -> str:
    paras = [x for x in text.split("\n\n") if x.strip()]
    out = []
    for para in paras:
        para = para.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append("<p>" + para.replace("\n", "<br>") + "</p>")
    return "".join(out) if len(out) < 3 else "\n".join(out)


STOP = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "of",
    "in",
    "for",
    "on",
    "is",
    "it",
    "my",
    "our",
    "we",
    "i",
    "be",
    "with",
    "not",
    "this",
    "that",
    "from",
    "are",
    "at",
    "by",
    "as",
}


def words_of(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP and len(w) > 2}


def best_subject(r: random.Random, theme: str, text: str) -> str:
    """The subject of the theme that shares most words with the message (ties broken at random)."""
    tw = words_of(text)
    scored = [(len(words_of(sub) & tw), r.random(), sub) for sub in SUBJECTS[theme]]
    best = max(scored)
    return best[2] if best[0] > 0 or r.random() < 0.5 else r.choice(SUBJECTS[theme])


def make_ticket(g: Gen, p: dict, created: dt.datetime) -> dict:
    r = g.rng
    channel = r.choices(["email", "web", "chat"], [0.6, 0.25, 0.15])[0]
    shared = {"S_onboarding": 1.0, "S_pricing": 0.8, "S_support": 1.0}
    state: dict = {}

    is_noise = r.random() < 0.10

    def make_core() -> tuple[str, str]:
        state["tries"] = state.get("tries", 0) + 1
        if is_noise and state["tries"] <= 20:  # the generic pool is small: fall back to a theme
            subj, text = r.choice(TICKET_NOISE)
            greet = r.choice(GREETINGS)
            state.update(theme="noise", subject=subj)
            return text, (greet + "\n\n" + text) if greet else text
        theme = g.pick_theme(p, 0.82, shared)
        s1, i1 = g.sentence(theme, "-", p)
        parts = [s1]
        if r.random() < 0.33:
            s2, _ = g.sentence(theme, "-", p, exclude={i1})
            parts.append(s2)
        if r.random() < 0.55:
            parts.append(r.choice(TICKET_ASKS))
        text = " ".join(end_punct(x) if k < len(parts) - 1 else x for k, x in enumerate(parts))
        x = r.random()
        if x < 0.06:
            text = g.typo(text)
        elif x < 0.10:
            text = text.lower()
        greet = r.choice(GREETINGS)
        subj = g.fill(best_subject(r, theme, text), p)
        y = r.random()
        if y < 0.06:
            subj = "URGENT: " + subj
        elif y < 0.10:
            subj = subj + " (again)"
        elif y < 0.13:
            subj = subj.lower()
        state.update(theme=theme, subject=subj)
        return text, (greet + "\n\n" + text) if greet else text

    core = g.unique(make_core)[1]  # unique without the greeting
    theme = state["theme"]
    parts = [core]
    pii = False
    if theme != "noise" and r.random() < 0.05:
        parts.append(body_pii(g, p))
        pii = True
    sig, sig_pii = signature(g, p)
    if sig:
        parts.append(sig)
    first = "\n\n".join(parts)
    quoted_first = False
    if theme in NOTIFICATIONS and r.random() < 0.25:
        sent = created - dt.timedelta(hours=r.randint(1, 30), minutes=r.randint(0, 59))
        note = (
            g.fill(NOTIFICATIONS[theme], p)
            + "\n\nView it in Ledgerly: https://app.ledgerly.example/inbox"
        )
        first += "\n\n" + quote_block(
            f"On {fmt_quote_date(sent)} Ledgerly <notifications@ledgerly.example> wrote:", note
        )
        quoted_first = True
    html = channel == "web" and r.random() < 0.65
    if html:
        first = to_html(first)
    messages = [{"author_role": "customer", "body": first}]
    x = r.random()
    if x < 0.50 or (theme == "noise" and x < 0.8):
        pass
    else:
        agent = r.choice(AGENTS)
        reply = (
            g.fill(r.choice(AGENT_REPLIES), p)
            .replace("{first}", p["first"])
            .replace("{agent}", agent)
        )
        messages.append({"author_role": "agent", "body": reply})
        if x > 0.82:
            t_agent = created + dt.timedelta(hours=r.randint(1, 50), minutes=r.randint(0, 59))
            tone = "+" if r.random() < 0.45 else "-"

            def make_follow() -> str:
                f = g.fill(r.choice(FOLLOWUPS[tone]), p).replace("{agent}", agent)
                pre = r.choice(["", "", f"Hi {agent}, ", f"Thanks {agent}. ", "Hello again. "])
                f = pre + (lower_first(f) if pre.endswith(", ") else f)
                if theme != "noise" and ((tone == "-" and r.random() < 0.55) or r.random() < 0.15):
                    s, _ = g.sentence(theme, "-", p)
                    f = (
                        end_punct(f)
                        + " "
                        + r.choice(["Also, ", "And ", "To be clear: ", ""])
                        + lower_first(s)
                    )
                return f

            follow = g.unique(make_follow)
            if r.random() < 0.5:
                follow += f"\n\n{p['first']}"
            if r.random() < 0.75:
                who = r.choice(["Ledgerly Support", f"{agent} (Ledgerly Support)", "Support"])
                follow += "\n\n" + quote_block(
                    f"On {fmt_quote_date(t_agent)} {who} <support@ledgerly.example> wrote:", reply
                )
            messages.append({"author_role": "customer", "body": follow})
    g.log["tickets_html"] += html
    g.log["tickets_pii_in_body"] += pii
    g.log["tickets_signature_with_contact"] += sig_pii
    g.log["tickets_quoted_in_first"] += quoted_first
    g.log["tickets_with_agent_reply"] += len(messages) > 1
    g.log["tickets_with_followup"] += len(messages) > 2
    return dict(
        requester_id=p["id"],
        created=created,
        subject=state["subject"],
        channel=channel,
        messages=messages,
        truth_theme=theme,
    )


def ticket_time(g: Gen, p: dict) -> dt.datetime:
    r = g.rng
    day = dt.date(2025, 10, 1) + dt.timedelta(days=r.randint(0, 181))
    if p["group"] == "B" and r.random() < 0.4:
        hour = r.choice([6, 7, 19, 20, 21, 22, 23])
    else:
        hour = r.choice([8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17, 18])
    return dt.datetime(day.year, day.month, day.day, hour, r.randint(0, 59))


def make_tickets(g: Gen, nps_people: list[dict], ticket_only: list[dict]) -> list[dict]:
    r = g.rng
    n_nps = round(SHARE_TICKETS_FROM_NPS * N_TICKETS)
    requesters = r.choices(nps_people, [TICKET_RATE[p["group"]] for p in nps_people], k=n_nps)
    requesters += ticket_only
    extra = N_TICKETS - len(requesters)
    requesters += r.choices(
        ticket_only, [TICKET_RATE[p["group"]] ** 2 for p in ticket_only], k=extra
    )
    tickets = [make_ticket(g, p, ticket_time(g, p)) for p in requesters]
    tickets.sort(key=lambda t: (t["created"], t["requester_id"]))
    for k, t in enumerate(tickets):
        t["id"] = f"T-{1001 + k}"
    return tickets


# ---------------------------------------------------------------------------------------------
# Interviews
# ---------------------------------------------------------------------------------------------
def theme_answer(g: Gen, p: dict, theme: str) -> str:
    r = g.rng
    n = r.choice([2, 2, 3])
    pols = ["-"] * n
    if any(s[0] == "+" for s in THEMES[theme]) and r.random() < 0.5:
        pols[r.randrange(n)] = "+"
    used: set = set()
    out = []
    for k, pol in enumerate(pols):
        s, i = g.sentence(theme, pol, p, exclude=used)
        used.add(i)
        s = end_punct(s[0].upper() + s[1:])
        if k == 0:
            lead = r.choice(LEADS)
            out.append(
                lead
                + (
                    lower_first(s)
                    if lead.endswith(" ") and not lead.endswith(". ") and lead != "Honestly? "
                    else s
                )
            )
        else:
            c = r.choice(CONNECT)
            out.append(c + lower_first(s))
    return " ".join(out)


def interview_turns(g: Gen, p: dict, k: int) -> list[tuple[str, str]]:
    r = g.rng
    q = lambda slot: IQ[slot][(k + r.randint(0, 3)) % len(IQ[slot])]  # noqa: E731
    T: list[tuple[str, str]] = [("I", q("intro")), ("R", p["intro"])]
    if k % 3 != 2:
        T += [("I", q("routine")), ("R", p["routine"])]
    T += [("I", q("before")), ("R", p["before"])]
    T += [("I", q("trigger")), ("R", p["trigger"])]
    T += [("I", q("buying")), ("R", p["buying"])]
    group_themes = [t for t in p["themes"] if not t.startswith("S_")]
    for j, theme in enumerate(group_themes):
        T.append(("I", r.choice(THEME_QUESTIONS[theme])))
        T.append(("R", LONG_ANSWERS[theme] if p["long"] == theme else theme_answer(g, p, theme)))
        if j == 0:
            T += [("I", q("workaround")), ("R", p["workaround"])]
    shared = [t for t in p["themes"] if t.startswith("S_")] or [r.choice(SHARED_THEMES)]
    s1, i1 = g.sentence(shared[0], r.choice("+--"), p)
    s2, _ = g.sentence(r.choice(SHARED_THEMES), None, p, exclude={i1})
    T += [
        ("I", q("shared")),
        (
            "R",
            end_punct(s1[0].upper() + s1[1:])
            + " "
            + r.choice(CONNECT)
            + lower_first(end_punct(s2)),
        ),
    ]
    T += [("I", q("wish")), ("R", p["wish"])]
    T += [("I", q("recommend")), ("R", p["recommend"])]
    T += [("I", q("else")), ("R", CLOSINGS[k])]
    T += [("I", q("thanks"))]
    return T


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def paragraphs_for_long(text: str) -> list[str]:
    sents = split_sentences(text)
    if len(text.split()) < 200:
        return [text]
    mid = len(sents) // 2
    return [" ".join(sents[:mid]), " ".join(sents[mid:])]


def write_md(p: dict, turns) -> str:
    out = [
        f"# Interview with {p['role']} at {p['company']}",
        "",
        f"_Recorded {p['date']} over video call, {p['minutes']} minutes. Notes by the product research team._",
        "",
    ]
    for who, text in turns:
        name = "Interviewer" if who == "I" else p["first"]
        paras = paragraphs_for_long(text)
        out.append(f"**{name}:** {paras[0]}")
        out.append("")
        for extra in paras[1:]:  # a long answer continues in a second paragraph without a label
            out.append(extra)
            out.append("")
    return "\n".join(out)


def vtt_ts(sec: float) -> str:
    ms = round(sec * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def write_vtt(g: Gen, p: dict, turns, numbered: bool, note: bool) -> str:
    r = g.rng
    out = ["WEBVTT", ""]
    if note:
        out += [
            "NOTE",
            f"Auto-generated transcript, speaker labels corrected by hand. Recorded {p['date']}.",
            "",
        ]
    t = 2.0 + r.random() * 3
    cue = 1
    speaker = f"{p['first']} {p['last']}"
    for who, text in turns:
        name = "Interviewer" if who == "I" else speaker
        chunks, cur = [], []
        for s in split_sentences(text):
            if cur and len(" ".join([*cur, s]).split()) > 32:
                chunks.append(" ".join(cur))
                cur = []
            cur.append(s)
        if cur:
            chunks.append(" ".join(cur))
        for c in chunks:
            dur = max(1.8, len(c.split()) / 2.6) + r.random() * 0.8
            if numbered:
                out.append(str(cue))
            out.append(f"{vtt_ts(t)} --> {vtt_ts(t + dur)}")
            out.append(f"<v {name}>{c}</v>")
            out.append("")
            t += dur + 0.05 + r.random() * 0.25
            cue += 1
        t += 0.4 + r.random() * 1.6
    return "\n".join(out)


def write_txt(p: dict, turns, qa: bool) -> str:
    out = []
    for who, text in turns:
        names = ("Q", "A") if qa else ("Interviewer", p["first"])
        label = names[0] if who == "I" else names[1]
        out.append(f"{label}: {text}")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def build() -> dict:
    g = Gen(SEED)
    r = g.rng
    groups = list(GROUP_WEIGHTS)
    n_people = N_NPS_PEOPLE + N_TICKET_ONLY
    # exact group quotas from the weights, then shuffle, so shares are what the README says
    quota = {k: round(w * n_people) for k, w in GROUP_WEIGHTS.items()}
    quota["B"] += n_people - sum(quota.values())
    labels = [k for k in groups for _ in range(quota[k])]
    r.shuffle(labels)
    people = [make_person(g, grp) for grp in labels]
    for i, p in enumerate(people):
        p["id"] = f"cust-{i + 1:04d}"
    nps_people, ticket_only = people[:N_NPS_PEOPLE], people[N_NPS_PEOPLE:]

    nps = make_nps(g, nps_people)
    tickets = make_tickets(g, nps_people, ticket_only)

    interviews = {}
    for k, p in enumerate(PERSONAS):
        p = dict(p)
        p["id"] = p["stem"]
        p["company_size"] = p.pop("size")
        turns = interview_turns(g, p, k)
        if p["fmt"] == "md":
            interviews[p["stem"] + ".md"] = (p, write_md(p, turns), turns)
        elif p["fmt"] == "vtt":
            interviews[p["stem"] + ".vtt"] = (
                p,
                write_vtt(g, p, turns, numbered=k % 2 == 1, note=k == 8),
                turns,
            )
        else:
            interviews[p["stem"] + ".txt"] = (
                p,
                write_txt(p, turns, qa=p["fmt"] == "txt-qa"),
                turns,
            )
    return dict(g=g, people=people, nps=nps, tickets=tickets, interviews=interviews)


ATTRS = ["role", "company_size", "industry", "plan", "channel", "region"]


def next_month(folder: Path, answers: int = 150) -> Path:
    """A month of NPS answers after the demo (March 2026), written to `folder/nps.csv`: the
    demo's own survey people answering again, comments drawn as the demo's and none repeating
    one, so `voc update` on it meets new answers to known jobs."""
    data = build()
    g = data["g"]
    g.rng = random.Random(SEED + 1)  # new draws; g.seen still holds every demo text
    surveyed = list({x["person"]["id"]: x["person"] for x in data["nps"]}.values())
    rows = []
    for p in sorted(g.rng.sample(surveyed, answers), key=lambda q: q["id"]):
        score = g.rng.choices(range(11), SCORE_WEIGHTS[p["group"]])[0]
        date = dt.date(2026, 3, 2) + dt.timedelta(days=g.rng.randint(0, 25))
        comment = nps_comment(g, p, score)
        rows.append([p["id"], date.isoformat(), score, comment] + [p[a] for a in ATTRS])
    write(folder / "nps.csv", csv_text(["respondent_id", "date", "score", "comment", *ATTRS], rows))
    return folder


def main() -> None:
    data = build()
    g, people, nps, tickets, interviews = (
        data[k] for k in ("g", "people", "nps", "tickets", "interviews")
    )
    OUT.mkdir(parents=True, exist_ok=True)
    idir = OUT / "interviews"
    if idir.exists():
        for f in idir.glob("int-*"):
            if f.suffix in (".md", ".vtt", ".txt"):
                f.unlink()

    # nps.csv
    header = ["respondent_id", "date", "score", "comment", *ATTRS]
    rows = [
        [x["person"]["id"], x["date"], x["score"], x["comment"]] + [x["person"][a] for a in ATTRS]
        for x in nps
    ]
    write(OUT / "nps.csv", csv_text(header, rows))

    # tickets.json
    out_t = [
        dict(
            id=t["id"],
            requester_id=t["requester_id"],
            created_at=t["created"].strftime("%Y-%m-%dT%H:%M:00Z"),
            subject=t["subject"],
            channel=t["channel"],
            messages=t["messages"],
        )
        for t in tickets
    ]
    write(OUT / "tickets.json", json.dumps(out_t, ensure_ascii=False, indent=2) + "\n")

    # interviews
    for name, (_p, text, _) in interviews.items():
        write(idir / name, text)

    # respondents.csv: everyone who appears anywhere
    used_ids = {x["person"]["id"] for x in nps} | {t["requester_id"] for t in tickets}
    resp = [p for p in people if p["id"] in used_ids]
    iv = [p for p, _, _ in interviews.values()]
    rrows = [
        [
            p["id"],
            p["role"],
            p["company_size"],
            p["industry"],
            p["plan"],
            p["channel"],
            p["region"],
            p["arr"],
        ]
        for p in sorted(iv, key=lambda x: x["id"])
    ]
    rrows = [[p["id"]] + [p[a] for a in ATTRS] + [p["arr"]] for p in resp] + rrows
    write(OUT / "respondents.csv", csv_text(["respondent_id", *ATTRS, "arr"], rrows))

    # answer key, outside the corpus folder
    truth = [[p["id"], p["group"]] for p in resp] + [
        [p["id"], p["group"]] for p in sorted(iv, key=lambda x: x["id"])
    ]
    write(TRUTH, csv_text(["respondent_id", "group"], truth))

    stats = summarise(g, resp, iv, nps, tickets, interviews)
    write(OUT / "README.md", readme(stats, g))
    print_summary(stats)


def summarise(g, resp, iv, nps, tickets, interviews) -> dict:
    everyone = resp + iv
    n = len(everyone)
    by_group = Counter(p["group"] for p in everyone)
    st = dict(
        n_people=n, by_group=by_group, n_nps=len(nps), n_tickets=len(tickets), n_iv=len(interviews)
    )
    st["nps_people"] = len({x["person"]["id"] for x in nps})
    st["ticket_people"] = len({t["requester_id"] for t in tickets})
    nps_ids = {x["person"]["id"] for x in nps}
    st["tickets_from_nps"] = sum(t["requester_id"] in nps_ids for t in tickets)
    st["ticket_only_people"] = len({t["requester_id"] for t in tickets} - nps_ids)
    multi = Counter(t["requester_id"] for t in tickets)
    st["multi_ticket_people"] = sum(v > 1 for v in multi.values())
    st["max_tickets_per_person"] = max(multi.values())
    per = {}
    for grp in "ABCD":
        ps = [p for p in everyone if p["group"] == grp]
        scores = [
            x["score"] for x in nps if x["person"]["group"] == grp and isinstance(x["score"], int)
        ]
        prom = sum(s >= 9 for s in scores) / len(scores)
        det = sum(s <= 6 for s in scores) / len(scores)
        per[grp] = dict(
            people=len(ps),
            share=len(ps) / n,
            nps_rows=len([x for x in nps if x["person"]["group"] == grp]),
            tickets=sum(
                1
                for t in tickets
                if next(p for p in everyone if p["id"] == t["requester_id"])["group"] == grp
            ),
            interviews=sum(1 for p in iv if p["group"] == grp),
            nps=round(100 * (prom - det)),
            promoters=prom,
            detractors=det,
            top=lambda a, ps=ps: Counter(p[a] for p in ps).most_common(1)[0],
            arr_median=sorted(p["arr"] for p in ps)[len(ps) // 2],
            revenue=sum(p["arr"] for p in ps),
        )
    st["per"] = per
    st["noise_nps"] = sum(x["truth_theme"] == "noise" for x in nps)
    st["noise_tickets"] = sum(t["truth_theme"] == "noise" for t in tickets)
    st["log"] = dict(g.log)
    return st


def readme(st: dict, g: Gen) -> str:
    per = st["per"]
    total_rev = sum(v["revenue"] for v in per.values())
    jobs = {
        "A": "close the month faster; reconcile bank and card lines; keep an audit trail auditors accept; get reports and exports out",
        "B": "get paid faster (reminders, pay-now, deposits); invoice and quote from the phone; send professional-looking invoices; track receipts and expenses for tax time",
        "C": "SSO / SCIM provisioning; roles and permissions, access reviews; ERP integration; API limits, webhooks; security reviews and compliance",
        "D": "approval workflows and routing; budget visibility before approving; purchase orders and suppliers; a usable approver queue",
    }
    lines = [
        "# voc demo corpus: Ledgerly",
        "",
        "Voice-of-customer text about **Ledgerly**, a *fictional* spend-management and invoicing SaaS",
        "(corporate cards, bills and approvals, invoicing and payments, an ERP connector and an API).",
        "Everything here is written for this project: people, companies, e-mail addresses (`*.example`),",
        "phone numbers (555-01xx and other fictional ranges) and card numbers (public test numbers) are made up.",
        "",
        "It was generated by `corpora/make_demo.py` (standard library only, fixed seed). Regenerate with",
        "",
        "```",
        "python corpora/make_demo.py",
        "```",
        "",
        "which rewrites this folder byte-identically. Do not edit the files by hand; edit the generator.",
        "",
        "## Files",
        "",
        "| file | what | count |",
        "|---|---|---|",
        f"| `nps.csv` | NPS survey answers: `respondent_id,date,score,comment,role,company_size,industry,plan,channel,region` | {st['n_nps']} rows from {st['nps_people']} people (two survey waves, Nov 2025 and Feb 2026; some people answered both) |",
        f"| `tickets.json` | support tickets, a JSON array of `{{id, requester_id, created_at, subject, channel, messages: [{{author_role, body}}]}}` | {st['n_tickets']} tickets from {st['ticket_people']} requesters |",
        f"| `interviews/` | customer interview transcripts in `.md`, `.vtt` and `.txt` | {st['n_iv']} transcripts |",
        f"| `respondents.csv` | attributes of every respondent: `respondent_id,role,company_size,industry,plan,channel,region,arr` | {st['n_people']} people |",
        "",
        "The respondent id of an interview is its file stem (`interviews/int-01-controller-dana.md` ->",
        "`int-01-controller-dana`). `arr` is the account's annual revenue to Ledgerly in USD.",
        f"{st['tickets_from_nps']} of the {st['n_tickets']} tickets ({st['tickets_from_nps'] / st['n_tickets']:.0%}) come from people who also answered the NPS survey;",
        f"{st['ticket_only_people']} people appear only as ticket requesters; {st['multi_ticket_people']} people filed more than one ticket (up to {st['max_tickets_per_person']}).",
        "",
        "## Planted segments",
        "",
        "Every respondent belongs to one of four planted groups. The answer key is `corpora/demo_truth.csv`",
        "(`respondent_id,group`), kept **outside** this folder so that voc never ingests it.",
        "Attributes follow the group about 80% of the time each, not always.",
        "",
        "| group | typical role / plan / channel | jobs (themes) | NPS | people | share of people | share of ARR |",
        "|---|---|---|---|---|---|---|",
    ]
    tend = {
        "A": "controllers, finance managers at 51-1000-person firms / Business / sales",
        "B": "owners, founders, freelancers at 1-50-person firms / Starter / self-serve",
        "C": "IT admins, security, architects at 1000+ firms / Enterprise / partner",
        "D": "procurement, purchasing leads, budget-owning department heads / mostly Business / mostly sales",
    }
    expect = {"A": "mixed", "B": "mostly promoters", "C": "many detractors", "D": "mostly passives"}
    for grp in "ABCD":
        v = per[grp]
        lines.append(
            f"| {grp}. {GROUP_NAMES[grp]} | {tend[grp]} | {jobs[grp]} | {expect[grp]} (planted NPS {v['nps']:+d}) | "
            f"{v['people']} | {v['share']:.0%} | {v['revenue'] / total_rev:.0%} |"
        )
    lines += [
        "",
        "Themes shared by all groups: onboarding / setup, pricing complaints, support responsiveness.",
        f"About 10% of NPS comments ({st['noise_nps']}) and tickets ({st['noise_tickets']}) are generic and carry no job",
        '("all good", "Does the job", "Please call me back").',
        "",
        "Per group: NPS rows / tickets / interviews: "
        + "; ".join(
            f"{grp} {per[grp]['nps_rows']} / {per[grp]['tickets']} / {per[grp]['interviews']}"
            for grp in "ABCD"
        )
        + ".",
        "",
        "## Deliberate rough edges (voc must handle them)",
        "",
        f"- `nps.csv`, row of {g.log['nps_bad_score']}: the score is the word `ten` (not a number). Report it; keep the comment or skip the row, never crash.",
        f"- `nps.csv`, row of {g.log['nps_empty_comment']}: the comment is empty. There is no customer voice to ingest from it.",
        "- `nps.csv`: the comment `Great product` appears 4 times on purpose (identical answers from different people);",
        "  two comments span two lines inside one quoted CSV field; some comments contain quotes and commas.",
        "- Tickets: agent replies (`author_role: agent`) are not customer voice. Customer follow-ups often quote",
        "  the agent's reply below a line like `On Tue, Mar 3, 2026 at 9:14 AM Ledgerly Support <support@ledgerly.example> wrote:`",
        f"  followed by `> ` lines; {g.log['tickets_quoted_in_first']} first messages quote a Ledgerly notification the same way.",
        f"- {g.log['tickets_html']} ticket bodies are simple HTML (`<p>`, `<br>`, `&amp;`).",
        "- Signatures follow `Thanks,` / `Best regards,` / `Cheers,` / `Kind regards` or a `--` line, some with job title,",
        f"  company and phone number ({g.log['tickets_signature_with_contact']} tickets) or e-mail address.",
        f"- {g.log['tickets_pii_in_body']} tickets have personal data inside the message body (phone number, e-mail address, a card",
        "  test number or a bank account number). voc redacts these.",
        '- Some subjects repeat across tickets ("Question", "Follow up") as real help desks do.',
        "- Transcripts: `.md` files start with a `# Interview with ...` heading and an italic recording note, then",
        "  `**Name:** text` turns; a long answer may continue in a second paragraph with no speaker label.",
        "  `.vtt` files use `<v Name>...</v>` voice tags, some with numbered cues, one with a `NOTE` block, and long",
        "  answers spread over several consecutive cues of the same speaker. `.txt` files use `Interviewer:` / `Name:`",
        "  lines; `int-05-owner-jess.txt` uses `Q:` / `A:` instead. The interviewer is always `Interviewer` (or `Q`).",
        "- This README is not customer voice; voc should not ingest it.",
        "",
    ]
    return "\n".join(lines)


def print_summary(st: dict) -> None:
    print(f"wrote {OUT} and {TRUTH}")
    print(
        f"people: {st['n_people']}  nps rows: {st['n_nps']} ({st['nps_people']} people)  tickets: {st['n_tickets']} "
        f"({st['ticket_people']} requesters, {st['tickets_from_nps']} from NPS respondents)  transcripts: {st['n_iv']}"
    )
    print("group  people  share  nps_rows  tickets  interviews  NPS  median_arr")
    for grp, v in st["per"].items():
        print(
            f"  {grp}    {v['people']:4d}  {v['share']:5.1%}  {v['nps_rows']:8d}  {v['tickets']:7d}  {v['interviews']:10d}  "
            f"{v['nps']:+4d}  {v['arr_median']:>9,}"
        )
    print("noise: nps", st["noise_nps"], "tickets", st["noise_tickets"], "|", st["log"])


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write the demo corpus (corpora/demo).")
    parser.add_argument(
        "--next-month", type=Path, metavar="DIR", help="write a month after it to DIR instead"
    )
    args = parser.parse_args()
    if args.next_month:
        next_month(args.next_month)
    else:
        sys.exit(main())
