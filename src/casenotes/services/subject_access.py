"""Subject access: everything held about one person, with other people's personal data redacted.

The export is a ZIP holding ``subject_access.json`` (machine-readable) and ``subject_access.pdf``
(readable). It covers the cases the requesting user may open: notes that name the person (with
versions and replies), transcript turns still held that they spoke or that name them, the
session's audio files still held (listed: audio carries other people's voices and is released
only after a person has reviewed it), their consent decisions, and who accessed their records.
Other people's names (people known to the case and names the PII detector finds) are replaced
with ``[REDACTED]``; staff appear by username in the access log, as acting in their role.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.domain.people import Person as DomainPerson
from casenotes.services.access import case_session
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.exports import render_pdf
from casenotes.services.note_access import note_versions, username
from casenotes.services.views import SubjectAccessExport, UserView, shown_time
from casenotes.store.models import Person
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import governance as gov_repo
from casenotes.store.repositories import recordings as recordings_repo

REDACTED = "[REDACTED]"
_SEPARATOR = "\n\n"
_BATCH_CHARS = 5_000  # per detector call: fewer calls, each still quick


def _names(person: Person) -> list[str]:
    return [n for n in [person.name, *person.aliases] if n.strip()]


def _pattern(names: list[str]) -> re.Pattern[str] | None:
    names = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


class _Redactor:
    """Keeps the subject's names; replaces other people's names with ``[REDACTED]``."""

    def __init__(self, ctx: AppContext, subject: list[str], others: list[Person]) -> None:
        self.detector = ctx.pii_detector()
        self.subject = _pattern(subject)
        subject_words = {w.lower() for n in subject for w in n.split()}
        other_names = [n for p in others for n in _names(p)]
        # Single words of other people's full names too ("Rachel" of "Rachel Smith"), unless the
        # word is also one of the subject's own names.
        other_names += [w for n in other_names for w in n.split()
                        if len(w) > 2 and w.lower() not in subject_words]
        self.others = _pattern(other_names)
        self.people = [DomainPerson(name=p.name, role=p.role, aliases=tuple(p.aliases))
                       for p in others]
        self.subject_names = {n.lower() for n in subject}

    def mentions(self, text: str) -> bool:
        return bool(self.subject and self.subject.search(text))

    def __call__(self, text: str) -> str:
        return self.many([text])[0]

    def many(self, texts: list[str]) -> list[str]:
        """Redact many texts with few detector calls: short texts are joined into batches."""
        done = list(texts)
        batch: list[int] = []
        size = 0
        for index, text in enumerate(texts):
            if not text:
                continue
            batch.append(index)
            size += len(text) + len(_SEPARATOR)
            if size >= _BATCH_CHARS:
                self._batch(texts, batch, done)
                batch, size = [], 0
        if batch:
            self._batch(texts, batch, done)
        return done

    def _batch(self, texts: list[str], batch: list[int], done: list[str]) -> None:
        joined = _SEPARATOR.join(texts[i] for i in batch)
        spans = [(s.start, s.end) for s in self.detector.detect(joined, self.people)
                 if s.entity_type == "PERSON"
                 and (s.person or joined[s.start:s.end]).lower() not in self.subject_names
                 and not (self.subject and self.subject.fullmatch(joined[s.start:s.end]))]
        offset = 0
        for index in batch:
            text = texts[index]
            end = offset + len(text)
            local = sorted(((a - offset, b - offset) for a, b in spans
                            if a >= offset and b <= end), reverse=True)
            for a, b in local:
                text = text[:a] + REDACTED + text[b:]
            done[index] = self._redact_known(text) if self.others is not None else text
            offset = end + len(_SEPARATOR)

    def _redact_known(self, text: str) -> str:
        assert self.others is not None  # noqa: S101 - checked by the caller
        protected = [(m.start(), m.end()) for m in self.subject.finditer(text)] \
            if self.subject else []

        def swap(match: re.Match[str]) -> str:
            inside = any(a <= match.start() < b for a, b in protected)
            return match.group(0) if inside else REDACTED

        return self.others.sub(swap, text)


def _find_subject(session: Session, actor: UserView, person: str) -> tuple[list[Person], list[int]]:
    wanted = " ".join(person.split()).casefold()
    visible = [c.id for c, _ in cases_repo.list_visible_cases(session, user=actor)]
    matches = [p for p in gov_repo.people_named(session, case_ids=visible)
               if wanted in {n.casefold() for n in _names(p)}]
    return matches, visible


def export_subject_access(ctx: AppContext, actor: UserView, person: str) -> SubjectAccessExport:
    """Build the subject access ZIP for ``person`` (a name or alias on a case record)."""
    if actor.role not in ("practitioner", "supervisor"):
        record_now(ctx, actor, "access.denied", "subject_access", "export")
        raise PermissionDenied("Subject access exports are made by the practitioner or "
                               "supervisor who can open the person's case.",
                               hint="Ask the allocated practitioner or their team manager.")
    if not person.strip():
        raise InvalidInput("Say whose data to export.", hint="Give the person's name.")
    with case_session(ctx, actor) as session:
        matches, visible = _find_subject(session, actor, person)
        if not matches:
            raise InvalidInput("No person with that name is on a case you can open.",
                               hint="Check the spelling as it is on the case record.")
        subject_names = sorted({n for p in matches for n in _names(p)})
        match_ids = {p.id for p in matches}
        others = [p for p in gov_repo.people_named(session, case_ids=visible)
                  if p.id not in match_ids
                  and not ({n.casefold() for n in _names(p)}
                           & {n.casefold() for n in subject_names})]
        data = _gather(session, visible, sorted({p.case_id for p in matches}), subject_names)
    redact = _Redactor(ctx, subject_names, others)
    content = _redacted(data, redact)
    content["person"] = person.strip()
    content["made_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    content["made_by"] = actor.username
    pdf = render_pdf("governance/sar_report.html", sar=content)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject_access.json", json.dumps(content, indent=2, ensure_ascii=False))
        archive.writestr("subject_access.pdf", pdf)
    with ctx.session() as session:
        record(session, actor, "subject_access.export", "subject_access", "export",
               f"cases={len(content['cases'])} notes={len(content['notes'])} "
               f"recordings={len(content['recordings'])} events={len(content['access_log'])}")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return SubjectAccessExport(
        filename=f"subject-access-{stamp}.zip", data=buffer.getvalue(),
        notes=len(content["notes"]), recordings=len(content["recordings"]),
        access_events=len(content["access_log"]))


def _gather(session: Session, visible: list[int], subject_cases: list[int],
            names: list[str]) -> dict[str, Any]:
    """Everything held, before redaction (the subject's names decide what is included)."""
    pattern = _pattern(names)
    lowered = {n.casefold() for n in names}

    def mentions(text: str) -> bool:
        return bool(pattern and pattern.search(text))

    users: dict[int, str] = {}
    notes = []
    for note in gov_repo.notes_in_cases(session, case_ids=visible):
        versions = note_versions(session, note)
        replies = gov_repo.replies(session, note_id=note.id)
        if not (mentions(note.text) or any(mentions(v.text) for v in versions)
                or any(mentions(r.text) for r in replies)):
            continue
        notes.append({
            "id": note.id, "title": note.title, "signed_at": shown_time(note.signed_at),
            "transparency": str(note.transparency.get("text", "")),
            "versions": [{"version": v.version, "reason": v.reason, "at": v.at,
                          "sections": [{"name": n, "text": t} for n, t in v.sections]}
                         for v in versions],
            "replies": [{"text": r.text, "added_at": shown_time(r.added_at)} for r in replies],
        })
    recordings = []
    consents = []
    objects: list[tuple[str, str]] = [("case", str(c)) for c in subject_cases]
    objects += [("note", str(n["id"])) for n in notes]
    for recording in gov_repo.recordings_in_cases(session, case_ids=visible):
        rows = recordings_repo.segment_rows(session, recording_id=recording.id)
        turns = [{"speaker": r.speaker, "time": r.start, "text": r.text} for r in rows
                 if r.speaker.casefold() in lowered or mentions(r.text)]
        mine = [c for c in gov_repo.consent_history(session, recording_id=recording.id)
                if c.party.casefold() in lowered]
        if not (turns or mine or recording.case_id in subject_cases):
            continue
        files = gov_repo.held_files(session, recording_id=recording.id)
        recordings.append({
            "id": recording.id, "title": recording.title,
            "created_at": shown_time(recording.created_at), "stage": recording.stage,
            "transcript_turns": turns,
            "audio_files_held": [key.rsplit("/", 1)[-1] for key in files],
        })
        consents += [{"recording": recording.id, "decision": c.decision, "uses": c.scope,
                      "method": c.method, "transcript_time": c.transcript_time,
                      "recorded_by": username(session, c.recorded_by, users),
                      "recorded_at": shown_time(c.recorded_at)} for c in mine]
        objects.append(("recording", str(recording.id)))
    events = [{"at": e.at, "by": e.actor, "action": e.action,
               "object": f"{e.object_type} {e.object_id}"}
              for e in gov_repo.access_events(session, objects=objects)]
    cases = [{"id": c.id, "reference": c.reference}
             for c in gov_repo.cases_by_id(session, case_ids=subject_cases)]
    return {"cases": cases, "notes": notes, "recordings": recordings, "consents": consents,
            "access_log": events}


def _redacted(data: dict[str, Any], redact: _Redactor) -> dict[str, Any]:
    """Redact every free-text field in place, in batches."""
    fields: list[tuple[dict[str, Any], str]] = []
    for note in data["notes"]:
        fields.append((note, "title"))
        for version in note["versions"]:
            fields.append((version, "reason"))
            fields += [(section, "text") for section in version["sections"]]
        fields += [(reply, "text") for reply in note["replies"]]
    for recording in data["recordings"]:
        fields.append((recording, "title"))
        for turn in recording["transcript_turns"]:
            fields.append((turn, "text"))
            if not redact.mentions(turn["speaker"]):
                turn["speaker"] = REDACTED
    cleaned = redact.many([str(holder[key]) for holder, key in fields])
    for (holder, key), text in zip(fields, cleaned, strict=True):
        holder[key] = text
    return data
