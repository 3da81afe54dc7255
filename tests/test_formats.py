"""The table format aligns columns by display width (a Chinese character is two columns) and cuts long cells."""

from __future__ import annotations

import unicodedata

from t2dm_onto.formats import render


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def test_table_columns_line_up_by_display_width():
    rows = [{"a": "骨质疏松", "b": "x"}, {"a": "RANKL –(+)→ bone loss", "b": "骨"}, {"a": "é", "b": "yy"}]
    lines = render(["a", "b"], rows).splitlines()
    starts = [_columns(line[: line.rindex(cell)]) for line, cell in zip(lines[2:5], ["x", "骨", "yy"], strict=True)]
    assert len(set(starts)) == 1 and starts[0] == _columns("RANKL –(+)→ bone loss") + 2


def test_long_cells_are_cut_to_the_width_with_an_ellipsis():
    rows = [{"a": "a" * 80}, {"a": "骨" * 40}, {"a": "x –(−)→ " * 10}]
    body = render(["a"], rows, max_width=11).splitlines()[2:5]
    assert body == ["a" * 10 + "…", "骨" * 5 + "…", "x –(−)→ x …"]
    assert [_columns(line) for line in body] == [11, 11, 11]
