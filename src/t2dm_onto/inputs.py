"""Read user-given input files safely: regular files only, bounded size, clear errors.

Why: ``--file /dev/zero`` once read until the machine ran out of memory (23.7 GB),
a directory was reported as "no such file", and a binary file ended in a
``UnicodeDecodeError`` traceback. Every command that takes a path to read goes
through :func:`check_input_file` (and :func:`read_text_input` for text).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError

#: Largest text input read whole (the review text is 0.1 MB; SPARQL has its own, smaller cap).
MAX_TEXT_BYTES = 64 * 1024 * 1024


def check_input_file(path: str | Path, what: str = "input file") -> Path:
    """``path`` as a :class:`Path` if it names a readable regular file, else an :class:`InputError` saying why."""
    text = str(path)
    if not text.strip() or "\x00" in text:
        raise InputError(f"{what} {text!r} is empty or contains a NUL byte: give a file name.")
    p = Path(text).expanduser()
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{p}: no such file ({what}). Check the path.") from None
    except OSError as exc:
        raise InputError(f"cannot read {p} ({what}): {exc.strerror}.") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{p} is a directory, not a file ({what}): give the path of a file in it.")
    if not stat.S_ISREG(mode):
        raise InputError(f"{p} is not a regular file (a device, pipe or socket) ({what}): "
                         "save the content to a file and give its path.")
    if not os.access(p, os.R_OK):
        raise InputError(f"cannot read {p} ({what}): permission denied.")
    return p


def read_text_input(path: str | Path, what: str = "input file", max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes`` bytes."""
    p = check_input_file(path, what)
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(f"{p} is {size:,} bytes, more than the {max_bytes:,} accepted for {what}: "
                         "give a smaller file.")
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)  # a file that grows while read stays bounded too
    except OSError as exc:
        raise InputError(f"cannot read {p} ({what}): {exc.strerror}.") from None
    if len(data) > max_bytes:
        raise InputError(f"{p} grew past {max_bytes:,} bytes while being read ({what}): give a smaller file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p} is not UTF-8 text ({what}): byte 0x{data[exc.start]:02x} at offset {exc.start}. "
                         "Save it as UTF-8.") from None
