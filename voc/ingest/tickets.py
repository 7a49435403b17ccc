"""Support tickets: keep the customer's words only, without agent replies, HTML, quoted
history or signatures."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup

KIND = "ticket"
AGENT_ROLES = {
    "agent", "admin", "administrator", "staff", "support", "operator", "assistant", "bot",
    "system", "internal", "employee", "team", "rep", "representative", "csr", "helpdesk",
    "support_agent", "teammate", "owner", "note", "internal_note",
}  # fmt: skip
CUSTOMER_ROLES = {
    "customer", "end_user", "enduser", "end-user", "requester", "user", "client", "contact",
    "lead", "visitor", "buyer", "member", "requestor", "submitter",
}  # fmt: skip
_ROLE_KEYS = (
    "author_role", "role", "author_type", "sender_type", "sender_role", "from_type", "type",
)  # fmt: skip
_AUTHOR_KEYS = ("author", "from", "sender", "user", "author_id", "user_id", "sender_id")
_BODY_KEYS = ("body", "text", "plain_body", "content", "message", "value", "description")
_HTML_KEYS = ("html", "html_body", "body_html")
_HTML = re.compile(r"<(?:p|div|br|span|html|body|blockquote|table|a|b|i|ul|li|font)\b", re.I)
_SUBJECT_PREFIX = re.compile(r"^(?:(?:re|fw|fwd|aw|wg|sv)\s*:\s*)+", re.I)
# Where quoted history starts: everything from here on was written earlier, often by us.
_QUOTE_START = re.compile(
    r"^(?:On\b.{0,300}\bwrote:?\s*$"
    r"|-{2,}\s*Original Message\s*-{2,}"
    r"|-{2,}\s*Forwarded message\s*-{2,}"
    r"|_{10,}\s*$"
    r"|From:\s.+\n(?:.+\n){0,3}?(?:Sent|Date):\s)",
    re.I | re.M,
)
_SIGN_OFF = re.compile(
    r"^(?:thanks|thank you|many thanks|thanks again|thx|cheers|best|best regards|kind regards"
    r"|warm regards|regards|sincerely|all the best|br|talk soon)\s*[,.!]?"
    r"(?:\s*[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})?\s*$",  # "Cheers, Chloe"
    re.I,
)
# "Hi team," / "Hello support," / "Dear Ledgerly team," opening a message: not feedback.
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b[^.!?]{0,30}[,!.:]?$",
    re.I,
)
_NAME_LINE = re.compile(r"^[A-Z][a-z'’-]+(?: [A-Z][\w'’-]*){0,2}$")
_SIGNATURE_LINE = re.compile(
    r"^(?:sent from my \w+|(?:tel|phone|mobile|cell|m|t|fax|direct)\s*[:.]\s*\+?[\d(].*"
    r"|\+?[\d() .-]{8,}|https?://\S+|www\.\S+|\S+@\S+\.\w+|.*\s\|\s.*)$",
    re.I,
)


def html_to_text(html: str) -> str:
    """Readable text of an HTML message, without quoted blocks and scripts."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.select(
        "blockquote, script, style, .gmail_quote, .yahoo_quoted, #divRplyFwdMsg"
    ):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "li", "tr", "h1", "h2", "h3"]):
        block.insert_after("\n")
    return soup.get_text()


def clean_message(text: str) -> str:
    """The new words of one message: HTML to text, quoted history, '>' lines and the
    signature removed, whitespace tidied."""
    if _HTML.search(text):
        text = html_to_text(text)
    text = text.replace("\xa0", " ").replace("\r", "")
    quote = _QUOTE_START.search(text)
    if quote:
        text = text[: quote.start()]
    lines = [line.strip() for line in text.split("\n") if not line.lstrip().startswith(">")]
    lines = ["--" if line in ("--", "—", "__") else line for line in lines]
    lines = _without_signature(lines)
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is not None and _GREETING.match(lines[first]):
        lines = lines[first + 1 :]
    text = "\n".join(re.sub(r"[ \t]+", " ", line) for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _without_signature(lines: list[str]) -> list[str]:
    """Cut at '-- ', drop trailing phone, title and link lines, then cut at a sign-off
    ('Thanks,') followed by a few short lines and at a bare closing name."""
    if "--" in lines:
        lines = lines[: lines.index("--")]
    lines = _strip_trailing(lines)
    content = [i for i, line in enumerate(lines) if line]
    for i in content[-7:]:
        tail = [t for t in lines[i + 1 :] if t]
        if _SIGN_OFF.match(lines[i]) and len(tail) <= 6 and all(len(t) < 80 for t in tail):
            lines = lines[:i]
            break
    lines = _strip_trailing(lines)
    if len(lines) > 2 and not lines[-2] and _NAME_LINE.match(lines[-1]):
        lines = _strip_trailing(lines[:-2])
    return lines


def _strip_trailing(lines: list[str]) -> list[str]:
    while lines and (not lines[-1] or _SIGNATURE_LINE.match(lines[-1])):
        lines = lines[:-1]
    return lines


def clean_subject(subject: str) -> str:
    """The subject without Re:/Fwd: prefixes."""
    return _SUBJECT_PREFIX.sub("", subject.strip()).strip()


def join_ticket(subject: str, messages: list[str]) -> str:
    """Subject and customer messages as one text; a subject the body repeats is left out."""
    subject = clean_subject(subject)
    body = "\n\n".join(m for m in messages if m)
    if not subject or body.lower().startswith(subject.lower()):
        return body
    if not body:
        return subject
    return f"{subject}\n\n{body}"


def role_of(message: dict[str, Any], requester: str = "", role_key: str | None = None) -> str:
    """'customer', 'agent' or 'unknown' for one message of a ticket thread."""
    if message.get("public") is False or message.get("internal") is True:
        return "agent"  # internal notes are never the customer's words
    for key in (role_key, *_ROLE_KEYS):
        role = classify_role(message[key]) if key and isinstance(message.get(key), str) else ""
        if role in ("customer", "agent"):
            return role
    for key in _AUTHOR_KEYS:
        author = message.get(key)
        if isinstance(author, dict):
            nested = role_of(author, requester)
            if nested != "unknown":
                return nested
            author = str(author.get("email") or author.get("id") or author.get("name") or "")
        if isinstance(author, int | float) and not isinstance(author, bool):
            author = str(int(author))
        if isinstance(author, str) and author:
            if requester and author.strip().lower() == requester.strip().lower():
                return "customer"
            role = classify_role(author)
            if role != "unknown":
                return role
    return "unknown"


def classify_role(value: str) -> str:
    """'customer', 'agent' or 'unknown' for a role label such as 'end-user' or 'Agent'."""
    key = re.sub(r"[\s-]+", "_", value.strip().lower())
    if key in CUSTOMER_ROLES or key.replace("_", "") in CUSTOMER_ROLES:
        return "customer"
    if key in AGENT_ROLES or key.endswith("_agent"):
        return "agent"
    return "unknown"


def message_text(message: dict[str, Any]) -> str:
    """The words of a message object, whichever key the help desk put them under."""
    for key in _BODY_KEYS:
        value = message.get(key)
        if isinstance(value, str) and value.strip():
            return value
    for key in _HTML_KEYS:
        value = message.get(key)
        if isinstance(value, str) and value.strip():
            return html_to_text(value)
    return ""


def customer_messages(
    messages: list[dict[str, Any]], requester: str = "", role_key: str | None = None
) -> list[str]:
    """Cleaned customer messages of a thread; when no message says who wrote it, all of them
    (the export does not tell, so dropping any would be a guess)."""
    roles = [role_of(m, requester, role_key) for m in messages]
    known = any(r != "unknown" for r in roles)
    kept = [m for m, r in zip(messages, roles, strict=True) if r == "customer" or not known]
    return [clean_message(message_text(m)) for m in kept]
