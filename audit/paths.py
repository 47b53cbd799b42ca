"""Output paths: directories created with a one-line error when they cannot be."""

from __future__ import annotations

from pathlib import Path

from audit.status import ExitStatus, fail


def ensure_dir(path: Path, what: str = "output directory") -> Path:
    """``path`` created with its parents; one that cannot be (under a file, in /proc…) is a usage error."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in (path, *path.parents) if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            reason = f"{blocker} is not a directory"
        else:
            reason = exc.strerror or str(exc)
        fail(f"{path}: cannot create the {what} ({reason})", ExitStatus.USAGE)
    if what == "output directory":
        from audit.safe_files import UnsafeOutput, refuse_links

        try:
            refuse_links(path)  # a planted screenshots/ or assets/ symlink: refused before any work
        except UnsafeOutput as exc:
            fail(str(exc), ExitStatus.USAGE)
    return path
