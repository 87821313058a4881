"""The run's cached completions, where the completion cache (models/completion_cache.py) keeps
deterministic model answers: stored once and served to every variant of the run, across
resumes. Sampled calls are never stored here."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from evoforge.archive.base import ArchiveBase
from evoforge.archive.tables import CachedCompletion


@dataclass(frozen=True)
class CachedCompletionStats:
    entries: int
    hits: int  # model calls the cache saved


class CachedCompletionStore(ArchiveBase):
    def cached_completion(self, run_id: int, key: str) -> CachedCompletion | None:
        """The stored answer for `key`, counting the hit; None when there is none (a miss writes nothing)."""
        with self._read() as session:
            row = session.scalars(select(CachedCompletion).where(CachedCompletion.run_id == run_id, CachedCompletion.key == key)).first()
        if row is not None:
            with self._write() as session:
                session.execute(update(CachedCompletion).where(CachedCompletion.id == row.id).values(hits=CachedCompletion.hits + 1))
        return row

    def cache_completion(self, run_id: int, key: str, text: str, model: str, prompt_tokens: int, completion_tokens: int) -> None:
        """Stores an answer; a concurrent twin (two variants asking at once) keeps the first."""
        try:
            with self._write() as session:
                session.add(CachedCompletion(run_id=run_id, key=key, text=text, model=model,
                                             prompt_tokens=prompt_tokens, completion_tokens=completion_tokens))
        except IntegrityError:
            pass

    def cache_stats(self, run_id: int) -> CachedCompletionStats:
        with self._read() as session:
            rows = list(session.execute(select(CachedCompletion.hits).where(CachedCompletion.run_id == run_id)))
        return CachedCompletionStats(len(rows), sum(hits for (hits,) in rows))
