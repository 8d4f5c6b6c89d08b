"""``scorecard kpi``: what a KPI scheme pays, on numbers given by hand (the what-if calculator)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="KPI schemes: simulate pay on given numbers.", no_args_is_help=True)


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
    from scorecard.domain.kpi import KpiError, compute, find_scheme, parse_inputs

    chosen = find_scheme(scheme)
    try:
        data = json.loads(input_file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise KpiError(f"{input_file}: no such file") from None
    except json.JSONDecodeError as exc:
        raise KpiError(f"{input_file}: line {exc.lineno}, column {exc.colno}: not valid JSON: "
                       f"{exc.msg}") from None
    people = parse_inputs(data, source=str(input_file))
    missing = chosen.metrics() - {"critical_fails"}
    results = [compute(chosen, person, source=str(input_file)) for person in people]
    for person in people:  # a metric the scheme needs but the input lacks counts as 0: say so
        absent = sorted(m for m in missing if m not in person.metrics)
        if absent and not as_json:
            typer.echo(f"note: {person.operator}: no {', '.join(absent)} given, taken as 0",
                       err=True)
    if as_json:
        for result in results:
            typer.echo(json.dumps(_as_json(result), ensure_ascii=False))
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
    def plain(value: object) -> object:
        from decimal import Decimal

        return float(value) if isinstance(value, Decimal) else value

    return {
        "operator": result.operator,
        "payout": float(result.payout),
        "parts": [
            {"name": part.name, "input": {k: plain(v) for k, v in part.input.items()},
             "amount": round(float(part.amount), 2),
             "multipliers": [{"name": a.name, "ratio": plain(a.ratio), "factor": plain(a.factor)}
                             for a in part.multipliers]}
            for part in result.parts
        ],
    }
