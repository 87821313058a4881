"""The archive: every run, variant, lineage link and piece of evidence (see docs/archive.md).

    from evoforge.archive import open_archive
    archive = open_archive(None)             # default SQLite file, or $EVOFORGE_DB
    run = archive.create_run("arith", "smollm2")
    root = archive.add_variant(run.id, {"agent.py": "..."})

The names below are imported on first use (SQLAlchemy and alembic are slow to import).
"""
from evoforge.lazy import lazy_exports

_EXPORTS = {
    "evoforge.archive.archive": ["Archive", "open_archive"],
    "evoforge.archive.errors": ["ArchiveError", "NotFound"],
    "evoforge.archive.listing": ["RunSummary"],
    "evoforge.archive.location": ["default_path", "resolve_url"],
    "evoforge.archive.records": ["ContractStats", "FileChange", "GenerationStats", "NewContractEvent", "NewEvaluation",
                                 "NewEvent", "NewUsage", "TreeNode", "UsageTotals"],
    "evoforge.archive.statuses": ["CandidateStatus", "RunStatus", "VariantStatus"],
    "evoforge.archive.tables": ["ContractEvent", "Evaluation", "ModelUsage", "Run", "RunEvent", "RunEventKind",
                                "Split", "SynthesisCandidate", "Variant"],
    "evoforge.archive.transfer": ["export_run", "import_run"],
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
