"""The DPIA and equality support pack: a document (PDF or DOCX) generated on demand from what is
actually configured and measured — data flows, the allow-listed model endpoints, retention in
force, models and versions, benchmark results, live dashboard figures and the bias audit — with
blank lawful-basis fields for the organisation to complete.

It helps an organisation write its data protection impact assessment and equality impact
assessment; it is not one. Administrators and auditors can generate it (web and CLI). It holds
settings, aggregates and counts only: no case content, no names of people receiving support.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from casenotes import __version__
from casenotes.config import Settings
from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.services import bias_audit, practice_dashboard, retention
from casenotes.services.audit_log import record, record_now
from casenotes.services.bias_audit import BiasAuditView
from casenotes.services.context import AppContext
from casenotes.services.energy import current_method, method_label
from casenotes.services.practice_dashboard import DashboardView
from casenotes.services.views import UserView
from casenotes.store.repositories import evaluation as eval_repo

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FORMATS = ("pdf", "docx")
READERS = ("admin", "auditor")
BENCHMARK_LINES = 60  # longer result files are cut here (the full file is named)

LAWFUL_BASIS_FIELDS = (
    "Controller (organisation)",
    "Data protection officer (name and contact)",
    "Purpose of the processing",
    "UK GDPR Article 6 lawful basis",
    "UK GDPR Article 9 condition (special category data)",
    "DPA 2018 Schedule 1 condition and appropriate policy document",
    "Necessity and proportionality",
    "Consultation (people receiving support, staff, unions)",
    "Risks identified and how they are reduced",
    "Equality impact assessment: owner and findings",
    "Staff training completed before use",
    "Approved by, and date",
    "Date of next review",
)


@dataclass(frozen=True)
class Benchmark:
    name: str
    text: str
    truncated: bool


@dataclass(frozen=True)
class DpiaPack:
    generated_at: str
    version: str
    data_flows: tuple[tuple[str, str, str], ...]  # step, what, where
    endpoints: tuple[str, ...]
    model_endpoint: str  # the configured language-model endpoint (scheme://host:port) or local
    retention: tuple[tuple[str, str], ...]
    models: tuple[tuple[str, str], ...]  # component, configured model/engine
    engines_seen: tuple[tuple[str, str, str, int], ...]  # stage, engine, version, runs
    energy_method: str
    benchmarks: tuple[Benchmark, ...]
    benchmark_dir: str
    dashboard: DashboardView
    bias: BiasAuditView
    lawful_basis_fields: tuple[str, ...]


def _endpoint(settings: Settings) -> str:
    if not settings.model_url:
        model = settings.model_path.name if settings.model_path else "SmolLM2-135M (packaged)"
        return f"in-process on this server ({model}); no network"
    parts = urlsplit(settings.model_url)  # never the path or any credentials in it
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def _database(settings: Settings) -> str:
    url = settings.sqlalchemy_url
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite file in the data folder"


def data_flows(settings: Settings) -> tuple[tuple[str, str, str], ...]:
    llm = settings.drafter == "llm"
    drafting_where = (f"language model via the model gateway: {_endpoint(settings)}; "
                      f"allow-listed hosts only ({', '.join(settings.model_endpoints)}); "
                      "only pseudonymised text is sent" if llm
                      else "on this server, no model call (extractive drafter)")
    checks_where = (f"This server, except the model judge (llm_judge): language model via the "
                    f"model gateway: {_endpoint(settings)}; allow-listed hosts only; only "
                    "pseudonymised sentences and turns are sent"
                    if "llm_judge" in settings.checkers else "This server; no network")
    return (
        ("Capture", "Audio recorded in the browser or uploaded, or a transcript imported",
         f"This server: encrypted files under the data folder; {_database(settings)} "
         "(personal fields encrypted)"),
        ("Consent", "Each party's decision, per use, in an append-only ledger", "Database"),
        ("Transcription", f"Speech to text: {settings.asr_engine} ({settings.asr_model}) on "
         f"{settings.asr_device}; speakers: {settings.diariser}", "This server; no network"),
        ("Pseudonymisation", f"Names and identifiers replaced ({settings.pseudonym_mode} mode) "
         f"by {settings.pii_engine} with {settings.spacy_model}", "This server; no network"),
        ("Drafting", f"Draft note from the pseudonymised transcript ({settings.drafter})",
         drafting_where),
        ("Checks", "Evidence, omissions, unsupported claims, stigmatising language: "
         + ", ".join(settings.checkers), checks_where),
        ("Review and sign-off", "The practitioner edits, decides every flag, writes the reserved "
         "sections and signs; the signed note is read-only", "Database"),
        ("Search", "Signed notes indexed for search by "
         f"{settings.embedding_model or 'the packaged MiniLM model'}", "This server"),
        ("Export and access", "PDF/DOCX exports and subject access exports on request, audited",
         "Downloaded by the user"),
        ("Retention", "Audio, transcripts and drafts deleted on schedule (below)", "This server"),
        ("Evaluation", "Stage timings, energy, aggregate quality measures; equality monitoring "
         "characteristics (encrypted)", "Database; aggregates only in this pack"),
    )


def models(settings: Settings) -> tuple[tuple[str, str], ...]:
    return (
        ("Speech recognition", f"{settings.asr_engine}: {settings.asr_model} "
                               f"({settings.asr_compute_type}, {settings.asr_device})"),
        ("Speaker separation", settings.diariser),
        ("Named entities (pseudonymisation)", f"{settings.pii_engine}: {settings.spacy_model}"),
        ("Drafting", settings.drafter if settings.drafter != "llm"
         else f"llm: {settings.model_name} at {_endpoint(settings)}"),
        ("Checks", ", ".join(settings.checkers)),
        ("Search embeddings", str(settings.embedding_model or "packaged all-MiniLM-L6-v2")),
    )


def benchmarks(folder: Path) -> tuple[Benchmark, ...]:
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.glob("*.md")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        found.append(Benchmark(path.stem, "\n".join(lines[:BENCHMARK_LINES]).strip(),
                               len(lines) > BENCHMARK_LINES))
    return tuple(found)


def build_pack(ctx: AppContext, actor: UserView) -> DpiaPack:
    if actor.role not in READERS:
        record_now(ctx, actor, "access.denied", "evaluation", "dpia")
        raise PermissionDenied("Only administrators and auditors can generate the DPIA pack.",
                               hint="Ask your information governance team.")
    settings = ctx.settings
    dashboard = practice_dashboard.dashboard(ctx, actor, "team")
    bias = bias_audit.audit(ctx, actor)
    with ctx.session() as session:
        seen: dict[tuple[str, str, str], int] = {}
        for run in eval_repo.stage_runs(session, case_ids=None):
            key = (run.stage, run.engine, run.engine_version)
            seen[key] = seen.get(key, 0) + 1
    return DpiaPack(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), version=__version__,
        data_flows=data_flows(settings), endpoints=tuple(settings.model_endpoints),
        model_endpoint=_endpoint(settings), retention=retention.policy(settings),
        models=models(settings),
        engines_seen=tuple((s, e, v, n) for (s, e, v), n in sorted(seen.items())),
        energy_method=method_label({current_method(settings)}),
        benchmarks=benchmarks(settings.benchmark_results_dir),
        benchmark_dir=str(settings.benchmark_results_dir),
        dashboard=dashboard, bias=bias, lawful_basis_fields=LAWFUL_BASIS_FIELDS,
    )


def pack_pdf(pack: DpiaPack) -> bytes:
    from casenotes.services.exports import render_pdf

    return render_pdf("evaluation/dpia_document.html", pack=pack,
                      less=f"fewer than {pack.bias.min_group}")


def _table(document: DocxDocument, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def _n(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def pack_docx(pack: DpiaPack) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = "DPIA and equality support pack"
    doc.add_heading("DPIA and equality support pack", level=0)
    doc.add_paragraph(f"Generated {pack.generated_at} by casenotes {pack.version} from the "
                      "settings in force and the live database. It supports, and does not "
                      "replace, the organisation's own assessment.")
    doc.add_heading("1. Lawful basis and accountability (to complete)", level=1)
    _table(doc, ("Field", "Organisation's answer"),
           [(f, "") for f in pack.lawful_basis_fields])
    doc.add_heading("2. Data flows", level=1)
    _table(doc, ("Step", "What", "Where"), list(pack.data_flows))
    doc.add_heading("3. Allow-listed model endpoints", level=1)
    doc.add_paragraph(f"Configured language-model endpoint: {pack.model_endpoint}")
    for host in pack.endpoints:
        doc.add_paragraph(host, style="List Bullet")
    doc.add_heading("4. Retention in force", level=1)
    _table(doc, ("Data", "Rule"), [(k.capitalize(), r) for k, r in pack.retention])
    doc.add_heading("5. Models and versions", level=1)
    _table(doc, ("Component", "Configured"), list(pack.models))
    if pack.engines_seen:
        doc.add_paragraph("Engines and versions recorded in use:")
        _table(doc, ("Stage", "Engine", "Version", "Runs"),
               [(s, e, v, str(n)) for s, e, v, n in pack.engines_seen])
    doc.add_heading("6. Evaluation results (benchmarks)", level=1)
    if not pack.benchmarks:
        doc.add_paragraph(f"No benchmark results found in {pack.benchmark_dir}.")
    for bench in pack.benchmarks:
        doc.add_heading(bench.name, level=2)
        doc.add_paragraph(bench.text + ("\n(cut short; see the full file)"
                                        if bench.truncated else ""))
    _docx_dashboard(doc, pack.dashboard, pack.energy_method)
    _docx_bias(doc, pack.bias)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_dashboard(doc: DocxDocument, view: DashboardView, method: str) -> None:
    doc.add_heading("7. Live practice figures", level=1)
    _table(doc, ("Team", "Drafts", "Signed", "Min. to draft", "Hours to sign",
                 "Edit share", "Voice kept"),
           [(r.label, str(r.drafts), str(r.signed), _n(r.minutes_to_draft),
             _n(r.hours_to_sign), _n(r.edit_share), _n(r.voice_share))
            for r in (*view.rows, view.overall)])
    doc.add_paragraph("Flags by kind:")
    _table(doc, ("Kind", "Raised", "Open", "Resolved", "Dismissed"),
           [(f.kind, str(f.raised), str(f.open), str(f.resolved), str(f.dismissed))
            for f in view.flags])
    doc.add_heading("8. Energy and cost", level=1)
    doc.add_paragraph(f"Method on this machine now: {method}; {view.watts_per_core:g} W per "
                      f"core; price {view.currency}{view.price_per_kwh:g} per kWh.")
    _table(doc, ("Month", "Sessions", "CPU s", "Energy Wh", "Wh per session",
                 f"Cost {view.currency}", "Method"),
           [(e.label, str(e.sessions), _n(e.cpu_seconds, 1), _n(e.energy_wh, 3),
             _n(e.wh_per_session, 3), _n(e.cost, 6), e.method) for e in view.energy_by_month])


def _docx_bias(doc: DocxDocument, view: BiasAuditView) -> None:
    doc.add_heading("9. Bias audit (for the equality impact assessment)", level=1)
    doc.add_paragraph(f"Groups of fewer than {view.min_group} people are suppressed. A warning "
                      f"is raised when a group's value differs from the overall value by "
                      f"×{view.threshold:g} or more.")
    for warning in view.warnings or ("No group passed the threshold.",):
        doc.add_paragraph(warning, style="List Bullet")
    header = ("Group", "People", *[m for _, m in view.measures])
    for characteristic in view.characteristics:
        doc.add_heading(characteristic.name, level=2)
        rows = []
        for g in characteristic.groups:
            if g.suppressed:
                rows.append((g.label, f"fewer than {view.min_group}",
                             *["suppressed"] * len(view.measures)))
            else:
                rows.append((g.label, str(g.people),
                             *[bias_audit.cell_text(c, lambda v: f"{v:.2f}")
                               + (f" ×{c.ratio:.2f}" if c.ratio is not None else "")
                               + (" WARNING" if c.warn else "") for c in g.cells]))
        _table(doc, header, rows)


def export_pack(ctx: AppContext, actor: UserView, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of the pack as PDF or DOCX; generating it is audited."""
    if fmt not in FORMATS:
        raise InvalidInput(f"{fmt!r} is not a format for the pack.", hint="Choose PDF or DOCX.")
    pack = build_pack(ctx, actor)
    data = pack_pdf(pack) if fmt == "pdf" else pack_docx(pack)
    with ctx.session() as session:
        record(session, actor, "evaluation.dpia", "evaluation", "dpia",
               f"format={fmt} benchmarks={len(pack.benchmarks)}")
    return f"dpia-pack-{datetime.now(UTC):%Y%m%d}.{fmt}", data
