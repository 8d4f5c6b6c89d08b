"""Speaker labels to roles, the layouts real exports use, and how sure the roles are.

No label makes a file unreadable: the vocabulary names roles in Russian and English, a name
nobody told us about is a speaker whose role is inferred (with evidence and a margin), and
diarisation's «Unknown» stays an unknown turn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.domain.transcripts import RolesSource, TranscriptDoc, roles_trusted
from scorecard.errors import TranscriptError
from scorecard.ingest.transcripts import (
    CLIENT_LABELS,
    OPERATOR_LABELS,
    group_channels,
    read_channels,
    read_text,
    read_transcript,
)

GREETINGS = ["добрый день меня зовут", "вас беспокоит компания", "my name is"]


def text(body: str, **kwargs: Any) -> TranscriptDoc:
    return read_text(body, source="call.txt", fmt="text", **kwargs)


def said(doc: TranscriptDoc) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in doc.turns]


# -- the vocabulary -------------------------------------------------------------------------


@pytest.mark.parametrize("label", OPERATOR_LABELS)
def test_every_operator_word_is_the_operator(label: str) -> None:
    doc = text(f"{label.title()}: добрый день\nКлиент: да\n")
    assert said(doc) == [("operator", "добрый день"), ("client", "да")]
    assert doc.roles is RolesSource.LABEL


@pytest.mark.parametrize("label", CLIENT_LABELS)
def test_every_client_word_is_the_client(label: str) -> None:
    doc = text(f"Оператор: добрый день\n{label.upper()}: да\n")
    assert said(doc) == [("operator", "добрый день"), ("client", "да")]


def test_abonent_and_the_names_after_or_around_a_role() -> None:
    doc = text("Оператор Анна: Добрый день\nАбонент: Слушаю\nИрина (менеджер): И ещё\n"
               "Caller - Bob: ok\n")
    assert [turn.speaker for turn in doc.turns] == ["operator", "client", "operator", "client"]
    assert doc.roles_evidence == ("labels: Оператор Анна → operator, Абонент → client, "
                                  "Ирина (менеджер) → operator, Caller - Bob → client")


def test_english_agent_and_prospect_as_asr_writes_them() -> None:
    doc = text("Agent: Hi, this is Sam from Acme, is now a good time?\n"
               "Prospect: uh, sure, go ahead\nAgent: great, so we help companies like yours\n")
    assert [turn.speaker for turn in doc.turns] == ["operator", "client", "operator"]


@pytest.mark.parametrize("first,second", [("SPEAKER_00", "SPEAKER_01"), ("Speaker 1", "Speaker 2"),
                                          ("Спикер 1", "Спикер 2"), ("S1", "S2")])
def test_diarised_labels_are_inferred(first: str, second: str) -> None:
    doc = text(f"{first}: Алло\n{second}: Добрый день, меня зовут Анна, вас беспокоит "
               f"компания Щит\n{first}: да\n", greeting_phrases=GREETINGS)
    assert [turn.speaker for turn in doc.turns] == ["client", "operator", "client"]
    assert doc.roles is RolesSource.INFERRED and doc.operator_label == second
    assert doc.roles_margin is not None and doc.roles_margin > 0.25
    assert doc.roles_evidence == f"{second}: said the greeting"


def test_unknown_stretches_stay_unknown_turns_and_are_nobody_to_infer() -> None:
    doc = text("SPEAKER_00: Добрый день, меня зовут Анна\nUnknown: [неразборчиво]\n"
               "SPEAKER_01: слушаю\nНеизвестно: шум\n", greeting_phrases=GREETINGS)
    assert [turn.speaker for turn in doc.turns] == ["operator", "unknown", "client", "unknown"]
    assert doc.operator_label == "SPEAKER_00"


def test_names_nobody_told_us_about_are_inferred_not_refused() -> None:
    doc = text("Ashlee Kupor (SL): Hi, my name is Ashlee, calling from Acme\n"
               "Dan Moss: hey Ashlee\nAshlee Kupor (SL): do you have a minute?\n",
               greeting_phrases=GREETINGS)
    assert [turn.speaker for turn in doc.turns] == ["operator", "client", "operator"]
    assert doc.operator_label == "Ashlee Kupor (SL)" and doc.roles is RolesSource.INFERRED


@pytest.mark.parametrize("label", ["Agent #2", "Оператор/Анна", "Клиент: VIP", "[rep] 7"])
def test_a_label_the_user_gives_is_taken_whatever_its_characters(label: str) -> None:
    doc = text(f"{label}: добрый день\nClient: да\n", operator_labels=[label])
    assert said(doc) == [("operator", "добрый день"), ("client", "да")]


LABEL_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
                     min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(labels=st.lists(LABEL_TEXT, min_size=1, max_size=4),
       order=st.lists(st.integers(0, 3), min_size=1, max_size=12))
def test_no_label_makes_a_file_unreadable(labels: list[str], order: list[int]) -> None:
    body = "\n".join(f"{labels[n % len(labels)]}: добрый день, слово {n}" for n in order)
    doc = text(body, greeting_phrases=GREETINGS)
    assert doc.turns and all(turn.speaker in ("operator", "client", "unknown")
                             for turn in doc.turns)


def test_a_file_of_one_voice_is_no_evidence() -> None:
    doc = text("SPEAKER_03: Добрый день\nSPEAKER_03: да\n")
    assert doc.roles_margin == 0.0 and not roles_trusted(doc.roles, doc.roles_margin)


def test_speaking_first_is_weak_evidence_and_a_pickup_a_little_more() -> None:
    first = text("SPEAKER_00: Слушаю внимательно\nSPEAKER_01: да\n", direction="inbound")
    assert (first.operator_label, first.roles_margin) == ("SPEAKER_00", 0.1)
    assert not roles_trusted(first.roles, first.roles_margin)
    pickup = text("SPEAKER_00: Алло\nSPEAKER_01: Это Анна\n", direction="outbound")
    assert (pickup.operator_label, pickup.roles_margin) == ("SPEAKER_01", 0.3)
    assert roles_trusted(pickup.roles, pickup.roles_margin)


def test_labelled_and_unlabelled_files_say_so() -> None:
    labelled = text("Оператор: да\nКлиент: нет\n")
    assert (labelled.roles, labelled.roles_margin) == (RolesSource.LABEL, None)
    bare = text("добрый день\nда\n")
    assert bare.roles is RolesSource.NONE and bare.roles_evidence == "no speaker named in the file"
    assert roles_trusted(bare.roles, bare.roles_margin)  # reported, not withheld


# -- layouts ----------------------------------------------------------------------------------


def test_a_time_code_on_its_own_line_times_the_utterance_below() -> None:
    doc = text("00:00:01\nAgent: Hi there\n\n00:00:04\nCustomer: hello\n\n[00:00:09]\n"
               "Agent: so\n")
    assert [(t.speaker, t.text, t.start) for t in doc.turns] == [
        ("operator", "Hi there", 1), ("client", "hello", 4), ("operator", "so", 9)]


def test_time_codes_before_and_after_the_label() -> None:
    doc = text("[0:05] Оператор: Добрый день\nКлиент (0:09): да\nAgent (1:02:03): ok\n")
    assert [(t.speaker, t.start) for t in doc.turns] == [
        ("operator", 5), ("client", 9), ("operator", 3723)]


def test_a_label_and_a_time_on_a_line_of_their_own_head_the_speech_below() -> None:
    doc = text("Speaker 1  0:03\nHi, my name is Sam, calling from Acme.\nIs now a good time?\n\n"
               "Speaker 2  0:09\nSure.\n\nSpeaker 1  0:11\nGreat.\n", greeting_phrases=GREETINGS)
    assert [(t.speaker, t.text, t.start) for t in doc.turns] == [
        ("operator", "Hi, my name is Sam, calling from Acme. Is now a good time?", 3),
        ("client", "Sure.", 9), ("operator", "Great.", 11)]


def test_annotation_lines_say_who_speaks_below() -> None:
    doc = text("Speaker: agent\nHello, this is Sam.\nSpeaker: customer\nHi.\nok\n"
               "Спикер: оператор\nСпасибо.\n")
    assert said(doc) == [("operator", "Hello, this is Sam."), ("client", "Hi. ok"),
                         ("operator", "Спасибо.")]


def test_speech_with_a_colon_in_a_bare_file_stays_speech() -> None:
    doc = text("добрый день\nИтак: цена такая\n")
    assert said(doc) == [("unknown", "добрый день"), ("unknown", "Итак: цена такая")]


def test_zoom_and_teams_cues_name_their_speakers() -> None:
    body = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nAshlee Kupor (SL): Hi, my name is "
            "Ashlee\n\n2\n00:00:03.500 --> 00:00:05.000\nDan Moss: hey\n\n3\n"
            "00:00:05.000 --> 00:00:07.000\nAshlee Kupor (SL): Note: we are recording\n")
    doc = read_text(body, source="call.vtt", fmt="vtt", greeting_phrases=GREETINGS)
    assert said(doc) == [("operator", "Hi, my name is Ashlee"), ("client", "hey"),
                         ("operator", "Note: we are recording")]


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Расшифровка звонка")
    document.add_paragraph("Оператор (0:01): Добрый день, меня зовут Анна")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("00:05", "Абонент", "Слушаю"),
                                       ("00:09", "Оператор", "Удобно говорить?")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    path = tmp_path / "call.docx"
    document.save(str(path))
    doc = read_transcript(path)
    assert [(t.speaker, t.text, t.start) for t in doc.turns] == [
        ("unknown", "Расшифровка звонка", None),
        ("operator", "Добрый день, меня зовут Анна", 1), ("client", "Слушаю", 5),
        ("operator", "Удобно говорить?", 9)]


def test_a_file_named_docx_that_is_not_one_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "call.docx"
    path.write_text("Оператор: да")
    with pytest.raises(TranscriptError, match=r"call\.docx: not a Word document"):
        read_transcript(path)


# -- stereo -----------------------------------------------------------------------------------

STEREO = [{"channel": 1, "start": 0.0, "end": 1.0, "text": "Алло"},
          {"channel": 0, "start": 1.2, "end": 3.0, "text": "Добрый день, это Анна"},
          {"channel": 1, "start": 3.1, "end": 4.0, "text": "слушаю"},
          {"channel": 0, "start": 4.2, "end": 5.0, "text": "удобно говорить?"}]


def test_channels_give_the_roles_when_the_operator_channel_is_set() -> None:
    doc = read_text(json.dumps({"segments": list(reversed(STEREO))}), source="c.json",
                    fmt="json", operator_channel="0")
    assert said(doc) == [("client", "Алло"), ("operator", "Добрый день, это Анна"),
                         ("client", "слушаю"), ("operator", "удобно говорить?")]
    assert doc.roles is RolesSource.LABEL and doc.format == "channels"
    assert doc.roles_evidence == "channel 0 is the operator's (operator_channel)"


def test_without_the_operator_channel_the_channels_are_inferred() -> None:
    doc = read_text(json.dumps({"segments": STEREO}), source="c.json", fmt="json",
                    direction="outbound")
    assert doc.roles is RolesSource.INFERRED and doc.operator_label == "channel 0"


def test_two_channel_files_of_one_call_are_one_transcript(tmp_path: Path) -> None:
    (tmp_path / "1756465406.16342-in.txt").write_text(
        "[0:00] Алло\n[0:03] слушаю\n", encoding="utf-8")
    (tmp_path / "1756465406.16342-out.txt").write_text(
        "[0:01] Добрый день, это Анна\n[0:04] удобно говорить?\n", encoding="utf-8")
    (tmp_path / "other_L.txt").write_text("[0:00] один\n", encoding="utf-8")
    files = sorted(tmp_path.iterdir())
    grouped = group_channels(files)
    assert [(name.name, len(parts)) for name, parts in grouped] == [
        ("1756465406.16342.txt", 2), ("other_L.txt", 1)]
    doc = read_channels(grouped[0][1], operator_channel="out")
    assert said(doc) == [("client", "Алло"), ("operator", "Добрый день, это Анна"),
                         ("client", "слушаю"), ("operator", "удобно говорить?")]


def test_a_channel_file_without_times_is_refused_by_name(tmp_path: Path) -> None:
    left, right = tmp_path / "a_L.txt", tmp_path / "a_R.txt"
    left.write_text("алло\n", encoding="utf-8")
    right.write_text("[0:01] добрый день\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"a_L\.txt: a channel's file needs a time code"):
        read_channels((left, right), operator_channel="right")


# -- every format -----------------------------------------------------------------------------


def _in_format(fmt: str, turns: list[tuple[str, str]]) -> str:
    """The same turns, labelled, as each format writes them."""
    if fmt == "text":
        return "\n".join(f"{label}: {said}" for label, said in turns)
    if fmt == "json":
        return json.dumps({"segments": [
            {"start": n, "end": n + 0.9, "text": said, "speaker": label}
            for n, (label, said) in enumerate(turns)]}, ensure_ascii=False)
    cues = [f"{n + 1}\n00:00:{n:02d}{',' if fmt == 'srt' else '.'}000 --> "
            f"00:00:{n:02d}{',' if fmt == 'srt' else '.'}900\n{label}: {said}\n"
            for n, (label, said) in enumerate(turns)]
    return ("WEBVTT\n\n" if fmt == "vtt" else "") + "\n".join(cues)


@pytest.mark.parametrize("fmt", ["text", "json", "vtt", "srt"])
@pytest.mark.parametrize("operator,client", [("Оператор", "Абонент"), ("Agent", "Prospect"),
                                             ("Специалист", "Покупатель"), ("Rep", "Caller")])
def test_the_vocabulary_in_every_format(fmt: str, operator: str, client: str) -> None:
    body = _in_format(fmt, [(operator, "Добрый день, это Анна"), (client, "слушаю"),
                            ("Unknown", "шум"), (operator, "удобно говорить?")])
    doc = read_text(body, source=f"call.{fmt}", fmt=fmt)
    assert [turn.speaker for turn in doc.turns] == ["operator", "client", "unknown", "operator"]
    assert doc.roles is RolesSource.LABEL


@settings(max_examples=60, deadline=None)
@given(fmt=st.sampled_from(["text", "json", "vtt", "srt"]),
       labels=st.lists(LABEL_TEXT.filter(lambda text: "\n" not in text and "-->" not in text),
                       min_size=1, max_size=3),
       order=st.lists(st.integers(0, 2), min_size=1, max_size=8))
def test_no_label_makes_any_format_unreadable(fmt: str, labels: list[str],
                                              order: list[int]) -> None:
    turns = [(labels[n % len(labels)].strip() or "x", f"слово {n}") for n in order]
    doc = read_text(_in_format(fmt, turns), source=f"call.{fmt}", fmt=fmt)
    assert doc.turns
