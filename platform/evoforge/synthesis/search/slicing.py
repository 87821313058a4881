"""Cone of influence: the constraints a question to the solver actually depends on.

A path through a conversation program gathers many facts the goal at hand never mentions (the
records a read tool returned, string searches over the dialogue); giving them all to Z3 turns a
trivial question about a write's policy facts into a string-theory timeout. The cone of `seeds` is
the smallest set of constraints closed under sharing a variable with the seeds or with each other.

It is exact, not an approximation: the constraints left out share no variable with the cone, and
the caller knows them satisfiable (they are part of a path already found feasible), so the whole
set is satisfiable exactly when the cone is. A model of the cone says nothing of the rest, so a
counterexample is completed by asking the full question again (verify.py).
"""
from __future__ import annotations

from typing import Sequence

import z3


def variables(term: z3.ExprRef, memo: dict[int, frozenset[int]]) -> frozenset[int]:
    """The ids of the uninterpreted constants in `term` (memoised over shared subterms)."""
    key = term.get_id()
    found = memo.get(key)
    if found is not None:
        return found
    stack, order = [term], []
    while stack:  # iterative: a comprehension over a long list is a deep term
        node = stack.pop()
        if node.get_id() in memo:
            continue
        order.append(node)
        stack.extend(child for child in node.children() if child.get_id() not in memo)
    for node in reversed(order):
        if node.get_id() in memo:
            continue
        if z3.is_const(node) and node.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            memo[node.get_id()] = frozenset({node.get_id()})
        else:
            memo[node.get_id()] = frozenset().union(*(memo[c.get_id()] for c in node.children()))
    return memo[key]


def cone(constraints: Sequence[z3.BoolRef], seeds: Sequence[z3.BoolRef]) -> list[z3.BoolRef]:
    """The constraints that share a variable, directly or through others, with `seeds`; a
    constraint without variables (a constant) is kept, since it may be false."""
    memo: dict[int, frozenset[int]] = {}
    wanted: set[int] = set()
    for seed in seeds:
        wanted |= variables(seed, memo)
    pending = [(c, variables(c, memo)) for c in constraints]
    chosen: list[z3.BoolRef] = [c for c, found in pending if not found]
    pending = [(c, found) for c, found in pending if found]
    grew = True
    while grew:
        grew = False
        rest = []
        for constraint, found in pending:
            if found & wanted:
                chosen.append(constraint)
                wanted |= found
                grew = True
            else:
                rest.append((constraint, found))
        pending = rest
    return chosen
