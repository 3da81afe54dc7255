"""Helpers for the picture, chain and documentation tests: tools, PNG headers, SVG ids, the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SVG_NS = "{http://www.w3.org/2000/svg}"


def need(tool: str, install: str) -> str:
    """The path of ``tool``; skipped with the reason when missing, but a failure under CI (which installs it)."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} not installed: {install}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (.ci/run installs it, so CI must have it)")
        pytest.skip(message)
    return path


def need_graphviz() -> None:
    for tool in ("dot", "gvpack", "neato"):
        need(tool, "apt-get install graphviz")


def need_cjk_font() -> None:
    need("fc-list", "apt-get install fontconfig")
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if not out.strip():
        message = "no Chinese font: apt-get install fonts-noto-cjk"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def run_cli(*args: str, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env} if env else None
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *args], capture_output=True, text=True, timeout=timeout,
                          env=full_env)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (asserting it is a PNG at all)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert data[-8:-4] == b"IEND", "the PNG does not end with its IEND chunk (truncated)"
    return width, height


def svg_ids(svg: str | bytes) -> tuple[set[str], set[str]]:
    """Ids of the drawn nodes and edges (``<g class="node|edge" id=...>``) of a Graphviz SVG."""
    root = ET.fromstring(svg if isinstance(svg, bytes) else svg.encode("utf-8"))
    nodes, edges = set(), set()
    for g in root.iter(f"{SVG_NS}g"):
        cls = g.get("class")
        if cls == "node":
            nodes.add(g.get("id"))
        elif cls == "edge":
            edges.add(g.get("id"))
    return nodes, edges


def svg_texts(svg: str | bytes) -> list[str]:
    root = ET.fromstring(svg if isinstance(svg, bytes) else svg.encode("utf-8"))
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def html_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert match, "the page carries no map data"
    return json.loads(match.group(1))


def html_svg(page: str) -> str:
    match = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert match, "the page holds no SVG"
    return match.group(0)


def browser_dom(page: Path, script: str, tmp: Path) -> str:
    """Open ``page`` in headless Chromium with ``script`` run after the page's own, and return the DOM."""
    exe = need("chromium", "apt-get install chromium")
    probe = tmp / f"probe-{page.stem}.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", f"<script>{script}</script></body>"),
                     encoding="utf-8")
    proc = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
         f"--user-data-dir={tmp / 'chromium-profile'}", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def entity_ids(svg_node_ids: set[str], prefix: str = "") -> set[str]:
    """``n_RANKL`` -> ``RANKL`` for the nodes of one panel."""
    start = prefix + "n_"
    return {i[len(start):] for i in svg_node_ids if i.startswith(start)}
