"""Evolution beyond one machine: children made as Ray tasks on a cluster (docs/scale.md).

The driver keeps the LangGraph graph, selection and every archive write; a worker node rebuilds
the run's worker context from its configuration and its own spec files, sandbox and model keys.
Nothing here is imported unless a run chooses `--executor ray` (ray is the `scale` extra).
"""
