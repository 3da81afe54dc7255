"""Run Apache Jena's command-line tools (arq, riot, shacl) from Debian's ``libapache-jena-java`` jars.

Debian packages Jena's jars but no ``arq``/``riot`` scripts, and the jars carry no
Class-Path of their own. Worse, Debian's jena-core relocates Xerces to the package
``xerces`` but leaves its message bundles under ``org/apache/jena/ext/xerces``;
without them every XSD datatype check dies with "internal error". This builds the
class path with the bundles copied where the classes look for them, then runs the
tool, e.g. a canned query as it is::

    python tools/jena.py arq --data ontology/t2dm_op.ttl --data ontology/imports/t2dm_op_import.ttl \\
        --query queries/drug-bone-effects.rq

(With Apache's own Jena distribution the same is ``arq --data … --query …``.)
The tests run Jena through :func:`classpath` too (tests/servers.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

JAVA_DIR = Path("/usr/share/java")
DEPENDENCIES = (
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "commons-logging",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "protobuf",
    "thrift",
    "titanium-json-ld",
    "slf4j-api",
    "slf4j-simple",
)
#: the tools by their script names, and the classes the scripts run
MAINS = {"arq": "arq.sparql", "sparql": "arq.sparql", "riot": "riotcmd.riot", "shacl": "shacl.shacl"}


class JenaMissing(RuntimeError):
    """Java, Debian's Jena jars or one of their dependencies is not installed."""


def classpath(scratch: Path) -> str:
    """The class path for Debian's Jena jars, with the Xerces message bundles copied into ``scratch``."""
    core = JAVA_DIR / "jena-core.jar"
    if shutil.which("java") is None or not core.is_file():
        raise JenaMissing("Apache Jena (and Java) are not installed")
    fix = scratch / "jena-xerces-messages"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = fix / "xerces" / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jena = sorted(p for p in JAVA_DIR.glob("jena-*.jar") if not re.search(r"-\d", p.name))
    deps = [JAVA_DIR / f"{name}.jar" for name in DEPENDENCIES]
    missing = [p.name for p in deps if not p.is_file()]
    if missing:
        raise JenaMissing(f"Jena's dependencies are incomplete (missing {', '.join(missing)})")
    return os.pathsep.join([str(fix), *map(str, jena), *map(str, deps)])


def command(cp: str, main: str, *args: str) -> list[str]:
    """The java command line running Jena's class ``main`` with ``args``."""
    return ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp, main, *args]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in MAINS:
        print(f"usage: python tools/jena.py {{{','.join(MAINS)}}} ARGS...", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="t2dm-jena-") as scratch:
            return subprocess.run(command(classpath(Path(scratch)), MAINS[argv[0]], *argv[1:])).returncode
    except JenaMissing as exc:
        print(f"error: {exc}: apt-get install libapache-jena-java default-jre-headless", file=sys.stderr)
        return 5


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
