"""Human views of check and consolidation results, grouped by file, in Swedish.

The check's view is plain text (:func:`report_lines`); consolidation and status use rich."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportkit.formats import format_path
from reportkit.intake.check import CheckReport, FileReport


def _problem_table(files: list[FileReport], console: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    rows = [(f.file, p) for f in files for p in f.problems]
    if not rows:
        return
    table = Table(show_lines=False, header_style="bold")
    for name in ("Fil", "Blad", "Cell", "Allvar", "Vad är fel – och vad du gör"):
        table.add_column(name, overflow="fold")
    last = None
    for file, p in rows:
        loc = p.location
        # Text, not markup: "enhet [kopia].xlsx" or a unit's "[x]" is shown as it is
        table.add_row(Text(file if file != last else ""), Text(loc.sheet or ""),
                      Text(loc.cell or ""), p.severity, Text(f"{p.message} {p.hint}"))
        last = file
    console.print(table)


_THOUSANDS = re.compile(r"(\d) (\d{3})\b")
CHECK_HEADERS = ("Blad", "Cell", "Allvar", "Vad är fel – och vad du gör")


def report_lines(report: CheckReport, width: int = 100) -> list[str]:
    """``reportkit check`` for people: per file a plain table of its problems and a verdict.

    Plain text wrapped to ``width`` (no rich: a unit's check must start at once, and a
    message is never read as markup)."""
    import textwrap

    lines: list[str] = []
    for f in report.files:
        errors = sum(1 for p in f.problems if p.is_error)
        warnings = len(f.problems) - errors
        if f.problems:
            # "1 234,5" stays on one line: its space becomes a no-break space
            rows = [(p.location.sheet or "", p.location.cell or "", p.severity,
                     _THOUSANDS.sub("\\1\u00a0\\2", f"{p.message} {p.hint}".strip()))
                    for p in f.problems]
            sizes = [max(len(h), *(len(r[i]) for r in rows)) for i, h in
                     enumerate(CHECK_HEADERS[:3])]
            indent = "  " + "".join(" " * (n + 2) for n in sizes)
            text_width = max(30, width - len(indent))
            lines.append(f"{f.file}")
            lines.append("  " + "".join(h.ljust(n + 2) for h, n in
                                        zip(CHECK_HEADERS, sizes, strict=False))
                         + CHECK_HEADERS[3])
            for *cells, text in rows:
                wrapped = textwrap.wrap(text, text_width) or [""]
                lines.append("  " + "".join(c.ljust(n + 2) for c, n in
                                            zip(cells, sizes, strict=True)) + wrapped[0])
                lines.extend(indent + more for more in wrapped[1:])
        verdict = "kan skickas" if not errors else "rätta felen innan du skickar"
        lines.extend(textwrap.wrap(f"{f.file}: {errors} fel, {warnings} varningar, "
                                   f"{len(f.values)} värden lästa – {verdict}.", width,
                                   subsequent_indent="  ", break_long_words=False))
        if f.problems and f is not report.files[-1]:
            lines.append("")
    return lines


def _entry_table(entries: list[Any], console: Any) -> None:
    """One row per name in the inbox: what consolidate did with it and why."""
    from rich.markup import escape
    from rich.table import Table

    from reportkit.texts import INBOX_TABLE

    if not entries:
        return
    table = Table(show_lines=False, header_style="bold")
    for name in INBOX_TABLE:
        table.add_column(name, overflow="fold")
    for e in entries:
        table.add_row(escape(e.file), e.label, e.unit or "", escape(e.reason))
    console.print(table)


def print_consolidation(report: Any, console: Any) -> None:
    _entry_table(getattr(report, "entries", []), console)
    _problem_table(report.new, console)
    errors = sum(1 for f in report.new if f.has_errors)
    console.print(f"Period {report.period}: {len(report.new)} nya filer lästa "
                  f"({errors} med fel), {len(report.skipped)} oförändrade, "
                  f"{len(report.replaced)} ersatta.", markup=False)
    for path in report.outputs:
        console.print(f"Skrev {format_path(path)}", markup=False)


def print_status(statuses: list[Any], path: Path, console: Any) -> None:
    from rich.table import Table

    table = Table(header_style="bold")
    for name in ("Nämnd", "Enhet", "Nivå", "Status", "Fel", "Chef", "E-post", "Sista dag"):
        table.add_column(name, overflow="fold")
    for s in statuses:
        style = {"saknas": "red", "inkommen med fel": "yellow"}.get(s.state, "")
        state = f"[{style}]{s.state}[/]" if style else s.state
        if getattr(s, "source_changed", False):
            from reportkit.texts import STATUS_SOURCE_CHANGED_SHORT

            state += f" ({STATUS_SOURCE_CHANGED_SHORT})"
        table.add_row(s.committee, s.name, s.level, state, str(s.errors or ""), s.manager,
                      s.email, s.deadline)
    console.print(table)
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s.state] = counts.get(s.state, 0) + 1
    console.print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    console.print(f"Listan finns i {path}")
