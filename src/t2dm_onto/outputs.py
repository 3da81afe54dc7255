"""Write output files safely: whole or not at all.

Every command that writes a file (exports, images, documentation) goes through
:func:`atomic_write` or :func:`atomic_dir`: the content is written to a temporary
file in the target's own folder and renamed over the target only once it is
complete, so an interrupted or failed run leaves the previous file intact and
never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError, UsageError


def check_output_path(path: str | Path, *, directory: bool = False) -> Path:
    """Validate a user-given output path and return it as a :class:`Path`.

    Refuses an empty path, a path that names an existing directory when a file is
    wanted (or a file when a directory is wanted), and a parent folder that does
    not exist, each with a message saying what to do.
    """
    text = str(path)
    if not text.strip() or "\x00" in text:
        raise UsageError(f"output path {text!r} is empty or contains a NUL byte: give a file name.")
    out = Path(text).expanduser()
    if directory:
        if out.exists() and not out.is_dir():
            raise UsageError(f"output {out} exists and is not a directory: give a directory path.")
    elif out.is_dir():
        raise UsageError(f"output {out} is a directory: give a file name, e.g. {out / 'out.ttl'}.")
    elif out.exists() and not out.is_file():
        # a device, pipe or socket: renaming a file over it would replace it (/dev/null!)
        raise UsageError(f"output {out} exists and is not a regular file: give a file name, or leave out -o "
                         "to write to standard output.")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {out}: folder {parent} does not exist. Create it first.")
    return out


def atomic_write(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    out = check_output_path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    with _temporary_beside(out) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    return out


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write to; it replaces ``path`` only if the block succeeds.

    For writers that insist on a file name (Graphviz, browsers, serialisers).
    """
    out = check_output_path(path)
    with _temporary_beside(out) as tmp:
        yield tmp
        if not tmp.exists():
            raise InputError(f"nothing was written for {out}.")
        os.replace(tmp, out)


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a temporary directory; it replaces the directory ``path`` only if the block succeeds."""
    out = check_output_path(path, directory=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; a published folder must be readable like any other
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _temporary_beside(out: Path) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    os.chmod(name, 0o666 & ~_umask())  # mkstemp makes 0600; the result should read like any new file
    tmp = Path(name)
    try:
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
