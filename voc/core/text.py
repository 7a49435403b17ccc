"""What in a piece of customer voice carries meaning: the words, not the @handles, links and
HTML entities of a social-media or web export, and not a stock non-answer like "N/A"."""

from __future__ import annotations

import html
import re

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.I)
# "RT @user:" and the @handles a post is addressed to ("@united @JetBlue my bag ...").
_LEADING_HANDLES = re.compile(r"^(?:\s*(?:RT\s+)?[@＠]\w+:?)+\s*", re.I)
_TRAILING_HANDLES = re.compile(r"(?:\s+[@＠]\w+)+\s*$")
_TAG = re.compile(r"[@＠#](\w)")
_SPACE = re.compile(r"\s+")

# Whole answers with no content to cluster, compared after lower-casing and dropping
# punctuation. Two kinds, because they mean different things to a researcher:
# "nothing": the customer says there is nothing to add or improve, a (mostly satisfied) answer
# to "What could we do better?" that keeps the person, their score and attributes.
NOTHING = {
    "nothing", "no", "none", "nope", "nah", "nil", "nothing to add", "nothing to say",
    "nothing else", "nothing further", "nothing really", "nothing at all", "none at all",
    "nothing to report", "no further comments", "no further comment", "no thanks",
    "no thank you", "cant think of anything", "can not think of anything",
    "cannot think of anything", "i cant think of anything", "nothing i can think of",
    "nothing that i can think of", "nothing i can think of really", "not that i can think of",
    "nothing comes to mind", "nothing thank you", "nothing thanks", "no nothing",
    "none thanks", "none thank you", "no suggestions", "no suggestion", "not really",
    "nothing to improve", "no improvements", "no improvement needed", "nothing needed",
    "all good", "all fine", "its all good", "everything is fine", "nothing comes to mind really",
}  # fmt: skip
# "blank": no answer at all, or one that declines ("N/A", "no comment", "don't know").
BLANK = {
    "", "na", "n a", "null", "x", "xx", "xxx", "test", "testing", "no comment", "no comments",
    "no answer", "not answered", "did not answer", "didnt answer", "not applicable",
    "not sure", "unsure", "dont know", "do not know", "idk", "no idea", "pass",
    "no response", "prefer not to say", "skip", "same as above", "as above", "see above",
}  # fmt: skip
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def meaningful(text: str) -> str:
    """The text as it should be embedded and counted: entities decoded, links removed, the
    handles a post is addressed to dropped and other @/# marks stripped (the word stays)."""
    text = html.unescape(text) if "&" in text else text
    text = _LINK.sub(" ", text)
    text = _LEADING_HANDLES.sub("", text)
    text = _TRAILING_HANDLES.sub("", text)
    text = _TAG.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


def non_answer(text: str) -> str:
    """Empty for an answer with content; "nothing" for a stock "nothing to add / improve"
    ("Nothing", "No", "All good"); "blank" for no content at all (empty, only links or
    handles, "N/A", "no comment", "don't know")."""
    words = _PUNCTUATION.sub(" ", meaningful(text).lower().replace("'", "").replace("’", ""))
    words = _SPACE.sub(" ", words).strip()
    if words in NOTHING:
        return "nothing"
    return "blank" if words in BLANK else ""
