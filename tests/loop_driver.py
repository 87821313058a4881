"""Run or resume a run of any kind (evoforge/runkinds.py) with the scripted model, in its own
process (for kill -9 tests).

    python loop_driver.py DB start CONFIG_JSON   -> prints the run id, then runs it
    python loop_driver.py DB resume RUN_ID
"""
import json
import sys

from loop_support import scripted_services

from evoforge.archive import open_archive
from evoforge.runkinds import run_kind, stored_config

if __name__ == "__main__":
    db, action, argument = sys.argv[1:4]
    archive = open_archive(db)
    if action == "start":
        config = json.loads(argument)
        run_id = run_kind(config).load("create")(archive, stored_config(config))
        print(run_id, flush=True)
    else:
        run_id = int(argument)
    run_kind(archive.run(run_id).config).load("execute")(archive, run_id, scripted_services(archive))
