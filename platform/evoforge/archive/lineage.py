"""Lineage queries. Ancestors and descendants are single recursive queries (WITH RECURSIVE,
on both backends), so a deep chain costs one round trip, not one per generation."""
from __future__ import annotations

from sqlalchemy import Select, func, literal, select

from evoforge.archive.base import ArchiveBase
from evoforge.archive.records import TreeNode
from evoforge.archive.tables import Variant, VariantStatus

_v = Variant.__table__.c


class LineageQueries(ArchiveBase):
    def ancestors(self, variant_id: int, *, include_self: bool = False) -> list[Variant]:
        """The variant's ancestors, root first (and the variant itself last, if asked)."""
        start = select(_v.id, _v.parent_id, literal(0).label("depth")).where(_v.id == variant_id)
        up = start.cte("up", recursive=True)
        up = up.union_all(select(_v.id, _v.parent_id, up.c.depth + 1).where(_v.id == up.c.parent_id))
        query = select(Variant).join(up, Variant.id == up.c.id)
        if not include_self:
            query = query.where(up.c.depth > 0)
        return self._fetch(query.order_by(up.c.depth.desc()), variant_id)

    def descendants(self, variant_id: int) -> list[Variant]:
        """Every variant descended from this one, by generation then id (itself excluded)."""
        start = select(_v.id).where(_v.parent_id == variant_id)
        down = start.cte("down", recursive=True)
        down = down.union_all(select(_v.id).where(_v.parent_id == down.c.id))
        query = select(Variant).join(down, Variant.id == down.c.id)
        return self._fetch(query.order_by(Variant.generation, Variant.id), variant_id)

    def _fetch(self, query: Select, variant_id: int) -> list[Variant]:
        with self._read() as session:
            self._get(session, Variant, variant_id, "variant")
            return list(session.scalars(query))

    def best_variant(self, run_id: int) -> Variant | None:
        """The valid variant with the highest score; on a tie, the earliest in the run's plan
        (generation, then index in it), never the one whose child happened to finish first."""
        key = func.coalesce(_v.proposal_key, "")
        query = (
            select(Variant)
            .where(Variant.run_id == run_id, Variant.status == VariantStatus.VALID, Variant.score.is_not(None))
            # Plan order in SQL: keys of one generation (`g2-s1`) differ only in the index, so
            # shorter-then-lexical is numeric order (`g2-s9` before `g2-s10`): TreeNode.birth_order.
            .order_by(Variant.score.desc(), Variant.generation, func.length(key), key, Variant.id)
            .limit(1)
        )
        with self._read() as session:
            return session.scalars(query).first()

    def path_to_best(self, run_id: int) -> list[Variant]:
        """The chain from the root to the best variant, root first; empty when none is scored."""
        best = self.best_variant(run_id)
        return [] if best is None else self.ancestors(best.id, include_self=True)

    def tree(self, run_id: int) -> list[TreeNode]:
        """The whole lineage tree of a run in one query, without files: parents come before
        their children (ids grow), so a drawer can build it in one pass."""
        query = (
            select(_v.id, _v.parent_id, _v.generation, _v.score, _v.status, _v.valid_parent, _v.proposal_key)
            .where(_v.run_id == run_id)
            .order_by(_v.id)
        )
        with self._read() as session:
            return [TreeNode(*row) for row in session.execute(query)]
