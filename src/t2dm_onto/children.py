"""Commands run in child processes, a few at once, each stopped once it has used its share of CPU time.

``prepare`` answers each materialised query in its own process (a store cannot
cancel a query, a process can be killed) and leaves out one that costs too much
for the data. That cost is the work the child does, which wall-clock time
measures only on an idle machine: with two children at once on two busy cores, a
query well under the limit took longer than it in wall-clock time and was left
out (``conflicts`` and ``drug-bone-effects`` at 10^5 claims). So the limit counts
the child's CPU time, user and system, its start included (imports, opening the
store).

Why the parent reads it from ``/proc`` rather than setting ``RLIMIT_CPU`` in the
child: the parent already polls each child every :data:`POLL` seconds, and reading
one small file costs about 30 µs; the limit keeps its fractions (an rlimit is whole
seconds, so 0.5 or 0.01 could not be set); the parent decides and kills, so a child
past its limit is told apart from one that crashed without decoding SIGXCPU, and
the outcome can name the limit it passed; and nothing runs in the child between
fork and exec (``preexec_fn`` is unsafe in a threaded parent). Where there is no
``/proc`` (macOS, Windows) the limit is wall-clock time.

The backstop: CPU time does not grow while a child waits (on a disk, a lock), so
one still running after :data:`WALL_FACTOR` times the limit in wall-clock time is
stopped too: the caller cannot hang on it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

#: How often the children are checked, in seconds.
POLL = 0.05
#: A child still running after this many times its CPU limit in wall-clock time is stopped all the same (one
#: blocked on I/O uses no CPU); generous, since under a load of 10 on two cores a child gets a fifth of a core.
WALL_FACTOR = 10


@dataclass(frozen=True)
class Ended:
    """How one child ended: its exit code and the end of what it wrote to stderr, or why it was stopped."""

    returncode: int | None
    stderr: str
    #: Set when the child passed a limit and was killed (then ``returncode`` is the kill's).
    stopped: str | None = None

    @property
    def ok(self) -> bool:
        return self.stopped is None and self.returncode == 0

    def reason(self) -> str:
        """What went wrong, in one line: the limit passed, or the child's last line on stderr."""
        if self.stopped is not None:
            return self.stopped
        return (self.stderr.strip() or "?").splitlines()[-1]


def cpu_seconds(pid: int) -> float | None:
    """The CPU time process ``pid`` has used so far (user + system, all its threads), or None without ``/proc``.

    Read from ``/proc/PID/stat`` (fields 14 and 15, in clock ticks); the command
    name before them is in parentheses and may hold spaces, hence the split after
    the last ")".
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
        fields = stat.rpartition(b")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):  # no /proc (macOS, Windows), or no sysconf
        return None


def over(pid: int, wall: float, timeout: float) -> str | None:
    """Why a child that has run ``wall`` seconds must stop, or None while it is within its limits."""
    cpu = cpu_seconds(pid)
    if cpu is None:  # nothing to read the CPU time from: a wall-clock limit
        return f"more than {timeout:g} s" if wall > timeout else None
    if cpu > timeout:
        return f"more than {timeout:g} s of CPU time"
    if wall > WALL_FACTOR * timeout:
        return f"still running after {WALL_FACTOR * timeout:g} s of wall-clock time ({cpu:.2f} s of CPU)"
    return None


def run(commands: Mapping[Hashable, Sequence[str]], timeout: float, jobs: int) -> dict[Hashable, Ended]:
    """Run each command (argv) in a child process, at most ``jobs`` at once, in the mapping's order; how each ended.

    A child past ``timeout`` seconds of CPU time (or the wall-clock backstop) is
    killed. Its stdout is discarded; its stderr goes to a temporary file, not a
    pipe, so a chatty child cannot block on a full pipe. If the caller is
    interrupted, no child outlives this call.
    """
    waiting = list(commands.items())
    running: list[tuple[Hashable, subprocess.Popen, float, IO[bytes]]] = []
    ended: dict[Hashable, Ended] = {}
    try:
        while waiting or running:
            while waiting and len(running) < max(1, jobs):
                key, argv = waiting.pop(0)
                err = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the child has ended)
                proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=err)
                running.append((key, proc, time.monotonic(), err))
            time.sleep(POLL)
            for entry in list(running):
                key, proc, started, err = entry
                why = None
                if proc.poll() is None and (why := over(proc.pid, time.monotonic() - started, timeout)) is None:
                    continue
                running.remove(entry)
                ended[key] = _finish(proc, err, why)
    finally:
        for _key, proc, _started, err in running:
            proc.kill()
            proc.wait()
            err.close()
    return ended


def _finish(proc: subprocess.Popen, err: IO[bytes], why: str | None) -> Ended:
    """One child's outcome; past a limit it is killed here (unless it has just ended)."""
    with err:
        if why is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
            return Ended(proc.returncode, "", why)
        err.seek(0)
        return Ended(proc.returncode, err.read().decode("utf-8", "replace"))
