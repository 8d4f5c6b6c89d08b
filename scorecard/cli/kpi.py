"""``scorecard kpi``: what a KPI scheme pays, on numbers given by hand (the what-if calculator)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, open_db
from scorecard.cli.outfile import write_out
from scorecard.domain.inert import csv_row, json_default

app = typer.Typer(help="KPI: simulate a scheme, report a period, rebuild the rollup.",
                  no_args_is_help=True)
terms_app = typer.Typer(help="Payroll terms in the database: plans, fixed pay, bonus targets "
                        "and each team's scheme, versioned by the day they start.",
                        no_args_is_help=True)
app.add_typer(terms_app, name="terms")
FORMATS = ("table", "csv", "xlsx", "json")


@app.command("simulate")
def simulate(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT.json",
                                               help="Operators' metrics, plans and terms.")],
    scheme: Annotated[str, typer.Option("--scheme", metavar="ID_OR_PATH",
                                        help="A shipped scheme id or a scheme .toml file.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per operator.")]
    = False,
) -> None:
    """Compute a scheme's payout per operator, part by part, from INPUT.json."""
    from scorecard.domain.kpi import compute, find_scheme, parse_inputs

    chosen = find_scheme(scheme)
    people = parse_inputs(_read_json(input_file), source=str(input_file))
    missing = chosen.metrics() - {"critical_fails"}
    results = [compute(chosen, person, source=str(input_file)) for person in people]
    for person in people:  # a metric the scheme needs but the input lacks counts as 0: say so
        absent = sorted(m for m in missing if m not in person.metrics)
        if absent and not as_json:
            typer.echo(f"note: {person.operator}: no {', '.join(absent)} given, taken as 0",
                       err=True)
    if as_json:
        for result in results:
            typer.echo(json.dumps(_as_json(result), ensure_ascii=False, default=json_default))
        return
    unit = "%" if chosen.kind == "index" else "₽"
    typer.echo(f"{chosen.title} ({chosen.id})")
    for result in results:
        typer.echo(f"\n{result.operator}: {_format(result.payout)} {unit}")
        for part in result.parts:
            factors = "".join(f" × {a.factor} ({a.name}"
                              + (f" {a.ratio:.2f})" if a.ratio is not None else ")")
                              for a in part.multipliers)
            inputs = ", ".join(f"{k} {v}" for k, v in part.input.items())
            typer.echo(f"  {part.name:<18} {_format(part.amount):>14}  {inputs}{factors}")


def _format(value) -> str:  # noqa: ANN001 - a Decimal
    return f"{value:,.2f}".replace(",", " ")


def _as_json(result) -> dict[str, object]:  # noqa: ANN001 - a KpiResult
    """Money as exact decimal strings ("7519.60"), never floats; ratios and factors as
    decimal strings too (json_default)."""
    from scorecard.domain.inert import money
    from scorecard.services.kpi import parts_record

    return {"operator": result.operator, "payout": money(result.payout),
            "parts": parts_record(result)}


@app.command("report")
def report(
    period: Annotated[str, typer.Option("--period", metavar="YYYY-MM|YYYY-Www|YYYY-MM-DD[..]",
                                        help="A month, an ISO week, a day or a range.")],
    scheme: Annotated[str | None, typer.Option(
        "--scheme", metavar="ID_OR_PATH", help="A shipped scheme id or a scheme .toml file "
        "for everyone. Default: each team's scheme, as its terms name it.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    terms: Annotated[Path | None, typer.Option(
        "--terms", metavar="TERMS.json", help="Plans, fixed pay and bonus targets from a file "
        "(a what-if), as `kpi terms import` reads it. Default: the terms in the database "
        "(kpi terms show).")]
    = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv, xlsx or json.")]
    = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (xlsx needs "
                                                           "it).")] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Metrics and payout per operator for a period, from the database."""
    from scorecard.domain.kpi import KpiError, find_scheme
    from scorecard.services.access import actor
    from scorecard.services.kpi import (
        kpi_report,
        kpi_report_by_team,
        parts_record,
        report_record,
    )
    from scorecard.services.kpi_terms import read_terms

    if output_format not in FORMATS:
        raise KpiError(f"--format must be one of {', '.join(FORMATS)}")
    if output_format == "xlsx" and out is None:
        raise KpiError("--format xlsx needs --out FILE.xlsx")
    first, last = parse_period(period)
    chosen = find_scheme(scheme) if scheme else None
    data = _read_json(terms) if terms else None
    what_if = chosen is not None or terms is not None
    database = open_db(db)
    with database.session() as session:
        given = read_terms(session, data, source=str(terms)) if terms else None
        viewer = actor(session, acting_login(user, session))
        pay = _month_pay(session, viewer, first, last, team)
        if pay is not None and pay.closed is not None and not what_if:
            _closed_report(pay, period, team, output_format, out)
            return
        blocks = [(chosen, kpi_report(session, chosen, viewer=viewer, first=first, last=last,
                                      team=team, terms=given, terms_source=str(terms)))] \
            if chosen else kpi_report_by_team(session, viewer=viewer, first=first, last=last,
                                              team=team, terms=given, terms_source=str(terms))
    rows = [row for _, block in blocks for row in block]
    if not rows:
        raise KpiError(f"no operators{' in team ' + repr(team) if team else ''} for {period}")
    if pay is not None and pay.closed is not None:
        typer.echo(f"note: {first:%Y-%m} is closed; this is a what-if, not what was paid "
                   f"(kpi report --period {first:%Y-%m})", err=True)
    carried = pay is not None and pay.carried_into == first and not what_if
    table = [{**report_record(row), "scheme": paid_by.id}
             for paid_by, block in blocks for row in block]
    if carried and output_format != "table":
        assert pay is not None
        for record, row in zip(table, rows, strict=True):
            extra = pay.adjustment_for(row.metrics.operator_id)
            record["adjustments"], record["to_pay"] = extra, record["payout"] + extra
    if output_format == "json":
        table = [{**record, "parts": parts_record(row.result)}
                 for record, row in zip(table, rows, strict=True)]
    if carried and output_format != "table":
        assert pay is not None
        for a in pay.owed_without_line(row.metrics.operator_id for row in rows):
            extra = pay.adjustment_for(a.operator_id)
            table.append({"operator": a.operator, "team": a.row.metrics.team or "",
                          "scheme": a.scheme, "payout": Decimal(0), "adjustments": extra,
                          "to_pay": extra, **({"parts": []} if output_format == "json" else {})})
    if output_format != "table":
        _write_records(table, output_format, out, period)
    else:
        text_out = "\n".join(
            _as_table(paid_by.title, period, [report_record(row) for row in block], paid_by.kind)
            for paid_by, block in blocks if block)
        if carried and pay is not None and pay.adjustments:
            text_out += "\n" + _adjustments_table(
                pay.adjustments, f"adjustments to closed months, paid with {first:%Y-%m}:")
        write_out(text_out, out)


def _write_records(table: list[dict[str, object]], output_format: str, out: Path | None,
                   period: str) -> None:
    """Report lines as JSON lines, CSV or a spreadsheet."""
    if output_format == "json":
        write_out("\n".join(json.dumps(record, ensure_ascii=False, default=json_default)
                            for record in table) + "\n", out)
    elif output_format == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(csv_row(r) for r in table)
        write_out(buffer.getvalue(), out)
    else:
        from scorecard.services.exports import export_xlsx

        assert out is not None
        export_xlsx(table, out, period)
        typer.echo(f"{len(table)} operators written to {out}")


def _month_pay(session, viewer, first: date, last: date, team: str | None):  # noqa: ANN001, ANN202
    """The month's pay status when the period is one whole month, else None."""
    from dataclasses import replace

    from scorecard.domain.periods import month_of
    from scorecard.services.pay_periods import month_pay

    if (first, last) != month_of(first):
        return None
    pay = month_pay(session, viewer, first)
    return pay if team is None else replace(pay, adjustments=[
        a for a in pay.adjustments if a.row.metrics.team == team])


def _closed_report(pay, period: str, team: str | None, output_format: str,  # noqa: ANN001
                   out: Path | None) -> None:
    """A closed month as it was paid: its frozen lines, then what changed since."""
    from scorecard.domain.kpi import KpiError, find_scheme

    closed = pay.closed
    lines = [line for line in closed.payouts
             if team is None or line.record["team"] == team]
    if not lines:
        raise KpiError(f"no operators{' in team ' + repr(team) if team else ''} for {period}")
    head = (f"{closed.month:%Y-%m} closed on {closed.closed_at:%Y-%m-%d %H:%M} UTC by "
            f"{closed.closed_by}: the payouts as paid")
    if output_format in ("json", "csv", "xlsx"):
        table = [{**line.record, "scheme": line.scheme, "closed": True,
                  **({"parts": line.parts} if output_format == "json" else {})}
                 for line in lines]
        _write_records(table, output_format, out, period)
        return
    by_scheme: dict[str, list[dict[str, object]]] = {}
    for line in lines:
        by_scheme.setdefault(line.scheme, []).append(line.record)
    text_out = head + "\n" + "\n".join(
        _as_table(find_scheme(name).title, period, records, find_scheme(name).kind)
        for name, records in by_scheme.items())
    if closed.carried:
        text_out += "\n" + _carried_table(closed.carried, closed.month)
    if pay.adjustments:
        where = f"{pay.carried_into:%Y-%m}" if pay.carried_into else "the next open month"
        text_out += "\n" + _adjustments_table(
            pay.adjustments, f"changed since closing, to be paid with {where}:")
    write_out(text_out, out)


def _adjustments_table(adjustments, title: str) -> str:  # noqa: ANN001 - Adjustments
    lines = [title]
    for a in adjustments:
        why = ", ".join(_reason(*r) for r in a.reasons)
        lines.append(f"  {a.month:%Y-%m}  {a.operator[:24]:<24} {_signed(a.amount):>14} ₽  "
                     f"(paid {_format(a.paid)}, now {_format(a.now)}: {why})")
    return "\n".join(lines) + "\n"


def _carried_table(carried, month: date) -> str:  # noqa: ANN001 - FrozenLines
    lines = [f"adjustments to earlier months paid with {month:%Y-%m}:"]
    for line in carried:
        why = ", ".join(_reason(*r) for r in line.detail.get("reasons", []))
        lines.append(f"  {line.month:%Y-%m}  {line.operator[:24]:<24} "
                     f"{_signed(line.amount):>14} ₽  ({why})")
    return "\n".join(lines) + "\n"


def _reason(what: str, before: object, now: object) -> str:
    if what == "new":
        return "not paid in the closed month"
    if what == "terms":
        return "terms changed"
    if what == "scheme edited":
        return f"scheme {before} edited"
    return f"{what} {'—' if before is None else before} → {'—' if now is None else now}"


def _signed(value) -> str:  # noqa: ANN001 - a Decimal
    return ("+" if value > 0 else "") + _format(value)


@app.command("quality")
def quality(
    period: Annotated[str, typer.Option("--period", metavar="YYYY-MM|YYYY-Www|YYYY-MM-DD[..]",
                                        help="A month, an ISO week, a day or a range.")],
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    operator: Annotated[str | None, typer.Option("--operator", help="Only this operator.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per operator.")]
    = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Quality per operator: mean total with its 90 % interval, stages, weakest items."""
    from scorecard.services.access import actor
    from scorecard.services.quality import quality_breakdown

    first, last = parse_period(period)
    with open_db(db).session() as session:
        people = quality_breakdown(session, viewer=actor(session, acting_login(user, session)),
                                   first=first, last=last, team=team,
                                   operator=operator)
    if as_json:
        for q in people:
            typer.echo(json.dumps({
                "operator": q.operator, "team": q.team, "evaluations": q.total.evaluations,
                "quality": q.total.mean, "quality_low": q.total.low,
                "quality_high": q.total.high, "critical_fails": q.critical_fails,
                "stages": {stage: {"evaluations": n, "score": round(mean, 1)}
                           for stage, (n, mean) in q.stages.items()},
                "items": {f"{s}/{i}": {"passed": p, "failed": f}
                          for (s, i), (p, f) in q.items.items()},
            }, ensure_ascii=False))
        return
    if not people:
        typer.echo(f"no graded calls for {period}")
        return
    for q in people:
        interval = "" if q.total.low is None else f" (90% CI {q.total.low:.0f}–{q.total.high:.0f})"
        mean = "—" if q.total.mean is None else f"{q.total.mean:.1f}"
        typer.echo(f"{q.operator} ({q.team or '—'}): {mean}{interval}, "
                   f"{q.total.evaluations} evaluation(s), {q.critical_fails} critical fail(s)")
        stages = ", ".join(f"{stage} {mean:.0f}" for stage, mean in q.weakest_stages(6))
        typer.echo(f"  stages, weakest first: {stages}")
        items = ", ".join(f"{s}/{i} {rate:.0%}" for (s, i), rate in q.weakest_items())
        typer.echo(f"  weakest items: {items}")


@app.command("trends")
def trends(
    operator: Annotated[str, typer.Option("--operator", help="The operator to follow.")],
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104,
                                       help="How many ISO weeks, the last one included.")]
    = 8,
    until: Annotated[str | None, typer.Option(
        "--until", metavar="YYYY-MM-DD|YYYY-MM", help="The last day counted (a month: its "
        "last day). Default: today.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per week.")]
    = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Quality total and stage scores by week for one operator, next to the team's."""
    from scorecard.services.access import actor
    from scorecard.services.trends import operator_trends

    last = parse_period(until)[1] if until else None
    with open_db(db).session() as session:
        found = operator_trends(session, viewer=actor(session, acting_login(user, session)),
                                operator=operator, until=last, weeks=weeks)
    team = found.team_line
    stages = [s for s in found.stages if any(
        p.evaluations for line in [found.mine, *([team] if team else [])]
        for p in line.stages[s])]

    def mean(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    if as_json:
        for week, monday in enumerate(found.weeks):
            mine = found.mine.total[week]
            record: dict[str, object] = {
                "operator": found.operator, "team": found.team, "week": monday.isoformat(),
                "evaluations": mine.evaluations, "quality": mean(mine.mean)}
            if team is not None:
                record["team_evaluations"] = team.total[week].evaluations
                record["team_quality"] = mean(team.total[week].mean)
            record["stages"] = {s: {
                "evaluations": found.mine.stages[s][week].evaluations,
                "score": mean(found.mine.stages[s][week].mean),
                **({"team_evaluations": team.stages[s][week].evaluations,
                    "team_score": mean(team.stages[s][week].mean)} if team else {}),
            } for s in stages}
            typer.echo(json.dumps(record, ensure_ascii=False))
        return

    def cell(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f}"

    typer.echo(f"{found.operator} ({found.team or 'no team'}): weeks {found.weeks[0]:%d.%m.%Y}"
               f" … {found.until:%d.%m.%Y}; stage cells are operator/team")
    header = f"{'week':<10} {'graded':>6} {'total':>5}"
    if team is not None:
        header += f" {'team n':>6} {'team':>5}"
    widths = {s: max(len(s), 7) for s in stages}  # "100/100" fits under any key
    typer.echo(header + "".join(f" {s:>{widths[s]}}" for s in stages))
    for week, monday in enumerate(found.weeks):
        mine = found.mine.total[week]
        line = f"{monday:%d.%m.%Y} {mine.evaluations:>6} {cell(mine.mean):>5}"
        if team is not None:
            line += f" {team.total[week].evaluations:>6} {cell(team.total[week].mean):>5}"
        for s in stages:
            score = cell(found.mine.stages[s][week].mean)
            if team is not None:
                score += "/" + cell(team.stages[s][week].mean)
            line += f" {score:>{widths[s]}}"
        typer.echo(line)


@app.command("close")
def close(
    month: Annotated[str, typer.Argument(metavar="YYYY-MM", help="The month to close.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what closing would "
                                          "freeze; write nothing.")] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Freeze a month's payouts (admins; audited). Later changes to it are paid as
    adjustments with the next open month; a closed month is never rewritten."""
    from scorecard.domain.kpi import KpiError, find_scheme
    from scorecard.services.access import actor
    from scorecard.services.pay_periods import close_month

    first, last = parse_period(month)
    if len(month) != 7:
        raise KpiError(f"{month!r}: give a month, YYYY-MM")
    with open_db(db).session() as session:
        by = actor(session, acting_login(user, session))
        closed, adjustments = close_month(session, first, by=by, today=date.today())
        if dry_run:
            session.rollback()
    by_scheme: dict[str, list[Decimal]] = {}
    for line in closed.payouts:
        by_scheme.setdefault(line.scheme, []).append(line.amount)
    verb = "would close" if dry_run else "closed"
    typer.echo(f"{first:%Y-%m} {verb} by {by.login}: {len(closed.payouts)} operator(s), "
               f"{_format(closed.paid)} ₽")
    for scheme, amounts in sorted(by_scheme.items()):
        index = find_scheme(scheme).kind == "index"  # a percentage: its mean, not a sum
        figure = f"mean {_format(sum(amounts) / len(amounts))} %" if index else \
            f"{_format(sum(amounts))} ₽"
        typer.echo(f"  {scheme:<24} {len(amounts):>4} operator(s) {figure:>20}")
    if adjustments:
        typer.echo(_adjustments_table(adjustments, f"adjustments to earlier months paid "
                                                   f"with {first:%Y-%m}:"), nl=False)
    if dry_run:
        typer.echo("dry run: nothing written")


@app.command("periods")
def periods(user: UserOption = None, db: DbOption = None) -> None:
    """Closed months: who closed each and when, what it paid, and whether anything it was
    paid from has changed since."""
    from scorecard.services.access import Permission, actor
    from scorecard.services.pay_periods import closed_months, month_status, next_open

    with open_db(db).session() as session:
        viewer = actor(session, acting_login(user, session))
        viewer.require(Permission.VIEW_KPI)
        found = [(period, month_status(session, period.month, viewer=viewer))
                 for period in closed_months(session)]
        following = next_open(session)
    if not found:
        typer.echo("no month is closed yet (scorecard kpi close YYYY-MM)")
        return
    for period, closed in found:
        assert closed is not None
        carried = sum((line.amount for line in closed.carried), Decimal(0))
        schemes = ", ".join(sorted(closed.versions.get("schemes", {})))
        typer.echo(f"{period.month:%Y-%m}  closed {period.closed_at:%Y-%m-%d %H:%M} UTC by "
                   f"{closed.closed_by}; {len(closed.payouts)} operator(s), "
                   f"{_format(closed.paid)} ₽ paid, {_signed(carried) if carried else '0.00'} in "
                   f"adjustments; {schemes}" + ("; changed since, see kpi report"
                                                if period.recheck else ""))
    typer.echo(f"next open month: {following:%Y-%m}")


@app.command("rebuild")
def rebuild_command(
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="YYYY-MM-DD")] = None,
    effective_seconds: Annotated[int, typer.Option(
        "--effective-seconds", min=1, help="Talk time that makes a call effective.")] = 20,
    db: DbOption = None,
) -> None:
    """Recount the operator-day rollup from calls, outcomes and evaluations."""
    from scorecard.services.metrics import rebuild_all

    database = open_db(db)
    with database.session() as session:
        counted = rebuild_all(session, since=parse_period(since)[0] if since else None,
                              until=parse_period(until)[1] if until else None,
                              effective_seconds=effective_seconds)
    if counted is None:
        typer.echo("no calls: nothing to count")
        return
    typer.echo(f"operator-day rollup recounted for {counted[0]} … {counted[1]}")


def parse_period(text_value: str) -> tuple[date, date]:
    """``2026-11`` (a month), ``2026-W47`` (an ISO week), ``2026-11-20`` (a day) or
    ``2026-11-01..2026-11-15``."""
    from scorecard.domain.kpi import KpiError

    try:
        if "-W" in text_value.upper():
            year, week = text_value.upper().split("-W", 1)
            monday = date.fromisocalendar(int(year), int(week), 1)
            return monday, monday + timedelta(days=6)
        if ".." in text_value:
            start, end = text_value.split("..", 1)
            return date.fromisoformat(start), date.fromisoformat(end)
        if len(text_value) == 7:
            first = date.fromisoformat(text_value + "-01")
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - timedelta(days=1)
        day = date.fromisoformat(text_value)
        return day, day
    except ValueError:
        raise KpiError(f"period {text_value!r}: use YYYY-MM, YYYY-Www, YYYY-MM-DD or "
                       "YYYY-MM-DD..YYYY-MM-DD") from None


def _read_json(path: Path) -> object:
    from scorecard.domain.kpi import KpiError

    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise KpiError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise KpiError(f"{path}: byte {exc.start + 1} is not UTF-8: save the file as UTF-8"
                       ) from None
    except OSError as exc:  # a folder, no permission
        raise KpiError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise KpiError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON: "
                       f"{exc.msg}") from None
    except RecursionError:  # arrays 100,000 deep
        raise KpiError(f"{path}: not a usable JSON file: nested too deep") from None
    except ValueError:  # a number of thousands of digits
        raise KpiError(f"{path}: not a usable JSON file: a number too long to be a count or "
                       "an amount") from None


def _as_table(title: str, period: str, table: list[dict[str, object]], kind: str) -> str:
    unit = "%" if kind == "index" else "₽"
    lines = [f"{title}, {period}",
             f"{'operator':<24} {'team':<18} {'dials':>6} {'eff.':>5} {'set':>4} {'held':>4} "
             f"{'deals':>5} {'quality (90% CI)':>18} {'payout':>14}"]
    teams: dict[str, dict[str, float]] = {}
    for r in table:
        team = teams.setdefault(str(r["team"]), dict.fromkeys(
            ("dials", "effective_calls", "meetings_set", "meetings_held", "deals", "payout",
             "operators"), 0))
        for key in team:
            team[key] += 1 if key == "operators" else r[key]  # type: ignore[operator]
    for r in table:
        quality = "—" if r["quality"] is None else (
            f"{r['quality']}" + ("" if r["quality_low"] is None else
                                 f" ({r['quality_low']}–{r['quality_high']})"))
        lines.append(
            f"{str(r['operator'])[:24]:<24} {str(r['team'])[:18]:<18} {r['dials']:>6} "
            f"{r['effective_calls']:>5} {r['meetings_set']:>4} {r['meetings_held']:>4} "
            f"{r['deals']:>5} {quality:>18} {_format(r['payout']):>12} {unit}")
    for name, t in teams.items():
        # Money and counts add up over a team; an index (a percentage) does not: its mean,
        # over how many operators.
        label, payout = ("= team total", _format(t["payout"])) if kind != "index" else (
            f"= team mean of {t['operators']:.0f}", _format(t["payout"] / t["operators"]))
        lines.append(
            f"{label:<24} {name[:18]:<18} {t['dials']:>6.0f} {t['effective_calls']:>5.0f} "
            f"{t['meetings_set']:>4.0f} {t['meetings_held']:>4.0f} {t['deals']:>5.0f} {'':>18} "
            f"{payout:>12} {unit}")
    return "\n".join(lines) + "\n"


@terms_app.command("import")
def terms_import(
    file: Annotated[Path, typer.Argument(metavar="TERMS.json", help=(
        '{"default": {"plan", "fixed", "bonus_target"}, "teams": {"TEAM": {"scheme", "plan", '
        '…}}, "operators": [{"operator", "plan", …}]}'))],
    valid_from: Annotated[datetime, typer.Option(
        "--from", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
        help="The first day these terms pay (earlier periods keep theirs).")],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Set payroll terms from a day on (admins; audited)."""
    from scorecard.services.kpi_terms import import_terms

    data = _read_json(file)
    with open_db(db).session() as session:
        counts = import_terms(session, data, valid_from=valid_from.date(),
                              login=acting_login(user, session), source=str(file))
    typer.echo(f"terms from {valid_from:%Y-%m-%d}: default {counts['default']}, "
               f"teams {counts['teams']}, operators {counts['operators']}")


@terms_app.command("show")
def terms_show(
    day: Annotated[datetime | None, typer.Option(
        "--date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
        help="The terms in force on this day (default: today).")] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """The terms in force on a day: the default, each team's (and its scheme), each
    operator's own."""
    from scorecard.domain.kpi import DEFAULT_TERMS
    from scorecard.services.access import actor
    from scorecard.services.kpi_terms import show_terms

    on = day.date() if day else date.today()
    with open_db(db).session() as session:
        found = show_terms(session, viewer=actor(session, acting_login(user, session)), day=on)
    if found.empty:
        typer.echo(f"no KPI terms in force on {on} (set them with: scorecard kpi terms import)")
        return
    listed = ([("default", found.default)] if found.default else []) + \
        sorted(found.teams.items()) + sorted((p.operator, p) for p in found.operators.values())
    for who, person in listed:
        assert person is not None
        key = DEFAULT_TERMS if who == "default" else who
        scheme = found.schemes.get(who, "")
        plan = ", ".join(f"{k} {v}" for k, v in sorted(person.plan.items())) or "—"
        typer.echo(f"{who[:24]:<24} {scheme:<22} plan: {plan}; fixed {_format(person.fixed)}; "
                   f"bonus target {_format(person.bonus_target)}; since {found.since[key]}")
