import threading


def main(attempts):
    """How many threads can live at once: each is a task the process limit counts."""
    stop, started = threading.Event(), 0
    try:
        for _ in range(attempts):
            threading.Thread(target=stop.wait, daemon=True).start()
            started += 1
    except (RuntimeError, MemoryError):  # "can't start new thread"
        pass
    stop.set()
    return started
