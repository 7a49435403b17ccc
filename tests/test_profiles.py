"""Offline segment profiles read cleanly when theme names overlap."""

from __future__ import annotations

from voc.segments.personas import offline_profile


def test_summary_names_each_distinguishing_word_once() -> None:
    themes = [
        {"theme_id": 0, "label": "Helpful, friendly", "job": "When it comes to help, customers "
         'say: "Very friendly."', "pains": [], "lift": 14.6, "mention_share": 0.35},
        {"theme_id": 1, "label": "Helpful, ease", "job": "When it comes to ease, customers say: "
         '"Put me at ease."', "pains": [], "lift": 7.3, "mention_share": 0.2},
    ]  # fmt: skip
    quotes = [
        {"id": "a1", "theme_id": 0, "text": "Very friendly, helpful and supportive."},
        {"id": "b1", "theme_id": 1, "text": "They were patient and put me at ease."},
    ]
    attributes = {"trust": [{"value": "NEAS", "share": 0.9, "lift": 1.6}]}
    profile = offline_profile({"themes": themes, "quotes": quotes, "attributes": attributes})
    assert profile.summary.endswith("what sets them apart: helpful, friendly, ease.")
    assert [g.quote_ids for g in profile.goals] == [["a1"], ["b1"]]
