"""SEVerA synthesis: search, verify, learn agent programs proven for every input and parameter.

    from evoforge.synthesis import (GrammarProposer, LocalEvaluation, OptunaLearner, Problem,
                                    Verifier, synthesize)
    result = synthesize(Problem(task, specs), GrammarProposer(), Verifier(),
                        OptunaLearner(archive_url), LocalEvaluation(domain, task, specs, model),
                        study="run-7")
    result.best.source, result.best.params, result.best.scores["test"]

See docs/synthesis.md for the program form, the proof, the loop and the learner.
"""
from evoforge.synthesis.candidate import Candidate, CandidateStore, MemoryCandidates
from evoforge.synthesis.evaluation import EvalReport, Evaluate, LocalEvaluation, TaskOutcome
from evoforge.synthesis.grammar import GrammarProposer
from evoforge.synthesis.guarded import GuardGenerate
from evoforge.synthesis.in_memory import SynthesisResult, synthesize
from evoforge.synthesis.interpret import Generate, Interpreter, ProgramFailure, Trace
from evoforge.synthesis.learn import Learner, LearnResult, Objective, OptunaLearner
from evoforge.synthesis.parser import ProgramError, parse_program
from evoforge.synthesis.planner import PlannerProposer
from evoforge.synthesis.program import Program
from evoforge.synthesis.propose import Feedback, Problem, Proposal, Proposer
from evoforge.synthesis.verify import Counterexample, Verdict, VerifiedProgram, Verifier

__all__ = [
    "Candidate", "CandidateStore", "Counterexample", "EvalReport", "Evaluate", "Feedback", "Generate",
    "GrammarProposer", "GuardGenerate", "Interpreter", "LearnResult", "Learner", "LocalEvaluation",
    "MemoryCandidates", "Objective", "OptunaLearner", "PlannerProposer", "Problem", "Program",
    "ProgramError", "ProgramFailure", "Proposal", "Proposer", "SynthesisResult", "TaskOutcome", "Trace",
    "Verdict", "VerifiedProgram", "Verifier", "parse_program", "synthesize",
]
