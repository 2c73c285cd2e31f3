"""A case's family network: people on the record, confirmed relationships, and suggestions.

Suggestions are mined from signed notes ("Kayleigh's mother, Pauline"; "his nan, Pat") and are
never shown as fact: they stay in their own list until the practitioner confirms or rejects
each one. Rejected suggestions are remembered, so they are not suggested again.
"""

from __future__ import annotations

import csv
import io
import math
import re

from casenotes.domain.errors import InvalidInput, NotFound
from casenotes.services.access import case_session, visible_case
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.views import (
    NetworkLinkView,
    NetworkPersonView,
    NetworkView,
    UserView,
)
from casenotes.store.models import NetworkLink
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import network as network_repo

RELATIONS = (
    "mother", "father", "mum", "mam", "dad", "nan", "nana", "gran", "granny", "grandmother",
    "grandma", "grandfather", "grandad", "aunt", "auntie", "uncle", "sister", "brother",
    "half-sister", "half-brother", "stepmother", "stepfather", "cousin", "son", "daughter",
    "partner", "ex-partner", "boyfriend", "girlfriend", "husband", "wife", "friend",
    "neighbour", "carer", "foster carer",
)
PROFESSIONAL_WORDS = ("worker", "officer", "adviser", "advisor", "nurse", "doctor", "gp",
                      "teacher", "therapist", "visitor", "police", "interpreter", "manager",
                      "practitioner", "professional", "clinician", "coordinator", "paramedic")
_REL = "|".join(sorted((re.escape(r) for r in RELATIONS), key=len, reverse=True))
_NAME = r"[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?"
_POSSESSIVE = re.compile(rf"\b(?P<owner>{_NAME})['’]s (?P<rel>{_REL}),? (?P<name>{_NAME})\b")
_PRONOUN = re.compile(rf"\b(?:[Hh]is|[Hh]er) (?P<rel>{_REL}),? (?P<name>{_NAME})\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
STATUSES = ("confirmed", "rejected")


def is_professional(role: str) -> bool:
    lowered = role.lower().replace("_", " ")
    return any(word in lowered.split() or word in lowered for word in PROFESSIONAL_WORDS)


def mine_suggestions(text: str, people: list[tuple[str, list[str]]]
                     ) -> list[tuple[str, str, str, str]]:
    """(from, to, relation, sentence) found in a note; ``people``: (name, short names)."""
    found: list[tuple[str, str, str, str]] = []
    by_short = {short: name for name, shorts in people for short in [name, *shorts]}
    for sentence in _SENTENCE.split(text):
        for m in _POSSESSIVE.finditer(sentence):
            owner = by_short.get(m.group("owner"), m.group("owner"))
            found.append((owner, by_short.get(m.group("name"), m.group("name")),
                          m.group("rel").lower(), sentence.strip()))
        for m in _PRONOUN.finditer(sentence):
            # The owner of "his"/"her" is the last person on the record named before it.
            before = sentence[: m.start()]
            owners = [(before.rfind(s), name) for s, name in by_short.items()
                      if re.search(rf"\b{re.escape(s)}\b", before)]
            if owners:
                owner = max(owners)[1]
                found.append((owner, by_short.get(m.group("name"), m.group("name")),
                              m.group("rel").lower(), sentence.strip()))
    return [f for f in found if f[0] != f[1]]


def _link_view(link: NetworkLink) -> NetworkLinkView:
    return NetworkLinkView(id=link.id, from_name=link.from_name, to_name=link.to_name,
                           relation=link.relation, status=link.status, source=link.source,
                           evidence=link.evidence, note_id=link.note_id)


def get_network(ctx: AppContext, actor: UserView, case_id: int) -> NetworkView:
    """The network as recorded; new suggestions from signed notes are added for a decision."""
    with case_session(ctx, actor) as session:
        case = visible_case(session, actor, case_id)
        people = cases_repo.people(session, case_id=case_id)
        shorts = [(p.name, [str(a) for a in p.aliases]) for p in people]
        added = 0
        for note in network_repo.signed_notes(session, case_id=case_id):
            for owner, name, relation, sentence in mine_suggestions(note.text, shorts):
                if network_repo.find(session, case_id=case_id, from_name=owner, to_name=name,
                                     relation=relation) is None:
                    network_repo.add(session, case_id=case_id, from_name=owner, to_name=name,
                                     relation=relation, status="suggested", source="note",
                                     note_id=note.id, evidence=sentence)
                    added += 1
        links = network_repo.links(session, case_id=case_id)
        confirmed = [link for link in links if link.status == "confirmed"]
        present: dict[str, list[str]] = {}
        for recording, speakers in network_repo.speakers_by_recording(session, case_id=case_id):
            for person in people:
                names = {person.name, *[str(a) for a in person.aliases]}
                if names & set(speakers):
                    present.setdefault(person.name, []).append(recording.title)
        nodes: list[tuple[str, str, bool, bool]] = [
            (p.name, p.role, is_professional(p.role), True) for p in people]
        for link in confirmed:
            for name in (link.from_name, link.to_name):
                if name not in {n[0] for n in nodes}:
                    nodes.append((name, link.relation if name == link.to_name else "", False,
                                  False))
        centre = next((n[0] for n in nodes if n[1].lower() in ("child", "person", "young_person",
                                                               "adult", "service_user")),
                      nodes[0][0] if nodes else "")
        record(session, actor, "network.view", "case", case_id,
               f"people={len(nodes)} confirmed={len(confirmed)} new_suggestions={added}")
        return NetworkView(
            case_id=case.id, case_reference=case.reference, centre=centre,
            people=tuple(_placed(nodes, centre, present)),
            relationships=tuple(_link_view(link) for link in confirmed),
            suggestions=tuple(_link_view(link) for link in links if link.status == "suggested"),
        )


def _placed(nodes: list[tuple[str, str, bool, bool]], centre: str,
            present: dict[str, list[str]]) -> list[NetworkPersonView]:
    """The centre person in the middle, everyone else evenly round a circle (400×400 box)."""
    others = [n for n in nodes if n[0] != centre]
    placed = []
    for node in nodes:
        if node[0] == centre:
            x, y = 200.0, 200.0
        else:
            angle = 2 * math.pi * others.index(node) / max(1, len(others)) - math.pi / 2
            x, y = 200 + 150 * math.cos(angle), 200 + 150 * math.sin(angle)
        placed.append(NetworkPersonView(name=node[0], role=node[1], professional=node[2],
                                        on_record=node[3], present_at=tuple(present.get(
                                            node[0], [])), x=round(x, 1), y=round(y, 1)))
    return placed


def decide(ctx: AppContext, actor: UserView, case_id: int, link_id: int, decision: str) -> None:
    """Confirm or reject a suggested relationship."""
    if decision not in STATUSES:
        raise InvalidInput("A suggestion can be confirmed or rejected.",
                           hint="Choose confirm or reject.")
    with case_session(ctx, actor) as session:
        visible_case(session, actor, case_id)
        link = network_repo.get(session, case_id=case_id, link_id=link_id)
        if link is None:
            raise NotFound(f"There is no relationship {link_id} in this case.",
                           hint="Reload the family network page.")
        network_repo.decide(session, link=link, status=decision, user_id=actor.id)
        record(session, actor, f"network.{decision[:-2] if decision.endswith('ed') else decision}",
               "network_link", link_id, f"case={case_id}")


def add_relationship(ctx: AppContext, actor: UserView, case_id: int, *, from_name: str,
                     to_name: str, relation: str) -> None:
    """Record a relationship the practitioner knows (confirmed, from the case record)."""
    from_name, to_name, relation = (" ".join(v.split()) for v in (from_name, to_name, relation))
    if not (from_name and to_name and relation):
        raise InvalidInput("A relationship needs two people and how they are related.",
                           hint="Fill in all three boxes.")
    if max(len(from_name), len(to_name), len(relation)) > 100:
        raise InvalidInput("A name or relationship is longer than 100 characters.",
                           hint="Shorten it.")
    with case_session(ctx, actor) as session:
        visible_case(session, actor, case_id)
        link = network_repo.find(session, case_id=case_id, from_name=from_name, to_name=to_name,
                                 relation=relation.lower())
        if link is None:
            link = network_repo.add(session, case_id=case_id, from_name=from_name,
                                    to_name=to_name, relation=relation.lower(),
                                    status="confirmed", source="record", decided_by=actor.id)
        else:
            network_repo.decide(session, link=link, status="confirmed", user_id=actor.id)
        record(session, actor, "network.add", "network_link", link.id, f"case={case_id}")


def export_csv(view: NetworkView) -> str:
    """The network as CSV: one row per person, then one per confirmed relationship."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "name", "role_or_relation", "other", "professional", "present_at"])
    for p in view.people:
        writer.writerow(["person", p.name, p.role, "", "yes" if p.professional else "no",
                         "; ".join(p.present_at)])
    for link in view.relationships:
        writer.writerow(["relationship", link.from_name, link.relation, link.to_name, "", ""])
    return out.getvalue()
