"""Run or resume a synthesis run with the scripted model, in its own process (for kill -9 tests).

    python synthesis_driver.py DB start CONFIG_JSON   -> prints the run id, then runs it
    python synthesis_driver.py DB resume RUN_ID
"""
import json
import sys

from loop_support import scripted_services

from evoforge.archive import open_archive
from evoforge.synthesis.config import SynthesisConfig
from evoforge.synthesis.runner import create_synthesis_run, execute_synthesis_run

if __name__ == "__main__":
    db, action, argument = sys.argv[1:4]
    archive = open_archive(db)
    if action == "start":
        run_id = create_synthesis_run(archive, SynthesisConfig.from_dict(json.loads(argument)))
        print(run_id, flush=True)
    else:
        run_id = int(argument)
    execute_synthesis_run(archive, run_id, scripted_services(archive))
