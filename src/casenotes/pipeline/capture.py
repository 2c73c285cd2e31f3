"""Capture stage (import): read a transcript file into a :class:`Transcript`.

Three formats are understood, chosen from the file's content first and its extension second:

- plain text, one turn per ``Speaker: words`` line, with an optional ``[00:01:15]`` or ``(01:15)``
  start time at the line start; lines without a speaker continue the previous turn;
- WebVTT (``WEBVTT`` header; ``<v Speaker>`` voice tags or ``Speaker: text`` payloads);
- SRT (numbered cues, ``00:00:01,000 --> 00:00:04,000``, ``Speaker: text`` payloads).

Errors name the line and say what to do; they never repeat what the file says, because a
transcript is personal data and error messages end up in logs.
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from casenotes.domain.errors import InvalidInput
from casenotes.domain.transcript import Segment, Transcript

MAX_SEGMENTS = 20_000
UNNAMED_SPEAKER = "Speaker 1"


class TranscriptFormat(enum.StrEnum):
    TEXT = "text"
    VTT = "vtt"
    SRT = "srt"


_EXTENSIONS = {
    ".vtt": TranscriptFormat.VTT,
    ".webvtt": TranscriptFormat.VTT,
    ".srt": TranscriptFormat.SRT,
}
# Files people pick by mistake: say what they are rather than "not UTF-8".
_NOT_TRANSCRIPTS = {
    ".doc": "a Word document",
    ".docx": "a Word document",
    ".odt": "a word-processor document",
    ".rtf": "a rich-text document",
    ".pdf": "a PDF",
    ".wav": "an audio file",
    ".mp3": "an audio file",
    ".m4a": "an audio file",
    ".flac": "an audio file",
    ".ogg": "an audio file",
    ".webm": "an audio or video file",
    ".mp4": "a video file",
}
_FORMAT_HINT = (
    "Export the transcript as plain text (.txt, one 'Name: words' line per turn), "
    "WebVTT (.vtt) or SRT (.srt), saved as UTF-8, and import it again."
)
_TIME_HINT = (
    "Times must look like 00:01:15.000 (hours:minutes:seconds, then milliseconds after a "
    "'.' or ','), with minutes and seconds below 60."
)

# A speaker label: starts with a letter, at most six words of name-like characters.
_LABEL = re.compile(r"[^\W\d_][\w'’.\-()&/ ]{0,59}")
_LABEL_MAX_WORDS = 6
# "[00:01:15]" or "(01:15)" at a line start; anything bracketed that starts with a digit and has
# a colon is meant as a time, so it is validated rather than read as words.
_LEADING_TIME = re.compile(r"\s*[\[(]\s*(\d[^\])]{0,15}:[^\])]{0,15}?)\s*[\])]\s*")
_TIME = re.compile(r"(?:(\d{1,3}):)?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?")
_ARROW = "-->"
_TIMING = re.compile(r"\s*(\S+?)\s*-->\s*(\S+)(?:\s.*)?")
_CUE_TIMING = re.compile(r"\s*\d[\d:.,]*\s*-->")  # how a cue's time line starts, for sniffing
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def detect_format(content: bytes | str, filename: str) -> TranscriptFormat:
    """Say which transcript format ``content`` is in.

    Content decides when it is unmistakable (a ``WEBVTT`` header; an SRT cue number followed by
    a time line); otherwise the extension does; otherwise it is plain text.

    Raises:
        InvalidInput: the file is empty, not UTF-8 text, or a document/audio file.
    """
    return _detect(_decode(content, filename), filename)


def parse_transcript(content: bytes | str, filename: str) -> Transcript:
    """Read a plain-text, WebVTT or SRT transcript into segments numbered 1..N.

    Raises:
        InvalidInput: with the line number and what was wrong, and a hint what to do.
    """
    text = _decode(content, filename)
    lines = text.split("\n")
    fmt = _detect(text, filename)
    if fmt is TranscriptFormat.VTT:
        turns = _parse_vtt(lines)
    elif fmt is TranscriptFormat.SRT:
        turns = _parse_srt(lines)
    else:
        turns = _parse_text(lines)
    segments = tuple(
        Segment(id=i, speaker=t.speaker, text=t.text, start=t.start, end=t.end)
        for i, t in enumerate(turns, start=1)
    )
    if not segments:
        raise InvalidInput(
            "The file has no speech in it: no turn has any words.",
            hint="Check that this is the transcript of the conversation. " + _FORMAT_HINT,
        )
    return Transcript(segments=segments)


def render_transcript(transcript: Transcript, fmt: TranscriptFormat) -> str:
    """Write ``transcript`` in ``fmt``, such that :func:`parse_transcript` reads it back.

    Raises:
        InvalidInput: WebVTT or SRT asked for but a segment has no audio times.
    """
    if fmt is TranscriptFormat.TEXT:
        out = []
        for seg in transcript.segments:
            when = ""
            if seg.start is not None:
                when = f"[{_clock(seg.start, '.', always_fraction=False)}] "
            out.append(f"{when}{seg.speaker}: {seg.text}")
        return "\n".join(out) + "\n"
    blocks: list[str] = ["WEBVTT"] if fmt is TranscriptFormat.VTT else []
    sep = "." if fmt is TranscriptFormat.VTT else ","
    for seg in transcript.segments:
        if seg.start is None or seg.end is None:
            raise InvalidInput(
                f"Turn {seg.id} has no audio times, which {fmt.value.upper()} needs.",
                hint="Export this transcript as plain text instead.",
            )
        timing = f"{_clock(seg.start, sep)} --> {_clock(seg.end, sep)}"
        # Both formats carry markup; escaping keeps a literal "<" or "&" in the words.
        speaker, words = html.escape(seg.speaker, quote=False), html.escape(seg.text, quote=False)
        if fmt is TranscriptFormat.VTT:
            blocks.append(f"{timing}\n<v {speaker}>{words}</v>")
        else:
            blocks.append(f"{seg.id}\n{timing}\n{speaker}: {words}")
    return "\n\n".join(blocks) + "\n"


# --- decoding and detection ------------------------------------------------------------------


def _decode(content: bytes | str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix in _NOT_TRANSCRIPTS:
        what = _NOT_TRANSCRIPTS[suffix]
        media = "audio" in what or "video" in what
        raise InvalidInput(
            f"{filename!r} looks like {what}, not a transcript file.",
            hint=("Add audio and video as a recording instead. " if media else "") + _FORMAT_HINT,
        )
    if isinstance(content, bytes):
        # UTF-16 (what some Windows tools call "Unicode") is full of NUL bytes; so is binary data.
        bad_at = content.find(b"\x00")
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            bad_at = 0
        if bad_at < 0:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                bad_at = exc.start
        if bad_at >= 0:
            line = content[:bad_at].count(b"\n") + 1
            raise InvalidInput(
                f"The file is not UTF-8 text: line {line} has bytes that are not UTF-8 "
                "(the file may be UTF-16, another encoding, or not text at all).",
                hint="Save the transcript as UTF-8 text (most editors offer this under "
                "'Save as', sometimes called 'Unicode (UTF-8)') and import it again.",
            )
    else:
        text = content.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidInput(
            "The file is empty.",
            hint="Choose the file that holds the transcript of the conversation.",
        )
    return text


def _detect(text: str, filename: str) -> TranscriptFormat:
    head = [line.strip() for line in text.split("\n", 40)[:40] if line.strip()]
    if head and head[0].startswith("WEBVTT"):
        return TranscriptFormat.VTT
    suffix = PurePath(filename).suffix.lower()
    if _EXTENSIONS.get(suffix) is TranscriptFormat.VTT:
        return TranscriptFormat.VTT  # without its header: the parser says what is missing
    if head and (
        _CUE_TIMING.match(head[0])
        or (head[0].isdigit() and len(head) > 1 and _CUE_TIMING.match(head[1]))
    ):
        return TranscriptFormat.SRT
    return _EXTENSIONS.get(suffix, TranscriptFormat.TEXT)


# --- building turns ---------------------------------------------------------------------------


@dataclass
class _Turn:
    speaker: str
    line: int
    start: float | None = None
    end: float | None = None
    parts: list[str] = field(default_factory=list)
    named: bool = True  # the file said who spoke (unnamed turns are never merged)

    @property
    def text(self) -> str:
        return " ".join(p for p in self.parts if p)


class _Turns:
    """Collects turns, keeping only those with words, and enforces the size limit."""

    def __init__(self) -> None:
        self.done: list[_Turn] = []

    def add(self, turn: _Turn) -> None:
        if not turn.text:
            return
        if len(self.done) >= MAX_SEGMENTS:
            raise InvalidInput(
                f"The transcript is too long: line {turn.line} starts turn "
                f"{MAX_SEGMENTS + 1:,}, and at most {MAX_SEGMENTS:,} turns can be imported.",
                hint=f"Split the transcript into parts of up to {MAX_SEGMENTS:,} turns "
                "and import each part.",
            )
        self.done.append(turn)

    def add_cue(self, turn: _Turn) -> None:
        """Add a cue's words, joining it to the previous turn when the same named speaker spoke."""
        last = self.done[-1] if self.done else None
        if last is not None and turn.named and last.named and last.speaker == turn.speaker:
            last.parts.extend(turn.parts)
            if turn.end is not None:
                last.end = turn.end if last.end is None else max(last.end, turn.end)
            return
        self.add(turn)


def _clean(words: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", words))).strip()


def _split_label(line: str) -> tuple[str, str] | None:
    """``"Sam Okafor: hello"`` → ``("Sam Okafor", "hello")``; None when the line has no label."""
    label, colon, rest = line.partition(":")
    if not colon or (rest and not rest[0].isspace()):
        return None
    label = _SPACE.sub(" ", label).strip()
    if not _LABEL.fullmatch(label) or len(label.split()) > _LABEL_MAX_WORDS:
        return None
    return label, rest.strip()


def _bad_time(line: int) -> InvalidInput:
    return InvalidInput(f"Line {line} has a malformed timestamp.", hint=_TIME_HINT)


def _seconds(value: str, line: int) -> float:
    match = _TIME.fullmatch(value.strip())
    if match is None:
        raise _bad_time(line)
    hours, minutes, secs, frac = match.groups()
    if int(secs) >= 60 or (hours is not None and int(minutes) >= 60):
        raise _bad_time(line)
    fraction = int(frac) / 10 ** len(frac) if frac else 0.0
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + fraction


def _clock(seconds: float, sep: str, *, always_fraction: bool = True) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if always_fraction or millis:
        clock += f"{sep}{millis:03d}"
    return clock


# --- plain text -------------------------------------------------------------------------------


def _parse_text(lines: list[str]) -> list[_Turn]:
    turns = _Turns()
    current: _Turn | None = None
    pending_start: float | None = None  # a time alone on its line applies to the next turn
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        start: float | None = None
        body = raw
        stamp = _LEADING_TIME.match(raw)
        if stamp is not None:
            start = _seconds(stamp.group(1), number)
            body = raw[stamp.end() :]
            if not body.strip():
                pending_start = start
                continue
        labelled = _split_label(body.strip())
        if labelled is not None:
            if current is not None:
                turns.add(current)
            speaker, words = labelled
            current = _Turn(
                speaker=speaker,
                line=number,
                start=start if start is not None else pending_start,
                parts=[_SPACE.sub(" ", words)],
            )
            pending_start = None
        elif current is None:
            raise InvalidInput(
                f"Line {number} has words but no speaker, and no speaker has been named before it.",
                hint="Start each turn with the speaker's name and a colon, for example "
                "'Social worker: …'. " + _FORMAT_HINT,
            )
        else:
            current.parts.append(_SPACE.sub(" ", body.strip()))
            pending_start = None
    if current is not None:
        turns.add(current)
    return turns.done


# --- WebVTT and SRT ---------------------------------------------------------------------------


def _blocks(lines: list[str], first: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Groups of consecutive non-blank lines, each with its first line's 1-based number."""
    block: list[str] = []
    start = first
    for index in range(first, len(lines)):
        if lines[index].strip():
            if not block:
                start = index
            block.append(lines[index])
        elif block:
            yield start + 1, block
            block = []
    if block:
        yield start + 1, block


def _timing(line: str, number: int) -> tuple[float, float]:
    match = _TIMING.fullmatch(line)
    if match is None:
        raise _bad_time(number)
    start, end = _seconds(match.group(1), number), _seconds(match.group(2), number)
    if end < start:
        raise InvalidInput(
            f"Line {number}: the cue ends before it starts.",
            hint="Check the times on this line: the second time must not be earlier than the "
            "first.",
        )
    return start, end


def _cue_turns(payload: list[str], number: int, start: float, end: float) -> list[_Turn]:
    """Split one cue's text into the turns of each speaker in it."""
    found: list[_Turn] = []

    def turn(speaker: str | None, words: str) -> None:
        found.append(
            _Turn(
                speaker=speaker or UNNAMED_SPEAKER,
                line=number,
                start=start,
                end=end,
                parts=[words],
                named=speaker is not None,
            )
        )

    joined = "\n".join(payload)
    pieces = _VOICE.split(joined)
    # pieces: text before any voice tag, then (voice name, its text) pairs.
    for raw_line in pieces[0].split("\n"):
        line = _clean(raw_line).removeprefix("- ").strip()
        if not line:
            continue
        labelled = _split_label(line)
        if labelled is not None:
            turn(*labelled)
        elif found:
            found[-1].parts.append(line)
        else:
            turn(None, line)
    for name, words in zip(pieces[1::2], pieces[2::2], strict=True):
        speaker = _clean(name or "")
        turn(speaker or None, _clean(words))
    return found


def _parse_cues(lines: list[str], first: int, kind: str) -> list[_Turn]:
    turns = _Turns()
    example = (
        "00:00:01.000 --> 00:00:04.000" if kind == "WebVTT" else "00:00:01,000 --> 00:00:04,000"
    )
    for number, block in _blocks(lines, first):
        head = block[0].strip()
        if kind == "WebVTT" and head.split(maxsplit=1)[0] in {"NOTE", "STYLE", "REGION"}:
            continue
        if _ARROW in head:
            timing_at = 0
        elif len(block) > 1 and _ARROW in block[1] and (kind == "WebVTT" or head.isdigit()):
            timing_at = 1
        elif kind == "SRT" and head.isdigit():
            raise InvalidInput(
                f"Line {number + 1} should be a time line like '{example}' but is not.",
                hint="Each SRT cue is a number, then a time line, then the words. " + _FORMAT_HINT,
            )
        else:
            start_of_cue = "a cue number, then " if kind == "SRT" else "(after an optional name) "
            raise InvalidInput(
                f"Line {number} should start a cue: {start_of_cue}a time line like '{example}'.",
                hint="Check for a blank line inside a cue's words, or a cue without times. "
                + _FORMAT_HINT,
            )
        start, end = _timing(block[timing_at], number + timing_at)
        for turn in _cue_turns(block[timing_at + 1 :], number + timing_at + 1, start, end):
            turns.add_cue(turn)
    return turns.done


def _parse_vtt(lines: list[str]) -> list[_Turn]:
    first = next(i for i, line in enumerate(lines) if line.strip())
    header = lines[first].strip()
    if not (header == "WEBVTT" or header.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise InvalidInput(
            f"Line {first + 1} should be 'WEBVTT': a WebVTT file starts with that header.",
            hint="Add a first line reading WEBVTT, or save the file as .srt or .txt if that is "
            "its real format.",
        )
    # Header metadata runs to the first blank line (or, leniently, to the first cue time).
    body = first + 1
    while body < len(lines) and lines[body].strip() and _ARROW not in lines[body]:
        body += 1
    return _parse_cues(lines, body, "WebVTT")


def _parse_srt(lines: list[str]) -> list[_Turn]:
    return _parse_cues(lines, 0, "SRT")
