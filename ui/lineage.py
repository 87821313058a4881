"""The lineage tree as one Altair chart: generation on x, a tidy-tree layout on y (leaves in
depth-first order, parents centred over their children), one layer of edges and one of nodes,
so it stays responsive with thousands of variants."""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from evoforge.archive import TreeNode

SELECTION = "node"


def layout(nodes: Sequence[TreeNode]) -> dict[int, float]:
    """y position of each node id; `nodes` come parents first, as `Archive.tree` returns them."""
    children: dict[int | None, list[int]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node.id)
    known = {node.id for node in nodes}
    roots = [node.id for node in nodes if node.parent_id is None or node.parent_id not in known]
    y: dict[int, float] = {}
    next_leaf = 0.0
    stack: list[tuple[int, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        node_id, expanded = stack.pop()
        kids = children.get(node_id, [])
        if not kids:
            y[node_id], next_leaf = next_leaf, next_leaf + 1
        elif expanded:
            y[node_id] = (y[kids[0]] + y[kids[-1]]) / 2
        else:
            stack.append((node_id, True))
            stack.extend((kid, False) for kid in reversed(kids))
    return y


def frames(nodes: Sequence[TreeNode], best_path: Sequence[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges) tables for the chart."""
    y = layout(nodes)
    on_path = set(best_path)
    generation = {node.id: node.generation for node in nodes}
    node_rows = [{"id": n.id, "generation": n.generation, "y": y[n.id], "score": n.score, "status": n.status,
                  "parent": n.parent_id, "path to best": n.id in on_path} for n in nodes]
    edge_rows = [{"generation": generation[n.parent_id], "y": y[n.parent_id], "generation2": n.generation,
                  "y2": y[n.id], "path to best": n.id in on_path and n.parent_id in on_path}
                 for n in nodes if n.parent_id in generation]
    return (pd.DataFrame(node_rows, columns=["id", "generation", "y", "score", "status", "parent", "path to best"]),
            pd.DataFrame(edge_rows, columns=["generation", "y", "generation2", "y2", "path to best"]))


def chart(nodes: Sequence[TreeNode], best_path: Sequence[int]) -> alt.LayerChart:
    """Nodes coloured by score, invalid ones drawn as crosses, the path to the best in red;
    clicking a node selects it (selection name `node`, field `id`)."""
    node_frame, edge_frame = frames(nodes, best_path)
    x = alt.X("generation:Q", axis=alt.Axis(tickMinStep=1, title="generation"))
    y = alt.Y("y:Q", axis=None)
    edges = alt.Chart(edge_frame).mark_rule().encode(
        x=x, y=y, x2="generation2:Q", y2="y2:Q",
        color=alt.condition("datum['path to best']", alt.value("#d62728"), alt.value("#bbbbbb")),
        strokeWidth=alt.condition("datum['path to best']", alt.value(2.5), alt.value(1)),
    )
    pick = alt.selection_point(name=SELECTION, fields=["id"], on="click")
    points = alt.Chart(node_frame).mark_point(filled=True, size=90).encode(
        x=x, y=y,
        color=alt.Color("score:Q", scale=alt.Scale(scheme="viridis", domain=[0, 1]), title="score"),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=["valid", "invalid"], range=["circle", "cross"])),
        stroke=alt.condition("datum['path to best']", alt.value("#d62728"), alt.value("transparent")),
        strokeWidth=alt.value(2),
        tooltip=["id", "generation", "score", "status", "parent", "path to best"],
    ).add_params(pick)
    height = max(240, min(1200, 14 * int(node_frame["y"].max() + 1 if len(node_frame) else 1)))
    return alt.layer(edges, points).properties(height=height)


def selected_id(event: object) -> int | None:
    """The variant id clicked in the chart, from `st.altair_chart(..., on_select="rerun")`'s result."""
    try:
        picked = event.selection[SELECTION]  # type: ignore[attr-defined]
        return int(picked[0]["id"]) if picked else None
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return None
