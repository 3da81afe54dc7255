"""Child processes under a CPU-time limit (t2dm_onto.children), with real processes.

What ``prepare`` relies on: every command is run and reported under its key, a
failing child's last stderr line is its reason, a child computing past the limit
is killed and says which limit it passed, and no more than ``jobs`` run at once.
"""

from __future__ import annotations

import sys

from t2dm_onto import children

PY = sys.executable


def test_each_command_is_reported_under_its_key():
    ended = children.run({"fine": [PY, "-c", "pass"],
                          "failed": [PY, "-c", "import sys; print('first'); sys.exit('the last line')"]}, 30.0, 2)
    assert ended["fine"].ok and ended["fine"].returncode == 0 and ended["fine"].stopped is None
    assert not ended["failed"].ok and ended["failed"].returncode == 1
    assert ended["failed"].reason() == "the last line"


def test_a_child_computing_past_its_cpu_limit_is_stopped_and_says_why():
    ended = children.run({"spin": [PY, "-c", "while True: pass"]}, 0.5, 1)
    assert not ended["spin"].ok
    assert ended["spin"].stopped == "more than 0.5 s of CPU time"
    assert ended["spin"].reason() == ended["spin"].stopped


def test_no_more_than_jobs_children_run_at_once(tmp_path):
    """Each child appends its start and end to one file; with jobs=1 no start comes before the previous end."""
    log = tmp_path / "log"
    script = ("import sys, time; f = open(sys.argv[1], 'a'); f.write('start\\n'); f.flush(); time.sleep(0.2);"
              " f.write('end\\n'); f.close()")
    ended = children.run({i: [PY, "-c", script, str(log)] for i in range(3)}, 30.0, 1)
    assert all(e.ok for e in ended.values()) and sorted(ended) == [0, 1, 2]
    assert log.read_text().split() == ["start", "end"] * 3


def test_cpu_seconds_reads_a_live_process():
    import os

    spent = children.cpu_seconds(os.getpid())
    assert spent is not None and spent > 0
