"""A corpus with planted segments, written for the tests: respondents whose answers are drawn
from known jobs, with attributes that do or do not track their group.

Groups: A, B, C are distinct; D is small (under 10%); E asks for exactly what C asks for (it
differs from C only by noise); B's attributes are random (no attribute signal)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

JOBS: dict[str, list[str]] = {
    "close": [
        "Month-end close still takes us eight working days because of manual reconciliations",
        "I need the bank feeds to reconcile automatically so closing the books is faster",
        "Matching invoices to payments by hand at month end eats my whole week",
        "Our controller wants the ledger reconciled daily instead of in a panic at quarter end",
        "Closing the month means exporting everything to spreadsheets and ticking lines off",
        "Reconciliation of card transactions against receipts is the slowest part of our close",
        "We miss the close deadline whenever the accruals have to be adjusted manually",
        "Finance spends days chasing unreconciled entries before we can close the period",
    ],
    "audit": [
        "Auditors ask who approved each journal entry and we cannot show the trail",
        "I want a full audit log of every change to vendor bank details",
        "Our external audit took weeks because the approval history was scattered across email",
        "Every edit to an invoice should be recorded with the user and a timestamp for compliance",
        "SOX controls require evidence of segregation of duties that the tool does not export",
        "The audit trail export is missing the reason for each change, so auditors keep asking",
        "We need immutable records of approvals to pass the yearly compliance review",
        "Compliance wants to see exactly who changed a payment run and when it happened",
    ],
    "paid": [
        "Clients pay me late and I spend evenings sending reminder emails",
        "I want to send an invoice from my phone right after the job is done",
        "Getting paid on time matters more to me than any report in the app",
        "Automatic payment reminders would save my small agency hours every month",
        "Half my customers still pay by bank transfer two months after the invoice",
        "I'd love a pay-now button on invoices so clients settle with a card immediately",
        "Cash flow is tight, so every late invoice means I cannot pay my freelancers",
        "Chasing overdue invoices is the part of running my studio I hate most",
    ],
    "simple": [
        "The pricing page is confusing and I can't tell which plan a two-person shop needs",
        "Setup should take five minutes, not an afternoon of watching tutorial videos",
        "Too many features I never use clutter the screen when I just want to bill a client",
        "I want one simple monthly price without add-ons for every little thing",
        "As a freelancer I just need something easy that works without training",
        "The onboarding asked forty questions before I could create my first invoice",
        "Please keep the app simple, I'm not an accountant and the jargon scares me",
        "Per-seat pricing makes no sense for a tiny business like mine",
    ],
    "sso": [
        "We cannot roll it out company-wide until single sign-on with Okta works",
        "IT requires SAML SSO and SCIM provisioning before approving any new vendor",
        "Offboarding users manually is a security risk without automatic deprovisioning",
        "Our security team needs role-based permissions so interns cannot see payroll",
        "The security questionnaire took three months because SSO was missing",
        "Admins need to enforce two-factor authentication for every account in the tenant",
        "Without Azure AD groups mapping to roles we manage access by hand for 900 people",
        "Permissions are all-or-nothing, which fails our least-privilege policy",
    ],
    "erp": [
        "The NetSuite integration breaks every time a custom field changes",
        "We need a reliable sync with SAP so nobody retypes purchase orders",
        "The API rate limit stops our nightly ERP sync halfway through",
        "Our developers want webhooks instead of polling the API every minute",
        "Integration with our data warehouse needs a bulk export endpoint",
        "Sync errors with the ERP are silent, so we find mismatches weeks later",
        "The REST API lacks an endpoint for cost centers, so we built a fragile scraper",
        "Connecting to Dynamics took our IT team a month of custom middleware",
    ],
    "approve": [
        "Purchase requests sit in someone's inbox for days waiting for approval",
        "I want multi-level approval rules based on amount and department",
        "Managers should approve spend from their phone instead of logging in on a laptop",
        "Budget owners cannot see how much of their budget is already committed",
        "Approvals get stuck when the approver is on holiday and there is no delegate",
        "We need a clear approval chain so procurement knows who signed off on a purchase",
        "Department heads want a live view of spend against budget before approving",
        "The approval workflow can't route software purchases to IT for review",
    ],
}
NOISE_ANSWERS = [
    "It's fine overall",
    "No complaints so far really",
    "Works as expected most days",
    "Nothing to add at this point",
    "Pretty good tool I guess",
    "Generally happy with it",
]
OPENERS = ["", "", "Honestly, ", "To be fair, ", "Right now ", "For us, ", "Frankly ", "Well, "]
CLOSERS = [
    "",
    "",
    ".",
    ". That's the big one.",
    ", to be honest.",
    ". It matters a lot.",
    ". Still the case this quarter.",
    ". We talk about it every week.",
]

GROUPS = {
    # name: (share, jobs it asks for, attributes that track it or None)
    "A": (0.30, ["close", "audit"], {"role": "Controller", "plan": "Business", "channel": "sales"}),
    "B": (0.26, ["paid", "simple"], None),
    "C": (0.19, ["sso", "erp"], {"role": "IT admin", "plan": "Enterprise", "channel": "partner"}),
    "E": (0.17, ["sso", "erp"], {"role": "IT admin", "plan": "Enterprise", "channel": "partner"}),
    "D": (0.08, ["approve"], {"role": "Procurement", "plan": "Business", "channel": "sales"}),
}
ROLES = ["Controller", "Owner", "IT admin", "Procurement", "Analyst"]
PLANS = ["Starter", "Business", "Enterprise"]
CHANNELS = ["sales", "self-serve", "partner"]


def answer(rng: random.Random, job: str) -> str:
    text = rng.choice(OPENERS) + rng.choice(JOBS[job])
    return text[0].upper() + text[1:] + rng.choice(CLOSERS)


def attributes(rng: random.Random, tracked: dict[str, str] | None) -> dict[str, str]:
    """85% of people carry their group's attributes; a group with none (B) looks like a random
    member of the other groups, so no attribute can single it out."""
    if tracked is None:
        others = [g for g, spec in GROUPS.items() if spec[2] is not None]
        weights = [GROUPS[g][0] for g in others]
        tracked = GROUPS[rng.choices(others, weights)[0]][2]
    if rng.random() < 0.85:
        return dict(tracked)  # type: ignore[arg-type]
    return {"role": rng.choice(ROLES), "plan": rng.choice(PLANS), "channel": rng.choice(CHANNELS)}


def write_planted(folder: Path, people: int = 220, seed: int = 7) -> dict[str, str]:
    """Write `answers.csv` (several answers per respondent, with attributes) into folder and
    return the planted group of every respondent."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, str] = {}
    rows = []
    names = list(GROUPS)
    counts = [round(GROUPS[g][0] * people) for g in names]
    for group, count in zip(names, counts, strict=True):
        _, jobs, attrs = GROUPS[group]
        for _ in range(count):
            rid = f"r{len(truth):04d}"
            truth[rid] = group
            person = attributes(rng, attrs)
            for _ in range(rng.randint(4, 6)):
                pick = rng.random()
                if pick < 0.8:
                    text = answer(rng, rng.choice(jobs))
                elif pick < 0.9:
                    text = answer(rng, rng.choice(list(JOBS)))
                else:
                    text = rng.choice(NOISE_ANSWERS) + rng.choice(CLOSERS)
                rows.append({"respondent_id": rid, "answer": text, **person})
    with (folder / "answers.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["respondent_id", "answer", "role", "plan", "channel"]
        )
        writer.writeheader()
        writer.writerows(rows)
    return truth
