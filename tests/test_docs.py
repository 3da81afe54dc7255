"""The documentation site: every page there, every link resolving, every claim shown where it belongs."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .viz_helpers import need_graphviz, run_cli


def need_pylode() -> None:
    try:
        import pylode  # noqa: F401
    except ImportError:
        message = "pyLODE not installed: pip install 't2dm-onto[docs]'"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (it is in the test extra, so CI must have it)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    need_pylode()
    need_graphviz()
    out = tmp_path_factory.mktemp("docs") / "site"
    proc = run_cli("docs", "-o", str(out), timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "pages" in proc.stderr
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_site_has_its_pages(site, claims, kb):
    for name in ("index.html", "ontology.html", "sections.html", "entities.html", "references.html", "map.html",
                 "overview.svg", "style.css", "entity/RANKL.html", "section/2.5.html", "section/2.5.svg"):
        assert (site / name).is_file(), name
    sections = {c["section"] for c in claims}
    assert {p.stem for p in (site / "section").glob("*.html")} == sections
    assert len(list((site / "entity").glob("*.html"))) >= 200
    assert (site / "index.html").stat().st_mode & 0o044 == 0o044 and site.stat().st_mode & 0o055 == 0o055


def test_every_local_link_resolves(site):
    anchors: dict[Path, set[str]] = {}
    broken = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        anchors[page] = parse(page).ids
    for page in pages:
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # pyLODE links property IRIs to their definitions elsewhere; never fetched
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in anchors[target]:
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert not broken, broken[:20]


def test_each_claim_is_on_its_section_and_entity_pages(site, claims):
    for c in claims:
        cid = c["id"].rsplit("/", 1)[-1]
        section = (site / "section" / f"{c['section']}.html").read_text(encoding="utf-8")
        assert f'id="{cid}"' in section
        for end in ("subject", "object"):
            page = site / "entity" / f"{c[end]['iri'].rsplit('/', 1)[-1]}.html"
            assert cid in page.read_text(encoding="utf-8"), (cid, page.name)
    rankl = (site / "entity" / "RANKL.html").read_text(encoding="utf-8")
    assert "核因子κB受体活化因子配体" in rankl and "HGNC:11926" in rankl
    assert "活性氧自由基(ROS)能提升RANKL的表达水平" in rankl and "What affects RANKL (2)" in rankl


def test_references_page_lists_the_claims_per_reference(site, claims):
    page = (site / "references.html").read_text(encoding="utf-8")
    assert 'id="ref-22"' in page and "Almeida" in page
    cited_22 = [c["id"].rsplit("/", 1)[-1] for c in claims if 22 in c["references"]]
    block = page.split('id="ref-22"')[1].split('<h2 id="ref-')[0]
    assert all(f'id="{cid}"' in block for cid in cited_22) and cited_22


def test_ontology_reference_reads_well(site):
    page = (site / "ontology.html").read_text(encoding="utf-8")
    # one heading per class in English, not both labels run together
    assert re.search(r'<div class="property entity" id="RANKL">\s*<h3>RANKL\s*<sup', page)
    assert "RANKL核因子" not in page
    rankl = page.split('id="RANKL"')[1].split('class="property entity"')[0]
    assert "drives osteoclast formation" in rankl  # the IAO definition, shown
    assert "中文：核因子κB受体活化因子配体" in rankl and 'href="entity/RANKL.html"' in rankl
    assert 'id="increases"' in page and "Object Properties" in page
    assert not re.search(r'<(script|link|img)\b[^>]*\b(src|href)="https?://', page)


def test_the_interactive_map_of_the_site_fetches_nothing(site):
    page = (site / "map.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in page and "s2_5_n_RANKL" in page


def test_docs_errors_leave_the_old_site(tmp_path):
    out = tmp_path / "site"
    assert run_cli("docs", "-o", str(out), "--no-maps", "--no-ontology").returncode == 0
    old = (out / "index.html").read_bytes()
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<")
    proc = run_cli("docs", "-o", str(out), "--with", str(bad), "--no-maps", "--no-ontology")
    assert proc.returncode == 3 and proc.stderr.startswith("error:")
    assert (out / "index.html").read_bytes() == old
    foreign = tmp_path / "foreign"  # a folder docs did not write is never replaced (issue 18)
    foreign.mkdir()
    (foreign / "keep.txt").write_text("old")
    proc = run_cli("docs", "-o", str(foreign), "--no-maps", "--no-ontology")
    assert proc.returncode == 2 and "not written by t2dm-onto" in proc.stderr
    assert (foreign / "keep.txt").read_text() == "old"
    proc = run_cli("docs", "-o", str(tmp_path / "missing" / "site"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_docs_without_maps_or_ontology(tmp_path):
    out = tmp_path / "plain"
    proc = run_cli("docs", "-o", str(out), "--no-maps", "--no-ontology")
    assert proc.returncode == 0, proc.stderr
    assert (out / "index.html").is_file() and not (out / "ontology.html").exists() and not (out / "map.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ontology.html" not in index and "map.html" not in index
