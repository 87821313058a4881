"""Builds the docker sandbox image offline: an empty root file system (`docker import` of a
tiny tarball holding only mount points). At run time the host's system folders and Python
runtime are bind-mounted read-only, so nothing needs to be pulled or downloaded."""
from __future__ import annotations

import io
import tarfile
import time

from evoforge.sandbox.base import SandboxError

IMAGE = "evoforge-sandbox:1"
MOUNT_POINTS = ["work", "channel", "opt/evoforge", "tmp", "proc", "dev", "sys", "usr", "lib", "lib64", "bin", "etc"]


def _rootfs_tarball() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for folder in MOUNT_POINTS:
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
            tar.addfile(info)
        passwd = b"nobody:x:65534:65534:nobody:/work:/usr/sbin/nologin\n"
        info = tarfile.TarInfo("etc/passwd")
        info.size, info.mode = len(passwd), 0o644
        tar.addfile(info, io.BytesIO(passwd))
    return buffer.getvalue()


def build_image(client: object) -> str:
    """Create (or re-create) the sandbox image with the Docker SDK; returns its id."""
    try:
        repository, tag = IMAGE.split(":")
        client.api.import_image_from_data(_rootfs_tarball(), repository=repository, tag=tag)  # type: ignore[attr-defined]
        return client.images.get(IMAGE).id  # type: ignore[attr-defined]
    except Exception as error:
        raise SandboxError(f"could not build the sandbox image {IMAGE}: {error}") from None


def ensure_image(client: object) -> None:
    try:
        client.images.get(IMAGE)  # type: ignore[attr-defined]
    except Exception:
        build_image(client)
