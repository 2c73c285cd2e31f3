"""The configured model gateway: the only way the application reaches a language model."""

from __future__ import annotations

from collections.abc import Sequence

from casenotes.domain.people import Person
from casenotes.engines.drafting.llm_drafter import LlmDrafter
from casenotes.engines.llm.gateway import ModelGateway
from casenotes.engines.translation.language_model_engine import LanguageModelTranslator
from casenotes.pipeline.draft import Drafter
from casenotes.pipeline.pseudonymise import PseudonymMap
from casenotes.services.audit_log import record_now
from casenotes.services.context import AppContext


def build_gateway(ctx: AppContext) -> ModelGateway:
    """A gateway to the configured model, limited to the allow-listed hosts; refusals audited.

    The audit entry names the refusal and counts only (the gateway passes no text).
    """
    settings = ctx.settings

    def audit(action: str, detail: str) -> None:
        record_now(ctx, None, action, "model", settings.model_name, detail)

    if settings.model_url:
        return ModelGateway.openai_compatible(
            settings.model_url, settings.model_name, ctx.pii_detector(),
            allowed_hosts=settings.model_endpoints, audit=audit,
        )
    return ModelGateway.local_llama(ctx.pii_detector(), model_path=settings.model_path,
                                    audit=audit)


def drafter_for_case(
    ctx: AppContext, people: Sequence[Person], mapping: PseudonymMap | None = None
) -> Drafter:
    """The configured drafter; the language-model drafter is built per case (it needs the
    case's people for the gateway's identifier check, and in surrogate mode
    (``CASENOTES_PSEUDONYM_MODE=surrogate``) the case's pseudonym map to choose stand-ins)."""
    if ctx.settings.drafter == LlmDrafter.name:
        surrogates = mapping if ctx.settings.pseudonym_mode == "surrogate" else None
        return LlmDrafter(build_gateway(ctx), known_people=people, surrogates=surrogates)
    return ctx.drafter()


def translator_for_case(ctx: AppContext, people: Sequence[Person]) -> LanguageModelTranslator:
    """The language-model translator (issue 11): the organisation's model, through the gateway,
    for the languages it says the model writes; the case's people feed the identifier check."""
    return LanguageModelTranslator(build_gateway(ctx), ctx.settings.translation_llm_languages,
                                   known_people=people)
