"""The in-app guidance module a user completes before AI drafting is enabled for them.

Its pages say what the tool does and does not do, how to check a draft against the evidence,
what consent means here, which sections only a person writes, and what to do about a flag. The
questions at the end must all be answered correctly. Changing what the module teaches means a
new ``MODULE_VERSION``: completions of older versions then no longer count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

MODULE_VERSION = "2026.1"


@dataclass(frozen=True)
class GuidancePage:
    slug: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[tuple[str, str], ...]  # (value, label)
    correct: str


PAGES: tuple[GuidancePage, ...] = (
    GuidancePage("what-it-does", "What casenotes does, and what it does not do", (
        "casenotes turns a transcript of a visit or meeting into a draft note. Every drafted "
        "sentence points to the words in the transcript it came from, and automatic checks "
        "flag sentences that the transcript does not support.",
        "It does not make decisions, assess risk, or know anything the transcript does not "
        "say. The draft can be wrong: it can miss something important or say something that "
        "was not said. Nothing becomes part of the record until you sign it, and you are "
        "accountable for what you sign.",
    )),
    GuidancePage("check-the-evidence", "Check every draft against the evidence", (
        "Select a sentence to see the transcript turns it came from. Read them: the sentence "
        "must say what was said, by the person it names, without added detail.",
        "Edit or remove any sentence that is not right, and add what the draft left out. A "
        "draft signed almost unedited is noticed by your supervisor's quality checks.",
    )),
    GuidancePage("consent", "Consent", (
        "Every party to a recording must have agreed to it before anything is drafted. Record "
        "each person's decision; a refusal or a withdrawal is honoured and stops processing.",
        "If someone withdraws consent later, record the withdrawal: the recording's audio and "
        "transcript are handled as your retention settings say.",
    )),
    GuidancePage("reserved-sections", "Sections only you write", (
        "Some sections, such as the analysis and the professional judgement, are reserved: "
        "casenotes never drafts them. Write them yourself, in your own words, from what you "
        "know of the person and the case.",
    )),
    GuidancePage("flags", "When a flag appears", (
        "A flag means a check found a problem: no evidence, a detail not in the evidence, a "
        "name that does not match, stigmatising language or something possibly left out.",
        "Go back to the transcript, then correct the sentence (resolve the flag) or, if the "
        "sentence is right, dismiss the flag with your reason. A note cannot be signed while "
        "flags are open.",
    )),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "accountable",
        "Who is accountable for what a signed note says?",
        (("tool", "casenotes, because it drafted the note"),
         ("worker", "The practitioner who signed it"),
         ("nobody", "Nobody, if the note was drafted automatically")),
        "worker",
    ),
    Question(
        "evidence",
        "Before signing, what do you do with each drafted sentence?",
        (("trust", "Trust it if no flag is shown"),
         ("check", "Check it against the transcript turns it came from, and correct it"),
         ("skip", "Read only the sections with flags")),
        "check",
    ),
    Question(
        "consent",
        "One person at the visit did not agree to the recording. What happens?",
        (("draft", "The note is drafted anyway, without their words"),
         ("refused", "Nothing is drafted: their decision is recorded and honoured"),
         ("later", "You ask them again after the draft is made")),
        "refused",
    ),
    Question(
        "reserved",
        "Who writes a reserved section such as the analysis?",
        (("you", "You do, in your own words"),
         ("tool", "casenotes drafts it for you to approve"),
         ("supervisor", "Your supervisor, after sign-off")),
        "you",
    ),
    Question(
        "flag",
        "A flag says a detail is not in the evidence. What do you do?",
        (("ignore", "Sign anyway: flags are only advice"),
         ("delete", "Delete the whole section"),
         ("review", "Check the transcript, then correct the sentence or dismiss the flag "
                    "with your reason")),
        "review",
    ),
)


def wrong_answers(answers: Mapping[str, str]) -> list[str]:
    """Ids of the questions not answered correctly (unanswered ones included)."""
    return [q.id for q in QUESTIONS if answers.get(q.id) != q.correct]


def correct_answers() -> dict[str, str]:
    """The right answer to every question (what a person who read the pages chooses)."""
    return {q.id: q.correct for q in QUESTIONS}


def expires_at(completed_at: datetime, valid_days: int) -> datetime:
    return completed_at + timedelta(days=valid_days)


def is_current(completed_at: datetime, version: str, valid_days: int, now: datetime) -> bool:
    """A completion counts if it is of this module's version and not yet expired."""
    return version == MODULE_VERSION and now < expires_at(completed_at, valid_days)
