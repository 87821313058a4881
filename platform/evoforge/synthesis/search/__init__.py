"""Search, verify, learn: the CEGIS search over agent programs (synthesis/language/).

Proposers (proposing.py: grammar.py, planner.py, with mutate.py and repair.py) offer programs;
the verifier (verify.py) proves them or finds a counterexample, which refute.py replays on the
other candidates; evaluation.py and sandboxed.py score proven programs, learn.py tunes their
parameters. cegis.py holds the search over the candidates (candidate.py) of a `CandidateStore`.
The run driver (synthesis/graph.py and its steps) runs it.
"""
