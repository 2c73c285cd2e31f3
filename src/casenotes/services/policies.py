"""The policy library: administrators add documents; anyone signed in asks it questions.

Answers are the organisation's own passages, quoted with document, section and page. With
``CASENOTES_POLICY_MODEL_ANSWERS=true`` the language model (through the model gateway) also
writes a short answer from those passages; each of its sentences must cite them, and any that
does not, or that its citations do not back, is flagged (``engines/llm/cited_answer.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from importlib import resources
from pathlib import PurePath

from casenotes.domain.errors import InvalidInput, NotFound, PermissionDenied
from casenotes.engines.llm import cited_answer
from casenotes.engines.llm.gateway import ModelRefused, ModelUnavailable
from casenotes.engines.search import (
    best_snippet,
    embedder_for,
    query_terms,
    reciprocal_rank_fusion,
)
from casenotes.engines.search.passages import FORMATS, UnreadableDocument, split_document
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.model_gateway import build_gateway
from casenotes.services.views import (
    ModelSentenceView,
    PolicyAnswerView,
    PolicyPassageView,
    PolicyView,
    UserView,
    shown_time,
)
from casenotes.store.models import Policy
from casenotes.store.repositories import policies as policies_repo

MAX_QUESTION_CHARS = 500
CANDIDATES = 30


def _admin_only(actor: UserView) -> None:
    if actor.role != "admin":
        raise PermissionDenied("Only administrators can change the policy library.",
                               hint="Ask your system administrator to add the document.")


def _view(policy: Policy, passages: int) -> PolicyView:
    return PolicyView(id=policy.id, title=policy.title, filename=policy.filename,
                      media_type=policy.media_type, passages=passages,
                      uploaded_at=shown_time(policy.uploaded_at))


def add_policy(ctx: AppContext, actor: UserView, *, filename: str, content: bytes,
               title: str | None = None) -> PolicyView:
    """Split the document into passages with headings and pages, and index them."""
    _admin_only(actor)
    name = PurePath(filename).name
    kind = FORMATS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise InvalidInput(f"{name!r} is not a document type the library reads.",
                           hint="Upload a PDF, Word (.docx), Markdown (.md) or HTML file.")
    if not content:
        raise InvalidInput(f"{name!r} is empty.", hint="Choose the document file again.")
    if len(content) > ctx.settings.max_upload_bytes:
        raise InvalidInput(f"{name!r} is larger than the upload limit.",
                           hint="Split the document, or ask for the limit to be raised.")
    try:
        passages = split_document(kind, content)
    except UnreadableDocument as exc:
        raise InvalidInput(f"{name!r} could not be read: {exc}.",
                           hint="Check that the file opens, and that its name ends in the "
                                "right extension.") from None
    if not passages:
        raise InvalidInput(f"{name!r} has no text the library can use.",
                           hint="A scanned PDF needs text (OCR) before it can be searched.")
    sha = hashlib.sha256(content).hexdigest()
    first_heading = next((p.heading.split(" > ")[0] for p in passages if p.heading), "")
    title = (title or first_heading or PurePath(name).stem).strip()[:300]
    vectors = embedder_for(ctx.settings.embedding_model).embed(
        [f"{p.heading}\n{p.text}" for p in passages])
    with ctx.session() as session:
        if policies_repo.by_sha(session, sha256=sha) is not None:
            raise InvalidInput(f"{name!r} is already in the library.",
                               hint="Nothing was changed; remove the old copy first to replace it.")
        policy = policies_repo.add_policy(
            session, title=title, filename=name, media_type=kind, sha256=sha,
            uploaded_by=actor.id, passages=[(p.heading, p.page, p.text) for p in passages],
            vectors=vectors)
        record(session, actor, "policy.add", "policy", policy.id, f"passages={len(passages)}")
        return _view(policy, len(passages))


def list_policies(ctx: AppContext, actor: UserView) -> list[PolicyView]:
    with ctx.session() as session:
        return [_view(p, n) for p, n in policies_repo.list_policies(session)]


def remove_policy(ctx: AppContext, actor: UserView, policy_id: int) -> None:
    _admin_only(actor)
    with ctx.session() as session:
        if not policies_repo.delete_policy(session, policy_id=policy_id):
            raise NotFound(f"There is no policy {policy_id}.", hint="List them with: "
                           "casenotes policy list")
        record(session, actor, "policy.remove", "policy", policy_id)


def ask(ctx: AppContext, actor: UserView, question: str, *, limit: int = 3,
        model_answer: bool | None = None) -> PolicyAnswerView:
    """The passages that best answer ``question``, quoted with where they come from, and (when
    ``model_answer``, by default the setting) a language model's answer citing them."""
    question = " ".join(question.split())
    if not question:
        raise InvalidInput("The question is empty.", hint="Ask a question in plain words.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"The question is longer than {MAX_QUESTION_CHARS} characters.",
                           hint="Ask a shorter question.")
    if not 1 <= limit <= 20:
        raise InvalidInput("Ask for between 1 and 20 passages.", hint="Use a smaller number.")
    vector = embedder_for(ctx.settings.embedding_model).embed([question])[0]
    with ctx.session() as session:
        keyword = policies_repo.keyword_ranking(session, terms=query_terms(question),
                                                limit=CANDIDATES)
        semantic = policies_repo.semantic_ranking(session, vector=vector, limit=CANDIDATES)
        fused = reciprocal_rank_fusion([r for r in (keyword, semantic) if r])[:limit]
        found = policies_repo.passages(session, ids=[i for i, _ in fused])
        views = []
        for passage_id, score in fused:
            passage, policy = found[passage_id]
            views.append(PolicyPassageView(
                passage_id=passage.id, policy_id=policy.id, document=policy.title,
                section=passage.heading, page=passage.page, text=passage.text,
                highlighted=best_snippet(passage.text, question).parts, score=round(score, 5)))
        record(session, actor, "policy.ask", "policy", "library", f"passages={len(views)}")
    found_answer = PolicyAnswerView(question=question, passages=tuple(views))
    wanted = ctx.settings.policy_model_answers if model_answer is None else model_answer
    if not wanted or not views:
        return found_answer
    return _with_model_answer(ctx, actor, found_answer)


def _with_model_answer(ctx: AppContext, actor: UserView,
                       found: PolicyAnswerView) -> PolicyAnswerView:
    """The passages plus the model's cited answer; a refusal or failure is said, not raised."""
    try:
        reply = cited_answer.answer(build_gateway(ctx), found.question,
                                    [p.text for p in found.passages])
    except (ModelRefused, ModelUnavailable) as problem:
        return replace(found, model_problem=f"{problem.message} {problem.hint}".strip())
    with ctx.session() as session:
        record(session, actor, "policy.model_answer", "policy", "library",
               f"sentences={len(reply.sentences)} flagged={reply.flagged}")
    return replace(found, model=reply.model, model_sentences=tuple(
        ModelSentenceView(s.text, s.cites, s.flag) for s in reply.sentences))


def demo_policy_files() -> list[tuple[str, bytes]]:
    """The demo policy set shipped with casenotes (a fictional council, our own words)."""
    folder = resources.files("casenotes.demo") / "policies"
    return sorted((f.name, f.read_bytes()) for f in folder.iterdir() if f.name.endswith(".md"))


def load_demo_policies(ctx: AppContext, actor: UserView) -> list[PolicyView]:
    """Add the demo policy set; documents already in the library are left as they are."""
    _admin_only(actor)
    added = []
    with ctx.session() as session:
        present = {p.sha256 for p, _ in policies_repo.list_policies(session)}
    for name, content in demo_policy_files():
        if hashlib.sha256(content).hexdigest() not in present:
            added.append(add_policy(ctx, actor, filename=name, content=content))
    return added
