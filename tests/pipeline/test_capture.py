"""Transcript import: plain text, WebVTT and SRT into numbered segments, with actionable errors."""

from __future__ import annotations

import re

import pytest

from casenotes.demo import load_demo_case
from casenotes.domain.errors import InvalidInput
from casenotes.domain.transcript import Segment, Transcript
from casenotes.pipeline.capture import (
    MAX_SEGMENTS,
    TranscriptFormat,
    detect_format,
    parse_transcript,
    render_transcript,
)

# A word that appears in every bad fixture below: it must never reach an error message.
SECRET = "Zebedee"


def refused(content: bytes | str, filename: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_transcript(content, filename)
    return caught.value


def rows(transcript: Transcript) -> list[tuple[int, str, str, float | None, float | None]]:
    return [(s.id, s.speaker, s.text, s.start, s.end) for s in transcript.segments]


# --- plain text -------------------------------------------------------------------------------


def test_text_speaker_lines_become_segments_numbered_from_one() -> None:
    transcript = parse_transcript(
        "Sam Okafor: Hello, thanks for having me.\nDana Reid: Come in.\nSam Okafor: Thank you.\n",
        "visit.txt",
    )
    assert rows(transcript) == [
        (1, "Sam Okafor", "Hello, thanks for having me.", None, None),
        (2, "Dana Reid", "Come in.", None, None),
        (3, "Sam Okafor", "Thank you.", None, None),
    ]
    assert transcript.speakers == ["Sam Okafor", "Dana Reid"]


def test_text_continuation_lines_join_the_previous_turn_and_blank_lines_are_ignored() -> None:
    transcript = parse_transcript(
        "\n\nSam Okafor: I wanted to ask\n   about school.\n\n\nDana Reid: It's fine.\n"
        "At 10:30 she goes in.\nSee https://example.com/letter\n",
        "visit.txt",
    )
    assert rows(transcript) == [
        (1, "Sam Okafor", "I wanted to ask about school.", None, None),
        (
            2,
            "Dana Reid",
            "It's fine. At 10:30 she goes in. See https://example.com/letter",
            None,
            None,
        ),
    ]


def test_text_leading_timestamps_are_read_as_start_times() -> None:
    transcript = parse_transcript(
        "[00:00:05] Sam Okafor: Hello.\n(01:15) Dana Reid: Hi.\n[1:02:03.5] Sam Okafor: Bye.\n",
        "visit.txt",
    )
    assert [(s.start, s.end) for s in transcript.segments] == [
        (5.0, None),
        (75.0, None),
        (3723.5, None),
    ]
    assert [s.text for s in transcript.segments] == ["Hello.", "Hi.", "Bye."]


def test_text_time_alone_on_a_line_starts_the_next_turn() -> None:
    transcript = parse_transcript("[00:00:07]\nSam Okafor: Hello.\n", "visit.txt")
    assert rows(transcript) == [(1, "Sam Okafor", "Hello.", 7.0, None)]


def test_text_words_before_any_speaker_name_the_line() -> None:
    error = refused(f"\n\n{SECRET} said hello\nSam Okafor: Hi.\n", "visit.txt")
    assert "Line 3" in error.message
    assert "no speaker" in error.message
    assert "colon" in error.hint


@pytest.mark.parametrize("stamp", ["[00:75:10]", "(1:2)", "[00:01:99]", "[12:30pm]"])
def test_text_malformed_timestamp_names_the_line(stamp: str) -> None:
    error = refused(f"Sam Okafor: Hello.\n{stamp} Dana Reid: {SECRET}.\n", "visit.txt")
    assert error.message == "Line 2 has a malformed timestamp."
    assert "00:01:15" in error.hint


# --- WebVTT -----------------------------------------------------------------------------------

VTT = """WEBVTT - home visit
Kind: captions
Language: en-GB

NOTE recorded on the worker's laptop
this block is a comment

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:04.250 align:start position:10%
<v Sam Okafor>Hello, I'm Sam.</v>

00:00:05.000 --> 00:00:07.000
<v.loud Dana Reid>Come <i>in</i>, it's cold &amp; wet.</v>
"""


def test_vtt_voice_tags_become_speakers_with_times() -> None:
    transcript = parse_transcript(VTT, "visit.vtt")
    assert rows(transcript) == [
        (1, "Sam Okafor", "Hello, I'm Sam.", 1.0, 4.25),
        (2, "Dana Reid", "Come in, it's cold & wet.", 5.0, 7.0),
    ]


def test_vtt_speaker_colon_payloads_are_read_without_voice_tags() -> None:
    transcript = parse_transcript(
        "WEBVTT\n\n00:01.000 --> 00:02.000\nSam Okafor: Hello.\n\n"
        "00:02.500 --> 00:04.000\nDana Reid: Hi there,\nhow are you?\n",
        "visit.vtt",
    )
    assert rows(transcript) == [
        (1, "Sam Okafor", "Hello.", 1.0, 2.0),
        (2, "Dana Reid", "Hi there, how are you?", 2.5, 4.0),
    ]


def test_vtt_consecutive_cues_by_the_same_speaker_merge_into_one_turn() -> None:
    transcript = parse_transcript(
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.000\n<v Sam Okafor>First part,\n\n"
        "00:00:02.000 --> 00:00:03.500\n<v Sam Okafor>second part.\n\n"
        "00:00:04.000 --> 00:00:05.000\n<v Dana Reid>Reply.\n\n"
        "00:00:05.000 --> 00:00:06.000\n<v Sam Okafor>Again.\n",
        "visit.vtt",
    )
    assert rows(transcript) == [
        (1, "Sam Okafor", "First part, second part.", 1.0, 3.5),
        (2, "Dana Reid", "Reply.", 4.0, 5.0),
        (3, "Sam Okafor", "Again.", 5.0, 6.0),
    ]


def test_vtt_cue_with_two_voices_becomes_two_turns_sharing_its_times() -> None:
    transcript = parse_transcript(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n"
        "<v Dana Reid>Tea?</v>\n<v Sam Okafor>Yes please.\n",
        "visit.vtt",
    )
    assert rows(transcript) == [
        (1, "Dana Reid", "Tea?", 1.0, 3.0),
        (2, "Sam Okafor", "Yes please.", 1.0, 3.0),
    ]


def test_vtt_without_header_says_what_is_missing() -> None:
    error = refused(f"00:00:01.000 --> 00:00:02.000\n{SECRET}: hello\n", "visit.vtt")
    assert "Line 1" in error.message and "WEBVTT" in error.message


def test_vtt_cue_ending_before_it_starts_names_the_line() -> None:
    error = refused(
        f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>{SECRET}\n\n"
        f"00:00:09.000 --> 00:00:08.000\n<v A>{SECRET}\n",
        "visit.vtt",
    )
    assert error.message == "Line 6: the cue ends before it starts."


# --- SRT --------------------------------------------------------------------------------------


def test_srt_cues_with_speaker_labels_become_segments() -> None:
    transcript = parse_transcript(
        "1\n00:00:01,000 --> 00:00:04,000\nSam Okafor: Hello.\n\n"
        "2\n00:00:04,500 --> 00:00:06,000\n- Dana Reid: Hi.\n",
        "visit.srt",
    )
    assert rows(transcript) == [
        (1, "Sam Okafor", "Hello.", 1.0, 4.0),
        (2, "Dana Reid", "Hi.", 4.5, 6.0),
    ]


def test_srt_without_speaker_labels_uses_speaker_1_one_turn_per_cue() -> None:
    transcript = parse_transcript(
        "1\n00:00:01,000 --> 00:00:02,000\nhello there\n\n2\n00:00:02,000 --> 00:00:03,000\n"
        "how are you\n",
        "asr.srt",
    )
    assert rows(transcript) == [
        (1, "Speaker 1", "hello there", 1.0, 2.0),
        (2, "Speaker 1", "how are you", 2.0, 3.0),
    ]


@pytest.mark.parametrize(
    "timing",
    ["00:00:0x,000 --> 00:00:04,000", "00:00:01,000 --> 00:61:00,000", "01,000 --> 02,000"],
)
def test_srt_with_bad_timestamp_names_the_line(timing: str) -> None:
    content = f"1\n00:00:00,000 --> 00:00:01,000\nA: ok\n\n2\n{timing}\nA: {SECRET}\n"
    error = refused(content, "visit.srt")
    assert error.message == "Line 6 has a malformed timestamp."
    assert "below 60" in error.hint


def test_srt_cue_without_a_time_line_names_the_line() -> None:
    error = refused(f"1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n{SECRET} here\n", "visit.srt")
    assert error.message.startswith("Line 6 should be a time line")


def test_srt_blank_line_inside_a_cue_names_the_stray_line() -> None:
    error = refused(f"1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n{SECRET} more\n", "visit.srt")
    assert error.message.startswith("Line 5 should start a cue")
    assert "blank line" in error.hint


# --- every format -----------------------------------------------------------------------------


def test_windows_line_endings_and_byte_order_mark_are_accepted() -> None:
    content = "\ufeffWEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Sam>Hi.\r\n".encode()
    assert rows(parse_transcript(content, "visit.vtt")) == [(1, "Sam", "Hi.", 1.0, 2.0)]
    assert rows(parse_transcript(b"\xef\xbb\xbfSam: Hi.\r\nDana: Hello.", "v.txt"))[1][1] == "Dana"


def test_non_utf8_file_says_so_and_names_the_line() -> None:
    error = refused(f"Sam: hello\nDana: {SECRET} caf\xe9\n".encode("latin-1"), "visit.txt")
    assert error.message.startswith("The file is not UTF-8 text: line 2")
    assert "UTF-8" in error.hint


def test_utf16_file_is_reported_as_not_utf8() -> None:
    error = refused(f"Sam: {SECRET}\n".encode("utf-16"), "visit.txt")
    assert error.message.startswith("The file is not UTF-8 text: line 1")


@pytest.mark.parametrize(("content", "filename"), [(b"", "visit.txt"), (" \n\t\n", "visit.vtt")])
def test_empty_file_is_refused(content: bytes | str, filename: str) -> None:
    assert refused(content, filename).message == "The file is empty."


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        ("WEBVTT\n\nNOTE only a comment\n", "visit.vtt"),
        ("1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n", "visit.srt"),
        ("Sam Okafor:\n[00:00:03]\nDana Reid:   \n", "visit.txt"),
    ],
)
def test_file_with_no_speech_is_refused(content: str, filename: str) -> None:
    assert refused(content, filename).message.startswith("The file has no speech in it")


def test_over_long_file_is_refused_naming_the_first_line_over_the_limit() -> None:
    content = "".join(f"{'AB'[i % 2]}: turn\n" for i in range(MAX_SEGMENTS + 5))
    error = refused(content, "long.txt")
    assert f"line {MAX_SEGMENTS + 1}" in error.message
    assert "20,000" in error.hint
    at_limit = content[: len("A: turn\n") * MAX_SEGMENTS]
    assert len(parse_transcript(at_limit, "long.txt").segments) == MAX_SEGMENTS


def test_document_and_audio_files_are_refused_by_type() -> None:
    error = refused(b"PK\x03\x04", "notes.docx")
    assert "Word document" in error.message
    assert "recording" in refused(b"fLaC", "visit.flac").hint


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (f"{SECRET} words\n", "a.txt"),
        (f"A: x\n[00:99:00] {SECRET}: y\n", "a.txt"),
        (f"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\n<v {SECRET}>x\n", "a.vtt"),
        (f"1\n{SECRET} --> 00:00:01,000\nx\n", "a.srt"),
        (f"1\n{SECRET}\n", "a.srt"),
        (f"{SECRET}\n00:00:01,000 --> 00:00:02,000\nx\n", "a.srt"),
        (f"{SECRET}: caf\xe9".encode("latin-1"), "a.txt"),
        (f"{SECRET}:\n", "a.txt"),
    ],
)
def test_errors_never_repeat_what_the_file_says(content: str | bytes, filename: str) -> None:
    error = refused(content, filename)
    assert SECRET not in str(error)
    assert re.search(r"[Ll]ine \d+|no speech", error.message)


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", "export.txt", TranscriptFormat.VTT),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "export.txt", TranscriptFormat.SRT),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "export", TranscriptFormat.SRT),
        ("Sam: hi\n", "visit.srt", TranscriptFormat.SRT),
        ("Sam: hi\n", "visit.VTT", TranscriptFormat.VTT),
        ("Sam: 10:30 --> 11:00 is when we met\n", "visit.txt", TranscriptFormat.TEXT),
        (b"Sam: hi\n", "visit", TranscriptFormat.TEXT),
    ],
)
def test_detect_format_reads_content_then_extension(
    content: str | bytes, filename: str, expected: TranscriptFormat
) -> None:
    assert detect_format(content, filename) is expected


# --- round trips ------------------------------------------------------------------------------

TIMED = Transcript(
    segments=(
        Segment(1, "Sam Okafor", "Hello Dana: is now a good time?", 0.0, 2.5),
        Segment(2, "Dana Reid", "Yes <honestly> & come in.", 2.75, 61.125),
        Segment(3, "Sam Okafor", "Thanks.", 3600.0, 3601.001),
    )
)


@pytest.mark.parametrize("fmt", [TranscriptFormat.VTT, TranscriptFormat.SRT])
def test_timed_transcript_survives_a_round_trip(fmt: TranscriptFormat) -> None:
    written = render_transcript(TIMED, fmt)
    assert detect_format(written, f"x.{fmt.value}") is fmt
    assert parse_transcript(written, f"x.{fmt.value}") == TIMED
    assert parse_transcript(written.encode(), "no-extension") == TIMED


def test_text_round_trip_keeps_speakers_words_and_start_times() -> None:
    written = render_transcript(TIMED, TranscriptFormat.TEXT)
    assert written.splitlines()[0] == "[00:00:00] Sam Okafor: Hello Dana: is now a good time?"
    back = parse_transcript(written, "x.txt")
    assert rows(back) == [(i, sp, text, start, None) for i, sp, text, start, _ in rows(TIMED)]
    assert render_transcript(back, TranscriptFormat.TEXT) == written


def test_untimed_transcript_cannot_be_written_as_subtitles() -> None:
    untimed = parse_transcript("Sam: hi\n", "x.txt")
    with pytest.raises(InvalidInput, match="no audio times"):
        render_transcript(untimed, TranscriptFormat.SRT)
    assert render_transcript(untimed, TranscriptFormat.TEXT) == "Sam: hi\n"


# --- the demo case goes through the same import -----------------------------------------------


def test_demo_visit_parses_into_named_turns_with_the_childs_own_words() -> None:
    case = load_demo_case()
    segments = case.transcript.segments
    assert 35 <= len(segments) <= 50
    assert [s.id for s in segments] == list(range(1, len(segments) + 1))
    names = {p.name for p in case.people}
    # The neighbour who joins is deliberately not on the case record: the review flags her.
    assert set(case.transcript.speakers) - names == {"Lorraine Pike"}
    roles = {p.role for p in case.people}
    assert {"social_worker", "parent", "child", "grandparent", "teacher"} <= roles
    child = next(p for p in case.people if p.role == "child" and p.name in case.transcript.speakers)
    assert sum(s.speaker == child.name for s in segments) >= 5
    text = case.transcript.text
    assert "the reason for my visit" in text.lower()
    assert "£340" in text and "Thursday the 14th" in text
    assert "what we've agreed" in text


def _nhs_check_digit_ok(number: str) -> bool:
    digits = [int(d) for d in number]
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and (0 if check == 11 else check) == digits[9]


def test_demo_case_uses_only_fictional_identifiers() -> None:
    text = load_demo_case().transcript.text
    nhs = [n.replace(" ", "") for n in re.findall(r"\b\d{3} \d{3} \d{4}\b", text)]
    assert nhs and all(n.startswith("999") and _nhs_check_digit_ok(n) for n in nhs)
    phones = re.findall(r"\b0\d{4} ?\d{6}\b", text)
    assert phones and all(p.replace(" ", "").startswith("07700900") for p in phones)
    emails = re.findall(r"[\w.]+@\w+(?:\.\w+)+", text)
    assert emails and all(e.endswith("@example.com") for e in emails)
