"""Issue 18's hostile-input table: every case, its exit code and message; nothing lost, nothing sent.

One row per case the issue lists (server-side points aside): run as a real
command in a scratch folder, it must exit with the code given, print one
``error:`` line holding the fragment (validation findings go to standard
output), print no traceback, leave the files named in ``keep`` byte for byte
as they were, and make no request to the recorder: a local HTTP server on
127.0.0.1 that every SERVICE, FROM and JSON-LD context in the table points at.
The control tests show the recorder does see a request when one is really made
(``--allow-service``, rdflib parsing the JSON-LD unguarded), so 0 hits means 0
requests. ``pytest tests/test_hostile_table.py -s`` prints the counts.
"""

from __future__ import annotations

import http.server
import os
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.errors import InputError, UsageError
from t2dm_onto.outputs import OUTPUT_MARK

DEEP = "(" * 10_000 + "1" + ")" * 10_000


@dataclass(frozen=True)
class Case:
    name: str
    point: int  # the numbered point
    argv: tuple[str, ...]  # {url}: the recorder; {home}: the HOME the command sees
    code: int
    message: str  # a fragment of the error (of standard output when code is 1)
    keep: tuple[str, ...] = ()  # files that must come through unchanged
    gone: tuple[str, ...] = ()  # files that must have been removed (stale temporaries)
    readonly_etc: bool = False  # run with /etc mounted read-only, so a regression cannot harm it


def _c(name, point, argv, code, message, **kw) -> Case:
    return Case(name, point, tuple(argv.split("\t")) if isinstance(argv, str) else tuple(argv), code, message, **kw)


SERVICE = "SELECT * WHERE {{ SERVICE {}<{{url}}/sparql> {{ ?s ?p ?o }} }}"
CASES = [
    # 1. never destroy what is not ours
    _c("prepare over a folder of someone else's files", 1, ["prepare", "foreign"], 2, "not written by t2dm-onto",
       keep=("foreign/important.txt",)),
    _c("export -f kgx over a foreign folder", 1, ["export", "-f", "kgx", "-o", "foreign"], 2,
       "not written by t2dm-onto", keep=("foreign/important.txt",)),
    _c("docs -o over a foreign folder", 1, ["docs", "-o", "foreign", "--no-maps"], 2, "not written by t2dm-onto",
       keep=("foreign/important.txt",)),
    _c("prepare /", 1, ["prepare", "/"], 2, "it is the root folder"),
    _c("prepare /etc", 1, ["prepare", "/etc"], 2, "not written by t2dm-onto", readonly_etc=True),
    _c("prepare the home folder", 1, ["prepare", "{home}"], 2, "your home folder", keep=("home/notes.txt",)),
    _c("docs -o the home folder", 1, ["docs", "-o", "{home}", "--no-maps"], 2, "your home folder",
       keep=("home/notes.txt",)),
    _c("export --with X -o X", 1, ["export", "-f", "ttl", "--with", "kb.ttl", "-o", "kb.ttl"], 2,
       "would overwrite the input kb.ttl", keep=("kb.ttl",)),
    _c("export -f kgx -o a folder holding an input", 1,
       ["export", "-f", "kgx", "--with", "indir/extra.ttl", "-o", "indir"], 2, "would overwrite the input",
       keep=("indir/extra.ttl",)),
    _c("prepare over another command's output", 1, ["prepare", "kgxout"], 2, "written by `t2dm-onto export`",
       keep=("kgxout/nodes.tsv",)),
    _c("prepare over its own store with a file added", 1, ["prepare", "store"], 2, "t2dm-onto did not write (mine.txt)",
       keep=("store/mine.txt",)),
    # 2. deep nesting (CLI and API side)
    _c("sparql nested 10,000 deep", 2, ["sparql", f"SELECT * WHERE {{ FILTER({DEEP}) }}"], 3, "nests brackets"),
    _c("sparql nested 10,000 deep on rdflib", 2, ["sparql", f"SELECT * WHERE {{ FILTER({DEEP}) }}", "--store",
                                                 "rdflib"], 3, "nests brackets"),
    _c("sparql with 10,000 chained +", 2, ["sparql", "SELECT * WHERE { BIND(1" + "+1" * 10_000 + " AS ?x) }"], 3,
       "operators"),
    _c("sparql with 10,000 UNION", 2, ["sparql", "SELECT * WHERE { {}" + " UNION {}" * 10_000 + " }"], 3,
       "operators"),
    # 3. no outbound network
    _c("SERVICE", 3, ["sparql", SERVICE.format("")], 2, "SERVICE (a federated query) at line 1"),
    _c("SERVICE SILENT", 3, ["sparql", SERVICE.format("SILENT ")], 2, "is refused"),
    _c("SERVICE on rdflib", 3, ["sparql", SERVICE.format(""), "--store", "rdflib"], 2, "is refused"),
    _c("SERVICE spelt \\u0053ERVICE on rdflib", 3, ["sparql", SERVICE.format("").replace("SERVICE", "\\u0053ERVICE"),
                                                  "--store", "rdflib"], 2, "is refused"),
    _c("SERVICE glued to SILENT", 3, ["sparql", SERVICE.format("").replace("SERVICE ", "SERVICESILENT")], 2,
       "is refused"),
    _c("SERVICE on a prepared store (--store-dir)", 3,
       ["sparql", SERVICE.format(""), "--store-dir", "store"], 2, "is refused"),
    _c("FROM <url> on rdflib loads nothing", 3, ["sparql", "SELECT * FROM <{url}/from.ttl> WHERE { ?s ?p ?o } LIMIT 1",
                                                 "--store", "rdflib"], 0, ""),
    _c("FROM NAMED <url> on rdflib", 3, ["sparql", "SELECT * FROM NAMED <{url}/g.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
                                         "--store", "rdflib"], 3, "cannot be evaluated"),
    _c("validate JSON-LD with a remote @context", 3, ["validate", "remote.jsonld", "--no-reasoner"], 1,
       "context 'http://127.0.0.1"),
    _c("validate (pyshacl) JSON-LD with a remote @import", 3,
       ["validate", "import.jsonld", "--no-reasoner", "--engine", "pyshacl"], 1, "is a reference"),
    _c("validate with owl:imports of a URL, reasoner on", 3, ["validate", "imports.ttl"], 1,
       "no local copy of http://127.0.0.1"),
    _c("export --with JSON-LD with a remote @context", 3, ["export", "-f", "ttl", "--with", "remote.jsonld"], 3,
       "nothing is fetched"),
    _c("query --store rdflib --with JSON-LD with a remote @import", 3,
       ["query", "entities", "--store", "rdflib", "--with", "import.jsonld"], 3, "nothing is fetched"),
    _c("prepare --with JSON-LD with a remote @context", 3, ["prepare", "newstore", "--with", "remote.jsonld"], 3,
       "nothing is fetched", gone=("newstore",)),
    # 4. bounded resources
    _c("sparql --file /dev/zero", 4, ["sparql", "--file", "/dev/zero"], 3, "not a regular file"),
    _c("validate --source /dev/zero", 4, ["validate", "--no-reasoner", "--source", "/dev/zero"], 3,
       "not a regular file"),
    _c("validate /dev/zero", 4, ["validate", "/dev/zero", "--no-reasoner"], 3, "not a regular file"),
    _c("query --with /dev/zero", 4, ["query", "entities", "--with", "/dev/zero"], 3, "not a regular file"),
    _c("sparql --file of 300 KB", 4, ["sparql", "--file", "big.rq"], 3, "bytes, more than the 262,144 accepted"),
    _c("validate --source of 65 MB", 4, ["validate", "--no-reasoner", "--source", "huge.txt"], 3,
       "more than the 67,108,864 accepted"),
    # 6. interrupted runs leave nothing behind
    _c("a killed export's temporary file is removed", 6, ["export", "-f", "ttl", "-o", "out.ttl"], 0, "",
       gone=(".out.ttl.t2dm-{dead}-k1ll3d.tmp",), keep=(".out.ttl.t2dm-{live}-running.tmp", ".out.ttl.abcdefgh.tmp")),
    _c("a killed kgx export's temporary folder is removed", 6, ["export", "-f", "kgx", "-o", "kgx2"], 0, "",
       gone=(".kgx2.t2dm-{dead}-k1ll3d.tmp",)),
    # 7. clean errors, never tracebacks
    *[_c(f"--timeout {v}", 7, ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--timeout", v], 2,
         "must be a number of seconds above 0") for v in ("nan", "inf", "1e300", "0", "-1")],
    _c("binary --file", 7, ["sparql", "--file", "binary.rq"], 3, "is not UTF-8 text"),
    _c("binary --source", 7, ["validate", "--no-reasoner", "--source", "binary.rq"], 3, "is not UTF-8 text"),
    _c("unwritable output folder (file)", 7, ["export", "-f", "ttl", "-o", "/sys/kb.ttl"], 2,
       "cannot write in the folder /sys"),
    _c("unwritable output folder (kgx)", 7, ["export", "-f", "kgx", "-o", "/sys/kgx"], 2,
       "cannot write in the folder /sys"),
    _c("unbound SERVICE variable", 7, ["sparql", "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", "--allow-service"], 3,
       "service name is unbound"),
    _c("directory as --file", 7, ["sparql", "--file", "adir"], 3, "is a directory, not a file"),
    _c("directory as the file to validate", 7, ["validate", "adir"], 3, "is a directory, not a file"),
    _c("directory as --source", 7, ["validate", "--no-reasoner", "--source", "adir"], 3, "is a directory"),
    _c("directory as --with", 7, ["query", "entities", "--with", "adir"], 3, "is a directory, not a file"),
    _c("directory as prepare --with", 7, ["prepare", "newstore", "--with", "adir"], 3, "is a directory",
       gone=("newstore",)),
    _c("max_hops=٣ (Arabic-Indic digit)", 7,
       ["query", "causal-paths", "source=hyperglycaemia", "target=osteoclast", "max_hops=٣"], 2, "digits 0-9"),
    _c("max_hops=３ (full-width digit)", 7,
       ["query", "causal-paths", "source=hyperglycaemia", "target=osteoclast", "max_hops=３"], 2, "digits 0-9"),
]
RESULTS: dict[str, str] = {}  # case name -> "clean" | "crash" | "lost" | "outbound"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).hits.append(f"{self.command} {self.path}")
        body = b'{"@context": {}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[str, list[str]]]:
    handler = type("Recorder", (_Recorder,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.hits
    finally:
        server.shutdown()
        server.server_close()


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 180):
    return subprocess.run([sys.executable, "-m", "t2dm_onto", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(scope="module")
def arena(tmp_path_factory, recorder) -> Path:
    """The scratch folder every case runs in, with the files the table names."""
    return build_arena(tmp_path_factory.mktemp("hostile"), recorder[0])


def build_arena(root: Path, url: str) -> Path:
    (root / "foreign").mkdir()
    (root / "foreign" / "important.txt").write_text("keep me\n")
    (root / "home").mkdir()
    (root / "home" / "notes.txt").write_text("my notes\n")
    (root / "adir").mkdir()
    (root / "binary.rq").write_bytes(b"\xff\xfe\x00\x89PNG\r\n\x1a\n")
    (root / "big.rq").write_text("# " + "x" * 300_000 + "\nSELECT * WHERE { ?s ?p ?o }\n")
    with open(root / "huge.txt", "wb") as fh:  # sparse: 65 MB long, no disk used
        fh.truncate(65 * 1024 * 1024)
    small = '<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n'
    (root / "kb.ttl").write_text(small)
    (root / "indir").mkdir()
    (root / "indir" / "extra.ttl").write_text(small)
    (root / "remote.jsonld").write_text(f'{{"@context": "{url}/context.jsonld", "@id": "http://example.org/a", '
                                        '"http://example.org/p": "x"}')
    (root / "import.jsonld").write_text(f'{{"@context": [{{"ex": "http://example.org/"}}, {{"@import": "{url}/i"}}], '
                                        '"@id": "ex:a", "ex:p": "x"}')
    (root / "imports.ttl").write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                                      f"<http://example.org/o> a owl:Ontology ; owl:imports <{url}/onto.owl> .\n")
    for argv in (["export", "-f", "kgx", "-o", "kgxout"], ["prepare", "store"]):
        assert _cli(*argv, cwd=root).returncode == 0
    (root / "store" / "mine.txt").write_text("added by hand\n")
    dead, live = _dead_pid(), os.getpid()
    (root / f".out.ttl.t2dm-{dead}-k1ll3d.tmp").write_text("half an export")
    (root / f".out.ttl.t2dm-{live}-running.tmp").write_text("a run still going")
    (root / ".out.ttl.abcdefgh.tmp").write_text("a user's file that only looks like a temporary")
    stale = root / f".kgx2.t2dm-{dead}-k1ll3d.tmp"
    stale.mkdir()
    (stale / "nodes.tsv").write_bytes(b"x" * 1_000_000)
    (root / ".pids").write_text(f"{dead} {live}")
    return root


def _paths(arena: Path, names: tuple[str, ...]) -> list[Path]:
    dead, live = (arena / ".pids").read_text().split()
    return [arena / n.format(dead=dead, live=live) for n in names]


def _snapshot(paths: list[Path]) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in paths}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, arena: Path, recorder):
    url, hits = recorder
    before_hits = len(hits)
    keep = _paths(arena, case.keep)
    kept = _snapshot(keep)
    argv = [a.replace("{url}", url).replace("{home}", str(arena / "home")) for a in case.argv]
    env = {**os.environ, "HOME": str(arena / "home")}
    if case.readonly_etc:
        if os.geteuid() != 0 or shutil.which("unshare") is None:
            pytest.skip("needs root and unshare to mount /etc read-only around the command")
        inner = "exec " + shlex.join([sys.executable, "-m", "t2dm_onto", *argv])
        proc = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                               f"mount --bind /etc /etc && mount -o remount,ro,bind /etc && {inner}"],
                              cwd=arena, capture_output=True, text=True, timeout=180, env=env)
    else:
        proc = _cli(*argv, cwd=arena, env=env)
    RESULTS[case.name] = "crash"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == case.code, (proc.returncode, proc.stderr[-2000:])
    if case.code not in (0, 1):
        assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert case.message in (proc.stdout if case.code == 1 else proc.stderr), (proc.stdout[-2000:], proc.stderr)
    RESULTS[case.name] = "lost"
    assert _snapshot(keep) == kept
    for path in _paths(arena, case.gone):
        assert not path.exists(), path
    RESULTS[case.name] = "outbound"
    assert hits[before_hits:] == []
    RESULTS[case.name] = "clean"


def test_the_table_covers_every_point_and_counts(capsys):
    assert {c.point for c in CASES} == {1, 2, 3, 4, 6, 7}
    if len(RESULTS) < len(CASES):
        pytest.skip("run the whole table for the counts")
    counts = {k: sum(v == k for v in RESULTS.values()) for k in ("clean", "crash", "lost", "outbound")}
    with capsys.disabled():
        print(f"\nissue 18 hostile table: {len(CASES)} cases tried, {counts['clean']} clean, {counts['crash']} crashes "
              f"or wrong answers, {counts['lost']} with data lost, {counts['outbound']} with outbound requests")
    assert counts["clean"] == len(CASES)


# -- the recorder is not blind: real requests do reach it ----------------------------------------
def test_control_allow_service_does_reach_the_recorder(arena, recorder):
    url, hits = recorder
    before = len(hits)
    _cli("sparql", SERVICE.format("SILENT ").replace("{url}", url), "--allow-service", cwd=arena)
    assert len(hits) > before  # so the 0 hits above are 0 requests, not a deaf recorder


def test_control_unguarded_rdflib_would_fetch_the_context(arena, recorder):
    import rdflib

    _, hits = recorder
    before = len(hits)
    rdflib.Graph().parse(arena / "remote.jsonld", format="json-ld")
    assert any("/context.jsonld" in h for h in hits[before:])


# -- the Python API goes through the same guard -------------------------------------------------
def test_api_guard_on_every_store(arena, recorder):
    url, hits = recorder
    before = len(hits)
    for kb in (KnowledgeBase(), KnowledgeBase("rdflib"), KnowledgeBase(location=arena / "store")):
        with pytest.raises(UsageError, match="SERVICE"):
            kb.sparql(SERVICE.format("").replace("{url}", url))
        with pytest.raises(InputError, match="nests brackets"):
            kb.sparql(f"SELECT * WHERE {{ FILTER({DEEP}) }}")
    with pytest.raises(UsageError, match="--timeout"):
        KnowledgeBase(timeout=float("nan"))
    assert hits[before:] == []


def test_marked_output_is_replaced_and_keeps_its_mark(arena):
    out = arena / "kgx3"
    for _ in range(2):
        assert _cli("export", "-f", "kgx", "-o", "kgx3", cwd=arena).returncode == 0
    mark = (out / OUTPUT_MARK).read_text()
    assert '"command": "export"' in mark and "nodes.tsv" in mark
    assert not [p for p in arena.iterdir() if p.name.startswith(".kgx3.")]  # no temporary left


def test_a_killed_prepare_leaves_a_temporary_the_next_run_removes(tmp_path):
    """Point 6 for real: SIGKILL a prepare mid-build, then run it again."""
    import signal
    import time

    big = tmp_path / "big.nt"
    with open(big, "w", encoding="utf-8") as fh:
        for i in range(400_000):
            fh.write(f"<http://example.org/s{i}> <http://example.org/p{i % 7}> \"value {i}\" .\n")
    proc = subprocess.Popen([sys.executable, "-m", "t2dm_onto", "prepare", "kb", "--with", str(big)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    leftovers: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None and not leftovers:
        leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".kb.t2dm-") and any(p.iterdir())]
        time.sleep(0.05)
    if not leftovers:
        proc.wait()
        pytest.skip("prepare finished before it could be killed")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert all(p.exists() for p in leftovers)  # what a killed run leaves
    assert _cli("prepare", "kb", cwd=tmp_path).returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kb.")]
    assert (tmp_path / "kb" / OUTPUT_MARK).is_file()
