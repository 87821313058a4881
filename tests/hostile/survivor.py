import os


def main(marker):
    """Leave a daemon behind: double fork, new session, then a long sleep named `marker`."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", marker])
        os._exit(0)
    os.wait()
    return "left a daemon"
