"""The grading app driven through the Pilot, against a real database on both backends."""

from __future__ import annotations

import json

from sqlmodel import select

from scorecard.db.models import (
    Assignment,
    AuditEntry,
    Evaluation,
    EvaluationAnswer,
    EvaluationStage,
)
from scorecard.domain.library import find_card
from scorecard.domain.scoring import Answer
from scorecard.tui.keys import describe
from scorecard.tui.screens.grading import GradingScreen
from scorecard.tui.screens.queue import QueueScreen
from scorecard.tui.screens.result import ResultDialog
from scorecard.tui.screens.text_dialog import TextDialog
from tests.factories import CARD, journal_of, make_test_app, open_first_call, wait_for

CARD_MODEL = find_card(CARD)[0]
ITEMS = CARD_MODEL.item_keys()


def answers_in_db(database, evaluation_id: int) -> dict[tuple[str, str], str | None]:
    with database.session() as session:
        rows = session.exec(select(EvaluationAnswer).where(
            EvaluationAnswer.evaluation_id == evaluation_id)).all()
        return {(r.stage_key, r.item_key): r.answer for r in rows}


async def settle(screen: GradingScreen) -> None:
    """Wait until the draft saver has written everything given so far."""
    assert screen._saver is not None
    await wait_for(lambda: screen._saver._queue.unfinished_tasks == 0)


async def test_grade_a_call_start_to_finish(graded_db) -> None:
    database, ids = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        assert screen.view.call_id == ids["call1"]
        assert screen.view.has_transcript and screen.view.suggestions
        for _ in ITEMS:
            await pilot.press("p")
        await settle(screen)
        assert set(answers_in_db(database, screen.view.evaluation_id).values()) == {"pass"}
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ResultDialog))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, QueueScreen))
    with database.session() as session:
        evaluation = session.exec(select(Evaluation)).one()
        assert evaluation.status == "submitted" and evaluation.total_score == 100
        assert not evaluation.critical_fail
        stages = session.exec(select(EvaluationStage).where(
            EvaluationStage.evaluation_id == evaluation.id)).all()
        assert len(stages) == len(CARD_MODEL.stages)
        assert session.get(Assignment, ids["assignment1"]).status == "done"
        audit = session.exec(select(AuditEntry).where(
            AuditEntry.action == "evaluation.submit")).one()
        assert audit.entity_id == evaluation.id


async def test_suggestions_prefill_and_accept(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        greeting = next(key for key in ITEMS if CARD_MODEL.item(*key).critical)
        suggestion = screen.view.suggestions[greeting]
        assert suggestion.found and suggestion.turn == 0  # «Добрый день! Меня зовут Анна…»
        screen.query_one("#checklist").move_to(greeting)
        await pilot.press("a")
        await settle(screen)
        assert screen.answers[greeting] is Answer.PASS
        with database.session() as session:
            row = session.exec(select(EvaluationAnswer).where(
                EvaluationAnswer.stage_key == greeting[0],
                EvaluationAnswer.item_key == greeting[1])).one()
            assert (row.answer, row.suggested) == ("pass", "pass")


async def test_draft_resumes_after_the_app_is_closed_mid_way(graded_db) -> None:
    database, _ = graded_db
    async with make_test_app(database).run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        await pilot.press("p", "f", "1")
        await pilot.press("c")
        await wait_for(lambda: isinstance(pilot.app.screen, TextDialog))
        await pilot.press(*"tone ok", "enter")
        await wait_for(lambda: isinstance(pilot.app.screen, GradingScreen))
        given = dict(screen.answers)
        comments = dict(screen.comments)
        await pilot.press("ctrl+q")
    assert list(given.values()) == [Answer.PASS, Answer.FAIL, Answer.PASS]
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, QueueScreen) and app.screen._entries)
        first = app.screen._entries[app.screen._selected_key()]
        assert first.status == "draft"
        screen = await open_first_call(pilot)
        assert screen.answers == given and screen.comments == comments
        # the cursor waits on the first item still to answer
        assert screen.query_one("#checklist").current_key == ITEMS[3]


async def test_critical_fail_shows_the_banner_and_zeroes_the_total(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database, language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        banner = screen.query_one("#critical-banner")
        assert not banner.display
        critical = next(key for key in ITEMS if CARD_MODEL.item(*key).critical)
        screen.query_one("#checklist").move_to(critical)
        await pilot.press("f")
        assert banner.display
        assert "КРИТИЧЕСКАЯ ОШИБКА" in str(banner.render())
        assert "Итого 0%" in str(screen.query_one("#score-bar").render())


async def test_na_only_where_the_card_allows_it(graded_db) -> None:
    database, _ = graded_db
    strict = next(key for key in ITEMS if not CARD_MODEL.item(*key).na_allowed)
    lenient = next(key for key in ITEMS if CARD_MODEL.item(*key).na_allowed)
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        checklist = screen.query_one("#checklist")
        checklist.move_to(strict)
        await pilot.press("n")
        assert strict not in screen.answers
        assert checklist.current_key == strict  # no answer, no move
        checklist.move_to(lenient)
        await pilot.press("n")
        assert screen.answers[lenient] is Answer.NA
        await settle(screen)
        saved = answers_in_db(database, screen.view.evaluation_id)
        assert saved[lenient] == "na" and saved[strict] is None


async def test_submit_refuses_an_incomplete_card(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        await pilot.press("p", "p", "ctrl+s")
        assert isinstance(app.screen, GradingScreen)
        assert screen.query_one("#checklist").current_key == ITEMS[2]
    with database.session() as session:
        assert session.exec(select(Evaluation)).one().status == "draft"


async def test_changing_a_submitted_evaluation_needs_a_reason_and_is_audited(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        for _ in ITEMS:
            await pilot.press("p")
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ResultDialog))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, QueueScreen))
        await pilot.press("d")  # list my submitted evaluations too
        await wait_for(lambda: any(e.status == "submitted"
                                   for e in app.screen._entries.values()))
        app.screen.query_one("#queue-table").move_cursor(row=0)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen) and app.screen.ready)
        screen = app.screen
        assert screen.view.status == "submitted"
        screen.query_one("#checklist").move_to(ITEMS[1])
        await pilot.press("f", "ctrl+s")
        await wait_for(lambda: isinstance(app.screen, TextDialog))
        await pilot.press("enter")  # an empty reason is refused
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"misheard", "enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen) and not
                       screen._amendments)
    with database.session() as session:
        evaluation = session.exec(select(Evaluation)).one()
        assert evaluation.total_score < 100
        entry = session.exec(select(AuditEntry).where(
            AuditEntry.action == "evaluation.amend")).one()
        assert entry.reason == "misheard"
        key = f"{ITEMS[1][0]}/{ITEMS[1][1]}"
        assert json.loads(entry.old)["items"][key]["answer"] == "pass"
        assert json.loads(entry.new)["items"][key]["answer"] == "fail"


async def test_a_call_without_transcript_is_graded_by_ear(graded_db) -> None:
    database, ids = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, QueueScreen) and app.screen._entries)
        app.screen.query_one("#queue-table").move_cursor(row=1)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen) and app.screen.ready)
        screen = app.screen
        assert screen.view.call_id == ids["call2"] and not screen.view.has_transcript
        assert screen.query_one("#no-transcript").display
        await pilot.press("a")  # no suggestion to accept: nothing happens but a notice
        assert not screen.answers
        await pilot.press("p")
        assert screen.answers[ITEMS[0]] is Answer.PASS


async def test_english_and_russian_interfaces(graded_db) -> None:
    database, _ = graded_db
    for language, queue_title, pass_label in (("en", "Queue", "Pass"), ("ru", "Очередь", "Да")):
        app = make_test_app(database, language=language)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(lambda app=app: isinstance(app.screen, QueueScreen)
                           and app.screen._entries)
            assert app.screen.title == queue_title
            await open_first_call(pilot)
            descriptions = {describe(b.binding, app.t)
                            for b in app.screen.active_bindings.values()}
            assert pass_label in descriptions


async def test_a_deleted_call_keeps_the_answers_locally(graded_db) -> None:
    database, ids = graded_db
    app = make_test_app(database, retry_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        journal = journal_of(database, screen.view)
        with database.session() as session:  # an administrator removes the call
            for model in (EvaluationAnswer, Evaluation):
                for row in session.exec(select(model)).all():
                    session.delete(row)
        await pilot.press("p")
        problem = screen.query_one("#save-problem")
        await wait_for(lambda: problem.display)
        assert str(journal.path) in str(problem.render())
        assert [c.answer for c in journal.pending()] == [Answer.PASS]


async def test_a_broken_card_version_is_reported_without_a_traceback(graded_db) -> None:
    from scorecard.db.models import CardVersion

    database, ids = graded_db
    with database.session() as session:
        version = session.get(CardVersion, ids["version"])
        version.body = '{"id": "broken"}'
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, QueueScreen) and app.screen._entries)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen))
        info = app.screen.query_one("#call-info")
        await wait_for(lambda: "cannot be read" in str(info.render()))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, QueueScreen))


async def test_a_dropped_postgresql_connection_loses_nothing(postgres_url: str) -> None:
    """The server refuses connections mid-grading: answers wait in the journal, then land."""
    import psycopg

    from scorecard.db.engine import open_database
    from tests.conftest import ADMIN_URL
    from tests.factories import seed

    database = open_database(postgres_url)
    seed(database)
    name = postgres_url.rsplit("/", 1)[1]
    admin = psycopg.connect(ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"),
                            autocommit=True)

    def allow(allowed: bool) -> None:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))

    app = make_test_app(database, retry_seconds=0.2)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_first_call(pilot)
            journal = journal_of(database, screen.view)
            allow(False)
            await pilot.press("p", "f")
            problem = screen.query_one("#save-problem")
            await wait_for(lambda: problem.display)
            assert [c.answer for c in journal.pending()] == [Answer.PASS, Answer.FAIL]
            allow(True)
            await wait_for(lambda: not problem.display)
            assert not journal.path.exists()
            saved = answers_in_db(database, screen.view.evaluation_id)
            assert [saved[key] for key in ITEMS[:2]] == ["pass", "fail"]
    finally:
        allow(True)
        admin.close()
        database.dispose()


async def test_keys_remapped_in_the_config_and_the_russian_layout(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database, keys={"grading.pass": "y"})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        await pilot.press("y")  # remapped
        await pilot.press("p")  # no longer pass
        await pilot.press("а")  # f on the Russian layout: fail
        assert list(screen.answers.values()) == [Answer.PASS, Answer.FAIL]


async def test_the_palette_offers_the_main_actions_and_quitting_keeps_the_time(
    graded_db,
) -> None:
    database, _ = graded_db
    ticks = iter(range(0, 10_000, 40))
    app = make_test_app(database, language="en")
    app.clock = lambda: float(next(ticks))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {"Submit the evaluation", "Go to the next unanswered item",
                "Save a screenshot (SVG)"} <= titles
        evaluation_id = screen.view.evaluation_id
        await pilot.press("ctrl+q")
    with database.session() as session:
        assert session.get(Evaluation, evaluation_id).seconds_spent > 0


async def test_ctrl_p_opens_the_palette_on_the_queue_and_the_grading_screen(graded_db) -> None:
    from textual.command import CommandPalette

    database, _ = graded_db
    app = make_test_app(database, language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, QueueScreen) and app.screen._entries)
        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, QueueScreen))
        screen = await open_first_call(pilot)
        titles = {command.title for command in app.get_system_commands(screen)}
        assert {"Сдать оценку", "Клавиши", "Выход"} <= titles
        assert not {"Theme", "Keys", "Quit"} & titles  # Textual's English ones are replaced
        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"без ответа")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(lambda: app.screen is screen)
        assert screen.query_one("#checklist").current_key == ITEMS[1]  # it ran
        await pilot.press("p", "ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"клавиши")
        await pilot.pause(0.3)
        await pilot.press("enter")
        from scorecard.tui.screens.keys_help import KeysHelp

        await wait_for(lambda: isinstance(app.screen, KeysHelp))
        shown = str(app.screen.query_one("#keys-table").render())
        assert "Следующий без ответа" in shown and "Выход" in shown


async def test_after_submit_enter_opens_the_next_call(graded_db) -> None:
    database, ids = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        for _ in ITEMS:
            await pilot.press("p")
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ResultDialog))
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen) and app.screen.ready
                       and app.screen.view.call_id != ids["call1"])
        assert app.screen.view.call_id == ids["call2"] and not app.screen.answers
        assert screen is app.screen  # one grading screen, reused


async def test_a_save_that_finishes_after_the_app_closed_reports_nowhere(graded_db) -> None:
    """The draft saver's thread may finish a save as the app quits: its report must not
    raise in that thread (the save itself is done)."""
    from scorecard.services.drafts import SaveOutcome

    database, _ = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        saver = screen._saver
    report = screen._report_for(saver)
    report(SaveOutcome(True, 0))  # the app is gone: nothing to tell, nothing raised


async def painted_turns(pilot, view) -> list[str]:
    """Every turn as the transcript pane paints it, page by page: one string per turn."""
    height = view.scrollable_content_region.height
    lines: list[str] = []
    for top in range(0, view.virtual_size.height, height):
        view.scroll_to(y=top, animate=False)
        await pilot.pause()
        offset = top - view.scroll_offset.y  # the last page may scroll less than asked
        for y in range(offset, min(offset + height, view.virtual_size.height - top + offset)):
            lines.append(view.render_line(y).text.rstrip())
    turns, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            turns.append(" ".join(current))
            current = []
    if current:
        turns.append(" ".join(current))
    return turns


def turns_in_db(database, call_id: int) -> list[str]:
    from scorecard.db.models import Transcript, TranscriptSegment
    from scorecard.tui.widgets.transcript import clock

    labels = {"operator": "Operator", "client": "Client", "unknown": "Speaker"}
    with database.session() as session:
        transcript = session.exec(select(Transcript).where(Transcript.call_id == call_id)).one()
        rows = session.exec(select(TranscriptSegment).where(
            TranscriptSegment.transcript_id == transcript.id).order_by(
            TranscriptSegment.position)).all()
        return [" ".join(f"{clock(r.start_seconds)} {labels[r.speaker]}: {r.text}".split())
                for r in rows]


async def test_two_calls_in_a_row_each_show_their_own_transcript(graded_db) -> None:
    """The grading screen is reused per call: nothing of the call before may show through."""
    from scorecard.ingest.transcripts import read_transcript
    from scorecard.services.transcripts import attach
    from scorecard.tui.widgets.transcript import TranscriptView
    from tests.factories import DATA

    database, ids = graded_db
    with database.session() as session:
        attach(session, ids["call2"], read_transcript(DATA / "transcripts" / "call-0004.vtt"))
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, QueueScreen) and app.screen._entries)
        queue = app.screen
        for row, call in ((0, "call1"), (1, "call2"), (0, "call1")):
            queue.query_one("#queue-table").move_cursor(row=row)
            await pilot.press("enter")
            await wait_for(lambda: isinstance(app.screen, GradingScreen) and app.screen.ready)
            assert app.screen.view.call_id == ids[call]
            painted = await painted_turns(pilot, app.screen.query_one(TranscriptView))
            assert [" ".join(t.split()) for t in painted] == turns_in_db(database, ids[call])
            await pilot.press("escape")
            await wait_for(lambda: isinstance(app.screen, QueueScreen))


async def test_quitting_waits_for_the_last_save_not_for_a_timeout(graded_db) -> None:
    """Quitting lets the draft saver finish; the saver's report must never need the event
    loop that is waiting for it (it once did, and every quit took the full 3 s timeout)."""
    database, _ = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        await pilot.press("p")
        saver = screen._saver
        screen.leave()  # the time spent goes to the saver: one more save, one more report
        app.finish_saving(timeout=10)  # blocks the event loop, as quitting does
        assert not saver._thread.is_alive(), "the saver was still waiting to report"
    with database.session() as session:
        assert session.get(Evaluation, screen.view.evaluation_id).seconds_spent >= 0
