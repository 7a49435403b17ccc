"""Redaction: every pattern it must catch, and the look-alikes it must leave alone."""

from __future__ import annotations

import pytest

from voc.ingest.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail dana.w+voc@northwind-books.co.uk today", "Mail [EMAIL] today"),
        ("(ANA@Example.COM)", "([EMAIL])"),
        ("call +44 20 7946 0958 now", "call [PHONE] now"),
        ("call +44 (0)20 7946 0958", "call [PHONE]"),
        ("call +1 (415) 555-0132.", "call [PHONE]."),
        ("call +49 30 901820", "call [PHONE]"),
        ("call (555) 123-4567", "call [PHONE]"),
        ("call 555-123-4567 or 555.123.4567", "call [PHONE] or [PHONE]"),
        ("call 1-800-555-0199", "call [PHONE]"),
        ("call 020 7946 0958 or 07700 900123", "call [PHONE] or [PHONE]"),
        ("card 4111 1111 1111 1111 expired", "card [CARD] expired"),
        ("card 5500-0055-5555-5559", "card [CARD]"),
        ("card 378282246310005", "card [CARD]"),
        ("IBAN DE89 3704 0044 0532 0130 00.", "IBAN [IBAN]."),
        ("IBAN GB82WEST12345698765432", "IBAN [IBAN]"),
        (
            "https://app.example.com/reset?token=abc123&lang=en",
            "https://app.example.com/reset?token=[SECRET]&lang=en",
        ),
        ("https://api.example.com/v1?api_key=sk_live_99&sig=deadbeef", None),
        ("https://files.example.com/s/9fK2xQ7LmP4rT8vZ1bN6/report.pdf", None),
        ("set api_key=AKIA1234567890 in the config", "set api_key=[SECRET] in the config"),
    ],
)
def test_catches(text: str, expected: str | None) -> None:
    result = redact(text)
    if expected is None:  # a secret somewhere in a URL
        assert "[SECRET]" in result
        assert not any(s in result for s in ["sk_live_99", "deadbeef", "9fK2xQ7LmP4rT8vZ1bN6"])
    else:
        assert result == expected


@pytest.mark.parametrize(
    "text",
    [
        "Order #100234 arrived late",
        "Order ORD-2026-00031 is missing",
        "Invoice INV-2026-0042 for 12,450.00 EUR",
        "On 2026-03-04 and again on 03/04/2026 and 04.03.2026",
        "It cost $1,299.00, or €1.299,00, or £49.99 a month",
        "Since 2019, and again in 2026",
        "The meeting at 10:30 or 14:00-15:30",
        "After upgrading to 2.13.0 (build 2.13.0.1234) it broke",
        "We have 1,250,000 transactions and 42 users",
        "Ticket 4111111111111112 is not a card (Luhn fails)",
        "IBAN DE89 3704 0044 0532 0130 01 has a bad checksum",
        "https://docs.example.com/guides/getting-started-with-exports?page=2",
        "Reference GB2026 and ISO 9001",
        "Call me between 9 and 5, extension 4567",
        "Timestamp 00:01:23 and duration 1:02:03",
    ],
)
def test_leaves_alone(text: str) -> None:
    assert redact(text) == text


def test_names_are_replaced_whole_word_and_by_part() -> None:
    names = ["Dana Whitfield", "Interviewer", "Q", "Speaker 2"]
    text = "Dana Whitfield said Dana's team and Whitfield agreed; Danalyn and Q stayed."
    assert redact(text, names) == (
        "[NAME] said [NAME]'s team and [NAME] agreed; Danalyn and Q stayed."
    )


def test_names_do_not_touch_lowercase_words_or_roles() -> None:
    assert redact("Mark said: mark the bug", ["Mark"]) == "[NAME] said: mark the bug"
    assert redact("Interviewer asked the Speaker", ["Interviewer", "Speaker"]) == (
        "Interviewer asked the Speaker"
    )


def test_everything_together() -> None:
    text = (
        "Hi, Priya here (priya@acme.io, +44 7700 900123). Card 4111-1111-1111-1111 on "
        "order #100234 of $1,299.00 on 2026-03-04."
    )
    assert redact(text, ["Priya Raman"]) == (
        "Hi, [NAME] here ([EMAIL], [PHONE]). Card [CARD] on order #100234 of $1,299.00 on "
        "2026-03-04."
    )
