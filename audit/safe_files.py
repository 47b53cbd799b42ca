"""Files written into an output directory someone else may have prepared: no symbolic link is followed.

Every file is created under a new random name in its directory (``O_CREAT | O_EXCL | O_NOFOLLOW``) and
renamed over the final name, so a symlink planted at ``report.html`` or ``capture.warc.gz.part`` is
replaced, never written through. The sub-directories Engage makes inside the output directory
(``screenshots/``, ``assets/``) are opened with ``O_NOFOLLOW``: one that is a symlink is refused with
:class:`UnsafeOutput` (a one-line error), so nothing lands outside the output directory. The output
directory itself is the user's choice (``--out``) and may be a symlink.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

#: Sub-directories of an output directory that Engage creates and writes into.
OUTPUT_SUBDIRS = ("screenshots", "assets")

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class UnsafeOutput(ValueError):
    """A path inside the output directory that would make Engage write elsewhere (a symlinked folder)."""


def refuse_links(out: Path, subdirs: Sequence[str] = OUTPUT_SUBDIRS) -> None:
    """Fail early (before any crawling) when one of ``out``'s sub-directories is not a real directory."""
    for name in subdirs:
        path = out / name
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise UnsafeOutput(_refusal(path))


def _refusal(path: Path) -> str:
    what = "a symbolic link" if path.is_symlink() else "not a directory"
    return f"{path}: is {what}; Engage writes only into real directories inside the output directory"


def open_dir(root: Path, parts: Sequence[str] = ()) -> int:
    """A file descriptor of ``root/parts…``, each part created when missing and never a followed link."""
    fd = os.open(root, _DIR_FLAGS)
    try:
        for index, part in enumerate(parts):
            with suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=fd)
            try:
                inner = os.open(part, _DIR_FLAGS | _NOFOLLOW, dir_fd=fd)
            except OSError:
                raise UnsafeOutput(_refusal(root.joinpath(*parts[: index + 1]))) from None
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_temp(dir_fd: int, name: str) -> tuple[str, BinaryIO]:
    """A new file next to ``name`` (in the directory ``dir_fd``) under a random name, opened for writing."""
    while True:
        temp = f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temp, _NEW_FILE, 0o666, dir_fd=dir_fd)  # the umask applies, as for any new file
        except FileExistsError:
            continue
        return temp, os.fdopen(fd, "wb")


def write_file(path: Path, data: bytes, root: Path | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (a temp name in the same directory, then a rename), never
    following a symlink at ``path``; the directories between ``root`` and ``path`` (``root`` included
    when it is given) are created and must be real directories. Without ``root`` the parent directory is
    created as ``mkdir -p`` would."""
    if root is None:
        root = path.parent
        root.mkdir(parents=True, exist_ok=True)
        parts: tuple[str, ...] = ()
    else:
        root.mkdir(parents=True, exist_ok=True)
        parts = path.parent.relative_to(root).parts
    dir_fd = open_dir(root, parts)
    try:
        temp, handle = create_temp(dir_fd, path.name)
        try:
            with handle:
                handle.write(data)
            os.replace(temp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp, dir_fd=dir_fd)
            raise
    finally:
        os.close(dir_fd)
    return path
