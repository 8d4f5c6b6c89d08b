"""Norms per team per metric per shift: importing them from TOML, listing them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from scorecard.db.models import Norm, Team
from scorecard.domain.slices import SLICE_METRICS
from scorecard.errors import AccessDenied, ScorecardError
from scorecard.services import audit
from scorecard.services.access import Actor, Permission
from scorecard.tomlfiles import read_toml


def read_norms(path: Path) -> tuple[date, dict[str | None, dict[str, float]]]:
    """(valid from, team name or None for the default → metric → per-shift norm)."""
    data = read_toml(path)
    unknown = set(data) - {"valid_from", "default", "team"}
    if unknown:
        raise ScorecardError(f"{path}: unknown key(s) {', '.join(sorted(unknown))} (known: "
                             "valid_from, default, team)")
    valid_from = data.get("valid_from", date.today())
    if not isinstance(valid_from, date):
        raise ScorecardError(f"{path}: valid_from must be a date such as 2026-11-01")
    tables: dict[str | None, object] = {None: data.get("default", {})}
    teams = data.get("team", {})
    if not isinstance(teams, dict):
        raise ScorecardError(f'{path}: team must be tables: [team."Name"]')
    tables.update(teams)
    norms: dict[str | None, dict[str, float]] = {}
    for team, values in tables.items():
        where = f"{path}: " + (f'[team."{team}"]' if team else "[default]")
        if not isinstance(values, dict):
            raise ScorecardError(f"{where} must be a table of metric = number")
        for metric, value in values.items():
            if metric not in SLICE_METRICS:
                raise ScorecardError(f"{where}: {metric}: unknown metric (known: "
                                     f"{', '.join(SLICE_METRICS)})")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ScorecardError(f"{where}: {metric}: must be a number of 0 or more")
        norms[team] = {metric: float(value) for metric, value in values.items()}
    return valid_from, norms


def import_norms(session: Session, path: Path, *, by: Actor | None = None) -> int:
    """Store the file's norms (replacing those of the same team, metric and start day).

    ``by`` sets them: an admin, or a lead for their own team only (no [default]); None only
    during the first setup of a database with no admin yet.
    """
    valid_from, norms = read_norms(path)
    team_ids = {team.name: team.id for team in session.exec(select(Team)).all()}
    missing = [name for name in norms if name is not None and name not in team_ids]
    if missing:
        raise ScorecardError(f"{path}: no team {', '.join(map(repr, missing))} (import the "
                             "operator list first)")
    if by is not None:
        by.require(Permission.SET_NORMS)
        foreign = [name or "default" for name, values in norms.items()
                   if values and by.role == "lead"
                   and (name is None or team_ids[name] != by.team_id)]
        if foreign:
            raise AccessDenied(f"{by.login} (lead) may set only their own team's norms, not "
                               f"{', '.join(foreign)}")
    stored = 0
    for team, values in norms.items():
        team_id = team_ids[team] if team is not None else None
        for metric, per_shift in values.items():
            existing = session.exec(select(Norm).where(
                col(Norm.team_id).is_(None) if team_id is None else Norm.team_id == team_id,
                Norm.metric == metric, Norm.valid_from == valid_from)).first()
            if existing is None:
                session.add(Norm(team_id=team_id, metric=metric, per_shift=per_shift,
                                 valid_from=valid_from))
            else:
                existing.per_shift = per_shift
            stored += 1
    audit.record(session, action="norms.import", entity="norm", entity_id=None,
                 actor_id=by.user_id if by else None,
                 new={"file": str(path), "valid_from": valid_from.isoformat(),
                      "teams": sorted(name or "default" for name, values in norms.items()
                                      if values), "norms": stored})
    return stored
