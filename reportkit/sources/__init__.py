"""The kommun's other files: exports from the ekonomisystem and HR system, and the
ekonomiavdelning's key figures, read, mapped to the org tree and checked (issue 12)."""

from reportkit.sources.exports import read_exports
from reportkit.sources.mapping import ImportMapping, load_mapping
from reportkit.sources.records import (
    CompanyFigure,
    DriftRow,
    ExportData,
    ExportFile,
    Frame,
    HrRow,
    Investment,
    KeyFigure,
    OrgIndex,
    PlannedInvestment,
    SourceRef,
    Statement,
    Value,
)

__all__ = [
    "CompanyFigure", "DriftRow", "ExportData", "ExportFile", "Frame", "HrRow", "ImportMapping",
    "Investment", "KeyFigure", "OrgIndex", "PlannedInvestment", "SourceRef", "Statement", "Value",
    "load_mapping", "read_exports",
]
