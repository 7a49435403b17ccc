"""Keywords and offline labels on the kind of text public feedback data holds (NHS Friends and
Family answers, CFPB complaints, airline tweets): negations kept, masks dropped, and job
statements that quote customers instead of inventing what they want."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from voc.embed.cache import cached_embedder, embed
from voc.embed.params import EmbedParams
from voc.llm.schemas import ThemeLabel
from voc.themes.groups import MAX_GROUPS, add_levels, group_names, group_themes
from voc.themes.keywords import NEGATORS, keywords
from voc.themes.label import distinct_names, offline_label, theme_request
from voc.themes.phrases import boundary_words, phrases_in, theme_name

PHONE_UNANSWERED = [
    "Rang the surgery at 8am and they did not answer the phone.",
    "Reception did not answer for over an hour.",
    "Called six times, nobody picked up and they did not answer.",
    "The practice didn't answer my calls all morning.",
    "Phone rang out, no answer again today.",
    "No answer from the surgery phone line, had to walk in.",
]
KIND_STAFF = [
    "Keep doing what you're doing, lovely staff.",
    "Keep doing what you are doing, the nurses were so kind.",
    "Lovely caring staff, just keep doing what you're doing.",
    "The staff were friendly and caring throughout.",
    "Very kind and caring nurses on the ward.",
]
WAITING = [
    "Waited two hours past my appointment time.",
    "The waiting room was packed and the wait was long.",
    "Long wait to be seen but the doctor was good.",
    "Waited 40 minutes in the waiting room.",
]
CFPB = [
    "On XX/XX/XXXX I disputed the charge with XXXX but the dispute was ignored.",
    "I sent the dispute to [EMAIL] on XX/XX/XXXX and XXXX never replied about the charge.",
    "XXXX reported a late payment on XX/XX/XXXX although I disputed the charge.",
    "Called [PHONE] about the disputed charge, [NAME] told me XXXX would call back.",
]


def theme_keywords(*groups: list[str]) -> list[list[str]]:
    """Keywords of each group of texts, computed with the groups as themes 0, 1, …"""
    texts = [t for g in groups for t in g]
    labels = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    found = keywords(texts, labels)
    return [found[i] for i in range(len(groups))]


def theme(keywords: list[str], *quotes: str) -> dict:
    """The evidence offline_label receives, quotes most representative first."""
    return {
        "keywords": keywords,
        "size": 40,
        "quotes": [{"id": f"u{i}", "text": q} for i, q in enumerate(quotes)],
    }


def test_negation_survives_in_keywords() -> None:
    unanswered, _, _ = theme_keywords(PHONE_UNANSWERED, KIND_STAFF, WAITING)
    assert any(re.search(r"\b(not|no) answer\b", k) for k in unanswered), unanswered
    assert "did answer" not in unanswered
    assert not any(w in {"didn", "couldn", "don"} for k in unanswered for w in k.split())


def test_contractions_become_negations() -> None:
    praise = [
        "The service couldn't be better.",
        "Honestly couldn't be better, thank you all.",
        "Couldn't be better care from start to finish.",
    ]
    keys, _ = theme_keywords(praise, WAITING)
    assert "not better" in keys, keys
    assert not any("couldn" in k for k in keys)


def test_a_bare_negator_is_never_a_keyword() -> None:
    complaints = [
        "No help, no call back, not good enough.",
        "Never again, no one listens and nothing changes.",
        "Not once did they ring back, no apology, nothing.",
        "None of the staff knew, nobody called, not acceptable.",
    ]
    keys, _ = theme_keywords(complaints, KIND_STAFF)
    assert keys, "the complaints should still have keywords"
    assert not set(keys) & NEGATORS, keys


def test_no_keyword_repeats_one_word() -> None:
    busy = [
        "No idea what reception were doing all morning.",
        "Not sure what the doctor was doing, waited ages.",
        "Whatever they were doing, it took two hours.",
    ]
    kind, _ = theme_keywords(KIND_STAFF, busy)
    assert kind, "the praise should still have keywords"
    for k in kind:
        words = k.split()
        assert len(words) == 1 or words[0] != words[1], kind


def test_masks_and_redaction_placeholders_are_never_keywords() -> None:
    complaint, _ = theme_keywords(CFPB, WAITING)
    assert any("charge" in k or "disput" in k for k in complaint), complaint
    for word in (w for k in complaint for w in k.split()):
        assert not re.fullmatch(r"x{2,}", word), complaint
        assert word not in {"email", "phone", "name"}, complaint


def test_a_praise_only_theme_says_what_customers_value() -> None:
    label = offline_label(
        theme(
            ["staff", "friendliness", "caring staff"],
            "Thank you to every single member of staff on the ward who looked after my mother "
            "during her stay, you were all wonderful and nothing was too much trouble at all.",
            "Lovely caring staff. Would recommend.",
            "Friendly staff.",
        )
    )
    assert label.job == 'Customers value staff, friendliness: "Lovely caring staff."'
    assert "I want" not in label.job


def test_fallback_never_invents_the_old_boilerplate() -> None:
    label = offline_label(theme(["mental", "health"], "The mental health team were supportive."))
    assert "without friction" not in label.job
    assert "rest of my work" not in label.job
    assert '"The mental health team were supportive."' in label.job


@pytest.mark.parametrize(
    ("words", "quote", "want"),
    [
        (
            ["call", "phone"],
            "I want to abandon the call after 50 minutes - no one answered and I gave up.",
            "abandon the call after 50 minutes",
        ),
        (["gp"], "I want to see the same GP but they never have any.", "see the same GP"),
        (["online"], "I'd like to book online and I would use it every time.", "book online"),
        (
            ["audit trail"],
            "We need to export the full audit trail for a date range, right now it's one record "
            "at a time.",
            "export the full audit trail for a date range",
        ),
        (
            ["api"],
            "We need an audit of API calls per token, security wants to know what the "
            "integration user is actually doing.",
            "get an audit of API calls per token",
        ),
    ],
)
def test_a_stated_want_becomes_the_motivation_as_one_clause(
    words: list[str], quote: str, want: str
) -> None:
    label = offline_label(theme(words, quote, "They did not answer the phone."))
    assert label.job.endswith(f", I want to {want}."), label.job
    assert label.outcomes == [want]


def test_so_i_can_only_when_the_quote_says_it() -> None:
    stated = offline_label(
        theme(
            ["appointment", "online booking"],
            "I would like to book an appointment online so I can avoid the 8am phone queue.",
        )
    )
    assert stated.job == (
        "When it comes to appointment and online booking, I want to book an appointment "
        "online, so I can avoid the 8am phone queue."
    )
    unstated = offline_label(
        theme(
            ["appointment", "online"],
            "I would like to book an appointment online.",
            "I ring at 8am so I can get an appointment at all.",  # someone else's reason
        )
    )
    assert unstated.job.endswith("I want to book an appointment online.")
    assert "so I can" not in unstated.job


def test_fallback_prefers_a_quote_about_the_theme() -> None:
    label = offline_label(
        theme(
            ["security", "review"],
            "Through our regional implementation partner.",
            "Security review was about two months. Happy to jump on a call.",
        )
    )
    assert label.job.endswith('customers say: "Security review was about two months."')


def test_name_has_no_bare_negator_or_doubled_word() -> None:
    label = offline_label(theme(["not", "doing doing", "no answer", "no", "phone"], "No answer."))
    assert label.name == "No answer, phone"


def test_keywords_to_label_on_unanswered_calls() -> None:
    words, _, _ = theme_keywords(PHONE_UNANSWERED, KIND_STAFF, WAITING)
    label = offline_label(theme(words, *PHONE_UNANSWERED))
    assert "did answer" not in label.name.lower()
    assert label.job.startswith("When it comes to ")
    assert '"Rang the surgery at 8am and they did not answer the phone."' in label.job


@pytest.mark.parametrize(
    "data",
    [
        theme([]),
        theme(["not", "no"], "Ok."),
        theme(["waiting"], " ".join(["We waited and waited for hours"] * 6) + "."),
        theme(["staff"], "Lovely caring staff."),
        theme(["gp", "same gp"], "I need a GP who knows me - and I never get one.", "Meh."),
        theme(["charge", "dispute"], *CFPB),
    ],
)
def test_every_offline_label_fits_the_schema(data: dict) -> None:
    label = offline_label(data)
    assert ThemeLabel.model_validate(label.model_dump()) == label
    assert label.job.startswith(("When it comes to ", "Customers value "))
    assert label.name.lower() not in NEGATORS


def test_obligations_and_praise_are_not_read_as_wants() -> None:
    label = offline_label(
        theme(
            ["phone", "appointment"],
            "I had to phone the surgery five times to get an appointment.",
            "We have to call at 8am on the dot to get an appointment.",
            "Being able to phone for an appointment the same day was great.",
        )
    )
    assert "I want to" not in label.job, label.job
    assert label.outcomes == []
    assert any("five times" in p for p in label.pains), label.pains


def test_did_not_is_a_pain() -> None:
    label = offline_label(theme(["answer", "phone"], *PHONE_UNANSWERED))
    assert any("did not answer" in p for p in label.pains), label.pains


def test_a_refusal_is_not_a_request() -> None:
    label = offline_label(
        theme(
            ["gate", "flight"],
            "Miss connection by 2 minutes and you won't let us on even though it's at the gate.",
            "They did not let us board although the flight was still at the gate.",
        )
    )
    assert "I want to" not in label.job, label.job


def test_keywords_ignore_handles_and_links() -> None:
    bags = ["@united my bag is lost http://t.co/a1", "@AmericanAir lost bag again",
            "@united where is my bag", "@JetBlue bag lost at JFK"]  # fmt: skip
    seats = ["@united seat broken", "@united my seat was taken", "@JetBlue seat too small"]
    keys, _ = theme_keywords(bags, seats)
    assert "bag" in keys and not {"united", "http", "co"} & {w for k in keys for w in k.split()}


def test_themes_that_share_a_name_are_told_apart() -> None:
    names = distinct_names(
        ["Helpful, friendly", "Staff, kind", "Helpful, friendly", "Helpful, friendly"],
        [["helpful", "friendly", "caring"], ["staff"], ["helpful", "ease"], ["friendly"]],
    )
    assert names[:3] == ["Helpful, friendly (caring)", "Staff, kind", "Helpful, friendly (ease)"]
    assert len(set(names)) == 4


def test_a_long_request_never_ends_in_half_a_word() -> None:
    quote = (
        "Please block this information from my credit file, opt me out of prescreening "
        "offers, or at least tell me who reported it."
    )
    label = offline_label(theme(["credit", "file"], quote))
    assert "I want to block this information" in label.job
    assert re.findall(r"\w+", label.job)[-1] in re.findall(r"\w+", quote), label.job


def test_a_question_is_read_as_the_request_it_is() -> None:
    label = offline_label(
        theme(
            ["top up", "bank transfer"],
            "How do I top up by bank transfer?",
            "Can I top up with a bank transfer from abroad?",
        )
    )
    assert label.job.endswith("I want to top up by bank transfer."), label.job


def test_a_pain_without_a_request_is_the_job_in_the_customers_words() -> None:
    label = offline_label(
        theme(["card", "arrived"], "My card still has not arrived after two weeks.", "Meh.")
    )
    assert label.job.endswith('I want this fixed: "My card still has not arrived after two weeks."')


def test_a_ticket_subject_and_body_are_separate_sentences() -> None:
    units = pd.DataFrame(
        {"unit_id": ["t1"], "text": ["Export to CSV broken\n\nThe export times out on big files."]}
    )
    data = theme_request(pd.Series({"keywords": ["export"], "size": 1, "quote_ids": ["t1"]}), units)
    label = offline_label(data)
    assert "Export to CSV broken The export" not in label.job
    assert label.job.endswith('"Export to CSV broken."'), label.job


def test_key_phrases_neither_start_nor_end_with_a_stop_word() -> None:
    found = phrases_in("My card has not arrived yet, and I need it for my trip.", boundary_words())
    assert "card has not arrived" in found
    assert not {p for p in found if p.split()[0] in {"my", "and", "i"} or p.endswith(" not")}
    assert all(len(p.split()) <= 4 for p in found)


def test_themes_join_the_group_of_their_own_family() -> None:
    rng = np.random.default_rng(0)
    families = rng.normal(size=(6, 384))
    centres = np.repeat(families, 5, axis=0) + 0.4 * rng.normal(size=(30, 384))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    groups = group_themes(centres, np.full(30, 10))
    assert len(set(groups.tolist())) <= MAX_GROUPS
    assert normalized_mutual_info_score(np.repeat(np.arange(6), 5), groups) > 0.9


def test_a_group_of_one_theme_is_named_as_its_theme() -> None:
    names = group_names(
        np.array([0, 1, 1]),
        [["card not arrived"], ["change my pin", "pin"], ["unblock my pin", "pin"]],
        {
            p: np.eye(4)[i % 4]
            for i, p in enumerate(["card not arrived", "change my pin", "pin", "unblock my pin"])
        },
        np.eye(4)[[0, 2, 2]],
        np.array([5, 5, 5]),
    )
    assert names == {0: "Card not arrived", 1: "Pin"}


def test_each_theme_is_named_by_a_phrase_its_own_customers_used() -> None:
    arrived = [
        "My card has not arrived yet.",
        "Still waiting, my new card has not arrived.",
        "The card has not arrived after two weeks.",
        "Why has my card not arrived?",
    ]
    pin = [
        "How do I change my PIN?",
        "I want to change my PIN at an ATM.",
        "Can I change my PIN in the app?",
        "Where do I change my PIN number?",
    ]
    texts = arrived + pin
    labels = np.repeat([0, 1], 4)
    vectors, _ = embed(texts, EmbedParams())
    table = pd.DataFrame({"theme_id": [0, 1], "size": [4, 4]})
    levels = add_levels(table, vectors, texts, labels, cached_embedder(EmbedParams()))
    names = [theme_name(list(p)) for p in levels["phrases"]]
    assert "arrived" in names[0].lower() and "pin" in names[1].lower(), names
    for name, own in zip(names, (arrived, pin), strict=True):
        assert any(name.lower() in t.lower() for t in own), name
    assert levels["parent_id"].tolist() == [0, 1]  # two themes: each its own group
    assert levels["group_label"].tolist() == names
