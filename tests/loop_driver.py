"""Run or resume a run of any kind (runs/registry.py) in its own process (for kill -9 tests),
with the recorded embedded model (replay_model.py) or the scripted one.

    python loop_driver.py DB start CONFIG_JSON [replay|scripted]   -> prints the run id, then runs it
    python loop_driver.py DB resume RUN_ID [replay|scripted]
"""
import json
import sys

from loop_support import replay_services, scripted_services
from replay_model import ReplayModel

from evoforge.archive import open_archive
from evoforge.runs.lifecycle import create_run, execute_run
from evoforge.runs.registry import stored_settings

if __name__ == "__main__":
    db, action, argument, *rest = sys.argv[1:]
    archive = open_archive(db)
    if action == "start":
        config = json.loads(argument)
        run_id = create_run(archive, stored_settings(config))
        print(run_id, flush=True)
    else:
        run_id = int(argument)
    if rest == ["scripted"]:
        execute_run(archive, run_id, scripted_services(archive))
    else:
        model = ReplayModel()
        execute_run(archive, run_id, replay_services(archive, model))
        model.assert_no_misses()  # an AssertionError: the driver exits non-zero, and the test says why
