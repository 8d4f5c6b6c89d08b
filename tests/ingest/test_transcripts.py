"""Transcript readers: every format, the speaker rules, the encodings, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scorecard.domain.transcripts import TranscriptDoc
from scorecard.ingest.transcripts import TranscriptError, plain, read_text, read_transcript

DATA = Path(__file__).resolve().parents[2] / "data" / "transcripts"
GREETINGS = ["добрый день меня зовут", "вас беспокоит компания"]


def text(body: str, **kwargs: Any) -> TranscriptDoc:
    return read_text(body, source="call.txt", fmt="text", **kwargs)


def cues(body: str, fmt: str, **kwargs: Any) -> TranscriptDoc:
    return read_text(body, source=f"call.{fmt}", fmt=fmt, **kwargs)


def whisperx(segments: list[dict[str, Any]], **kwargs: Any) -> TranscriptDoc:
    return read_text(json.dumps({"segments": segments}, ensure_ascii=False),
                     source="call.json", fmt="json", **kwargs)


def said(doc: TranscriptDoc) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in doc.turns]


# -- the shipped samples ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DATA.iterdir()), ids=lambda p: p.name)
def test_every_sample_file_loads(path: Path) -> None:
    doc = read_transcript(path, greeting_phrases=GREETINGS)
    assert 10 <= len(doc.turns) <= 20 and doc.word_count > 50
    assert all(turn.text and turn.text == turn.text.strip() for turn in doc.turns)
    assert doc.source == str(path)
    if doc.format != "whisper":
        assert {turn.speaker for turn in doc.turns} == {"operator", "client"}
        assert doc.turns[0].speaker == "operator" or doc.turns[1].speaker == "operator"


def test_samples_say_who_the_operator_is() -> None:
    def load(name: str) -> TranscriptDoc:
        return read_transcript(DATA / name, greeting_phrases=GREETINGS)

    assert load("call-0001.txt").turns[0].start == 1
    assert load("call-0006-cp1251.txt").turns[0].text.startswith("Компания ОфисСнаб")
    assert load("call-0007-bom.txt").turns[0].label == "Менеджер"
    wx = load("call-0002.whisperx.json")
    assert (wx.format, wx.operator_label, wx.operator_inferred) == ("whisperx", "SPEAKER_00", True)
    assert load("call-0003.whisper.json").format == "whisper"
    assert load("call-0004.vtt").operator_label == "Мария Соколова"
    srt = load("call-0005.srt")
    assert srt.warnings == ("operator inferred as SPEAKER_01 (said the greeting)",)


# -- plain text ---------------------------------------------------------------------------


def test_text_roles_time_codes_and_continuations() -> None:
    doc = text("[00:01:05] Оператор: Добрый день,\nменя зовут Анна.\n\n"
               "00:01:09 КЛИЕНТ: да\n  Agent: hi\nCustomer: hello\n[01:12.5] менеджер: ок\n"
               "Prospect:bye\nOperator : one\nClient: two\n")
    assert said(doc) == [
        ("operator", "Добрый день, меня зовут Анна."), ("client", "да"), ("operator", "hi"),
        ("client", "hello"), ("operator", "ок"), ("client", "bye"), ("operator", "one"),
        ("client", "two"),
    ]
    assert [turn.start for turn in doc.turns[:5]] == [65, 69, None, None, 72.5]
    assert doc.turns[1].label == "КЛИЕНТ"
    assert doc.format == "text" and not doc.operator_inferred and doc.warnings == ()


def test_colons_and_times_inside_speech_are_not_labels() -> None:
    doc = text("Оператор: смотрите\nцена такая: три тысячи\nИтак, договорились: завтра\n"
               "10:30 подойдёт?\nhttps://example.ru: наш сайт\nЗвонок 2: это тоже речь\n"
               "Клиент: да\n")
    assert said(doc) == [
        ("operator", "смотрите цена такая: три тысячи Итак, договорились: завтра 10:30 "
                     "подойдёт? https://example.ru: наш сайт Звонок 2: это тоже речь"),
        ("client", "да"),
    ]


def test_an_unknown_label_is_a_speaker_not_a_refusal() -> None:
    doc = text("Оператор: добрый день\n\nИван: здравствуйте\n")
    assert said(doc) == [("operator", "добрый день"), ("client", "здравствуйте")]
    assert doc.roles == "label"


@pytest.mark.parametrize("line", ["Иван Петров: алло", "[Иван]: алло",
                                  "[00:00:05] иван: алло", "ДИСПЕТЧЕР: алло"])
def test_label_like_prefixes_are_labels(line: str) -> None:
    doc = text(f"Оператор: добрый день\n{line}\n")
    assert said(doc)[1] == ("client", "алло")


def test_a_role_followed_by_a_name_is_that_role() -> None:
    doc = text("Оператор Анна: Добрый день\nКлиент Сергей Петрович: да\n")
    assert [(t.speaker, t.label) for t in doc.turns] == [
        ("operator", "Оператор Анна"), ("client", "Клиент Сергей Петрович")]
    assert doc.operator_label is None


def test_configured_labels_extend_the_defaults() -> None:
    doc = text("Специалист: добрый день\nАбонент: да\nОператор: и ещё\nКлиент: слушаю\n",
               operator_labels=["специалист"], client_labels=["Абонент"])
    assert [turn.speaker for turn in doc.turns] == ["operator", "client", "operator", "client"]


def test_text_without_labels_is_one_unknown_turn_per_line() -> None:
    doc = text("добрый день меня зовут анна\n\n[00:00:04] да слушаю\nИтак: цена такая\n")
    assert said(doc) == [("unknown", "добрый день меня зовут анна"),
                         ("unknown", "да слушаю"), ("unknown", "Итак: цена такая")]
    assert doc.turns[1].start == 4 and not doc.speakers_known


def test_text_labelled_with_names_infers_the_operator_or_takes_the_one_named() -> None:
    body = "Анна: Добрый день, меня зовут Анна\nИван: Слушаю\nАнна: Удобно говорить?\n"
    guessed = text(body, greeting_phrases=GREETINGS)
    assert [turn.speaker for turn in guessed.turns] == ["operator", "client", "operator"]
    assert guessed.operator_label == "Анна" and guessed.operator_inferred
    doc = text(body, operator="анна")
    assert [turn.speaker for turn in doc.turns] == ["operator", "client", "operator"]
    assert doc.operator_label == "Анна" and not doc.operator_inferred


def test_text_with_diarised_labels_infers_the_operator() -> None:
    doc = text("SPEAKER_00: Алло\n[SPEAKER_01]: Добрый день, меня зовут Анна\nSPEAKER_00: да\n",
               greeting_phrases=GREETINGS)
    assert [turn.speaker for turn in doc.turns] == ["client", "operator", "client"]
    assert doc.operator_label == "SPEAKER_01" and doc.operator_inferred


def test_a_leading_line_without_a_label_is_kept_and_reported() -> None:
    doc = text("Звонок от 12.03.2025\nОператор: Добрый день\n")
    assert said(doc) == [("unknown", "Звонок от 12.03.2025"), ("operator", "Добрый день")]
    assert doc.warnings == ("line 1 has no speaker label; kept as an unknown speaker's turn",)


def test_text_line_endings_do_not_shift_line_numbers() -> None:
    doc = text("Звонок\r\nОператор: раз\r\nдва\r\nПетя: три\r\n")
    assert doc.warnings == ("line 1 has no speaker label; kept as an unknown speaker's turn",
                            "Петя taken as the client: the operator is labelled by role")
    assert said(doc)[1:] == [("operator", "раз два"), ("client", "три")]


# -- Whisper and WhisperX JSON ------------------------------------------------------------


def test_plain_whisper_keeps_every_segment_as_an_unknown_turn() -> None:
    body = json.dumps({"text": "…", "language": "ru", "segments": [
        {"id": 0, "seek": 0, "start": 0.0, "end": 2.5, "text": " Добрый день", "tokens": [1]},
        {"id": 1, "seek": 0, "start": 2.5, "end": 3.0, "text": ""},
        {"id": 2, "seek": 0, "start": 3.0, "end": 4.0, "text": " Да,  слушаю "},
        {"id": 3, "seek": 0, "start": 4.0, "end": 5.0, "text": " слушаю"},
    ]}, ensure_ascii=False)
    doc = read_text(body, source="w.json", fmt="json")
    assert doc.format == "whisper"
    assert [(t.speaker, t.text, t.start, t.end) for t in doc.turns] == [
        ("unknown", "Добрый день", 0, 2.5), ("unknown", "Да, слушаю", 3, 4),
        ("unknown", "слушаю", 4, 5),
    ]


def test_whisperx_merges_a_speaker_and_fills_missing_ones() -> None:
    doc = whisperx([
        {"start": 0, "end": 1, "text": " Алло"},
        {"start": 1, "end": 2, "text": " да?", "speaker": "SPEAKER_01"},
        {"start": 2, "end": 3, "text": " Добрый день, меня зовут Анна", "speaker": "SPEAKER_00"},
        {"start": 3, "end": 4, "text": " из Щита"},
        {"start": 4, "end": 4.5, "text": " ", "speaker": "SPEAKER_00"},
        {"start": 4.5, "end": 5, "text": " Да", "speaker": "SPEAKER_01"},
    ], greeting_phrases=GREETINGS)
    assert doc.format == "whisperx"
    assert [(t.speaker, t.label, t.text, t.start, t.end) for t in doc.turns] == [
        ("unknown", None, "Алло", 0, 1),
        ("client", "SPEAKER_01", "да?", 1, 2),
        ("operator", "SPEAKER_00", "Добрый день, меня зовут Анна из Щита", 2, 4),
        ("client", "SPEAKER_01", "Да", 4.5, 5),
    ]
    assert doc.operator_label == "SPEAKER_00" and doc.operator_inferred
    assert doc.warnings == ("operator inferred as SPEAKER_00 (said the greeting)",)


# -- WebVTT ---------------------------------------------------------------------------------


def test_vtt_voice_tags_prefixes_and_markup() -> None:
    body = ("WEBVTT - звонок 42\nKind: captions\n\nNOTE\nэкспорт\n\nSTYLE\n::cue { color: red }\n\n"
            "intro\n00:00.000 --> 00:02.000 align:start\n<v.loud Оператор>Добрый <i>день</i>,\n"
            "<c.yellow>меня</c> <00:00:01.500>зовут Анна</v>\n\n"
            "00:02.000 --> 00:04.000\n[SPEAKER_01]: слушаю &amp; жду\n\n"
            "00:00:04.000 --> 00:00:05.500\n<v Клиент>да</v> <v Оператор>меня зовут Анна\n\n"
            "7\n00:00:06.000 --> 00:00:07.000\nКлиент: цена такая: дорого\n\n"
            "00:00:07.000 --> 00:00:08.000\n<v Клиент>очень\n")
    doc = cues(body, "vtt")
    assert [(t.speaker, t.label, t.text) for t in doc.turns] == [
        ("operator", "Оператор", "Добрый день, меня зовут Анна"),
        ("client", "SPEAKER_01", "слушаю & жду"),
        ("client", "Клиент", "да"),
        ("operator", "Оператор", "меня зовут Анна"),
        ("client", "Клиент", "цена такая: дорого очень"),
    ]
    assert (doc.turns[2].start, doc.turns[2].end) == (4, 5.5)
    assert (doc.turns[4].start, doc.turns[4].end) == (6, 8)
    assert "SPEAKER_01 taken as the client" in doc.warnings[0]


def test_vtt_cues_without_speakers_stay_apart() -> None:
    doc = cues("WEBVTT\n00:00.000 --> 00:01.000\nДобрый день\n\n"
               "00:01.000 --> 00:02.000\nСлушаю\nвас\n", "vtt")
    assert said(doc) == [("unknown", "Добрый день"), ("unknown", "Слушаю вас")]


def test_vtt_voice_names_are_diarised_speakers() -> None:
    body = ("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Иван Петров>Алло\n\n"
            "00:01.000 --> 00:03.000\n<v Анна>Добрый день, меня зовут Анна\n\n"
            "00:03.000 --> 00:04.000\n<v Иван Петров>Слушаю\n")
    inferred = cues(body, "vtt", greeting_phrases=GREETINGS)
    assert [t.speaker for t in inferred.turns] == ["client", "operator", "client"]
    given = cues(body, "vtt", operator="иван петров")
    assert [t.speaker for t in given.turns] == ["operator", "client", "operator"]


# -- SRT ------------------------------------------------------------------------------------


def test_srt_prefixes_tags_and_multiline_cues() -> None:
    body = ("1\r\n00:00:00,000 --> 00:00:02,000\r\nОператор: Добрый день,\r\n<i>меня зовут</i> "
            "Анна\r\n\r\n2\r\n00:00:02,500 --> 00:00:04,000\r\n{\\an8}Клиент: да\r\n\r\n"
            "3\r\n00:00:04,000 --> 00:00:05,000\r\n<font color=\"red\">Клиент:</font> слушаю\r\n")
    doc = cues(body, "srt")
    assert [(t.speaker, t.text, t.start, t.end) for t in doc.turns] == [
        ("operator", "Добрый день, меня зовут Анна", 0, 2), ("client", "да слушаю", 2.5, 5)]


def test_srt_whisperx_prefixes_are_diarised() -> None:
    body = ("1\n00:00:00,000 --> 00:00:01,000\n[SPEAKER_00]: Алло.\n\n"
            "2\n00:00:01,000 --> 00:00:03,000\n[SPEAKER_01]: Компания Щит, меня зовут Анна.\n")
    doc = cues(body, "srt", direction="outbound")
    assert doc.operator_label == "SPEAKER_01"
    assert doc.warnings == ("operator inferred as SPEAKER_01 (spoke first after SPEAKER_00 "
                            "picked up)",)


# -- who is the operator --------------------------------------------------------------------

CALL = [
    {"start": 0, "end": 1, "text": "Компания Щит, слушаю", "speaker": "SPEAKER_01"},
    {"start": 1, "end": 2, "text": "Хочу узнать цену", "speaker": "SPEAKER_00"},
    {"start": 2, "end": 3, "text": "Да, конечно", "speaker": "SPEAKER_01"},
]


def test_operator_given() -> None:
    doc = whisperx(CALL, operator="speaker_0")  # case and leading zeros do not matter
    assert [t.speaker for t in doc.turns] == ["client", "operator", "client"]
    assert doc.operator_label == "SPEAKER_00" and not doc.operator_inferred
    assert doc.warnings == ()


def test_operator_given_but_absent_names_the_labels_there_are() -> None:
    with pytest.raises(TranscriptError) as caught:
        whisperx(CALL, operator="SPEAKER_07")
    assert str(caught.value) == ("call.json: no speaker 'SPEAKER_07' in the file; its speakers "
                                 "are SPEAKER_01, SPEAKER_00")


def test_operator_inferred_by_greeting_over_first_speaker() -> None:
    segments = [
        {"start": 0, "end": 1, "text": "Да, здравствуйте", "speaker": "SPEAKER_00"},
        {"start": 1, "end": 3, "text": "Добрый день! Меня зовут Анна, вас беспокоит компания Щит",
         "speaker": "SPEAKER_01"},
    ]
    doc = whisperx(segments, greeting_phrases=GREETINGS)
    assert doc.operator_label == "SPEAKER_01"
    assert doc.warnings == ("operator inferred as SPEAKER_01 (said the greeting)",)


def test_a_short_reply_does_not_contain_a_greeting() -> None:
    # partial_ratio alone would let «Да» fully match a phrase that ends in «да».
    segments = [{"start": 0, "end": 1, "text": "Да", "speaker": "SPEAKER_00"},
                {"start": 1, "end": 2, "text": "Вам удобно говорить?", "speaker": "SPEAKER_01"}]
    doc = whisperx(segments, greeting_phrases=["удобно говорить да"])
    assert doc.operator_label == "SPEAKER_01"


@pytest.mark.parametrize("direction", [None, "outbound", "inbound"])
def test_operator_inferred_as_first_speaker(direction: str | None) -> None:
    doc = whisperx(CALL, direction=direction, greeting_phrases=["нет такой фразы в звонке"])
    assert doc.operator_label == "SPEAKER_01" and doc.operator_inferred
    assert doc.warnings == ("operator inferred as SPEAKER_01 (spoke first)",)


def test_a_pickup_is_skipped_on_outbound_calls_only() -> None:
    segments = [{"start": 0, "end": 1, "text": "Алло, да?", "speaker": "SPEAKER_00"},
                {"start": 1, "end": 2, "text": "Это Анна из Щита", "speaker": "SPEAKER_01"}]
    assert whisperx(segments, direction="outbound").operator_label == "SPEAKER_01"
    assert whisperx(segments).operator_label == "SPEAKER_01"
    assert whisperx(segments, direction="inbound").operator_label == "SPEAKER_00"


def test_a_single_speaker_is_assigned_with_a_warning() -> None:
    doc = whisperx([{"start": 0, "end": 1, "text": "Добрый день", "speaker": "SPEAKER_03"}])
    assert [t.speaker for t in doc.turns] == ["operator"]
    assert doc.warnings == ("operator inferred as SPEAKER_03 (spoke first)",
                            "only one speaker (SPEAKER_03) in the file: every turn is the "
                            "operator's")


def test_operator_given_for_a_file_labelled_by_role_is_noted_not_refused() -> None:
    doc = text("Оператор: Добрый день\nКлиент: да\n", operator="SPEAKER_01")
    assert doc.operator_label is None
    assert doc.warnings == ("operator 'SPEAKER_01' not used: speakers are named by role",)


# -- encodings and files ---------------------------------------------------------------------

LINES = "Оператор: Добрый день, меня зовут Анна\nКлиент: Слушаю, ёлки\n"


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("utf8.txt", LINES.encode()),
        ("bom.txt", b"\xef\xbb\xbf" + LINES.encode()),
        ("win.txt", LINES.replace("\n", "\r\n").encode("cp1251")),
        ("utf16.txt", LINES.encode("utf-16")),
    ],
)
def test_encodings_are_detected(tmp_path: Path, name: str, raw: bytes) -> None:
    (tmp_path / name).write_bytes(raw)
    doc = read_transcript(tmp_path / name)
    assert said(doc) == [("operator", "Добрый день, меня зовут Анна"),
                         ("client", "Слушаю, ёлки")]
    assert doc.turns[0].label == "Оператор"


def test_an_encoding_can_be_forced(tmp_path: Path) -> None:
    path = tmp_path / "koi.srt"
    path.write_bytes("1\n00:00:00,000 --> 00:00:01,000\nОператор: Привет\n".encode("koi8-r"))
    assert read_transcript(path, encoding="koi8-r").turns[0].text == "Привет"
    with pytest.raises(TranscriptError, match=r"koi\.srt: cannot decode as no-such-codec"):
        read_transcript(path, encoding="no-such-codec")


def test_read_text_accepts_a_bom_and_format_aliases() -> None:
    doc = read_text("\ufeffОператор: привет\n", source="-", fmt="txt")
    assert doc.turns[0].speaker == "operator"
    wx = read_text('{"segments": [{"start": 0, "end": 1, "text": "a b"}]}', source="-",
                   fmt="whisperx")
    assert wx.format == "whisper"  # the content decides


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("empty.txt", b"", "empty.txt: the file is empty"),
        ("blank.srt", b"  \r\n\n", "blank.srt: the file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt: not a text file"),
        ("noise.vtt", bytes(range(1, 32)) * 4, "noise.vtt: not a text file"),
        ("one-nul.txt", "Оператор: да\n".encode() * 100 + b"\x00", "one-nul.txt: not a text"),
        ("latin.txt", "Café crème: très bon\n".encode("latin-1"),
         "latin.txt: not UTF-8 or cp1251 text"),
        ("list.json", b'[{"text": "hi"}]', 'list.json: not a Whisper transcript (no "segments"'),
        ("other.json", b'{"text": "hi"}', 'other.json: not a Whisper transcript (no "segments"'),
        ("notext.json", b'{"segments": [{"start": 0, "end": 1}, {"text": "a"}]}',
         'notext.json: segment 1 of 2 has no "text"'),
        ("badtime.json", b'{"segments": [{"start": "0:01", "end": 1, "text": "a"}]}',
         "badtime.json: segment 1 of 1: start is '0:01', not a time in seconds"),
        ("backwards.json", b'{"segments": [{"start": 2, "end": 1, "text": "a"}]}',
         "backwards.json: segment 1 of 1 ends (1) before it starts (2)"),
        ("syntax.json", b'{\n "segments": [\n  {"text": "a"\n ]\n}',
         "syntax.json:4: not valid JSON"),
        ("silent.json", b'{"segments": [{"start": 0, "end": 1, "text": " ... "}]}',
         "silent.json: no speech found in the file"),
        ("garbage.vtt", "WEBVTT\n\n00:01.000 --> garbage\nтекст\n".encode(),
         "garbage.vtt:3: broken timestamp '00:01.000 --> garbage'"),
        ("backwards.vtt", "WEBVTT\n\n1\n00:05.000 --> 00:01.000\nтекст\n".encode(),
         "backwards.vtt:4: the cue ends (00:00:01.000) before it starts (00:00:05.000)"),
        ("seconds.vtt", "WEBVTT\n\n00:00.000 --> 00:75.000\nтекст\n".encode(),
         "seconds.vtt:3: broken timestamp"),
        ("nohead.vtt", "00:00.000 --> 00:01.000\nтекст\n".encode(),
         "nohead.vtt:1: not a WebVTT file"),
        ("silent.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n<i>...</i>\n",
         "silent.vtt: no speech found in the file"),
        ("arrow.srt", "1\n00:00:01,000 --> 00:00:02,000\nа\n\n2\n00:00:03,000 -> 00:00:04,000\n"
         "б\n".encode(), "arrow.srt:6: broken timestamp '00:00:03,000 -> 00:00:04,000'"),
        ("digits.srt", "1\n00:00:01,000 --> 00:00:0x,000\nтекст\n".encode(),
         "digits.srt:2: broken timestamp"),
        ("notiming.srt", "1\n00:00:01,000 --> 00:00:02,000\nа\n\nпросто текст\n".encode(),
         "notiming.srt:5: a cue without a timing line"),
        ("notes.doc", b"x", "notes.doc: unknown transcript type '.doc'"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value[:12] else "",
)
def test_bad_files_are_refused_naming_file_and_line(
    tmp_path: Path, name: str, raw: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path)
    assert str(caught.value).startswith(str(tmp_path) + "/")
    assert message in str(caught.value)


def test_missing_files_and_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="missing.txt: no such file"):
        read_transcript(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(TranscriptError, match="folder.txt: is a folder"):
        read_transcript(tmp_path / "folder.txt")


def test_read_text_refuses_an_unknown_format() -> None:
    with pytest.raises(TranscriptError, match=r"^x: unknown transcript format 'docx'"):
        read_text("привет", source="x", fmt="docx")


# -- speed ----------------------------------------------------------------------------------


def test_a_2000_word_transcript_reads_whole() -> None:
    """Its speed is measured by tests/benchmarks/bench_transcript_read.py."""
    words = "добрый день меня зовут анна компания щит мониторинг подскажите кто у вас"
    body = "\n".join(f"{n + 1}\n00:{n * 2 // 60:02d}:{n * 2 % 60:02d},000 --> "
                     f"00:{n * 2 // 60:02d}:{n * 2 % 60:02d},900\n[SPEAKER_0{n % 2}]: {words}\n"
                     for n in range(2000 // 12))
    doc = read_text(body, source="long.srt", fmt="srt", greeting_phrases=GREETINGS)
    assert doc.word_count >= 1990 and len(doc.turns) == 2000 // 12
    assert doc.operator_label == "SPEAKER_00"


# -- the one-pass reading of «Role: speech» files ------------------------------------------

_LABELS = ["Оператор", "Клиент", "Абонент", "Agent", "SPEAKER_00", "SPEAKER_01", "Unknown"]
_SPEECH = st.text(st.sampled_from(list("абв где ёж Z9:.,!?—-_ \t\u00a0")), max_size=30)


@settings(max_examples=150, deadline=None)
@example(lines=[("Оператор", "\t9\u00a09")], operator=None)  # a tab before a no-break space
@given(lines=st.lists(st.tuples(st.sampled_from(_LABELS), _SPEECH), min_size=1, max_size=12),
       operator=st.sampled_from([None, "SPEAKER_01"]))
def test_one_pass_reading_is_the_line_by_line_reading(
        lines: list[tuple[str, str]], operator: str | None) -> None:
    """Files whose every line is «Role: speech» are read in one pass of a regular
    expression; what it gives must be what reading line by line gives, speechless lines
    («Клиент: ...»), odd spaces, colons in the speech and diarised labels included."""
    body = "".join(f"{label}:{speech}\n" for label, speech in lines)
    try:
        fast: TranscriptDoc | str = text(body, operator=operator, greeting_phrases=GREETINGS)
    except TranscriptError as error:
        fast = str(error)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain, "_every_line_labelled", lambda _text, _labels: None)
        try:
            slow: TranscriptDoc | str = text(body, operator=operator,
                                             greeting_phrases=GREETINGS)
        except TranscriptError as error:
            slow = str(error)
    assert fast == slow
