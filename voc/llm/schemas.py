"""Structured answers the label, profile and criteria steps expect, from an LLM or the offline
backend alike. Quote ids inside them must exist in the evidence the step was given."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ThemeLabel(BaseModel):
    """A theme named as a job to be done."""

    name: str = Field(
        min_length=2, description="short name, 2-6 words, e.g. 'Close the books faster'"
    )
    job: str = Field(
        min_length=10, description="'When <situation>, I want to <motivation>, so I can <outcome>.'"
    )
    pains: list[str] = Field(default_factory=list, max_length=3, description="what gets in the way")
    outcomes: list[str] = Field(default_factory=list, max_length=3, description="desired outcomes")


class Claim(BaseModel):
    """One qualitative statement with the quotes that support it."""

    text: str = Field(min_length=3)
    quote_ids: list[str] = Field(min_length=1)


class SegmentProfile(BaseModel):
    """A persona in the practitioners' template. Numbers are added by voc, never by a model."""

    name: str = Field(min_length=2, description="memorable persona name, 2-5 words")
    summary: str = Field(
        min_length=10, description="two sentences: who they are and what they need"
    )
    goals: list[Claim] = Field(default_factory=list)
    pains: list[Claim] = Field(default_factory=list)
    behaviours: list[Claim] = Field(default_factory=list)
    buying_process: list[Claim] = Field(default_factory=list)
    key_message: str = Field(description="one sentence a marketer could put on a landing page")
    channels: list[str] = Field(default_factory=list, description="go-to-market channels")


class Judgement(BaseModel):
    """An LLM's opinion on one criterion, shown beside the measured figure."""

    verdict: Literal["pass", "weak", "fail"]
    reason: str
    actions: list[str] = Field(default_factory=list)


class CriteriaJudgement(BaseModel):
    """The model's judgement of the two criteria that measurement alone cannot settle."""

    actionable: Judgement
    accessible: Judgement
