"""A child process for ``summaries.build`` with two queries that never finish, to test its limits for real.

``python -m tests.summary_child LOCATION NAME``, like ``python -m t2dm_onto.prepare``:
:data:`SPIN` computes forever (only the CPU-time limit stops it), :data:`WAIT`
sleeps forever (no CPU time: only the wall-clock backstop stops it), :data:`DOZE`
sleeps :data:`DOZE_SECONDS` before it is materialised (a child kept waiting, as
on a busy machine: long in wall-clock time, short in CPU time), and any other
query is materialised as ``prepare`` does it, with the cap on the rows of a
summary computed in Python (``complications.MAX_ROWS``) lowered to :data:`CAP`,
so the review's complications summary (179 rows) passes it. A real query cannot stand
in for either: on a small graph none costs reliably more than the others, and
on a large one the test would take minutes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

SPIN = "entities"
WAIT = "conflicts"
DOZE = "pathways"
DOZE_SECONDS = 3.0
CAP = 10


def main(location: Path, name: str) -> None:
    if name == SPIN:
        n = 0
        while True:
            n += 1
    if name == WAIT:
        while True:
            time.sleep(60)
    if name == DOZE:
        time.sleep(DOZE_SECONDS)
    from t2dm_onto import complications, prepare

    complications.MAX_ROWS = CAP
    sys.exit(prepare.main([str(location), name]))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
