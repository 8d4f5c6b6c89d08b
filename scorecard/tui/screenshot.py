"""Export what the grading screen looks like, as SVG, for the README and for QA managers.

    python -m scorecard.tui.screenshot OUT.svg [--db URL] [--user qa] [--lang ru]
        [--size 140x40]

Runs the real app headless on the given database (the demo is the usual one), opens the
listener's first call, answers the first items as a listener would and saves the screen.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path


async def export(database_url: str, out: Path, *, login: str, language: str,
                 size: tuple[int, int], answers: str) -> None:
    from scorecard.config import load_settings
    from scorecard.db.engine import open_database
    from scorecard.services.access import Identity
    from scorecard.tui import make_app
    from scorecard.tui.screens.grading import GradingScreen
    from scorecard.tui.screens.queue import QueueScreen

    database = open_database(database_url)
    app = make_app(database, load_settings(), Identity(login), language)
    async with app.run_test(size=size) as pilot:
        while not (isinstance(app.screen, QueueScreen) and app.screen._entries):
            await asyncio.sleep(0.02)
        await pilot.press("enter")
        while not (isinstance(app.screen, GradingScreen) and app.screen.ready):
            await asyncio.sleep(0.02)
        await pilot.press(*answers)
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent.resolve()))
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", required=True, help="database URL or SQLite file")
    parser.add_argument("--user", default="qa")
    parser.add_argument("--lang", default="ru")
    parser.add_argument("--size", default="140x40")
    parser.add_argument("--answers", default="ppfp", help="keys pressed before the shot")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    asyncio.run(export(args.db, args.out, login=args.user, language=args.lang,
                       size=(columns, rows), answers=args.answers))


if __name__ == "__main__":
    main()
