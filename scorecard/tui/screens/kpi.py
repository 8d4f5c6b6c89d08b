"""The lead's KPI screen: a scheme's payout per operator for the month, explained part by part.

``s`` switches between the shipped schemes, ``[``/``]`` move by month, the row under the
cursor shows each part with its input, amount and multipliers, and ``e`` exports the table
to a spreadsheet. A closed month shows what was paid beside the figures, and what changed
since; the month after shows the adjustments it pays. Plans, fixed pay and bonus targets
are the terms in the database (``scorecard kpi terms import``), unless the config's
``kpi_terms`` names a file; a lead's screen opens on the scheme that pays their team.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.domain.periods import month_of, shift_month
from scorecard.i18n import MESSAGES
from scorecard.tui.keys import bind
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable

if TYPE_CHECKING:
    from scorecard.domain.kpi import KpiScheme
    from scorecard.services.kpi import ReportRow
    from scorecard.services.pay_periods import MonthPay
    from scorecard.tui.app import ScorecardApp


BY_TEAM = "teams"
"""The scheme choice that pays each team by its own scheme."""


class KpiScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("kpi.scheme", "s", "next_scheme", "kpi.scheme"),
        bind("kpi.previous", "left_square_bracket", "shift_month(-1)", "map.previous"),
        bind("kpi.next", "right_square_bracket", "shift_month(1)", "map.next"),
        bind("kpi.export", "e", "export", "kpi.export"),
        bind("kpi.terms", "t", "terms", "kpi.terms"),
        bind("kpi.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, *, today: date, terms: Path | None = None,
                 export_dir: Path | None = None) -> None:
        super().__init__()
        self._first, self._last = month_of(today)
        self._terms, self._export_dir = terms, export_dir or Path.cwd()
        from scorecard.domain.kpi import shipped_scheme_ids

        # Each team by the scheme its terms name (as payroll pays), then every shipped
        # scheme for everyone (a what-if).
        self.schemes = [BY_TEAM, *shipped_scheme_ids()]
        self.scheme = BY_TEAM
        self.rows: list[ReportRow] = []
        self.row_schemes: list[KpiScheme] = []
        """The scheme that paid each row."""
        self.pay: MonthPay | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="kpi-status", markup=False)
        yield ListTable(id="kpi-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="kpi-parts", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("kpi.title")
        self.load()

    def load(self) -> None:
        # What to read is settled here, on the UI thread: a key pressed meanwhile changes
        # the screen's state, never the read under way. A month's pay (closed or not, its
        # adjustments) is the same whatever scheme is shown: read again for another month,
        # or back from the terms screen, where they may have been edited.
        first, last, chosen, terms_file = self._first, self._last, self.scheme, self._terms
        known = self.pay if (self.pay is not None and self.pay.month == first
                             and not self.coming_back) else None

        def query(session):  # noqa: ANN001, ANN202 - a Session, report rows
            from scorecard.domain.kpi import find_scheme
            from scorecard.services.kpi import kpi_report, kpi_report_by_team
            from scorecard.services.pay_periods import month_pay

            terms = None  # the terms in the database, unless the config names a file
            if terms_file is not None:
                import json

                from scorecard.services.kpi_terms import read_terms

                terms = read_terms(
                    session, json.loads(terms_file.read_text(encoding="utf-8-sig")),
                    source=str(terms_file))
            common = {"viewer": self.app.actor, "first": first, "last": last,
                      "team": None, "terms": terms, "terms_source": str(terms_file)}
            if chosen == BY_TEAM:
                blocks = kpi_report_by_team(session, **common)
            else:
                scheme = find_scheme(chosen)
                blocks = [(scheme, kpi_report(session, scheme, **common))]
            return blocks, known or month_pay(session, self.app.actor, first)

        self.read(query, lambda found: self._fill(*found), refused=self._refused)

    def _refused(self, message: str) -> None:
        """Said where the table would be (a scheme that needs a plan nobody set), never
        left on «Counting grades…»."""
        self.query_one("#kpi-status", Static).update(message)
        self.query_one("#kpi-table", DataTable).clear(columns=True)
        self.rows, self.row_schemes, self.pay = [], [], None

    def _fill(self, blocks: list[tuple[KpiScheme, list[ReportRow]]], pay: MonthPay) -> None:
        from scorecard.services.kpi import report_record
        from scorecard.tui.kpi_words import amount, signed

        t = self.app.t
        language = t.language
        self.rows = [row for _, rows in blocks for row in rows]
        self.row_schemes = [scheme for scheme, rows in blocks for _ in rows]
        self.pay = pay
        table = self.query_one("#kpi-table", DataTable)
        table.clear(columns=True)
        # A closed month shows what was paid beside the scheme's figures; the month the
        # adjustments are paid in shows them.
        extra = pay.column
        for column in ("operator", "team", "dials", "effective", "meetings", "deals",
                       "quality", "payout", *([extra] if extra else [])):
            table.add_column(t(f"kpi.col.{column}"), key=column)
        for row, scheme in zip(self.rows, self.row_schemes, strict=True):
            unit = "%" if scheme.kind == "index" else "₽"
            record = report_record(row)
            quality = "—" if record["quality"] is None else str(record["quality"])
            cells = [record["operator"], record["team"], str(record["dials"]),
                     str(record["effective_calls"]),
                     f"{record['meetings_set']}/{record['meetings_held']}",
                     str(record["deals"]), quality,
                     f"{amount(row.result.payout, language)} {unit}"]
            operator = row.metrics.operator_id
            if extra == "paid":
                assert pay.closed is not None
                line = pay.closed.payout_for(operator)
                cells.append("—" if line is None else amount(line.amount, language))
            elif extra == "adjustment":
                owed = pay.adjustment_for(operator)
                cells.append(signed(owed, language) if owed else "")
            table.add_row(*cells, key=str(operator))
        title = t("kpi.by_team") if self.scheme == BY_TEAM else blocks[0][0].title
        status = t("kpi.status", scheme=title, period=f"{self._first:%m.%Y}",
                   operators=len(self.rows))
        if pay.closed:
            status += t("kpi.closed", at=f"{pay.closed.closed_at:%d.%m.%Y}",
                        by=pay.closed.closed_by)
            if pay.adjustments:
                status += t("kpi.pending", n=len(pay.adjustments),
                            into=f"{pay.carried_into:%m.%Y}")
        elif extra == "adjustment":
            status += t("kpi.carried", n=len(pay.adjustments))
        self.query_one("#kpi-status", Static).update(status)
        table.focus()
        self._explain(0)

    @on(DataTable.RowHighlighted, "#kpi-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain(event.cursor_row)

    def _explain(self, index: int) -> None:
        """The payout of one operator, part by part, as the scheme computed it."""
        parts = self.query_one("#kpi-parts", Static)
        if not 0 <= index < len(self.rows):
            parts.update("")
            return
        from scorecard.tui.kpi_words import explain

        operator = self.rows[index].metrics.operator_id
        parts.update("\n".join([*explain(self.rows[index].result, self.row_schemes[index],
                                         self.app.t), *self._pay_lines(operator)]))

    def _pay_lines(self, operator: int) -> list[str]:
        """What a closed month paid the operator and what changed since; in the month the
        changes are paid in, each adjustment and why."""
        from scorecard.tui.kpi_words import amount, reasons_in_words, signed

        t, pay = self.app.t, self.pay
        language = t.language
        lines = []
        if pay is None:
            return lines
        paid = pay.closed.payout_for(operator) if pay.closed is not None else None
        if paid is not None:
            lines.append("  " + t("kpi.explain.paid", amount=amount(paid.amount, language),
                                  unit="%" if paid.detail.get("kind") == "index" else "₽",
                                  scheme=paid.scheme))
        for change in pay.adjustments:
            if change.operator_id != operator:
                continue
            why = reasons_in_words(change.reasons, t)
            lines.append("  " + (
                t("kpi.explain.changed", amount=signed(change.amount, language), why=why,
                  into=f"{pay.carried_into:%m.%Y}") if pay.closed else
                t("kpi.explain.adjustment", month=f"{change.month:%m.%Y}",
                  amount=signed(change.amount, language), paid=amount(change.paid, language),
                  now=amount(change.now, language), why=why)))
        return lines

    def action_terms(self) -> None:
        from scorecard.tui.screens.kpi_terms import KpiTermsScreen

        self.visit(KpiTermsScreen(day=self._first))

    def action_next_scheme(self) -> None:
        self.scheme = self.schemes[(self.schemes.index(self.scheme) + 1) % len(self.schemes)]
        self.load()

    def action_shift_month(self, step: int) -> None:
        self._first, self._last = shift_month(self._first, step)
        self.load()

    @work(thread=True, group="kpi-export", exit_on_error=False)
    def action_export(self) -> None:
        """The table as a spreadsheet, headers in the user's language and one column per
        part of the scheme: saved in the export folder, or sent to the browser when the app
        is served (the server's disk is nobody's to look in)."""
        import tempfile

        from scorecard.errors import ScorecardError
        from scorecard.services.exports import export_xlsx

        app = self.app
        name = f"kpi-{self._first:%Y-%m}-{self.scheme}.xlsx"
        folder = Path(tempfile.mkdtemp()) if app.is_web else self._export_dir
        path = folder / name
        try:
            export_xlsx(self._records(), path, f"{self._first:%Y-%m}")
        except ScorecardError as exc:
            app.call_from_thread(self.notify, str(exc), severity="error")
            return
        if app.is_web:
            app.call_from_thread(app.deliver_binary, path, save_filename=name,
                                 mime_type="application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet")
            app.call_from_thread(self.notify, app.t("kpi.delivered", name=name))
            return
        app.call_from_thread(self.notify, app.t("kpi.exported", path=path.resolve()))

    def _records(self) -> list[dict[str, object]]:
        """The report's lines under localised headers, each part's amount after them."""
        from scorecard.domain.inert import money
        from scorecard.services.kpi import report_record
        from scorecard.tui.kpi_words import metric_name

        t, pay = self.app.t, self.pay
        extra = pay.column if pay is not None else None  # as the table on screen has it

        def field(key: str) -> str:
            return t(f"kpi.field.{key}") if f"kpi.field.{key}" in MESSAGES else key

        records = []
        for row, scheme in zip(self.rows, self.row_schemes, strict=True):
            record = {field(key): value for key, value in report_record(row).items()}
            record[field("scheme")] = scheme.title
            operator = row.metrics.operator_id
            if extra == "paid":
                assert pay is not None and pay.closed is not None
                line = pay.closed.payout_for(operator)
                record[field("paid")] = line.amount if line else None
            elif extra == "adjustment":
                assert pay is not None
                owed = pay.adjustment_for(operator)
                record[field("adjustments")] = owed
                record[field("to_pay")] = money(row.result.payout) + owed
            for part in row.result.parts:
                label = metric_name(part.name, t) if part.name != "fixed" \
                    else t("kpi.field.fixed")
                record[t("kpi.field.part", part=label)] = money(part.amount)
            records.append(record)
        if extra == "adjustment":  # owed even to someone with no line this month
            assert pay is not None
            titles = {scheme.id: scheme.title for scheme in self.row_schemes}
            for a in pay.owed_without_line(row.metrics.operator_id for row in self.rows):
                owed = pay.adjustment_for(a.operator_id)
                records.append({field("operator"): a.operator,
                                field("team"): a.row.metrics.team or "",
                                field("scheme"): titles.get(a.scheme, a.scheme),
                                field("payout"): money(0), field("adjustments"): owed,
                                field("to_pay"): owed})
        return records
