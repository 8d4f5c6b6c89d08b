"""Transcript readers: every format, the speaker rules, the encodings, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorecard.ingest.transcripts import TranscriptError, read_text, read_transcript

DATA = Path(__file__).resolve().parents[2] / "data" / "transcripts"
GREETINGS = ["добрый день меня зовут", "вас беспокоит компания"]


@pytest.mark.parametrize("path", sorted(DATA.iterdir()), ids=lambda p: p.name)
def test_every_sample_file_loads(path: Path) -> None:
    doc = read_transcript(path, greeting_phrases=GREETINGS)
    assert doc.turns and doc.word_count > 10
    assert all(turn.text for turn in doc.turns)


def text(body: str, **kwargs):
    return read_text(body, source="call.txt", fmt="text", **kwargs)


def test_text_roles_time_codes_and_continuations() -> None:
    doc = text("[00:01:05] Оператор: Добрый день,\nменя зовут Анна.\n\n"
               "00:01:09 КЛИЕНТ: да\nAgent: hi\nCustomer: hello\nМенеджер: ок\n")
    assert [(t.speaker, t.text) for t in doc.turns] == [
        ("operator", "Добрый день, меня зовут Анна."),
        ("client", "да"), ("operator", "hi"), ("client", "hello"), ("operator", "ок"),
    ]
    assert doc.turns[0].start == 65 and doc.turns[1].start == 69
    assert doc.format == "text" and not doc.operator_inferred


def test_colons_inside_speech_are_not_labels() -> None:
    doc = text("Оператор: смотрите\nцена такая: три тысячи\n")
    assert [t.text for t in doc.turns] == ["смотрите цена такая: три тысячи"]


def test_unknown_speaker_labels_are_refused_with_the_line() -> None:
    with pytest.raises(TranscriptError, match=r"call.txt:2: unknown speaker label 'Иван'"):
        text("Оператор: добрый день\nИван: здравствуйте\n")


def test_configured_labels_extend_the_defaults() -> None:
    doc = text("Специалист: добрый день\nАбонент: да\n",
               operator_labels=["специалист"], client_labels=["Абонент"])
    assert [t.speaker for t in doc.turns] == ["operator", "client"]


def test_text_without_labels_has_unknown_speakers() -> None:
    doc = text("добрый день меня зовут анна\nда слушаю\n")
    assert [t.speaker for t in doc.turns] == ["unknown", "unknown"]
    assert not doc.speakers_known


def whisperx(segments: list[dict]) -> str:
    return json.dumps({"segments": segments})


def test_whisperx_merges_a_speaker_and_fills_missing_ones() -> None:
    body = whisperx([
        {"start": 0, "end": 1, "text": " Алло", "speaker": "SPEAKER_01"},
        {"start": 1, "end": 3, "text": " Добрый день, меня зовут Анна", "speaker": "SPEAKER_00"},
        {"start": 3, "end": 4, "text": " из Щита"},
        {"start": 4, "end": 5, "text": " Да", "speaker": "SPEAKER_01"},
    ])
    doc = read_text(body, source="c.json", fmt="json", greeting_phrases=GREETINGS)
    assert doc.format == "whisperx"
    assert [(t.speaker, t.text, t.start, t.end) for t in doc.turns] == [
        ("client", "Алло", 0, 1),
        ("operator", "Добрый день, меня зовут Анна из Щита", 1, 4),
        ("client", "Да", 4, 5),
    ]
    assert doc.operator_label == "SPEAKER_00" and doc.operator_inferred
    assert "said the greeting" in doc.warnings[0]


def test_operator_given_or_inferred_as_first_speaker() -> None:
    body = whisperx([
        {"start": 0, "end": 1, "text": "Компания Щит, слушаю", "speaker": "SPEAKER_01"},
        {"start": 1, "end": 2, "text": "Хочу узнать цену", "speaker": "SPEAKER_00"},
    ])
    inferred = read_text(body, source="c.json", fmt="json")
    assert inferred.operator_label == "SPEAKER_01"
    assert "spoke first" in inferred.warnings[0]
    given = read_text(body, source="c.json", fmt="json", operator="speaker_00")
    assert [t.speaker for t in given.turns] == ["client", "operator"]
    assert not given.operator_inferred and given.warnings == ()
    with pytest.raises(TranscriptError, match="no speaker 'SPEAKER_07'.*SPEAKER_01, SPEAKER_00"):
        read_text(body, source="c.json", fmt="json", operator="SPEAKER_07")


def test_plain_whisper_has_no_speakers() -> None:
    body = json.dumps({"text": "x", "segments": [{"id": 0, "start": 0.0, "end": 2.5,
                                                   "text": " Добрый день"}]})
    doc = read_text(body, source="w.json", fmt="json")
    assert doc.format == "whisper" and doc.turns[0].speaker == "unknown"
    assert doc.turns[0].end == 2.5


def test_vtt_voices_prefixes_and_tags() -> None:
    body = ("WEBVTT\n\nSTYLE\n::cue { color: red }\n\n"
            "intro\n00:00.000 --> 00:02.000 align:start\n<v.loud Оператор>Добрый <i>день</i>\n\n"
            "00:02.000 --> 00:04.000\n[SPEAKER_01]: слушаю\n\n"
            "00:00:04.000 --> 00:00:05.500\n<v Клиент>да</v>\n<v Оператор>меня зовут Анна\n")
    doc = read_text(body, source="c.vtt", fmt="vtt")
    assert [(t.label, t.text) for t in doc.turns] == [
        ("Оператор", "Добрый день"), ("SPEAKER_01", "слушаю"), ("Клиент", "да"),
        ("Оператор", "меня зовут Анна"),
    ]
    assert doc.turns[2].start == 4 and doc.turns[2].end == 5.5


def test_srt_with_speaker_prefixes() -> None:
    body = ("1\n00:00:00,000 --> 00:00:02,000\nОператор: Добрый день\n\n"
            "2\n00:00:02,500 --> 00:00:04,000\nКлиент: да\n")
    doc = read_text(body, source="c.srt", fmt="srt")
    assert [(t.speaker, t.text, t.start) for t in doc.turns] == [
        ("operator", "Добрый день", 0), ("client", "да", 2.5)]


@pytest.mark.parametrize(
    ("fmt", "body", "message"),
    [
        ("text", "   \n\n", "c: the file is empty"),
        ("json", '{"text": "hi"}', 'c: not a Whisper transcript (no "segments" list)'),
        ("json", '{\n"segments": [\n}', "c:3: not valid JSON"),
        ("json", '{"segments": [{"start": 0, "end": 1}]}', "segment #1 has no text"),
        ("json", '{"segments": [{"start": 2, "end": 1, "text": "a"}]}', "bad start/end times"),
        ("vtt", "WEBVTT\n\n00:00.000 --> soon\nтекст\n", "c:3: broken timestamp"),
        ("vtt", "WEBVTT\n\n00:05.000 --> 00:01.000\nтекст\n", "c:3: the cue ends before"),
        ("vtt", "00:00.000 --> 00:01.000\nтекст\n", "c:1: a WebVTT file starts with WEBVTT"),
        ("srt", "1\n00:00:01,000 -> 00:00:02,000\nтекст\n", "c:1: a cue without a timing"),
        ("srt", "1\n00:00:01,000 --> 00:00:0x,000\nтекст\n", "c:2: broken timestamp"),
        ("json", '{"segments": [{"start": 0, "end": 1, "text": "  "}]}', "no speech found"),
    ],
)
def test_bad_input_names_file_and_line(fmt: str, body: str, message: str) -> None:
    with pytest.raises(TranscriptError) as caught:
        read_text(body, source="c", fmt=fmt)
    assert message in str(caught.value)


def test_encodings(tmp_path: Path) -> None:
    line = "Оператор: Добрый день, меня зовут Анна\nКлиент: Слушаю\n"
    for name, raw in (("utf8.txt", line.encode()), ("bom.txt", b"\xef\xbb\xbf" + line.encode()),
                      ("win.txt", line.encode("cp1251"))):
        (tmp_path / name).write_bytes(raw)
        doc = read_transcript(tmp_path / name)
        assert doc.turns[0].text == "Добрый день, меня зовут Анна", name
        assert doc.turns[0].label == "Оператор"
    forced = read_transcript(tmp_path / "win.txt", encoding="cp1251")
    assert forced.turns[1].text == "Слушаю"


def test_binary_and_unknown_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(TranscriptError, match="a.txt: not a text file"):
        read_transcript(tmp_path / "a.txt")
    (tmp_path / "b.doc").write_text("x")
    with pytest.raises(TranscriptError, match="unknown transcript type '.doc'"):
        read_transcript(tmp_path / "b.doc")
    with pytest.raises(TranscriptError, match="no such file"):
        read_transcript(tmp_path / "missing.txt")
