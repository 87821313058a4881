import os


def main(folder, file_mb, count):
    """Write `count` files of `file_mb` MiB into `folder` (None: the workspace), saying on
    stderr how much is written after each MiB; the first write that fails raises."""
    folder = folder or os.getcwd()
    block, written = b"x" * (1 << 20), 0
    for index in range(count):
        fd = os.open(os.path.join(folder, f"fill-{index}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for _ in range(file_mb):
                written += os.write(fd, block)
                os.write(2, f"written {written}\n".encode())
        finally:
            os.close(fd)
    return written
