"""Exports read through a mapping: the shipped mappings on their samples, each part of the
mapping language, the merge of rows sharing a call's id, and the messages for mistakes."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError
from scorecard.ingest.cdr.mapped import (
    CallMapping,
    MappedCalls,
    load_mapping,
    parse_mapped,
    read_mapped,
)
from scorecard.ingest.cdr.records import CallRecord, decide, one_call_per_key
from scorecard.ingest.tables import csv_rows, guess_delimiter, read_rows

DATA = Path(__file__).resolve().parents[2] / "data"
MOSCOW = ZoneInfo("Europe/Moscow")
#: What operator_names gives for data/operators.csv (active operators), plus Bitrix24 user
#: ids given as agent ids.
OPERATORS = {"211": "211", "212": "212", "221": "221", "иванова анна": "211",
             "петров игорь": "212", "смирнова ольга": "221", "a-211": "211", "15": "211",
             "17": "212", "23": "221"}


def shipped(name: str, sample: str, *, centre_zone: ZoneInfo | None = MOSCOW) -> MappedCalls:
    mapping = load_mapping(DATA / "mappings" / f"{name}.toml")
    path = DATA / "cdr" / sample
    rows = read_rows(path, encoding=mapping.encoding, delimiter=mapping.delimiter)
    return read_mapped(rows, mapping, OPERATORS, str(path), centre_zone=centre_zone)


def by_id(result: MappedCalls) -> dict[str, CallRecord]:
    assert result.rejected == []
    return {call.external_id: call for call in result.calls}


def dispositions(result: MappedCalls) -> Counter[str]:
    return Counter(call.disposition for call in result.calls)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- the shipped mappings --------------------------------------------------------------


def test_every_shipped_mapping_loads_and_says_what_it_reads() -> None:
    for path in sorted((DATA / "mappings").glob("*.toml")):
        load_mapping(path)
        assert path.read_text(encoding="utf-8").startswith("# "), path.name


def test_freepbx_cdr_report() -> None:
    result = shipped("freepbx-cdr-report", "freepbx-cdr-report.csv")
    calls = by_id(result)
    assert len(calls) == 10 and result.filtered == 1  # the *97 feature code
    assert dispositions(result) == {"answered": 5, "no_answer": 2, "busy": 1, "failed": 1,
                                    "congestion": 1}
    first = calls["1772431205.1"]
    assert (first.operator_extension, first.direction, first.client_number) == (
        "211", "outbound", "84951234567")
    assert (first.ring_seconds, first.talk_seconds) == (18, 172)  # duration 190, billsec 172
    assert first.recording == "2026/03/02/out-84951234567-211-20260302-090005-1772431205.1.wav"
    # A ring group: Иванова did not answer, Смирнова did; one call.
    group = calls["1772433000.9"]
    assert (group.operator_extension, group.direction, group.disposition) == (
        "221", "inbound", "answered")
    assert (group.ring_seconds, group.talk_seconds, group.client_number) == (
        25, 120, "89035556677")
    missed = calls["1772434964.14"]
    assert (missed.operator_extension, missed.direction, missed.ring_seconds,
            missed.recording) == ("212", "inbound", 30, None)


def test_freepbx_asteriskcdrdb_keeps_dial_and_queue_rows() -> None:
    result = shipped("freepbx-asteriskcdrdb", "freepbx-asteriskcdrdb.tsv")
    calls = by_id(result)
    # Left out: the IVR greeting, the voicemail leg, the intercom (*80) and a hang-up handler.
    assert len(calls) == 8 and result.filtered == 4
    assert dispositions(result) == {"answered": 4, "no_answer": 3, "busy": 1}
    queue = calls["1772517600.101"]  # the agent is read from the Queue row's dstchannel
    assert (queue.operator_extension, queue.direction, queue.ring_seconds,
            queue.talk_seconds) == ("221", "inbound", 24, 236)
    assert queue.recording == "2026/03/03/q-400-84951234567-20260303-090012-1772517600.101.wav"
    voicemail = calls["1772518800.107"]  # rang 212, then voicemail: not answered
    assert (voicemail.operator_extension, voicemail.disposition) == ("212", "no_answer")
    abandoned = calls["1772523002.115"]
    assert (abandoned.operator_extension, abandoned.direction) == (None, "inbound")
    assert calls["1772518470.105"].recording is None  # recordingfile NULL
    assert calls["1772518205.103"].operator_extension == "211"


def test_mango_office() -> None:
    result = shipped("mango-office", "mango-office.csv")
    calls = by_id(result)
    assert len(calls) == 11  # twelve rows, two of them legs of one call
    assert dispositions(result) == {"answered": 8, "no_answer": 3}
    first = calls["MTAxNjU0Nzg5MQ=="]
    assert (first.started_at, first.answered_at) == (at("2026-03-02 09:00:05"),
                                                     at("2026-03-02 09:00:14"))
    assert (first.operator_extension, first.direction, first.client_number) == (
        "211", "outbound", "74951234567")
    assert (first.ring_seconds, first.talk_seconds) == (9, 228)
    assert first.recording == "MToxMDcyMzQ1Njc6MjExOjkwMDA1"
    legs = calls["MTAxNjU0Nzg5NA=="]  # rang Иванова for 20 s, then Смирнова answered
    assert (legs.operator_extension, legs.direction, legs.ring_seconds, legs.talk_seconds,
            legs.client_number) == ("221", "inbound", 26, 154, "79035556677")
    ivr = calls["MTAxNjU0Nzg5Ng=="]  # nobody's extension on either side: it came in
    assert (ivr.operator_extension, ivr.direction, ivr.disposition, ivr.ring_seconds) == (
        None, "inbound", "no_answer", 14)
    assert calls["MTAxNjU0Nzg5OQ=="].recording is None  # records []
    # Unix time is UTC: without the centre's zone, the UTC wall clock.
    utc = by_id(shipped("mango-office", "mango-office.csv", centre_zone=None))
    assert utc["MTAxNjU0Nzg5MQ=="].started_at == at("2026-03-02 06:00:05")


def test_uis_comagic() -> None:
    result = shipped("uis-comagic", "uis-comagic.csv")
    calls = by_id(result)
    assert len(calls) == 12 and dispositions(result) == {"answered": 8, "no_answer": 4}
    first = calls["510201"]
    assert (first.operator_extension, first.direction, first.ring_seconds,
            first.talk_seconds) == ("211", "outbound", 9, 228)
    assert first.recording == "https://app.uiscom.ru/system/media/talk/880101/27429a3f/"
    assert calls["510203"].direction == "inbound"
    assert calls["510210"].operator_extension is None  # Кузнецов Павел is not active
    assert calls["510202"].recording is None


def test_zadarma() -> None:
    result = shipped("zadarma", "zadarma.csv")
    calls = by_id(result)
    assert len(calls) == 11
    assert dispositions(result) == {"answered": 6, "no_answer": 2, "failed": 2, "busy": 1}
    both = calls["in_1772433000.4430"]  # two numbers rang; 221 answered
    assert (both.operator_extension, both.direction, both.talk_seconds, both.client_number,
            both.recording) == ("221", "inbound", 154, "+79035556677", "1772433000.4432")
    out = calls["out_1772431205.4410"]
    assert (out.operator_extension, out.direction, out.client_number, out.recording) == (
        "211", "outbound", "74951234567", "1772431205.4411")
    assert calls["out_1772433600.4439"].recording is None  # is_recorded false
    assert calls["out_1772437245.4470"].disposition == "failed"  # "no money"


def test_sipuni() -> None:
    result = shipped("sipuni", "sipuni.csv")
    calls = by_id(result)
    assert len(calls) == 12
    assert dispositions(result) == {"answered": 8, "no_answer": 3, "busy": 1}
    first = calls["02.03.2026 09:00:05-211-+74951234567"]
    assert (first.started_at, first.operator_extension, first.direction) == (
        at("2026-03-02 09:00:05"), "211", "outbound")
    assert (first.ring_seconds, first.talk_seconds, first.recording) == (
        9, 228, "1772431205.118201")
    inbound = calls["02.03.2026 10:15:00-+79267778899-+74951110000"]
    assert (inbound.operator_extension, inbound.direction, inbound.client_number,
            inbound.ring_seconds) == ("212", "inbound", "+79267778899", 4)
    # Not answered: blank talk reads 0, the whole call rang.
    missed = calls["02.03.2026 09:05:10-212-+79161112233"]
    assert (missed.disposition, missed.ring_seconds, missed.talk_seconds,
            missed.recording) == ("no_answer", 35, 0, None)
    assert calls["02.03.2026 09:40:00-211-+74997654321"].recording is None  # not recorded


def test_bitrix24() -> None:
    result = shipped("bitrix24", "bitrix24.csv", centre_zone=ZoneInfo("Asia/Yekaterinburg"))
    calls = by_id(result)
    assert len(calls) == 12
    assert dispositions(result) == {"answered": 7, "no_answer": 2, "busy": 2, "failed": 1}
    first = calls["externalCall.5a1e0c7f21b4.1772431205"]
    # +03:00 in the file; the centre is two hours ahead of Moscow.
    assert first.started_at == at("2026-03-02 11:00:05")
    assert (first.operator_extension, first.direction, first.talk_seconds) == (
        "211", "outbound", 228)
    assert first.recording.startswith("https://example.bitrix24.ru/disk/downloadFile/40211/")
    assert calls["externalCall.5a1e0c7f21b4.1772519400"].direction == "outbound"  # callback
    assert calls["externalCall.5a1e0c7f21b4.1772433000"].direction == "inbound"  # forwarded
    assert calls["externalCall.5a1e0c7f21b4.1772521335"].disposition == "failed"  # 404
    own_clock = by_id(shipped("bitrix24", "bitrix24.csv", centre_zone=None))
    assert own_clock["externalCall.5a1e0c7f21b4.1772431205"].started_at == at(
        "2026-03-02 09:00:05")


# --- the mapping language, on small exports --------------------------------------------

BASE_COLUMNS = """external_id = "id"
operator = "op"
started_at = "start"
talk_seconds = "talk"
disposition = "result"
"""
BASE_WORDS = """[dispositions]
"ok" = "answered"
"miss" = "no_answer"
"busy" = "busy"
"""


def mapping(top: str = "", columns: str = BASE_COLUMNS, tables: str = BASE_WORDS) -> str:
    """A mapping file's text: top-level keys, then [columns], then the other tables."""
    return f"{top}\n[columns]\n{columns}\n{tables}"


def read(text: str, toml: str, **options: ZoneInfo | None) -> MappedCalls:
    model = CallMapping.model_validate(tomllib.loads(toml))
    rows = csv_rows(text, model.delimiter or guess_delimiter(text), "export.csv")
    return read_mapped(rows, model, OPERATORS, "export.csv", **options)


def test_operator_per_direction() -> None:
    columns = BASE_COLUMNS.replace('operator = "op"', 'operator = {outbound = "from", '
                                   'inbound = "to"}\nclient_number = {outbound = "to", '
                                   'inbound = "from"}\ndirection = "kind"')
    text = ("id,kind,from,to,start,talk,result\n"
            "a,исх,211,84951234567,2026-03-02 09:00:00,60,ok\n"
            "b,вх,84957654321,221,2026-03-02 09:05:00,30,ok\n")
    toml = mapping(columns=columns, tables=BASE_WORDS + '[directions]\n"исх" = "outbound"\n'
                   '"вх" = "inbound"\n')
    calls = by_id(read(text, toml))
    assert (calls["a"].operator_extension, calls["a"].direction,
            calls["a"].client_number) == ("211", "outbound", "84951234567")
    assert (calls["b"].operator_extension, calls["b"].direction,
            calls["b"].client_number) == ("221", "inbound", "84957654321")
    # Without a direction column, the side an operator stands on says it.
    plain = read(text, mapping(columns=columns.replace('direction = "kind"\n', "")))
    assert [c.direction for c in plain.calls] == ["outbound", "inbound"]
    # A plain column still names the operator on every call.
    assert [c.operator_extension for c in read(
        "id,op,start,talk,result\na,Иванова Анна,2026-03-02 09:00:00,5,ok\n",
        mapping()).calls] == ["211"]


def test_answered_from_the_answer_time_or_the_talk() -> None:
    text = ("id,op,start,answer,talk,result\n"
            "a,211,2026-03-02 09:00:00,2026-03-02 09:00:12,60,busy\n"
            "b,211,2026-03-02 09:05:00,,,busy\n"
            "c,211,2026-03-02 09:10:00,,,\n")
    columns = BASE_COLUMNS + 'answered_at = "answer"\n'
    calls = by_id(read(text, mapping('answered_from = "answered_at"', columns)))
    # The answer time decides; the result only names how an unanswered call ended.
    assert (calls["a"].disposition, calls["a"].ring_seconds, calls["a"].answered_at) == (
        "answered", 12, at("2026-03-02 09:00:12"))
    assert calls["b"].disposition == "busy" and calls["c"].disposition == "no_answer"
    talk = by_id(read("id,op,start,talk\na,211,2026-03-02 09:00:00,45\n"
                      "b,211,2026-03-02 09:01:00,0\nc,211,2026-03-02 09:02:00,\n",
                      mapping('answered_from = "talk"', BASE_COLUMNS.replace(
                          'disposition = "result"\n', ""), tables="")))
    assert [talk[k].disposition for k in "abc"] == ["answered", "no_answer", "no_answer"]
    assert talk["a"].talk_seconds == 45


def test_ring_from_the_answer_time_and_talk_from_the_end() -> None:
    text = ("id,op,start,answer,end,result\n"
            "a,211,2026-03-02 09:00:00,2026-03-02 09:00:20,2026-03-02 09:05:20,ok\n"
            "b,211,2026-03-02 09:10:00,,2026-03-02 09:10:40,miss\n")
    columns = BASE_COLUMNS.replace('talk_seconds = "talk"', 'ended_at = "end"') + \
        'answered_at = "answer"\n'
    calls = by_id(read(text, mapping(columns=columns)))
    assert (calls["a"].ring_seconds, calls["a"].talk_seconds) == (20, 300)
    assert (calls["b"].ring_seconds, calls["b"].talk_seconds) == (40, 0)


def test_date_and_time_in_two_columns() -> None:
    text = "id,op,Дата,Время,talk,result\na,211,10.02.2026,22:41:05,60,ok\n"
    columns = BASE_COLUMNS.replace('started_at = "start"', 'started_at = ["Дата", "Время"]')
    assert read(text, mapping(columns=columns)).calls[0].started_at == at(
        "2026-02-10 22:41:05")


def test_blank_durations_of_unanswered_calls_read_zero() -> None:
    text = ("id,op,start,talk,ring,result\n"
            "a,211,2026-03-02 09:00:00,,,miss\n"
            "b,211,2026-03-02 09:01:00,,,ok\n"
            "c,211,2026-03-02 09:02:00,12,,ok\n")
    result = read(text, mapping(columns=BASE_COLUMNS + 'ring_seconds = "ring"\n'))
    assert [(c.external_id, c.ring_seconds, c.talk_seconds) for c in result.calls] == [
        ("a", 0, 0), ("c", 0, 12)]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "talk_seconds: empty on an answered call")]


def test_composite_keys() -> None:
    text = ("uniqueid,sequence,op,start,talk,result\n"
            "1772431205.1,1,211,2026-03-02 09:00:00,5,ok\n"
            "1772431205.1,2,212,2026-03-02 09:00:00,7,ok\n")
    columns = BASE_COLUMNS.replace('external_id = "id"',
                                   'external_id = ["uniqueid", "sequence"]')
    assert sorted(by_id(read(text, mapping(columns=columns)))) == ["1772431205.1-1",
                                                                  "1772431205.1-2"]


def test_filters_leave_rows_out_and_count_them() -> None:
    text = ("id,op,start,talk,result,app,dst\n"
            "a,211,2026-03-02 09:00:00,5,ok,Dial,84951234567\n"
            "b,211,2026-03-02 09:01:00,5,ok,Playback,s\n"
            "c,211,2026-03-02 09:02:00,5,ok,queue,400\n"
            "d,211,2026-03-02 09:03:00,5,ok,Dial,*97\n"
            "e,211,вчера,5,ok,Hangup,h\n")  # left out before anything is read from it
    tables = BASE_WORDS + ('[[include]]\ncolumn = "app"\nvalues = ["Dial", "Queue"]\n'
                           "[[exclude]]\ncolumn = \"dst\"\npattern = '^\\*'\n")
    result = read(text, mapping(tables=tables))
    assert [c.external_id for c in result.calls] == ["a", "c"]
    assert (result.filtered, result.rejected) == (3, [])
    assert parse_mapped(csv_rows(text, ",", "export.csv"), CallMapping.model_validate(
        tomllib.loads(mapping(tables=tables))), OPERATORS, "export.csv")[1] == []


def test_null_tokens_are_empty() -> None:
    text = ("id,op,start,talk,result,client\n"
            "a,NULL,2026-03-02 09:00:00,\\N,miss,NULL\n")
    call = read(text, mapping('null = ["NULL", "\\\\N"]', BASE_COLUMNS +
                              'client_number = "client"\n')).calls[0]
    assert (call.operator_extension, call.client_number, call.talk_seconds) == (None, None, 0)


def test_time_zones() -> None:
    text = "id,op,start,talk,result\na,211,2026-03-02 09:00:00,5,ok\n"
    berlin = mapping('time_zone = "Europe/Berlin"')
    assert read(text, berlin, centre_zone=MOSCOW).calls[0].started_at == at(
        "2026-03-02 11:00:00")
    assert read(text, berlin).calls[0].started_at == at("2026-03-02 09:00:00")  # kept
    offset = "id,op,start,talk,result\na,211,2026-03-02T09:00:00+00:00,5,ok\n"
    assert read(offset, mapping(), centre_zone=MOSCOW).calls[0].started_at == at(
        "2026-03-02 12:00:00")
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Moskva'"):
        CallMapping.model_validate(tomllib.loads(mapping('time_zone = "Europe/Moskva"')))


def test_the_date_form_is_settled_from_the_file() -> None:
    text = ("id,op,start,talk,result\n"
            "a,211,1/9/2026 16:33:01,5,ok\nb,211,13/9/2026 9:00:00,5,ok\n")
    assert read(text, mapping()).calls[0].started_at == at("2026-09-01 16:33:01")
    given_form = mapping('date_format = "%m/%d/%Y %H:%M:%S"')
    result = read(text, given_form)
    assert result.calls[0].started_at == at("2026-01-09 16:33:01")
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "started_at: '13/9/2026 9:00:00' is not a date like '02/10/2020 22:41:05'")]
    with pytest.raises(ScorecardError) as ambiguous:
        read("id,op,start,talk,result\na,211,1/9/2026 16:33,5,ok\n", mapping())
    assert str(ambiguous.value).startswith(
        "export.csv: started_at: every date in the file could be day first or month first")


def test_recordings() -> None:
    text = ("id,op,start,talk,result,file,flag\n"
            "a,211,2026-03-02 09:00:05,5,ok,a.wav,1\n"
            "b,211,2026-03-02 09:01:00,5,ok,,1\n"
            "c,211,2026-03-02 09:02:00,5,ok,c.wav,0\n")
    template = mapping('recording_template = "{started_at:%Y/%m/%d}/{external_id}-{file}"')
    assert [c.recording for c in read(text, template).calls] == [
        "2026/03/02/a-a.wav", None, "2026/03/02/c-c.wav"]
    column = mapping(columns=BASE_COLUMNS + 'recording = "file"\n',
                     tables=BASE_WORDS + '[recording_when]\ncolumn = "flag"\nvalues = ["1"]\n')
    assert [c.recording for c in read(text, column).calls] == ["a.wav", None, None]
    with pytest.raises(ScorecardError, match=r"export.csv:1: no column 'nofile' \(for "
                                             r"recording_template\) in the header"):
        read(text, mapping('recording_template = "{nofile}"'))


def test_part_of_a_column_and_words_by_prefix() -> None:
    text = ("id,chan,start,talk,result,kind\n"
            "out_1,PJSIP/211-0000001a,2026-03-02 09:00:00,5,ANSWERED,out_1\n"
            "in_2,Local/221@from-queue-00000005;1,2026-03-02 09:01:00,0,NO MONEY,in_2\n")
    columns = BASE_COLUMNS.replace(
        'operator = "op"', "operator = {column = \"chan\", pattern = '^[^/]+/(\\d+)[-@]'}") + \
        'direction = "kind"\n'
    tables = ('[dispositions]\n"answered" = "answered"\n"no money*" = "failed"\n'
              '[directions]\n"in_*" = "inbound"\n"out_*" = "outbound"\n')
    calls = by_id(read(text, mapping(columns=columns, tables=tables)))
    assert (calls["out_1"].operator_extension, calls["out_1"].direction) == ("211", "outbound")
    assert (calls["in_2"].operator_extension, calls["in_2"].direction,
            calls["in_2"].disposition) == ("221", "inbound", "failed")


def test_columns_by_number_without_a_header() -> None:
    text = "a;211;2026-03-02 09:00:00;5;ok\n"
    toml = mapping("header = false", "external_id = 1\noperator = 2\nstarted_at = 3\n"
                   "talk_seconds = 4\ndisposition = 5\n")
    assert by_id(read(text, toml))["a"].operator_extension == "211"
    with pytest.raises(ValueError, match="header = false: give column numbers, not 'id'"):
        CallMapping.model_validate(tomllib.loads(mapping("header = false")))


def test_rejected_lines_name_the_line_and_the_field() -> None:
    text = ("id,op,start,talk,result\n"
            "a,211,2026-03-02 09:00:00,5,ok\n"
            "b,211,2026-03-02 09:01:00,пять,ok\n"
            "c,211,2026-03-02 09:02:00,5,перезвон\n"
            ",211,2026-03-02 09:03:00,5,ok\n"
            "e,211,2026-13-45 09:04:00,5,ok\n"
            "f,211,,5,ok\n")
    result = read(text, mapping())
    assert [c.external_id for c in result.calls] == ["a"]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "talk_seconds: not a duration 'пять'"),
        (4, "disposition: 'перезвон' is not in the mapping's [dispositions]"),
        (5, "external_id: empty"),
        (6, "started_at: '2026-13-45 09:04:00' is not a date like '2020-02-10 22:41:05'"),
        (7, "started_at: empty"),
    ]
    with pytest.raises(ScorecardError, match=r"export.csv:1: no column 'to' \(for "
                                             r"operator.inbound\) in the header"):
        read(text, mapping(columns=BASE_COLUMNS.replace(
            'operator = "op"', 'operator = {outbound = "op", inbound = "to"}')))


@pytest.mark.parametrize(("text", "message"), [
    ('colour = "red"\n' + mapping(), "bad.toml: colour: Extra inputs are not permitted"),
    (mapping(columns=BASE_COLUMNS + 'operater = "x"\n'),
     "bad.toml: columns.operater: Extra inputs are not permitted"),
    (mapping('answered_from = "maybe"'),
     "bad.toml: answered_from: Input should be 'disposition', 'answered_at' or 'talk'"),
    (mapping('answered_from = "answered_at"'),
     "bad.toml: answered_from: Value error, 'answered_at' needs columns.answered_at"),
    (mapping(tables=""), "bad.toml: dispositions: Value error, give the export's words"),
    (mapping('date_format = "%d.%m.%Q"'),
     "bad.toml: date_format: Value error, not a usable strptime format"),
    (mapping(columns=BASE_COLUMNS.replace('operator = "op"', "operator = 2.5")),
     "bad.toml: columns.operator: Value error, 2.5 is not a column"),
    (mapping(columns=BASE_COLUMNS.replace('operator = "op"', 'operator = {outbound = "a"}')),
     "bad.toml: columns.operator: Value error, give the column of outbound calls and of "
     "inbound ones"),
    (mapping(tables=BASE_WORDS + '[[exclude]]\ncolumn = "dst"\npattern = "(["\n'),
     "bad.toml: exclude.0.pattern: Value error, not a regular expression"),
    (mapping(tables=BASE_WORDS + '[[include]]\ncolumn = "dst"\n'),
     "bad.toml: include.0: Value error, give values or pattern (one of them)"),
    (mapping('recording_template = "{file"'), "bad.toml: recording_template: Value error, "),
    (mapping(columns=BASE_COLUMNS.replace('talk_seconds = "talk"\n', "")),
     "bad.toml: columns: Value error, give talk_seconds, or ended_at"),
])
def test_a_wrong_mapping_file_is_one_line_naming_the_file_and_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScorecardError) as error:
        load_mapping(path)
    assert message in str(error.value) and "\n" not in str(error.value)


# --- rows sharing one call's id ----------------------------------------------------------


def leg(line: int, start: str, *, answer: str | None = None, operator: str | None = "211",
        ring: int = 0, talk: int = 0, disposition: str = "answered") -> CallRecord:
    return CallRecord(
        external_id="x", operator_extension=operator, started_at=at(f"2026-03-02 {start}"),
        answered_at=at(f"2026-03-02 {answer}") if answer else None, ring_seconds=ring,
        talk_seconds=talk, direction="inbound", disposition=disposition,
        client_number="84951234567", line=line)


def test_rows_of_an_export_sharing_an_id_follow_the_call_rules() -> None:
    first = leg(1, "09:00:00", operator="211", ring=20, disposition="no_answer")
    late = leg(2, "09:00:20", answer="09:00:40", operator="212", talk=30)  # a transfer
    early = leg(3, "09:00:10", answer="09:00:25", operator="221", talk=15)
    call = decide([late, first, early])
    assert (call.disposition, call.operator_extension, call.answered_at) == (
        "answered", "221", at("2026-03-02 09:00:25"))  # the earliest answer decides
    assert (call.started_at, call.ring_seconds, call.talk_seconds, call.line) == (
        at("2026-03-02 09:00:00"), 25, 45, 1)  # ring to that answer; talk summed
    unanswered = decide([
        leg(4, "09:10:00", ring=12, disposition="busy"),
        leg(5, "09:10:00", ring=30, disposition="failed", operator="212"),
        leg(6, "09:10:05", ring=18, disposition="no_answer", operator="221"),
    ])
    assert (unanswered.disposition, unanswered.ring_seconds, unanswered.answered_at) == (
        "no_answer", 30, None)
    assert decide([leg(7, "09:20:00", ring=5, disposition="busy"),
                          leg(8, "09:20:00", ring=5, disposition="congestion")]
                         ).disposition == "busy"
    alone = leg(9, "09:30:00", answer="09:30:04", ring=4, talk=9)
    assert one_call_per_key([alone]) == [alone]  # one row is its own call
    # Two answers at once: the same operator whatever the order.
    tie = [leg(10, "09:40:00", answer="09:40:05", operator="212", talk=5),
           leg(11, "09:40:00", answer="09:40:05", operator="211", talk=5)]
    assert decide(tie).operator_extension == decide(
        tie[::-1]).operator_extension


def content(call: CallRecord) -> tuple[object, ...]:
    """What a call says, without the line it was first written on."""
    return (call.external_id, call.operator_extension, call.started_at, call.answered_at,
            call.ring_seconds, call.talk_seconds, call.direction, call.disposition,
            call.client_number, call.recording)


LEGS = ("id,op,start,answer,talk,result,file\n", [
    "x,211,2026-03-02 09:00:00,,0,miss,",
    "x,212,2026-03-02 09:00:20,2026-03-02 09:00:40,30,ok,x2.wav",
    "x,221,2026-03-02 09:00:10,2026-03-02 09:00:25,100,ok,x3.wav",
    "x,221,2026-03-02 09:00:10,2026-03-02 09:00:25,100,ok,x3.wav",
    "y,211,2026-03-02 09:10:00,,0,busy,",
    "y,212,2026-03-02 09:10:00,,0,miss,",
    "z,211,2026-03-02 09:20:00,2026-03-02 09:20:05,20,ok,z.wav",
])


@settings(max_examples=30, deadline=None)
@given(st.permutations(LEGS[1]))
def test_rows_of_one_call_give_the_same_call_in_any_order(rows: list[str]) -> None:
    toml = mapping(columns=BASE_COLUMNS + 'answered_at = "answer"\nrecording = "file"\n')
    expected = read(LEGS[0] + "\n".join(LEGS[1]) + "\n", toml)
    shuffled = read(LEGS[0] + "\n".join(rows) + "\n", toml)
    assert sorted(map(content, shuffled.calls), key=repr) == sorted(
        map(content, expected.calls), key=repr)
    assert len(shuffled.calls) == 3


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_a_shipped_sample_gives_the_same_calls_in_any_row_order(random: object) -> None:
    path = DATA / "cdr" / "freepbx-asteriskcdrdb.tsv"
    header, *body = path.read_text(encoding="utf-8").splitlines()
    random.shuffle(body)  # type: ignore[attr-defined]
    model = load_mapping(DATA / "mappings" / "freepbx-asteriskcdrdb.toml")
    shuffled = read_mapped(csv_rows("\n".join([header, *body]) + "\n", "\t", "x.tsv"), model,
                           OPERATORS, "x.tsv")
    original = shipped("freepbx-asteriskcdrdb", "freepbx-asteriskcdrdb.tsv", centre_zone=None)
    assert sorted(map(content, shuffled.calls), key=repr) == sorted(
        map(content, original.calls), key=repr)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_a_mapped_exports_stored_legs_decide_its_calls_again_in_any_order(rng) -> None:
    """Each leg is kept as the mapping read it: the calls come back from the stored legs
    alone (no mapping needed), in whatever order they are read."""
    from scorecard.ingest.cdr.legs import calls_from_legs, leg_identity

    read = shipped("mango-office", "mango-office.csv")
    raws = [leg.raw for call in read.calls for leg in (call.legs or (call,))]
    assert None not in raws and len({leg_identity("mapped", r) for r in raws}) == len(raws)
    rng.shuffle(raws)
    again = calls_from_legs("mapped", raws, {})
    fields = ("external_id", "operator_extension", "started_at", "answered_at",
              "ring_seconds", "talk_seconds", "direction", "disposition", "client_number",
              "recording")
    assert sorted(tuple(getattr(c, f) for f in fields) for c in again) == \
        sorted(tuple(getattr(c, f) for f in fields) for c in read.calls)
