"""Last guard before text leaves the machine: the ingest redactor when it is available, then a
small local pass for e-mail addresses, card numbers and phone numbers."""

from __future__ import annotations

import re
from collections.abc import Callable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD = re.compile(r"(?<!\w)(?<!\d\.)\d(?:[ -]?\d){12,18}(?!\w)(?!\.\d)")
PHONE = re.compile(r"(?<!\w)(?<!\d\.)\+?\(?\d[\d ().-]{7,}\d(?!\w)(?!\.\d)")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FLOAT = re.compile(r"\d+\.\d+")


def _luhn(digits: str) -> bool:
    """True when a digit string passes the Luhn checksum that card numbers carry."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[CARD]" if _luhn(digits) else match.group()


def _phone(match: re.Match[str]) -> str:
    text = match.group()
    digits = re.sub(r"\D", "", text)
    separated = text.startswith("+") or any(c in text for c in " -()") or text.count(".") >= 2
    looks_like_number = FLOAT.fullmatch(text) is not None or ISO_DATE.search(text) is not None
    if 9 <= len(digits) <= 15 and separated and not looks_like_number:
        return "[PHONE]"
    return text


def local_redact(text: str) -> str:
    """Replace e-mail addresses, Luhn-valid card numbers and phone numbers with placeholders."""
    text = EMAIL.sub("[EMAIL]", text)
    text = CARD.sub(_card, text)
    return PHONE.sub(_phone, text)


def _ingest_redactor() -> Callable[[str], str] | None:
    """The ingest stage's redactor, or None while it is missing or broken."""
    try:
        from voc.ingest.redact import redact
    except Exception:  # any import failure: use the local guard only
        return None
    return redact


def scrub(text: str) -> str:
    """Text safe to send: the ingest redactor (when importable) and then the local guard."""
    redact = _ingest_redactor()
    if redact is not None:
        try:
            result = redact(text)
        except Exception:  # a redactor bug must not let raw text through
            result = text
        text = result if isinstance(result, str) else text
    return local_redact(text)
