"""SEVerA synthesis: search, verify, learn agent programs proven for every input and parameter.

    from evoforge.synthesis import (GrammarProposer, LocalEvaluation, OptunaLearner, Problem,
                                    Verifier, synthesize)
    result = synthesize(Problem(task, specs), GrammarProposer(), Verifier(),
                        OptunaLearner(archive_url), LocalEvaluation(domain, task, specs, model),
                        study="run-7")
    result.best.source, result.best.params, result.best.scores["test"]

Three layers: the program language (language/), the search that proposes, verifies and learns
programs (search/), and here the run driver: the graph every synthesis runs (graph.py, steps.py,
job.py), in this process (in_memory.py) or as an archived, resumable run (runner.py, context.py,
archive_store.py). See docs/synthesis.md for the program form, the proof, the loop and the learner.
"""
from evoforge.synthesis.in_memory import SynthesisResult, synthesize
from evoforge.synthesis.language.guarded import GuardGenerate
from evoforge.synthesis.language.interpret import Generate, Interpreter, ProgramFailure, Trace
from evoforge.synthesis.language.parser import ProgramError, parse_program
from evoforge.synthesis.language.program import Program
from evoforge.synthesis.search.candidate import Candidate, CandidateStore, MemoryCandidates
from evoforge.synthesis.search.evaluation import EvalReport, Evaluate, LocalEvaluation, TaskOutcome
from evoforge.synthesis.search.grammar import GrammarProposer
from evoforge.synthesis.search.learn import Learner, LearnResult, Objective, OptunaLearner
from evoforge.synthesis.search.planner import PlannerProposer
from evoforge.synthesis.search.proposing import Feedback, Problem, Proposal, Proposer
from evoforge.synthesis.search.verify import Counterexample, Verdict, VerifiedProgram, Verifier

__all__ = [
    "Candidate", "CandidateStore", "Counterexample", "EvalReport", "Evaluate", "Feedback", "Generate",
    "GrammarProposer", "GuardGenerate", "Interpreter", "LearnResult", "Learner", "LocalEvaluation",
    "MemoryCandidates", "Objective", "OptunaLearner", "PlannerProposer", "Problem", "Program",
    "ProgramError", "ProgramFailure", "Proposal", "Proposer", "SynthesisResult", "TaskOutcome", "Trace",
    "Verdict", "VerifiedProgram", "Verifier", "parse_program", "synthesize",
]
