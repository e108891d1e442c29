"""Importers: source-system exports → stage data for the workflow's ``import_rows`` (no Qt, no database).

``read_isb_files(paths)`` reads LKPP ISB / data.inaproc.id JSON files into an :class:`ImportBatch`
of :class:`ImportRow` (one per process and stage); see docs/importers.md.
"""

from odc_desktop.importers.isb import read_isb_files
from odc_desktop.importers.rows import FileProblem, ImportBatch, ImportRow, OpdRecord, RawValue, RowProblem, SourceRef

__all__ = ["FileProblem", "ImportBatch", "ImportRow", "OpdRecord", "RawValue", "RowProblem", "SourceRef",
           "read_isb_files"]
