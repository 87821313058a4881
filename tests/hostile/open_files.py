import os


def main(attempts):
    """How many files can be open at once: the limit must stop it well before `attempts`."""
    opened = []
    try:
        for _ in range(attempts):
            opened.append(os.open("/dev/null", os.O_RDONLY))
    except OSError:
        pass
    return len(opened)
