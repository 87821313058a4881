import os


def main(stream):
    # Write straight to the file descriptor: sys.stdout is redirected to stderr by the harness.
    fd = 1 if stream == "stdout" else 2
    while True:
        os.write(fd, b"x" * 65536)
