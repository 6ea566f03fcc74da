"""reportkit: mål- och resultatstyrning för kommuner.

The pipeline, one public function per step (each CLI command calls one of them):
styrmodell → workbooks → check → consolidate → documents. Heavy libraries (openpyxl,
matplotlib, docxtpl) are imported inside the steps that need them, so ``import reportkit``
stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "ReportkitError",
    "Problem",
]

from reportkit.errors import Problem, ReportkitError  # noqa: E402
