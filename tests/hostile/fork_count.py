import os
import time


def main(attempts):
    """How many children can live at once: the process limit must stop it well before `attempts`."""
    children = 0
    for _ in range(attempts):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children += 1
    return children
