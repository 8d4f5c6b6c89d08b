"""How stored things read on screen: stage titles, answers, audit entries in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard.i18n import MESSAGES

if TYPE_CHECKING:
    from scorecard.i18n import Catalogue
    from scorecard.services.audit_log import Entry

ANSWER_MARKS = {"pass": "✓", "fail": "✗", "na": "—"}


def stage_title(stage: str, t: Catalogue) -> str:
    """A stage's title in the user's language; a card's own stage keeps its id."""
    return t(f"stage.{stage}") if f"stage.{stage}" in MESSAGES else stage


def action_title(action: str, t: Catalogue) -> str:
    """What an audit action did, in words (an action without a wording shows as stored)."""
    key = f"audit.action.{action}"
    return t(key) if key in MESSAGES else action


def entry_in_words(entry: Entry, t: Catalogue) -> str:
    """An audit entry's change in one line: items before → after, the total, the item
    disputed; empty when the entry changed nothing a reader can name."""
    parts = [t("audit.change", item=c.item, before=_mark(c.before), after=_mark(c.after))
             for c in entry.changes]
    if entry.item:
        parts.append(t("audit.item", item=entry.item))
    if entry.total is not None:
        before, after = entry.total
        parts.append(t("audit.total", before=points(before), after=points(after))
                     if before is not None else t("audit.total_set", after=points(after)))
    return "; ".join(parts)


def _mark(answer: str | None) -> str:
    return ANSWER_MARKS.get(answer or "", "·")


def points(value: float | None) -> str:
    """A score as a whole number of points; «—» when there is none."""
    return "—" if value is None else f"{value:.0f}"
