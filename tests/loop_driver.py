"""Run or resume an evolution run with the recorded embedded model (replay_model.py), in its own
process (for kill -9 tests).

    python loop_driver.py DB start CONFIG_JSON   -> prints the run id, then runs it
    python loop_driver.py DB resume RUN_ID
"""
import json
import sys

from loop_support import replay_services
from replay_model import ReplayModel

from evoforge.archive import open_archive
from evoforge.evolution.config import RunConfig
from evoforge.evolution.runner import create_run, execute_run

if __name__ == "__main__":
    db, action, argument = sys.argv[1:4]
    archive = open_archive(db)
    if action == "start":
        run_id = create_run(archive, RunConfig.from_dict(json.loads(argument)))
        print(run_id, flush=True)
    else:
        run_id = int(argument)
    model = ReplayModel()
    execute_run(archive, run_id, replay_services(archive, model))
    model.assert_no_misses()  # an AssertionError: the driver exits non-zero, and the test says why
