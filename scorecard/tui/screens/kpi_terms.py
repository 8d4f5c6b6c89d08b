"""The payroll terms screen: who is paid by which scheme, with which plan, fixed pay and
bonus target, in force in a month, or every version ever set (``h``).

Opened from the KPI screen (``t``) on its month; ``[``/``]`` move by month. Admins change
terms here: Enter on a line sets a new version of it from a day on, ``a`` adds an operator's
own terms (both in :class:`~scorecard.tui.screens.terms_dialog.TermsDialog`). Earlier
months keep the versions they had; a change reaching a closed month is paid as an
adjustment (see pay periods).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.domain.periods import month_of, shift_month
from scorecard.tui.keys import bind
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable

if TYPE_CHECKING:
    from scorecard.domain.kpi import OperatorInput
    from scorecard.services.kpi_terms import TermsInForce, TermsVersion
    from scorecard.tui.app import ScorecardApp
    from scorecard.tui.screens.terms_dialog import TermsFor


class KpiTermsScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("terms.edit", "enter", "edit", "terms.edit"),
        bind("terms.add", "a", "add", "terms.add"),
        bind("terms.history", "h", "history", "terms.history"),
        bind("terms.previous", "left_square_bracket", "shift_month(-1)", "map.previous"),
        bind("terms.next", "right_square_bracket", "shift_month(1)", "map.next"),
        bind("terms.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, *, day: date) -> None:
        super().__init__()
        self.day = month_of(day)[0]
        self.history = False
        self.lines: list[TermsFor] = []
        """What each row of the table is (in force mode)."""
        self.versions: list[TermsVersion] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="terms-status", markup=False)
        yield ListTable(id="terms-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("terms.title")
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Changing terms only for those who may set them; the rest read."""
        from scorecard.services.access import Permission

        if action in ("edit", "add"):
            return self.app.actor.may(Permission.SET_KPI_TERMS) and not self.history
        return True

    def load(self) -> None:
        from scorecard.services.kpi_terms import show_terms, terms_versions

        viewer, day, history = self.app.actor, self.day, self.history

        def query(session):  # noqa: ANN001, ANN202 - a Session, what to show
            if history:
                return terms_versions(session, viewer=viewer)
            return show_terms(session, viewer=viewer, day=day)

        self.read(query, self._fill_history if history else self._fill)

    def _fill(self, found: TermsInForce) -> None:
        from scorecard.domain.kpi import DEFAULT_TERMS
        from scorecard.tui.screens.terms_dialog import TermsFor

        t = self.app.t
        lines = ([TermsFor("default", DEFAULT_TERMS, None, found.default)]
                 if found.default else [])
        lines += [TermsFor("team", name, found.schemes.get(name), person)
                  for name, person in sorted(found.teams.items())]
        lines += [TermsFor("operator", person.operator, None, person)
                  for person in sorted(found.operators.values(), key=lambda p: p.operator)]
        self.lines = lines
        # The plan last: it is the long one.
        table = self._table(("who", "scheme", "fixed", "bonus_target", "since", "plan"))
        for line in lines:
            assert line.terms is not None
            plan, fixed, bonus = self._terms_cells(line.terms)
            table.add_row(self._who(line.kind, line.who), line.scheme or "—", fixed, bonus,
                          f"{found.since[line.who]:%d.%m.%Y}", plan)
        from scorecard.services.access import Permission

        status = t("terms.status" if self.app.actor.may(Permission.SET_KPI_TERMS)
                   else "terms.status_read", day=f"{self.day:%d.%m.%Y}", n=len(lines))
        self.query_one("#terms-status", Static).update(
            status if lines else t("terms.none", day=f"{self.day:%d.%m.%Y}"))
        table.focus()

    def _fill_history(self, versions: list[TermsVersion]) -> None:
        t = self.app.t
        self.versions = versions
        table = self._table(("since", "who", "scheme", "fixed", "bonus_target", "set_by",
                             "plan"))
        for version in versions:
            plan, fixed, bonus = self._terms_cells(version.terms)
            table.add_row(f"{version.valid_from:%d.%m.%Y}", self._who(version.kind, version.who),
                          version.scheme or "—", fixed, bonus,
                          f"{version.set_by or '—'}, {version.set_at:%d.%m.%Y %H:%M} UTC", plan)
        self.query_one("#terms-status", Static).update(t("terms.history_status",
                                                         n=len(versions)))
        table.focus()

    def _table(self, columns: tuple[str, ...]) -> DataTable:
        table = self.query_one("#terms-table", DataTable)
        table.clear(columns=True)
        for column in columns:
            table.add_column(self.app.t(f"terms.col.{column}"), key=column)
        return table

    def _who(self, kind: str, who: str) -> str:
        return self.app.t("terms.default") if kind == "default" else \
            f"{who} ({self.app.t(f'terms.kind.{kind}')})"

    def _terms_cells(self, terms: OperatorInput) -> tuple[str, str, str]:
        """Plan, fixed pay, bonus target."""
        from scorecard.tui.kpi_words import amount, exact_number, metric_name

        language = self.app.t.language
        plan = ", ".join(f"{metric_name(k, self.app.t)} {exact_number(v, language)}"
                         for k, v in sorted(terms.plan.items())) or "—"
        return plan, amount(terms.fixed, language), amount(terms.bonus_target, language)

    @on(DataTable.RowSelected, "#terms-table")
    def _selected(self) -> None:
        if self.check_action("edit", ()):
            self.action_edit()

    def action_edit(self) -> None:
        table = self.query_one("#terms-table", DataTable)
        if 0 <= table.cursor_row < len(self.lines):
            self._open(self.lines[table.cursor_row])

    def action_add(self) -> None:
        from scorecard.tui.screens.terms_dialog import TermsFor

        self._open(TermsFor("operator", "", None, None))

    def _open(self, line: TermsFor) -> None:
        from scorecard.tui.screens.terms_dialog import TermsDialog

        def saved(said: str | None) -> None:
            if said:
                self.notify(said)
                self.load()

        self.app.push_screen(TermsDialog(line, day=self.day), saved)

    def action_history(self) -> None:
        self.history = not self.history
        self.refresh_bindings()
        self.load()

    def action_shift_month(self, step: int) -> None:
        self.day = shift_month(self.day, step)[0]
        self.load()
