"""The program language of synthesis: what an agent program is and what can be done with it.

A program is a restricted subset of Python (parser.py) with a typed form (program.py); it runs
concretely (interpret.py, its guarded calls through guarded.py, its tool calls through
tools.py), symbolically for the proof (symbolic.py), and as a sandbox agent (to_module.py).
Nothing here searches, proves or learns: that is synthesis/search/, which builds on this.
"""
