import os


def main():
    return {"environ": dict(os.environ), "proc": open("/proc/self/environ", errors="replace").read()}
