"""Write output files safely: whole or not at all.

Every command that writes a file (exports, images, documentation) goes through
:func:`atomic_write` or :func:`atomic_dir`: the content is written to a temporary
file in the target's own folder and renamed over the target only once it is
complete, so an interrupted or failed run leaves the previous file intact and
never a truncated one.

Never destroy what is not ours: a folder is replaced only when it is empty or a
previous output of the same command (its :data:`OUTPUT_MARK` file, written by
:func:`atomic_dir`, says so and lists every entry in it); ``/``, the home folder
and its ancestors are refused whatever they hold. Temporaries are named
``.NAME.t2dm-PID-*.tmp``; those whose process has died (a killed run) are removed
by the next run writing the same target.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
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


#: The file :func:`atomic_dir` writes into every folder it makes: which command wrote it, and its entries.
OUTPUT_MARK = ".t2dm-onto-output.json"


def _tmp_prefix(out: Path) -> str:
    return f".{out.name}.t2dm-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, another user's
        return True
    return True


def clean_stale_temporaries(out: Path) -> list[Path]:
    """Remove the temporaries beside ``out`` that a killed run of ours left (their process is gone)."""
    parent = out.parent if str(out.parent) else Path(".")
    pattern = re.compile(rf"\.{re.escape(out.name)}\.t2dm-(\d+)-[^/]*\.tmp")
    removed = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if not m or _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def refuse_overwriting_inputs(out: str | Path | None, inputs: Iterable[str | Path]) -> None:
    """Refuse an output that is, or (for a folder) holds, one of the command's own input files."""
    if out is None:
        return
    target = Path(out).expanduser().resolve()
    _refuse_root_or_home(target, out)
    for item in inputs:
        path = Path(item).expanduser().resolve()
        if path == target or target in path.parents:
            raise UsageError(f"output {out} would overwrite the input {item}: write the output somewhere else.")


def _refuse_root_or_home(resolved: Path, given: str | Path) -> None:
    home = Path.home().resolve()
    if resolved == resolved.parent or resolved == home or resolved in home.parents:
        what = "the root folder" if resolved == resolved.parent else "your home folder or one above it"
        raise UsageError(f"refusing to write over {given}: it is {what}. Give a new folder inside it, "
                         f"e.g. {resolved / 't2dm-onto-out'}.")


def check_replaceable_dir(out: Path, kind: str, *, unmarked_ok: bool = False) -> None:
    """Refuse to replace ``out`` unless it is empty or a complete previous output of ``t2dm-onto kind``.

    ``unmarked_ok`` is for folders inside our own data home (never a path a user typed).
    """
    resolved = out.resolve()
    _refuse_root_or_home(resolved, out)
    if not resolved.is_dir():
        return
    try:
        entries = set(os.listdir(resolved))
    except OSError as exc:
        raise UsageError(f"cannot read the folder {out}: {exc.strerror}. Give a folder you can write to.") from None
    if not entries or (unmarked_ok and OUTPUT_MARK not in entries):
        return
    advice = "give a new or empty folder, or move its content away yourself"
    try:
        mark = json.loads((resolved / OUTPUT_MARK).read_text(encoding="utf-8"))
        written_by, listed = mark["command"], set(mark["entries"])
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"refusing to replace {out}: it is not empty and was not written by t2dm-onto "
                         f"(no {OUTPUT_MARK} in it); {advice}.") from None
    if written_by != kind:
        raise UsageError(f"refusing to replace {out}: it was written by `t2dm-onto {written_by}`, not "
                         f"`t2dm-onto {kind}`; {advice}.")
    foreign = sorted(entries - listed - {OUTPUT_MARK})
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise UsageError(f"refusing to replace {out}: it holds {len(foreign)} entr{'y' if len(foreign) == 1 else 'ies'} "
                         f"t2dm-onto did not write ({shown}); {advice}.")


def _cannot_write(parent: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write in the folder {parent}: {exc.strerror or exc}. Choose a folder you can write to.")


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
def atomic_dir(path: str | Path, kind: str = "output", *, unmarked_ok: bool = False) -> Iterator[Path]:
    """Yield a temporary directory; it replaces the directory ``path`` only if the block succeeds.

    ``kind`` names the command (``prepare``, ``export``, ``docs``, ``link``): an existing
    folder is replaced only if empty or marked as that command's complete output
    (:func:`check_replaceable_dir`), and the new folder gets the mark.
    """
    out = check_output_path(path, directory=True)
    out = Path(os.path.abspath(out))  # "." and "x/.." have no name to put temporaries beside
    check_replaceable_dir(out, kind, unmarked_ok=unmarked_ok)
    clean_stale_temporaries(out)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_tmp_prefix(out), suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise _cannot_write(out.parent, exc) from None
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; a published folder must be readable like any other
    try:
        yield tmp
        entries = sorted(os.listdir(tmp))
        (tmp / OUTPUT_MARK).write_text(json.dumps({"command": kind, "entries": entries}, indent=1) + "\n",
                                       encoding="utf-8")
        if out.exists():
            check_replaceable_dir(out, kind, unmarked_ok=unmarked_ok)  # still ours after the (long) build
            old = Path(tempfile.mkdtemp(prefix=_tmp_prefix(out) + "old-", suffix=".tmp", dir=out.parent))
            os.replace(out, old)  # onto the empty folder just made: a name nobody else uses
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _temporary_beside(out: Path) -> Iterator[Path]:
    clean_stale_temporaries(out)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=_tmp_prefix(out), suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _cannot_write(parent, exc) from None
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
