"""Work beyond one machine: joining a Ray cluster and checking that every node reaches the
archive (cluster.py), one model budget for all nodes (budget.py), and a fingerprint of the spec
files so that workers prove the driver's contracts (specs.py). Generic cluster plumbing: it
knows no run kind (evolution's Ray executor, which uses it, is evolution/executors/).
Nothing here is imported unless a run chooses `--executor ray` (ray is the `scale` extra).
"""
