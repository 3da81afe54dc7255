"""Run issue 18's hostile-input table (tests/test_hostile_table.py) against another source tree.

Usage: python tools/hostile_baseline.py SRC_DIR
e.g. ``git archive 498b08d src queries ontology shapes curation mappings pyproject.toml | tar -x -C /tmp/base``
then ``python tools/hostile_baseline.py /tmp/base/src``: the counts of the code before the fixes.

Every case runs in a fresh scratch folder with HOME pointing into it; the two cases that
could harm this machine on unfixed code (``prepare /`` and ``prepare /etc``) are skipped.
Prints one verdict per case (clean, crash, lost, outbound, wrong) and the counts.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

import test_hostile_table as table  # noqa: E402


def main() -> int:
    os.environ["PYTHONPATH"] = sys.argv[1]  # the commands run the other tree; the table comes from this one
    handler = type("Recorder", (table._Recorder,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    root = table.build_arena(Path(tempfile.mkdtemp(prefix="hostile-baseline-")), url)
    counts = dict.fromkeys(("clean", "crash", "lost", "outbound", "wrong", "skipped"), 0)
    for case in table.CASES:
        if case.readonly_etc or case.argv[:2] == ("prepare", "/"):
            counts["skipped"] += 1
            print(f"{'skipped':8} {case.name}")
            continue
        before = len(handler.hits)
        keep = table._paths(root, case.keep)
        kept = {p: p.read_bytes() if p.exists() else None for p in keep}
        argv = [a.replace("{url}", url).replace("{home}", str(root / "home")) for a in case.argv]
        try:
            proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *argv], cwd=root, capture_output=True,
                                  text=True, timeout=120, env={**os.environ, "HOME": str(root / "home")})
            code, err, out = proc.returncode, proc.stderr, proc.stdout
        except subprocess.TimeoutExpired:
            code, err, out = None, "", ""
        lost = any((p.read_bytes() if p.exists() else None) != kept[p] for p in keep)
        crash = code is None or code < 0 or "Traceback" in err
        good = code == case.code and case.message in (out if case.code == 1 else err)
        verdict = ("lost" if lost else "outbound" if len(handler.hits) > before else "crash" if crash
                   else "clean" if good else "wrong")
        counts[verdict] += 1
        print(f"{verdict:8} {case.name} :: exit {code} :: {(err.strip().splitlines() or [''])[-1][:110]}")
    server.shutdown()
    print(counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
