"""The archive: every run, variant, lineage link and piece of evidence (see docs/archive.md).

    from evoforge.archive import open_archive
    archive = open_archive(None)             # default SQLite file, or $EVOFORGE_DB
    run = archive.create_run("arith", "smollm2")
    root = archive.add_variant(run.id, {"agent.py": "..."})
"""
from evoforge.archive.archive import Archive, open_archive
from evoforge.archive.errors import ArchiveError, NotFound
from evoforge.archive.location import default_path, resolve_url
from evoforge.archive.records import (
    ContractStats,
    FileChange,
    GenerationStats,
    NewContractEvent,
    NewEvaluation,
    NewEvent,
    NewUsage,
    RunSummary,
    TreeNode,
    UsageTotals,
)
from evoforge.archive.tables import (
    ContractEvent,
    Evaluation,
    ModelUsage,
    Run,
    RunEvent,
    RunEventKind,
    RunStatus,
    Split,
    Variant,
    VariantStatus,
)
from evoforge.archive.transfer import export_run, import_run

__all__ = [
    "Archive", "ArchiveError", "ContractEvent", "ContractStats", "Evaluation", "FileChange",
    "GenerationStats", "ModelUsage", "NewContractEvent", "NewEvaluation", "NewEvent", "NewUsage", "NotFound", "Run", "RunEvent",
    "RunEventKind", "RunStatus", "RunSummary", "Split", "TreeNode", "UsageTotals", "Variant",
    "VariantStatus", "default_path", "export_run", "import_run", "open_archive", "resolve_url",
]
