import os
import signal


def main(kernel_pid):
    for pid in (kernel_pid, os.getppid() or 1, 0):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return "still here"
