"""The admin's form for payroll terms: one default, team or operator, from a day on.

The plan is written as the metrics a scheme counts against it, by name in either language
or by id (``effective calls 900, deals 12``); a team's line also names the shipped scheme
that pays it. Ctrl+S (or Enter in a field) stores a new version, checked and audited as a
terms file is (:func:`~scorecard.services.kpi_terms.import_terms`); a refusal is said in
the form, which stays open with everything typed in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from scorecard.domain.periods import parse_day
from scorecard.tui.screens.form_dialog import FormDialog, form_keys

if TYPE_CHECKING:
    from scorecard.domain.kpi import OperatorInput
    from scorecard.tui.app import ScorecardApp

#: "effective calls 1 100", "deals: 12", "effective_calls=900": a metric's name (as
#: the app says it in either language, or its id) and a number (spaces between thousands,
#: a decimal comma or point).
_PIECE = re.compile(r"^\s*(.+?)\s*[:=]?\s*([0-9][0-9 \u00a0]*(?:[.,][0-9]+)?)\s*$")


@dataclass(frozen=True)
class TermsFor:
    """Whose terms a line or a form is about, and the terms in force (None: new)."""

    kind: str
    """``default``, ``team`` or ``operator``."""
    who: str
    scheme: str | None
    terms: OperatorInput | None


def parse_plan(text: str) -> dict[str, str] | str:
    """``effective calls 900, deals 12`` as metric id → number; a piece it cannot
    read (or a metric no plan counts) is returned as it was typed (the form names it)."""
    from scorecard.tui.kpi_words import plan_metrics

    names = plan_metrics()
    plan: dict[str, str] = {}
    # A comma before a digit is a decimal comma (``12,5``); before a word it starts a piece.
    for piece in re.split(r"[;\n]|,(?=\s*[^\W\d])", text):
        if not piece.strip():
            continue
        found = _PIECE.match(piece)
        metric = names.get(" ".join(found.group(1).split()).casefold()) if found else None
        if found is None or metric is None:
            return piece.strip()
        plan[metric] = _typed_number(found.group(2))
    return plan


def _typed_number(text: str) -> str:
    """A number as typed (``35 000``, ``12,5``) as the terms file takes it (``12.5``)."""
    return re.sub(r"[ \u00a0]", "", text).replace(",", ".")


def _plain(value: object) -> str:
    text = f"{value}"
    return text[:-3] if text.endswith(".00") else text


class TermsDialog(FormDialog[str]):
    """Dismissed with what was stored, in words, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = form_keys("terms.save")

    app: ScorecardApp

    def __init__(self, line: TermsFor, *, day: date) -> None:
        super().__init__()
        self.line = line
        self.day = day

    def compose(self) -> ComposeResult:
        from scorecard.domain.kpi import shipped_scheme_ids
        from scorecard.tui.kpi_words import metric_name

        t = self.app.t
        line, terms = self.line, self.line.terms
        title = t("terms.new_title") if not line.who else t(
            "terms.edit_title", who=t("terms.default") if line.kind == "default" else line.who)
        with Vertical(id="dialog", classes="-form"):
            yield Label(title, id="dialog-title")
            if line.kind == "operator" and not line.who:
                yield Label(t("terms.field.operator"))
                yield Input("", id="terms-who", placeholder=t("terms.operator_placeholder"),
                            compact=True)
            if line.kind == "team":
                yield Label(t("terms.field.scheme"))
                yield Select([(id_, id_) for id_ in shipped_scheme_ids()],
                             value=line.scheme or Select.BLANK, id="terms-scheme",
                             compact=True)
            yield Label(t("terms.field.plan"))
            yield Input(", ".join(f"{metric_name(k, t)} {_plain(v)}"
                                  for k, v in sorted(terms.plan.items())) if terms else "",
                        id="terms-plan", placeholder=t("terms.plan_placeholder"), compact=True)
            yield Label(t("terms.field.fixed"))
            yield Input(_plain(terms.fixed) if terms else "", id="terms-fixed",
                        placeholder="35000", compact=True)
            yield Label(t("terms.field.bonus_target"))
            yield Input(_plain(terms.bonus_target) if terms else "", id="terms-bonus",
                        placeholder="35000", compact=True)
            yield Label(t("terms.field.from"))
            yield Input(f"{self.day:%d.%m.%Y}", id="terms-from", placeholder="01.12.2026",
                        compact=True)
            yield Static(t("terms.save_hint"), id="dialog-problem")

    def on_mount(self) -> None:
        # The first thing to type: the operator of new terms, else the plan (the scheme
        # above it is picked less often; Shift+Tab reaches it).
        self.query_one("#terms-who" if self.line.kind == "operator" and not self.line.who
                       else "#terms-plan", Input).focus()

    def create(self) -> None:
        from scorecard.services.kpi_terms import import_terms, terms_entry

        t = self.app.t
        line = self.line
        who = line.who or self.query_one("#terms-who", Input).value.strip()
        if not who:
            self.problem(t("terms.no_operator"), error=True)
            return
        plan = parse_plan(self.query_one("#terms-plan", Input).value)
        if isinstance(plan, str):
            self.problem(t("terms.bad_plan", piece=plan), error=True)
            return
        text = self.query_one("#terms-from", Input).value
        valid_from = parse_day(text, year=self.day.year)
        if valid_from is None:
            self.problem(t("terms.bad_from", day=text.strip()), error=True)
            return
        scheme = None
        if line.kind == "team":
            chosen = self.query_one("#terms-scheme", Select).value
            scheme = chosen if isinstance(chosen, str) else None
        entry = terms_entry(line.kind, who, scheme=scheme, plan=plan,
                            fixed=self._amount("#terms-fixed"),
                            bonus_target=self._amount("#terms-bonus"))
        login, source = self.app.login, t("terms.source")

        def save(session) -> str:  # noqa: ANN001 - a Session
            import_terms(session, entry, valid_from=valid_from, login=login, source=source)
            return t("terms.saved", day=f"{valid_from:%d.%m.%Y}")

        self.submit(save, t("terms.saving"))

    def _amount(self, field: str) -> str:
        """Money as typed (``35 000``, ``35000,50``) in the form the terms file takes."""
        text = self.query_one(field, Input).value
        return _typed_number(text) or "0"
