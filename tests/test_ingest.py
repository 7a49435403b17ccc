"""The ingest stage on real fixture files (tests/fixtures/ingest/), file by file."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from voc.core.config import ColumnMap
from voc.core.errors import VocError
from voc.core.tables import RESPONDENT_COLUMNS, UNIT_COLUMNS
from voc.ingest.corpus import Ingested, ingest
from voc.ingest.params import IngestParams
from voc.ingest.passages import count_tokens

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def corpus() -> Ingested:
    return ingest([FIXTURES], IngestParams())


def units_of(result: Ingested, source: str, voice_only: bool = True) -> pd.DataFrame:
    """A file's units; by default only customer voice (not the kept blank or stock answers)."""
    mine = result.units[result.units["source"] == source]
    if voice_only:
        mine = mine[mine["non_answer"] == ""]
    return mine.reset_index(drop=True)


def problems_of(result: Ingested, source: str) -> list[tuple[str, str, str]]:
    return [(p.locator, p.skipped, p.cause) for p in result.problems if p.source == source]


# ---------------------------------------------------------------- the corpus as a whole


def test_tables_follow_the_contract(corpus: Ingested) -> None:
    units, respondents = corpus.units, corpus.respondents
    assert list(units.columns[: len(UNIT_COLUMNS)]) == UNIT_COLUMNS
    assert list(respondents.columns[: len(RESPONDENT_COLUMNS)]) == RESPONDENT_COLUMNS
    assert units["unit_id"].is_unique and units["unit_id"].str.fullmatch(r"[0-9a-f]{12}").all()
    assert units["score"].dtype == float and units["count"].dtype == int
    attributes = [c for c in units.columns if c not in UNIT_COLUMNS]
    assert all(units[c].map(type).eq(str).all() for c in ["text", "context", *attributes])
    assert set(respondents["respondent_id"]) == set(units["respondent_id"])
    assert respondents["respondent_id"].is_unique
    assert respondents["n_units"].sum() == len(units)


def test_skipped_and_ignored_files(corpus: Ingested) -> None:
    skipped = {p.source: p.cause for p in corpus.problems if p.skipped == "file"}
    assert skipped == {
        "binary.csv": "the file is binary, not text",
        "empty.txt": "the file is empty",
        "slides.pdf": "voc cannot read .pdf files",
        "make_binary_fixtures.py": "voc cannot read .py files",
        "no_text_column.csv": "no text column found",
    }
    assert all(p.hint for p in corpus.problems)
    read = {entry["path"] for entry in corpus.inputs}
    assert ".hidden.txt" not in read and "voc.toml" not in read
    assert "calls/call.srt" in read  # folders are read recursively
    assert {e["path"]: e["kind"] for e in corpus.inputs}["respondents.csv"] == "respondents"


def test_ids_are_stable_across_runs(corpus: Ingested) -> None:
    again = ingest([FIXTURES / "interview_plain.txt", FIXTURES / "nps_q1.csv"], IngestParams())
    before = corpus.units.set_index(["source", "locator"])["unit_id"]
    after = again.units.set_index(["source", "locator"])["unit_id"]
    assert after.to_dict() == before.loc[after.index].to_dict()


# ---------------------------------------------------------------- transcripts


def test_plain_transcript_with_header(corpus: Ingested) -> None:
    units = units_of(corpus, "interview_plain.txt")
    assert units["locator"].tolist() == ["line 6", "line 10"]
    assert set(units["respondent_id"]) == {"P07"} and set(units["kind"]) == {"interview"}
    assert set(units["speaker"]) == {"Dana Whitfield"}
    first, second = units["text"]
    assert first.startswith("Sure. Right now it's a lot of exporting")
    assert "Note: the second week of the month is basically gone." in first  # not a speaker
    # consecutive turns of one speaker are merged; contact details are redacted
    assert second == (
        "I email our bookkeeper at [EMAIL] or call her on [PHONE] and we go line by line.\n"
        "Honestly the worst part is that nobody trusts the numbers until it's done."
    )
    assert units["context"].tolist() == [
        "Thanks for making the time, [NAME]. Can you walk me through how you close the books "
        "each month?",
        "What happens when something doesn't match?",
    ]
    assert not any("Thanks, that's really helpful" in t for t in units["text"])


def test_qa_transcript_uses_file_stem(corpus: Ingested) -> None:
    units = units_of(corpus, "interview_qa.txt")
    assert len(units) == 3 and set(units["respondent_id"]) == {"interview_qa"}
    assert units["context"].tolist() == [
        "How did you first hear about Ledgerly?",
        "And is it?",
        "Anything else you'd change?",
    ]
    assert "But the reminders go out at odd hours" in units["text"][1]


def test_markdown_bold_speakers_and_front_matter(corpus: Ingested) -> None:
    units = units_of(corpus, "interview_bold.md")
    assert len(units) == 2 and set(units["respondent_id"]) == {"P12"}
    assert set(units["speaker"]) == {"Priya Raman"}
    assert (
        units["text"][1] == "A spreadsheet, if I'm honest. [NAME]'s spreadsheet, everyone calls it."
    )
    assert units["role"].tolist() == ["Operations manager"] * 2  # the unit's file wins
    assert units["plan"].tolist() == ["Growth"] * 2
    assert units["industry"].tolist() == ["Retail"] * 2  # filled from respondents.csv


def test_bracket_timestamps_and_question_asker_as_interviewer(corpus: Ingested) -> None:
    units = units_of(corpus, "interview_timestamps.txt")
    # "Sam Lee" is not a configured interviewer name, but only asks questions
    assert units["locator"].tolist() == ["00:00:12", "00:00:52", "00:01:24"]
    assert set(units["speaker"]) == {"Jordan Blake"}
    assert units["context"][0] == "Hi [NAME], thanks for joining. How do you handle expenses today?"
    assert units["text"][0].endswith("My accountant charges me extra for sorting them.")


def test_otter_export(corpus: Ingested) -> None:
    units = units_of(corpus, "otter_export.txt")
    assert units["locator"].tolist() == ["00:00:09", "00:00:33"]
    assert set(units["speaker"]) == {"Marcus Chen"}
    assert units["text"][0] == (
        "We were on QuickBooks for about four years. Then our accountant moved everyone to Xero, "
        "and that migration was painful."
    )
    assert "version 2.13.0" in units["text"][1] and "PDF archive" in units["text"][1]
    assert units["context"][1] == "Painful how?"


def test_vtt_voices_merge_consecutive_cues(corpus: Ingested) -> None:
    units = units_of(corpus, "session.vtt")
    assert units["locator"].tolist() == ["00:00:05", "00:00:14"]
    assert units["text"][0] == (
        "Our team grew from five to twenty people and the old tool charged per seat, "
        "so the bill exploded."
    )
    assert units["context"].tolist() == [
        "What made you look for a new tool?",
        "And what did you choose?",
    ]
    assert set(units["respondent_id"]) == {"session"}


def test_srt_in_subfolder(corpus: Ingested) -> None:
    units = units_of(corpus, "calls/call.srt")
    assert units["respondent_id"].tolist() == ["call", "call"]
    assert units["text"].tolist() == [
        "Every Monday morning for the board. It takes an hour because the charts break in "
        "PowerPoint.",
        "Yes, absolutely. That would save my Mondays.",
    ]
    assert units["context"][1] == "Would a scheduled email help?"


def test_docx_transcript(corpus: Ingested) -> None:
    units = units_of(corpus, "interview_word.docx")
    assert units["respondent_id"].tolist() == ["P14", "P14"]
    assert units["locator"].tolist() == ["paragraph 5", "paragraph 7"]
    assert "12,450.00 EUR" in units["text"][1]  # an amount is not a phone number
    assert units["text"][1].endswith("We paid a late fee because nobody saw the request.")
    assert units["context"][0] == "What does your team use for approvals today?"


def test_cp1252_transcript(corpus: Ingested) -> None:
    units = units_of(corpus, "notes_cp1252.txt")
    assert units["text"][0] == "Reconciling the café’s card terminal – it never matches."
    assert units["speaker"][0] == "Zoë Martín"


def test_200kb_single_line_is_split_into_passages(corpus: Ingested) -> None:
    units = units_of(corpus, "long_line.txt")
    assert len(units) > 100 and set(units["speaker"]) == {""}
    assert max(count_tokens(units["text"].tolist())) <= 128
    assert units["text"][0].startswith("Sentence 0 says invoices took longer than it should.")
    assert all(t.endswith(".") for t in units["text"])  # cut at sentence ends
    assert units["unit_id"].is_unique and set(units["locator"]) == {"line 1"}


# ---------------------------------------------------------------- tables


def test_nps_csv_with_question_headers(corpus: Ingested) -> None:
    every = units_of(corpus, "nps_q1.csv", voice_only=False)
    # C-1005 scored 7 and left the comment empty: still a person with a score, not clustered.
    blank = every[every["non_answer"] != ""]
    assert blank[["respondent_id", "score", "non_answer"]].values.tolist() == [
        ["C-1005", 7.0, "blank"]
    ]
    units = every[every["non_answer"] == ""].reset_index(drop=True)
    assert units["respondent_id"].tolist() == ["C-1001", "C-1002", "C-1003", "C-1004", "C-1007"]
    assert set(units["kind"]) == {"nps"}
    assert units["score"].tolist()[:2] == [9.0, 3.0] and math.isnan(units["score"][2])
    assert units["date"].tolist() == [
        "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-08",
    ]  # fmt: skip
    assert set(units["context"]) == {"What is the main reason for your score?"}
    assert units["text"][1] == (
        "Too expensive for what we use. Call me on [PHONE] if you want to keep us."
    )
    assert units["text"][2] == (
        "Love the invoices\nbut the mobile app crashes when I attach a receipt."
    )
    assert "email" not in units.columns  # personal data is never an attribute
    assert units["region"].tolist() == ["EU", "US", "EU", "US", "APAC"]
    assert units["industry"][0] == "Accounting"  # from respondents.csv
    assert problems_of(corpus, "nps_q1.csv") == [
        ("row 7", "row", "row has 8 fields but the header has 7"),
        ("row 4", "value", "score 11 is not 0-10"),
        ("row 5", "value", "score 'ten' is not a number"),
    ]
    entry = next(e for e in corpus.inputs if e["path"] == "nps_q1.csv")
    assert entry["units"] == 6 and entry["empty"] == 1 and entry["kind"] == "nps"


def test_semicolon_csv_with_bom(corpus: Ingested) -> None:
    units = units_of(corpus, "nps_semicolon_bom.csv")
    assert units["respondent_id"].tolist() == ["K-1", "K-2", "K-4"]
    assert units["text"][1] == "Export nach DATEV fehlt; bitte nachrüsten"
    assert units["score"].tolist() == [9.0, 6.0, 7.5]
    assert units["date"].tolist() == ["2026-03-01", "2026-03-02", "2026-03-04"]
    assert problems_of(corpus, "nps_semicolon_bom.csv") == [
        ("row 4", "row", "row has 5 fields but the header has 4")
    ]


def test_tsv_survey_with_rating(corpus: Ingested) -> None:
    units = units_of(corpus, "survey.tsv")
    assert set(units["kind"]) == {"survey"}  # a 1-5 rating is not an NPS score
    assert units["respondent_id"].tolist() == ["survey-r2", "survey-r3", "survey-r5"]
    assert units["score"].isna().all()
    assert units["rating_1_5"].tolist() == ["5", "2", "4"]
    assert units["team"].tolist() == ["Sales", "Finance", "Engineering"]


def test_rows_without_an_id_are_different_people_however_alike(corpus: Ingested) -> None:
    units = units_of(corpus, "survey_anonymous.csv", voice_only=False)
    assert units["text"].tolist() == [
        "Too expensive",
        "Too expensive",
        "The bank feed disconnects every week and I have to log in again.",
        "Too expensive",
        "",
    ]
    assert units["respondent_id"].tolist() == [f"survey_anonymous-r{i}" for i in range(2, 7)]
    # The blank answer is kept, marked, for the person who gave it (channel: web).
    assert units["non_answer"].tolist() == ["", "", "", "", "blank"]
    assert units["count"].tolist() == [1] * 5


def test_cp1252_csv(corpus: Ingested) -> None:
    units = units_of(corpus, "survey_cp1252.csv")
    assert units["text"].tolist() == [
        "“Très bien” – the café owners love the receipts scanner",
        "Prices in € would help; we pay in £ and € today",
    ]
    assert units["country"].tolist() == ["FR", "IE"]


def test_xlsx_reads_data_sheet_only(corpus: Ingested) -> None:
    units = units_of(corpus, "responses.xlsx")
    assert units["respondent_id"].tolist() == ["X-1", "X-2", "X-3"]
    assert units["locator"].tolist() == ["Responses row 2", "Responses row 3", "Responses row 5"]
    assert units["score"].tolist()[:2] == [10.0, 2.0] and math.isnan(units["score"][2])
    assert units["date"].tolist() == ["2026-01-05", "2026-01-06", "2026-01-07"]
    assert units["context"][0] == "Why did you give this score?"
    assert problems_of(corpus, "responses.xlsx") == []


def test_jsonl_nested_user_and_broken_line(corpus: Ingested) -> None:
    units = units_of(corpus, "nps.jsonl")
    assert units["respondent_id"].tolist() == [
        "hana@example.com", "ivan@example.com", "kim@example.com",
    ]  # fmt: skip
    assert units["text"][1] == "Card [CARD] was charged twice this month."
    assert "IBAN [IBAN] account" in units["text"][2]
    assert units["user_plan"].tolist() == ["Growth", "Starter", "Scale"]
    assert [(loc, skip) for loc, skip, _ in problems_of(corpus, "nps.jsonl")] == [("line 3", "row")]


def test_json_object_with_data_list(corpus: Ingested) -> None:
    units = units_of(corpus, "reviews.json")
    assert units["respondent_id"].tolist() == ["C-2001", "C-2003"]
    assert units["text"][1] == (
        "Reset link https://app.ledgerly.io/reset/[SECRET]?token=[SECRET]&lang=en did not work."
    )
    assert problems_of(corpus, "reviews.json") == [("item 3", "value", "score -1 is not 0-10")]


# ---------------------------------------------------------------- tickets


def test_zendesk_json_keeps_only_customer_words(corpus: Ingested) -> None:
    units = units_of(corpus, "tickets_zendesk.json")
    assert set(units["kind"]) == {"ticket"} and units["respondent_id"].tolist() == ["901", "902"]
    first, second = units["text"]
    assert first.startswith("Bank feed disconnected again\n\nThe bank feed")  # no "Re:", "Hi"
    assert "[NAME] here again" in first
    assert first.endswith("Any update? We cannot reconcile March without it.")
    for gone in ["engineers", "Internal:", "Could you reconnect", "Head of Finance", "Tel:",
                 "We are looking into it", "wrote:"]:  # fmt: skip
        assert gone not in first
    assert second == (
        "Export to CSV missing VAT column\n\nWhen I export invoices to CSV the VAT column is empty."
    )
    assert units["status"].tolist() == ["open", "solved"]
    assert "requester_name" not in units.columns


def test_flat_ticket_csv_with_html_and_quoted_history(corpus: Ingested) -> None:
    units = units_of(corpus, "tickets_flat.csv")
    assert units["respondent_id"].tolist() == [
        "maria@gomez-arquitectos.es", "tom@beckerbikes.de", "x@y.com",
    ]  # fmt: skip
    assert units["text"].tolist() == [
        "Invoice PDF shows wrong logo\n\nSince the last update our invoices show the old logo.",
        "Cannot add a second user\n\nWe bought the Growth plan to add my co-founder but the "
        "invite button is greyed out.",
        "Refund",
    ]
    assert units["ticket_id"].tolist() == ["T-301", "T-302", "T-303"]


def test_message_per_row_export_drops_agent_rows(corpus: Ingested) -> None:
    units = units_of(corpus, "ticket_messages.csv")
    assert units["locator"].tolist() == ["row 2", "row 4", "row 5"]
    assert not any("screenshot" in t for t in units["text"])
    assert "version 2.13.0" in units["text"][0]


def test_intercom_conversation_parts(corpus: Ingested) -> None:
    units = units_of(corpus, "intercom.jsonl")
    assert units["text"].tolist() == [
        "Is there a way to bulk-approve expenses? I have 140 waiting.\n\n"
        "Please hurry, approving one by one takes my whole Friday.",
        "The Stripe integration shows payouts twice.",
    ]
    assert units["date"].tolist() == ["2026-02-02", "2026-02-03"]  # Unix timestamps


# ---------------------------------------------------------------- respondents


def test_respondents_table(corpus: Ingested) -> None:
    people = corpus.respondents.set_index("respondent_id")
    assert people.loc["P07", "kinds"] == "interview" and people.loc["P07", "n_units"] == 2
    assert people.loc["P07", "role"] == "Finance lead"  # unit file wins over respondents.csv
    assert people.loc["P07", "plan"] == "Scale"  # respondents.csv fills the gap
    assert people.loc["interview_qa", "industry"] == "Design agency"
    assert people.loc["long_line", "n_units"] > 100
    assert "dana.w@northwind-books.com" not in people.index  # only people seen in units


# ---------------------------------------------------------------- options and errors


def test_redaction_can_be_switched_off() -> None:
    result = ingest([FIXTURES / "interview_plain.txt"], IngestParams(redact=False))
    assert "dana.w@northwind-books.com" in result.units["text"][1]
    assert result.units["context"][0].startswith("Thanks for making the time, Dana.")


def test_column_map_overrides() -> None:
    columns = ColumnMap(text=["plan"], respondent_id="email", kind="feedback")
    result = ingest([FIXTURES / "nps_q1.csv"], IngestParams(columns=columns))
    assert set(result.units["kind"]) == {"feedback"}
    assert result.units["text"].tolist()[:2] == ["Growth", "Starter"]
    assert result.units["respondent_id"][0] == "ana@example.com"


def test_configured_interviewer_names(tmp_path: Path) -> None:
    (tmp_path / "chat.txt").write_text(
        "Sam: So what do you think?\nRiley: It is fine.\nSam: Fine?\nRiley: Mostly fine.\n"
    )
    result = ingest([tmp_path], IngestParams(interviewer=["sam"]))
    assert result.units["speaker"].tolist() == ["Riley", "Riley"]
    assert result.units["context"].tolist() == ["So what do you think?", "Fine?"]


def test_shorter_passages_when_configured() -> None:
    result = ingest([FIXTURES / "interview_plain.txt"], IngestParams(max_passage_tokens=12))
    assert len(result.units) > 2
    assert max(count_tokens(result.units["text"].tolist())) <= 12
    assert result.units["unit_id"].is_unique


def test_strict_mode_turns_problems_into_an_error() -> None:
    with pytest.raises(VocError, match=r"strict.*nps_q1.csv:row 5"):
        ingest([FIXTURES / "nps_q1.csv"], IngestParams(), strict=True)


def test_nothing_usable_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(VocError, match="No corpus files"):
        ingest([tmp_path], IngestParams())
    for name in ["empty.txt", "binary.csv", "no_text_column.csv"]:
        shutil.copy(FIXTURES / name, tmp_path / name)
    with pytest.raises(VocError, match=r"none held customer text.*binary\.csv"):
        ingest([tmp_path], IngestParams())


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    result = ingest([tmp_path / "nope", FIXTURES / "interview_qa.txt"], IngestParams())
    assert [p.cause for p in result.problems] == ["not found"]
    assert len(result.units) == 3


def test_progress_is_reported() -> None:
    messages: list[str] = []
    ingest([FIXTURES / "interview_qa.txt"], IngestParams(), progress=messages.append)
    assert messages == ["reading interview_qa.txt"]


# ---------------------------------------------------------------- exports with extras


def test_banner_lines_above_the_header_are_skipped_and_reported(tmp_path: Path) -> None:
    (tmp_path / "complaints.csv").write_text(
        "Archive:  /Users/me/Downloads/complaints.csv.zip\n"
        "  inflating: complaints.csv\n"
        "Date received,Product,Consumer complaint narrative,Complaint ID\n"
        "2020-03-18,Mortgage,The servicer lost my payment twice and charged late fees,101\n"
        "2020-03-19,Credit card,,102\n"
        '2020-03-20,Credit card,"They closed my card, with no notice at all",103\n',
        encoding="utf-8",
    )
    got = ingest([tmp_path], IngestParams())
    voice = got.units[got.units["non_answer"] == ""]
    assert voice["text"].tolist() == [
        "The servicer lost my payment twice and charged late fees",
        "They closed my card, with no notice at all",
    ]
    assert voice["product"].tolist() == ["Mortgage", "Credit card"]
    [problem] = got.problems
    assert problem.locator == "rows 1-2" and "above the header row" in problem.cause
    assert "Archive:" in problem.cause


def test_non_answers_are_marked_and_their_people_kept(tmp_path: Path) -> None:
    answers = [
        "Did not answer", "N/A", "nothing.", "No comment", "@united", "All good!",
        "Nothing to improve, the nurses were kind", "No - the wait was too long",
    ]  # fmt: skip
    rows = "".join(f'R{i},{i},"{a}"\n' for i, a in enumerate(answers))
    (tmp_path / "fft.csv").write_text("respondent_id,score,comment\n" + rows, encoding="utf-8")
    got = ingest([tmp_path], IngestParams())
    assert got.units["text"].tolist() == answers
    assert got.units["non_answer"].tolist() == [
        "blank", "blank", "nothing", "blank", "blank", "nothing", "", "",
    ]  # fmt: skip
    assert got.units["score"].tolist() == list(range(8))  # every score still counts
    assert got.respondents["respondent_id"].tolist() == [f"R{i}" for i in range(8)]
    [entry] = got.inputs
    assert entry["non_answers"] == 6 and entry["units"] == 8


def test_a_corpus_of_only_non_answers_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "fft.csv").write_text("id,comment\n1,N/A\n2,Nothing\n3,\n", encoding="utf-8")
    with pytest.raises(VocError, match=r"blank or a stock non-answer \(1 say 'nothing'"):
        ingest([tmp_path], IngestParams())
