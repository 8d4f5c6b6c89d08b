"""The transcript pane's word wrap: every line fits, nothing is lost but the break spaces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from scorecard.tui.widgets.transcript import wrap_offsets

WORDS = st.lists(st.text(alphabet="абвгдеёжзabc,.-!", min_size=0, max_size=30), max_size=40)


@given(WORDS, st.integers(min_value=5, max_value=120))
def test_lines_fit_and_keep_every_word(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = wrap_offsets(text, width)
    assert all(cell_len(text[a:b]) <= width for a, b in lines)
    assert [w for a, b in lines for w in text[a:b].split()] == [
        piece for w in text.split() for piece in _folded(w, width)]
    assert all(0 <= a <= b <= len(text) for a, b in lines)


def _folded(word: str, width: int) -> list[str]:
    return [word[i:i + width] for i in range(0, len(word), width)]


def test_a_plain_sentence() -> None:
    text = "добрый день меня зовут Анна"
    assert [text[a:b] for a, b in wrap_offsets(text, 11)] == [
        "добрый день", "меня зовут", "Анна"]
