"""The plain table every `evoforge show` part prints (rich, simple head rule)."""
from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table


def print_table(out: Console, title: str, columns: list[str], rows: list[list[object]]) -> None:
    """`rows` under `columns`, titled; nothing when there are no rows. A first column of text is
    left-aligned, every other column right-aligned."""
    if not rows:
        return
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 and isinstance(rows[0][0], str) else "right")
    for row in rows:
        table.add_row(*map(str, row))
    out.print(table)
