"""``scorecard import queue-log`` and ``scorecard report occupancy`` on both databases."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.factories import query

MOSCOW = ZoneInfo("Europe/Moscow")
QUEUE_CALL = ["", "79161234567", "74951230000", "from-trunk", '"" <79161234567>',
              "SIP/mts-00000001", "", "Queue", "sales,t,,,300", "2026-03-02 10:00:00",
              "2026-03-02 10:00:20", "2026-03-02 10:05:20", "320", "300", "ANSWERED",
              "DOCUMENTATION", "1772434800.7", "", "", "1772434800.7", "1"]


def _at(clock: str) -> int:
    return int(datetime.fromisoformat(f"2026-03-02 {clock}").replace(tzinfo=MOSCOW).timestamp())


def _log(lines: list[str], path: Path) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_queue_time_and_agents_of_queue_calls(cli, db_url: str, tmp_path: Path) -> None:
    operators = tmp_path / "operators.csv"
    operators.write_text("name,team,extension,login\nИванова Анна,Входящие,211,anna\n"
                         "Петров Олег,Входящие,212,oleg\n", encoding="utf-8")
    assert cli("import", "operators", operators, "--db", db_url).code == 0
    assert cli("users", "save", "admin", "--role", "admin", "--db", db_url).code == 0
    assert cli("users", "save", "lead", "--role", "lead", "--team", "Входящие", "--user",
               "admin", "--db", db_url).code == 0
    master = tmp_path / "Master.csv"
    with master.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerow(QUEUE_CALL)
    assert cli("import", "cdr", master, "--user", "admin", "--db", db_url).code == 0
    lines = [
        f"{_at('08:00:00')}|NONE|NONE|NONE|QUEUESTART|",
        f"{_at('09:00:00')}|NONE|sales|SIP/211|ADDMEMBER|",
        f"{_at('09:00:05')}|NONE|sales|oleg|ADDMEMBER|",
        f"{_at('10:00:00')}|1772434800.7|sales|NONE|ENTERQUEUE||79161234567|1",
        f"{_at('10:00:20')}|1772434800.7|sales|oleg|CONNECT|20|1772434820.8|18",
        f"{_at('12:00:00')}|NONE|sales|SIP/211|PAUSE|Обед",
        f"{_at('12:30:00')}|NONE|sales|SIP/211|UNPAUSE|",
        f"{_at('13:00:00')}|NONE|sales|SIP/999|ADDMEMBER|",
        "вчера|NONE|sales|SIP/211|PAUSE|",
        f"{_at('18:00:00')}|NONE|sales|SIP/211|REMOVEMEMBER|",
    ]
    path = _log(lines, tmp_path / "queue_log")
    no_zone = cli("import", "queue-log", path, "--user", "admin", "--db", db_url)
    assert no_zone.code == 2 and "time zone first" in no_zone.err
    assert cli("pbx", "set", "--time-zone", "Europe/Moscow", "--user", "admin",
               "--db", db_url).code == 0
    first = cli("import", "queue-log", path, "--user", "admin", "--db", db_url)
    assert first.code == 3, first  # the line with no Unix time is rejected, the rest kept
    assert f"{path}:9: time: not a Unix time 'вчера'" in first.err
    assert "3 new, 0 updated, 0 unchanged, 1 rejected" in first.out, first.out
    assert "1 queue call(s) given the agent who took them" in first.out
    assert "agent 'SIP/999' is no operator's" in first.out
    assert query(db_url, "SELECT o.name FROM call c JOIN operator o ON o.id = c.operator_id"
                 ) == [("Петров Олег",)]
    report = cli("report", "occupancy", "--date", "2026-03-02", "--user", "lead",
                 "--db", db_url)
    assert report.code == 0, report
    anna = next(line for line in report.out.splitlines() if line.startswith("Иванова"))
    assert anna.split()[-4:] == ["9:00", "0:30", "0:00", "0%"]
    oleg = next(line for line in report.out.splitlines() if line.startswith("Петров"))
    assert oleg.split()[-4:] == ["14:59", "0:00", "0:05", "1%"]  # open: to the day's end
    again = cli("import", "queue-log", path, "--user", "admin", "--db", db_url)
    assert "0 new, 0 updated, 3 unchanged" in again.out, again
    later = _log([f"{_at('19:00:00')}|NONE|sales|oleg|REMOVEMEMBER|"],
                 tmp_path / "queue_log.1")
    # The next log (rotated) ends the span the first one left open.
    assert "0 new, 1 updated, 0 unchanged" in cli("import", "queue-log", later, "--user",
                                                   "admin", "--db", db_url).out
    report = cli("report", "occupancy", "--date", "2026-03-02", "--user", "lead",
                 "--db", db_url)
    oleg = next(line for line in report.out.splitlines() if line.startswith("Петров"))
    assert oleg.split()[-4:-2] == ["9:59", "0:00"]
    qa = cli("report", "occupancy", "--date", "2026-03-02", "--db", db_url, "--user", "admin")
    assert qa.code == 0
