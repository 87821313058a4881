"""The Archive: one object, many small parts (runs, variants, evidence, lineage, statistics),
over SQLite or PostgreSQL with the same code."""
from __future__ import annotations

import logging
import os

from sqlalchemy.exc import DatabaseError, OperationalError

from evoforge.archive.revision import HEAD
from evoforge.archive.schema import upgrade
from evoforge.archive.cached_completions import CachedCompletionStore
from evoforge.archive.engine import make_engine, unreachable
from evoforge.archive.lineage import LineageQueries
from evoforge.archive.location import default_path, describe, resolve_url
from evoforge.archive.stats import RunStats
from evoforge.archive.synthesis import SynthesisStore
from evoforge.archive.variants import VariantStore

log = logging.getLogger(__name__)


class Archive(VariantStore, LineageQueries, RunStats, CachedCompletionStore, SynthesisStore):
    """Every run, variant and piece of evidence. Methods are safe to call from several threads
    and processes at once; each write is one transaction."""


def open_archive(url_or_path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Archive:
    """Opens (and, when needed, creates or upgrades) an archive.

    `url_or_path`: None for $EVOFORGE_DB or the default SQLite file in the user data directory,
    a file path, `sqlite:///FILE`, or `postgresql://USER:PASSWORD@HOST:PORT/DB`. With
    `create=False` a missing SQLite file is an error instead of a new archive. An archive made by
    an older evoforge is upgraded in place (`Archive.upgraded_from` says from which schema); one
    made by a newer evoforge is refused with an ArchiveError."""
    url = resolve_url(url_or_path)
    if create and url.get_backend_name() == "sqlite" and url.database == str(default_path()):
        default_path().parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, create=create)
    try:
        before = upgrade(engine, describe(url))
    except (OperationalError, DatabaseError) as error:
        engine.dispose()
        raise unreachable(url, error) from None
    except BaseException:
        engine.dispose()
        raise
    upgraded_from = before if before not in (None, HEAD) else None
    if upgraded_from is not None:
        log.warning("upgraded archive %s from schema %s to %s", describe(url), upgraded_from, HEAD)
    return Archive(engine, url, upgraded_from)
