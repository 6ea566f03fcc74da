"""Everything reportkit prints: the CLI's lines, tables and progress bar, in Swedish.

The library returns data (reports, Problems, lines of text); this module alone turns it into
console output, so no layer below prints. ``reportkit check`` prints plain text
(:func:`report_lines`) and loads nothing heavy: rich is imported only where a table or a bar
is drawn (consolidate, status).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reportkit import texts
from reportkit.errors import Problem
from reportkit.formats import counted, format_number, format_path

if TYPE_CHECKING:
    from rich.console import Console

    from reportkit.consolidate.run import ConsolidationReport
    from reportkit.consolidate.status import UnitStatus
    from reportkit.documents.build import RenderOutcome
    from reportkit.documents.owned import CopyOutcome, TemplateGaps
    from reportkit.intake.check import CheckReport, FileReport
    from reportkit.outputs.changes import StyrmodellDiff
    from reportkit.storage.decisions import Decision, PartState
    from reportkit.styrmodell.model import Styrmodell
    from reportkit.styrmodell.next_year import NextYear


def echo(line: str = "", err: bool = False) -> None:
    """One line on stdout (or stderr): the demo's steps and every plain line below."""
    click.echo(line, err=err)


def print_lines(lines: Iterable[str]) -> None:
    for line in lines:
        echo(line)


STATUS_WIDE = 140
"""From this terminal width on, ``status`` shows nivå, chef and e-post too."""


def rich_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def shell_arg(path: Path) -> str:
    """A path as it is typed in a shell (quoted when it has spaces)."""
    return shlex.quote(str(path))


def print_lines_err(lines: Iterable[str]) -> None:
    for line in lines:
        echo(line, err=True)


def print_problems(problems: list[Problem], err: bool = True) -> None:
    for p in problems:
        echo(p.line(), err=err)


def print_unexpected(exc: Exception) -> None:
    echo(f"fel: Ett oväntat fel inträffade: {type(exc).__name__}: {exc}. "
         "Kör kommandot igen med --debug och skicka utskriften till den som "
         "förvaltar reportkit.", err=True)


def json_text(data: Any) -> str:
    """``--json`` output: sorted keys, åäö as they are, and always valid UTF-8. Names are
    shown escaped already (``formats.format_path``); should a lone surrogate still come
    through (a byte of a name that is not UTF-8), it is written as a JSON ``\\udcff`` escape
    instead of the raw byte that makes the whole document unreadable."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, sort_keys=True, indent=2)
    return text


def print_json(data: Any) -> None:
    echo(json_text(data))


def print_next_after_init(path: Path, given: Path) -> None:
    styrmodell = ", ".join(str(p) for p in sorted((path / "styrmodell").glob("*.yaml")))
    echo(texts.NEXT_AFTER_INIT.format(folder=path, styrmodell=styrmodell,
                                      arg=shell_arg(given)))


def print_templates_copied(result: CopyOutcome, root: Path) -> None:
    """What ``reportkit mallar`` copied, left alone and set in the styrmodell."""
    folder = format_path(_shown(result.folder.parent, root)) + "/"
    if result.copied:
        echo(texts.TEMPLATES_COPIED.format(folder=folder, files=", ".join(result.copied)))
    if result.kept:
        echo(texts.TEMPLATES_KEPT.format(files=", ".join(result.kept)))
    if result.styrmodell:
        echo(texts.TEMPLATES_SET.format(files=", ".join(result.styrmodell)))
    echo(texts.TEMPLATES_OWNED.format(folder=folder))


def print_template_gaps(found: TemplateGaps, version: str, root: Path) -> None:
    """``reportkit mallar --visa``: where the templates are and what the kommun's lack."""
    folder, builtin, gaps = found
    if folder is None:
        echo(texts.TEMPLATES_NO_FOLDER.format(builtin=format_path(builtin)))
        return
    echo(texts.TEMPLATES_FOLDER.format(folder=format_path(_shown(folder, root)) + "/"))
    echo(texts.TEMPLATES_BUILTIN.format(builtin=format_path(builtin)))
    for template, names in gaps:
        echo(texts.TEMPLATES_LACK.format(template=template, names=", ".join(names)))
    if not gaps:
        echo(texts.TEMPLATES_COMPLETE.format(version=version))


def _shown(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def print_next_year(result: NextYear, given: Path) -> None:
    """What ``reportkit nytt-ar`` wrote and what the coordinator must still decide."""
    echo(texts.NEXT_YEAR_WRITTEN.format(year=result.year, target=format_path(result.target),
                                        source=result.source.name))
    echo(texts.NEXT_YEAR_MOVED.format(periods=", ".join(result.changed)))
    if result.to_decide:
        echo(texts.NEXT_YEAR_TO_DECIDE)
        for line in result.to_decide:
            echo(f"  – {line}")
    else:
        echo(texts.NEXT_YEAR_NOTHING.format(year=result.year))
    echo(texts.NEXT_AFTER_NEXT_YEAR.format(arg=shell_arg(given), year=result.year,
                                           previous=result.year - 1))


def print_styrmodell_diff(result: StyrmodellDiff, console: Console | None = None) -> None:
    """``reportkit diff``: one row per change, the decision reference beside it."""
    from rich.markup import escape
    from rich.table import Table

    console = console or rich_console()
    console.print(texts.DIFF_HEADING.format(before=result.before, after=result.after),
                  markup=False)
    if not result.changes:
        console.print(texts.DIFF_NONE, markup=False)
    else:
        table = Table(header_style="bold")
        for i, name in enumerate(texts.DIFF_COLUMNS):
            table.add_column(name, overflow="fold", no_wrap=i in (0, 1, 2, 6))
        for row in result.rows():
            table.add_row(*(escape(v) for v in row))
        console.print(table)
        counts: dict[str, int] = {}
        for change in result.changes:
            counts[change.change] = counts.get(change.change, 0) + 1
        console.print(texts.DIFF_COUNTS.format(
            n=counted(len(result.changes), "ändring", "ändringar"), parts=", ".join(
                counted(v, k, texts.DIFF_CHANGE_PLURALS.get(k, k)) for k, v in counts.items())),
            markup=False)
    if result.xlsx is not None:
        console.print(f"Skrev {format_path(result.xlsx)}", markup=False)


def print_model(model: Styrmodell, tree: list[str]) -> None:
    """A valid styrmodell's counts and, when asked for, its goal tree."""
    from reportkit.styrmodell.project_setup import model_counts

    echo(f"Styrmodell {model.year}: {', '.join(model_counts(model))} – inga fel.")
    for line in tree:
        echo("  " + line)


def print_next_after_validate(periods: list[str], project: Path) -> None:
    echo(texts.NEXT_AFTER_VALIDATE.format(periods=", ".join(periods), arg=shell_arg(project),
                                          period=periods[0]))


def print_workbooks_written(paths: list[Path], project: Path | None = None) -> None:
    if not paths:
        echo(texts.NEXT_AFTER_NO_WORKBOOKS)
        return
    example = sorted(paths)[0]
    if example.is_relative_to(Path.cwd()):
        example = example.relative_to(Path.cwd())
    echo(texts.NEXT_AFTER_WORKBOOKS.format(n=len(paths), folder=paths[0].parent,
                                           example=shell_arg(example)))
    if project is not None:  # utskick/<period>/ → inkommet/<period>/
        period = paths[0].parent.name
        echo(texts.NEXT_AFTER_WORKBOOKS_BACK.format(
            inbox=paths[0].parent.parent.parent / "inkommet" / period,
            arg=_project_arg(project), period=period))


def _project_arg(project: Path) -> str:
    from reportkit.documents.next_step import project_arg

    return project_arg(project, shell_arg(project))


def print_next_after_consolidate(project: Path, report: ConsolidationReport) -> None:
    """Who to chase and which document to make (documents/next_step.py)."""
    from reportkit.documents import next_step

    print_lines(next_step.after_consolidate(project, _project_arg(project), report))


def print_next_after_status(project: Path, statuses: list[UnitStatus], path: Path) -> None:
    from reportkit.documents import next_step

    print_lines(next_step.after_status(project, _project_arg(project), statuses, path))


def print_next_after_render(project: Path, outcome: RenderOutcome) -> None:
    from reportkit.documents import next_step

    print_lines(next_step.after_render(_project_arg(project), outcome.paths,
                                       outcome.decision is not None))


def print_next_after_decision(project: Path, decision: Decision, undone: bool = False
                              ) -> None:
    from reportkit.documents import next_step

    arg = _project_arg(project)
    print_lines(next_step.after_undo(arg, decision) if undone else
                next_step.after_decision(project, arg, decision))


def print_next_after_explain(project: Path, item: str, period: str | None,
                             xlsx: Path | None) -> None:
    from reportkit.documents import next_step

    print_lines(next_step.after_explain(_project_arg(project), item, period, xlsx))


_THOUSANDS = re.compile(r"(\d) (\d{3})\b")
CHECK_HEADERS = ("Blad", "Cell", "Allvar", "Vad är fel – och vad du gör")


def report_lines(report: CheckReport, width: int = 100) -> list[str]:
    """``reportkit check`` for people: per file a plain table of its problems and a verdict.

    Plain text wrapped to ``width`` (no rich: a unit's check must start at once, and a
    message is never read as markup)."""
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
        lines.extend(textwrap.wrap(f"{f.file}: {errors} fel, "
                                   f"{counted(warnings, 'varning', 'varningar')}, "
                                   f"{counted(len(f.values), 'värde läst', 'värden lästa')} "
                                   f"– {verdict}.", width,
                                   subsequent_indent="  ", break_long_words=False))
        if f.problems and f is not report.files[-1]:
            lines.append("")
    return lines


def print_check(report: CheckReport) -> None:
    """The check's table, as wide as the terminal (at least 60 columns)."""
    width = shutil.get_terminal_size((100, 24)).columns
    echo("\n".join(report_lines(report, max(60, width))))


class ProgressBar:
    """A rich progress bar for checking files, drawn on ``console`` (stderr) when worth it.

    Use as the ``progress`` callback of ``reportkit.consolidate_period``; nothing is drawn
    for fewer than ``PROGRESS_MIN_FILES`` files. The bar disappears when done; the summary
    follows.
    """

    def __init__(self, console: Console, label: str | None = None,
                 minimum: int | None = None) -> None:
        self.console = console
        self.label = label or texts.CONSOLIDATE_PROGRESS
        self.minimum = minimum
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        from reportkit.consolidate.run import PROGRESS_MIN_FILES

        if total < (PROGRESS_MIN_FILES if self.minimum is None else self.minimum):
            return
        if self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), console=self.console,
                                      transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=total)
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_bar() -> ProgressBar | None:
    """A bar on stderr when stderr is a terminal, else None (no bar in a log or a pipe)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    return ProgressBar(Console(stderr=True))


def _problem_table(files: list[FileReport], console: Console) -> None:
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


INBOX_LISTED_UP_TO = 50
"""More names in the inbox than this: the plain ones are counted in one line, not listed."""


def _entry_table(entries: list[Any], console: Console) -> None:
    """One row per name in the inbox: what consolidate did with it and why. With more than
    :data:`INBOX_LISTED_UP_TO` names, the plain ones (loaded or unchanged, nothing to say) are
    counted in one line after the table: a large kommun's 1 500 plain rows hid the few that
    matter (and took rich a second to lay out)."""
    from rich.markup import escape
    from rich.table import Table

    if not entries:
        return
    plain: list[Any] = []
    if len(entries) > INBOX_LISTED_UP_TO:
        plain = [e for e in entries if e.verdict in ("loaded", "unchanged") and not e.reason]
        entries = [e for e in entries if e.verdict not in ("loaded", "unchanged") or e.reason]
    if entries:
        table = Table(show_lines=False, header_style="bold")
        for name in texts.INBOX_TABLE:
            table.add_column(name, overflow="fold")
        for e in entries:
            table.add_row(escape(e.file), e.label, e.unit or "", escape(e.reason))
        console.print(table)
    if plain:
        labels = " eller ".join(dict.fromkeys(e.label for e in plain))
        console.print(texts.INBOX_PLAIN_COUNTED.format(count=format_number(len(plain)),
                                                       labels=labels), markup=False)


def print_consolidation(report: ConsolidationReport, console: Console) -> None:
    """The inbox and problem tables, the period's counts and the files written."""
    _entry_table(getattr(report, "entries", []), console)
    _problem_table(report.new, console)
    errors = sum(1 for f in report.new if f.has_errors)
    console.print(f"Period {report.period}: "
                  f"{counted(len(report.new), 'ny fil läst', 'nya filer lästa')} "
                  f"({errors} med fel), "
                  f"{counted(len(report.skipped), 'oförändrad', 'oförändrade')}, "
                  f"{counted(len(report.replaced), 'ersatt', 'ersatta')}.", markup=False)
    for path in report.outputs:
        console.print(f"Skrev {format_path(path)}", markup=False)


def print_consolidation_result(report: ConsolidationReport) -> None:
    """``reportkit consolidate``: the tables, then the run's own problems and summary."""
    print_consolidation(report, rich_console())
    print_problems(report.problems, err=False)
    print_lines(report.summary_lines())


def print_status(statuses: list[UnitStatus], path: Path, columns: Sequence[str] | None = None,
                 console: Console | None = None) -> None:
    """The submission status per unit, grouped by nämnd, the counts per state and where the
    list is. ``columns``: the list's headers in the kommun's words
    (:func:`reportkit.consolidate.status.column_names`). The table fits the terminal (80
    columns when piped): names wrap within their column; nivå, chef and e-post are shown
    only when there is room (they are in the list)."""
    from rich import box
    from rich.table import Table

    from reportkit.consolidate.status import counts

    console = console or rich_console()
    heads = dict(zip((n for n, _ in texts.STATUS_COLUMNS), columns or (), strict=False))
    wide = console.width >= STATUS_WIDE
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(heads.get("Nämnd", "Nämnd"), overflow="fold", ratio=2)
    table.add_column(heads.get("Enhet", "Enhet"), overflow="fold", ratio=3)
    if wide:
        table.add_column(heads.get("Nivå", "Nivå"), overflow="fold", ratio=1)
    table.add_column(heads.get("Status", "Status"), min_width=16, overflow="fold", ratio=2)
    table.add_column(heads.get("Fel", "Fel"), justify="right", no_wrap=True)
    table.add_column(heads.get("Sista dag", "Sista dag"), no_wrap=True, min_width=10)
    if wide:
        for name in ("Chef", "E-post"):
            table.add_column(heads.get(name, name), overflow="fold", ratio=2)
    last = None
    for s in statuses:
        if last is not None and s.committee != last:
            table.add_section()
        style = {"försenad": "bold red", "saknas": "red", "inkommen med fel": "yellow",
                 "ej utskickad": "dim"}.get(s.state, "")
        state = f"[{style}]{s.state}[/]" if style else s.state
        if getattr(s, "source_changed", False):
            state += f" ({texts.STATUS_SOURCE_CHANGED_SHORT})"
        first = [s.committee if s.committee != last else "", s.name]
        rest = [state, str(s.errors or ""), s.deadline]
        table.add_row(*(first + [s.level] + rest + [s.manager, s.email] if wide
                        else first + rest))
        last = s.committee
    if statuses:
        console.print(table, soft_wrap=False)
    else:
        console.print(texts.STATUS_NONE)
    console.print(", ".join(f"{k}: {v}" for k, v in counts(statuses).items()))
    console.print(f"Listan finns i {path}")


def grouped_lines(problems: list[Problem]) -> list[str]:
    """Problems by kind, the most important first (``errors.group_problems``): a kind with
    few problems in full, a larger one as one line with its count and first example."""
    from reportkit.errors import group_problems

    lines: list[str] = []
    for group in group_problems(problems):
        if group.count <= texts.GROUP_FULL:
            lines += [p.line() for p in group.problems]
            continue
        first = group.problems[0]
        lines.append(texts.GROUP_LINE.format(severity=first.severity, count=group.count,
                                             title=group.kind.title, message=first.message,
                                             hint=first.hint))
    return lines


def print_render(outcome: RenderOutcome, several: bool, everything: bool = True) -> None:
    """What render did: its problems (under a heading per document when ``several``;
    grouped by kind unless ``everything``), the decision a decided version came from and
    the files written."""
    shown = 0
    parts = outcome.groups if several else [("", outcome.problems)]
    for label, problems in parts:
        if not problems:
            continue
        if label:
            echo(f"{label}:", err=True)
        lines = [p.line() for p in problems] if everything else grouped_lines(problems)
        shown += len(lines)
        print_lines_err(lines)
    if shown < len(outcome.problems):
        what = texts.GROUP_ERRORS_AND_WARNINGS if any(p.is_error for p in outcome.problems) \
            else texts.GROUP_WARNINGS
        echo(texts.GROUP_ALL.format(shown=shown, total=len(outcome.problems), what=what),
             err=True)
    if outcome.decision:
        echo(f"Beslutad version: {outcome.decision}")
    for path in outcome.paths:
        echo(f"Skrev {path}")


def print_web(outcome: Any, overview: bool = False) -> None:
    """What ``reportkit webb`` or ``reportkit översikt`` wrote, and where to open it."""
    print_problems(outcome.problems)
    if overview:
        echo(texts.OVERVIEW_WRITTEN.format(start=format_path(outcome.start)))
        return
    pages = sum(1 for p in outcome.paths if p.suffix == ".html")
    echo(texts.WEB_WRITTEN.format(pages=counted(pages, "sida", "sidor"),
                                  folder=format_path(outcome.folder)))
    echo(texts.WEB_DECISION.format(decision=outcome.decision) if outcome.decision
         else texts.WEB_DRAFT)
    echo(texts.WEB_OPEN.format(start=format_path(outcome.start)))


def print_pdfcheck(problems: list[Problem], files: int) -> None:
    print_problems(problems, err=False)
    if not problems:
        echo(f"{counted(files, 'PDF-fil uppfyller', 'PDF-filer uppfyller')} PDF/UA-1 och "
             "PDF/A-2b.")


def print_decision_recorded(d: Decision) -> None:
    from reportkit.storage.decisions import KOMMUN

    echo(f"Beslut {d.id}: {d.label} – {d.period} "
         f"({'hela kommunen' if d.scope == KOMMUN else d.scope}) "
         "är nu en beslutad version.")


def print_decision_undone(d: Decision) -> None:
    echo(f"Beslut {d.id}: {d.label} är ångrat av {d.undone_by} ({d.undo_reason}).")


def print_decisions(period_id: str, found: list[Decision], parts: list[PartState]) -> None:
    """A period's decisions, live or undone, and the state of each nämnd's part."""
    if not found:
        echo(f"Inga beslut för {period_id}.")
    for d in found:
        state = "gäller" if d.live else f"ångrat {d.undone_at} av {d.undone_by}: {d.undo_reason}"
        echo(f"{d.id}: {d.label} ({d.scope}) – {state}")
    for part in parts:
        extra = f" av {part.decision.label}" if part.decision else ""
        later = (f"; {counted(len(part.changed_after), 'inlämning', 'inlämningar')} efter "
                 "beslutet i nytt utkast"
                 if part.changed_after else "")
        echo(f"  {part.committee}: {part.state}{extra}{later}")


def print_mailing(mailing: Any, project: Path, sent: int | None, server: str = "") -> None:
    """What ``utskick`` wrote (and sent), its varningar, and how to send (outputs/mailing.py)."""
    if mailing.reminder and not mailing.paths:
        echo(texts.MAIL_NONE_TO_REMIND)
        return
    print_problems(mailing.problems)
    words = texts.MAIL_REMINDERS if mailing.reminder else texts.MAIL_DRAFTS
    echo(texts.MAIL_WRITTEN.format(count=counted(len(mailing.paths), *words),
                                   folder=format_path(mailing.folder)))
    if sent is None:
        echo(texts.MAIL_DRY_RUN.format(arg=_project_arg(project), period=mailing.period,
                                       reminder=" --påminnelse" if mailing.reminder else ""))
    else:
        echo(texts.MAIL_SENT.format(count=counted(sent, *words), server=server))


def print_upcoming(ahead: Any) -> None:
    """The årshjul's next events (``status``; outputs/arshjul.py ``upcoming``): date, what
    and in how many days."""
    if not ahead.events:
        echo(texts.CAL_NEXT_NONE.format(date=ahead.day.isoformat()))
        return
    echo(texts.CAL_NEXT)
    for item in ahead.events:
        when = texts.CAL_TODAY if item.days == 0 else texts.CAL_IN_DAYS.format(
            days=counted(item.days, *texts.CAL_DAYS))
        echo(texts.CAL_NEXT_LINE.format(date=item.event.date.isoformat(),
                                        title=item.event.title, when=when))


def ask_password(user: str, server: str) -> str:
    """The SMTP password, typed without echo (never stored)."""
    return str(click.prompt(texts.SMTP_PASSWORD_PROMPT.format(user=user, server=server),
                            hide_input=True, err=True))


def print_calendar(path: Path, count: int, events: Iterable[Any]) -> None:
    """The årshjul as a table (date, what) and the .ics file written (outputs/arshjul.py)."""
    for event in events:
        echo(f"  {event.date.isoformat()}  {event.title}")
    echo(texts.CAL_WRITTEN.format(path=format_path(path),
                                  count=counted(count, *texts.CAL_EVENTS)))


def kolada_progress() -> ProgressBar | None:
    """The bar over ``reportkit kolada hämta``'s requests (stderr, a terminal only)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    return ProgressBar(Console(stderr=True), texts.KOLADA_PROGRESS, minimum=1)


def _kolada_number(value: float | None) -> str:
    from reportkit.formats import DASH, format_number

    return DASH if value is None else format_number(value, 2).rstrip("0").rstrip(",")


def _print_revisions(revisions: Sequence[Any]) -> None:
    if not revisions:
        return
    echo(texts.KOLADA_REVISED)
    for r in revisions:
        echo(texts.KOLADA_REVISION.format(
            kpi=r.kpi, kommun=r.municipality, year=r.year, gender=r.gender,
            before=_kolada_number(r.before), after=_kolada_number(r.after),
            before_fetched=r.before_fetched[:10], after_fetched=r.after_fetched[:10]))


def print_kolada_fetch(report: Any, project: Path) -> None:
    """What ``reportkit kolada hämta`` fetched and kept, and what RKA revised."""
    print_problems(report.problems)
    if report.group_title:
        echo(texts.KOLADA_GROUP.format(title=report.group_title, count=counted(
            len(report.members), *texts.KOLADA_KOMMUNER)))
    if report.requests:
        echo(texts.KOLADA_FETCHED.format(
            values=report.values, kpis=", ".join(report.kpis) or "–",
            requests=report.requests, api=report.base_url,
            folder=format_path(project / "kolada")))
    _print_revisions(report.revisions)


def print_kolada_overview(view: Any, project: Path) -> None:
    """What ``reportkit kolada visa`` finds kept (offline)."""
    if view.fetch is None:
        echo(texts.KOLADA_NOTHING_KEPT.format(arg=_project_arg(project)))
        return
    echo(texts.KOLADA_KEPT.format(time=view.fetch.started_at, api=view.fetch.base_url,
                                  count=counted(len(view.values), *texts.KOLADA_VALUES)))
    echo(texts.KOLADA_GROUP.format(title=view.fetch.group_title, count=counted(
        len(view.fetch.members), *texts.KOLADA_KOMMUNER)))
    for kpi, indicators in view.indicators.items():
        title, removed = view.kpis.get(kpi, ("", False))
        echo(texts.KOLADA_KPI_LINE.format(kpi=kpi, title=title or "–",
                                          indicators=", ".join(indicators)))
    _print_revisions(view.revisions)
