"""Text made inert for where it goes: a terminal, a CSV file, a spreadsheet.

Names, logins and numbers come from imported files anyone could have written. Printed raw,
an ESC or OSC sequence in an operator's name moves the cursor, retitles the window or writes
the clipboard of whoever reads the report; in a spreadsheet a name starting with ``=`` is a
formula that runs when the file is opened. Here each such character is shown, not obeyed.
"""

from __future__ import annotations

import re
from decimal import Decimal

_SHOWN = {
    **{code: f"\\x{code:02x}" for code in (*range(0x00, 0x09), 0x0B, 0x0C,
                                           *range(0x0D, 0x20), 0x7F, *range(0x80, 0xA0))},
    # Bidirectional overrides reorder what is shown ("Trojan Source"): shown, not obeyed.
    **{code: f"\\u{code:04x}" for code in (0x200E, 0x200F, *range(0x202A, 0x202F),
                                           *range(0x2066, 0x206A))},
}
_TABLE = str.maketrans(_SHOWN)
_DROPPED = dict.fromkeys(_SHOWN)
#: Any character of the table: most text has none, and a regex finds that at C speed
#: where ``str.translate`` with a table looks up every character (a detect run's JSON
#: spent 40 % of its time there).
_ANY_SHOWN = re.compile("[" + "".join(re.escape(chr(code)) for code in _SHOWN) + "]")

#: What a spreadsheet reads as the start of a formula (OWASP's list: tab and CR too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CENT = Decimal("0.01")


def printable(text: str) -> str:
    """``text`` with control characters (but tab, newline and CR-LF line ends, as CSV has
    them) and bidi overrides shown as escapes (``\\x1b``), so a terminal prints them
    instead of obeying them. A lone CR is shown too: it would let a line overwrite itself."""
    if _ANY_SHOWN.search(text) is None:
        return text
    if "\r\n" in text:
        return "\r\n".join(part.translate(_TABLE) for part in text.split("\r\n"))
    return text.translate(_TABLE)


def without_controls(text: str) -> str:
    """``text`` without the characters :func:`printable` shows as escapes: for a screen
    already laid out, where they take no cell and an escape would not fit."""
    if _ANY_SHOWN.search(text) is None:
        return text
    return text.translate(_DROPPED)


def spreadsheet_text(text: str) -> str:
    """A text cell no spreadsheet takes for a formula: a leading ``'`` where it could."""
    text = printable(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(record: dict[str, object]) -> dict[str, object]:
    """A record's text cells made inert for a CSV file (numbers stay numbers)."""
    return {key: spreadsheet_text(value) if isinstance(value, str) else value
            for key, value in record.items()}


def money(amount: Decimal | int | float) -> Decimal:
    """An amount in roubles to the kopeck, exact (never a float's ``1e+17``)."""
    return Decimal(str(amount)).quantize(CENT)


def roubles(kopecks: int) -> Decimal:
    """Kopecks as roubles, exact."""
    return (Decimal(kopecks) / 100).quantize(CENT)


def kopecks(amount: Decimal) -> int:
    """Roubles as whole kopecks, as money is stored (half a kopeck to the even one)."""
    return int((amount * 100).to_integral_value())


def json_default(value: object) -> object:
    """``json.dumps(default=…)``: money and other decimals as exact strings."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
