"""reportkit: mål- och resultatstyrning för kommuner.

The public API: one function per step of the yearly cycle, each what one CLI command calls::

    init_project      reportkit init        a new project: blank, from an organisation list,
                                          or a copy of Exempelkommun
    validate_project  reportkit validate    the styrmodell's problems (and goal_tree to show it)
    next_year         reportkit nytt-år     next year's styrmodell from this year's
    diff_styrmodell   reportkit diff        what changed between two styrmodeller
    generate_workbooks reportkit workbooks  the styrkort sent to the units
    check             reportkit check       a returned styrkort's problems and values
    consolidate_period reportkit consolidate check and load the inbox, write the
                                          sammanställning
    submission_overview, decision_overview, status_columns  reportkit status
    explain, explain_export                 reportkit explain
    record_decision, undo_decision, list_decisions   reportkit beslut
    render_documents  reportkit render      verksamhetsplan, delårsrapport, årsredovisning
    copy_templates, template_gaps           reportkit mallar: the kansli's own templates
    DOCUMENT_PERIOD_TYPES                   the documents render makes and their period types
    default_period, on_date                 the period being reported now; --datum
    pdfcheck          reportkit pdfcheck    PDF/UA-1 and PDF/A-2b
    write_drafts, send_drafts, smtp_settings   reportkit utskick   e-mail drafts and reminders
    write_calendar    reportkit årshjul     deadlines and sammanträden as a calendar (.ics)
    upcoming          reportkit status      the årshjul's next events from today
    run_demo          reportkit demo        the whole Exempelkommun cycle
    build_site        reportkit webb        the goals and results as a static web site
    build_overview    reportkit översikt    the coordinator's overview page (not published)

``consolidate_period`` is :func:`reportkit.consolidate.run.consolidate` (the subpackage
``reportkit.consolidate`` owns that attribute name). With :class:`Project`, :class:`Problem`
and :class:`ReportkitError`. The names are loaded on first use, so ``import reportkit`` stays
cheap (no openpyxl, matplotlib or docxtpl).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reportkit.errors import Problem, ReportkitError
from reportkit.version import __version__

if TYPE_CHECKING:
    from reportkit.consolidate.exports import explain_export
    from reportkit.consolidate.run import consolidate as consolidate_period
    from reportkit.demo import run_demo
    from reportkit.documents.build import DOCUMENT_PERIOD_TYPES, render_documents
    from reportkit.documents.owned import copy_templates, template_gaps
    from reportkit.documents.pdf import pdfcheck
    from reportkit.documents.web import build_overview, build_site
    from reportkit.intake.check import check
    from reportkit.outputs.arshjul import write_calendar
    from reportkit.outputs.changes import diff_styrmodell, next_year
    from reportkit.outputs.explain import (
        decision_overview,
        explain,
        status_columns,
        submission_overview,
    )
    from reportkit.outputs.mailing import send_drafts, smtp_settings, write_drafts
    from reportkit.outputs.newproject import init_project
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.storage.decisions import list_decisions, record_decision, undo_decision
    from reportkit.styrmodell.periods import on_date
    from reportkit.styrmodell.project import Project, default_period
    from reportkit.styrmodell.project_setup import goal_tree, validate_project

_API: dict[str, str] = {
    "init_project": "reportkit.outputs.newproject",
    "validate_project": "reportkit.styrmodell.project_setup",
    "goal_tree": "reportkit.styrmodell.project_setup",
    "Project": "reportkit.styrmodell.project",
    "generate_workbooks": "reportkit.outputs.outbox",
    "check": "reportkit.intake.check",
    "consolidate_period": "reportkit.consolidate.run",
    "submission_overview": "reportkit.outputs.explain",
    "decision_overview": "reportkit.outputs.explain",
    "status_columns": "reportkit.outputs.explain",
    "explain": "reportkit.outputs.explain",
    "explain_export": "reportkit.consolidate.exports",
    "record_decision": "reportkit.storage.decisions",
    "undo_decision": "reportkit.storage.decisions",
    "list_decisions": "reportkit.storage.decisions",
    "render_documents": "reportkit.documents.build",
    "DOCUMENT_PERIOD_TYPES": "reportkit.documents.build",
    "copy_templates": "reportkit.documents.owned",
    "template_gaps": "reportkit.documents.owned",
    "pdfcheck": "reportkit.documents.pdf",
    "default_period": "reportkit.styrmodell.project",
    "on_date": "reportkit.styrmodell.periods",
    "run_demo": "reportkit.demo",
    "export_history": "reportkit.consolidate.history",
    "next_year": "reportkit.outputs.changes",
    "diff_styrmodell": "reportkit.outputs.changes",
    "write_drafts": "reportkit.outputs.mailing",
    "send_drafts": "reportkit.outputs.mailing",
    "smtp_settings": "reportkit.outputs.mailing",
    "write_calendar": "reportkit.outputs.arshjul",
    "fetch_kolada": "reportkit.outputs.kolada",
    "kolada_overview": "reportkit.outputs.kolada",
    "build_site": "reportkit.documents.web",
    "build_overview": "reportkit.documents.web",
    "upcoming": "reportkit.outputs.arshjul",
}

# API names that differ from the function's own (the subpackage reportkit.consolidate owns the
# attribute name 'consolidate' once it is imported).
_ALIASES = {"consolidate_period": "consolidate"}

__all__ = [
    "DOCUMENT_PERIOD_TYPES", "Problem", "Project", "ReportkitError", "__version__",
    "build_overview", "build_site", "check",
    "consolidate_period", "copy_templates", "decision_overview", "default_period",
    "diff_styrmodell", "explain", "explain_export", "export_history", "fetch_kolada",
    "generate_workbooks",
    "goal_tree", "init_project", "kolada_overview",
    "list_decisions", "next_year", "on_date", "pdfcheck", "record_decision", "render_documents",
    "run_demo", "send_drafts", "smtp_settings", "status_columns", "submission_overview",
    "template_gaps", "undo_decision", "upcoming", "validate_project", "write_calendar",
    "write_drafts",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'reportkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _ALIASES.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
