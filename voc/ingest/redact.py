"""Redaction of personal data before text leaves the machine: emails, phone numbers, card
numbers, IBANs, secrets in URLs and given personal names become placeholders.

Each pattern is narrow on purpose: order numbers, dates, prices, years, times and version
numbers are customer voice and must survive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = "[EMAIL]"
PHONE = "[PHONE]"
CARD = "[CARD]"
IBAN = "[IBAN]"
SECRET = "[SECRET]"
NAME = "[NAME]"

_SECRET_PARAM = re.compile(
    r"(?i)\b((?:access_|auth_|refresh_|id_)?token|api[_-]?key|apikey|key|sig|signature|secret"
    r"|client_secret|password|passwd|pwd|session(?:_?id)?|sid|auth|code|otp)=([^&\s#\"'<>]+)"
)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
# A path segment of 20+ letters/digits mixing both looks like a token, not a word or slug.
_RANDOM_SEGMENT = re.compile(
    r"(?<=/)(?=[A-Za-z0-9_-]{20,}(?:[/?#]|$))(?=[^/?#]*\d)(?=[^/?#]*[A-Za-z])[A-Za-z0-9_-]+"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
# Card numbers as printed: one run of digits, 4-4-4-4(-3) groups or Amex-style 4-6-5.
_CARD = re.compile(
    r"(?<![\w#/.-])(?<!\d[ -])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?"
    r"|\d{4}([ -])\d{6}\2\d{4,5})(?![\w/-]|[.,]\d|[ -]\d)"
)
# Phone numbers: an international number starting with +, or a US/UK national number.
_PHONE = re.compile(
    r"(?<![\w#$€£/.+-])(?<!\d[ -])(?:"
    r"\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}"  # +44 20 7946 0958
    r"|(?:1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"  # (555) 123-4567
    r"|(?:1[ .-])?\d{3}[ .-]\d{3}[ .-]\d{4}"  # 555-123-4567, 1-800-555-0199
    r"|0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}"  # 020 7946 0958, 07700 900123
    r")(?![\w/-]|[.,]\d|[ -]\d)"
)
# Labels that name a role, not a person.
_NOT_NAMES = {
    "interviewer", "moderator", "researcher", "host", "guest", "respondent", "participant",
    "interviewee", "speaker", "customer", "client", "user", "agent", "support", "team", "unknown",
    "the", "and", "mr", "mrs", "ms", "dr",
}  # fmt: skip


def redact(text: str, names: Iterable[str] = ()) -> str:
    """The text with personal data replaced by placeholders such as [EMAIL] and [NAME]."""
    if not text:
        return text
    text = _URL.sub(_redact_url, text)
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}={SECRET}", text)
    text = _EMAIL.sub(EMAIL, text)
    text = _IBAN.sub(lambda m: IBAN if _iban_ok(m.group()) else m.group(), text)
    text = _CARD.sub(lambda m: CARD if _luhn_ok(m.group()) else m.group(), text)
    text = _PHONE.sub(lambda m: PHONE if 8 <= _digits(m.group()) <= 15 else m.group(), text)
    pattern = names_pattern(names)
    return pattern.sub(NAME, text) if pattern else text


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern matching the full names and each of their parts as whole words (longest first),
    ignoring role labels such as 'Interviewer' and one-letter labels such as 'Q'."""
    words: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        parts = [p for p in re.findall(r"[^\W\d_][\w'’-]*", name) if _is_name(p)]
        if parts:
            words.update(parts)
            if len(parts) > 1:
                words.add(name)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w\[])(?:{alternatives})(?![\w\]])")


def _is_name(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word.lower() not in _NOT_NAMES


def _redact_url(match: re.Match[str]) -> str:
    url = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}={SECRET}", match.group())
    return _RANDOM_SEGMENT.sub(SECRET, url)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1
