"""Causal maps: the graph cut out, the drawing conventions, and the files a person opens.

Files are rendered with the real Graphviz and checked as a reader would: the
SVG holds the nodes and edges asked for (by id and by visible text), the PNG
is a whole image of sensible size, the HTML carries the claims behind every
drawn element, fetches nothing, and responds to clicks in a real browser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from t2dm_onto.errors import UnknownEntityError, UsageError
from t2dm_onto.namespaces import BASE
from t2dm_onto.sections import MECHANISM_SECTIONS, in_section
from t2dm_onto.viz.dot import edge_ids, legend_dot, to_dot
from t2dm_onto.viz.model import claim_ids_in, focus_graph, load_graph, query_graph, section_graph
from t2dm_onto.viz.overview import overview_picture, panel_prefix
from t2dm_onto.viz.render import Picture, format_of, render, write
from t2dm_onto.viz.style import compress_refs, edge_label, wrap

from .viz_helpers import (
    browser_dom,
    entity_ids,
    html_data,
    html_svg,
    need_cjk_font,
    need_graphviz,
    png_size,
    run_cli,
    svg_ids,
    svg_texts,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph(kb):
    return load_graph(kb)


@pytest.fixture(scope="module")
def graphviz():
    need_graphviz()


def iri(local: str) -> str:
    return BASE + local


# -- the graph ------------------------------------------------------------------------
def test_every_claim_is_on_exactly_one_edge(graph, claims):
    on_edges = [c for e in graph.edges.values() for c in e.claims]
    assert sorted(on_edges) == sorted(c["id"].rsplit("/", 1)[-1] for c in claims)
    for edge in graph.edges.values():
        for cid in edge.claims:
            c = graph.claims[cid]
            assert (c["subject"]["iri"], c["relation"], c["object"]["iri"]) == edge.key


def test_every_node_has_a_known_category_and_both_labels(graph):
    assert {n.category for n in graph.nodes.values()} <= set(graph.category_labels)
    for node in graph.nodes.values():
        assert node.label and node.label_zh, node.iri
        assert not node.label_zh.isdigit(), f"{node.iri} has the Chinese label {node.label_zh!r}"


def test_focus_both_directions(graph):
    sub = focus_graph(graph, iri("RANKL"), depth=1)
    assert {iri("IL6"), iri("ROS"), iri("OsteoclastDifferentiation"), iri("RANKL")} <= set(sub.nodes)
    assert sub.focus == {iri("RANKL")}
    # every edge has both ends drawn, and each node touches RANKL or another drawn node
    for e in sub.edges.values():
        assert e.subject in sub.nodes and e.object in sub.nodes


def test_focus_direction_down_follows_effects_only(graph):
    down = focus_graph(graph, iri("RANKL"), depth=1, direction="down")
    up = focus_graph(graph, iri("RANKL"), depth=1, direction="up")
    assert iri("OsteoclastDifferentiation") in down.nodes and iri("IL6") not in down.nodes
    assert iri("IL6") in up.nodes and iri("OsteoclastDifferentiation") not in up.nodes
    # BMI is reached through its correlation with osteoporosis, but its causal edge into it is upstream
    down = focus_graph(graph, iri("Osteoporosis"), depth=1, direction="down")
    assert (iri("BMI"), "negatively_correlated_with", iri("Osteoporosis")) in down.edges
    assert (iri("BMI"), "decreases", iri("Osteoporosis")) not in down.edges
    assert all(not e.causal or e.subject == iri("Osteoporosis") for e in down.edges.values())
    assert (iri("BMI"), "decreases", iri("Osteoporosis")) in focus_graph(graph, iri("Osteoporosis")).edges


def test_focus_depth_grows(graph):
    one = focus_graph(graph, iri("Hyperglycaemia"), depth=1, direction="down")
    three = focus_graph(graph, iri("Hyperglycaemia"), depth=3, direction="down")
    assert set(one.nodes) < set(three.nodes)
    # the six-hop chain of section 2.1 starts within three steps
    assert {iri("OsmoticDiuresis"), iri("Hypercalciuria"), iri("Hypocalcaemia")} <= set(three.nodes)


def test_focus_errors(graph, kb):
    with pytest.raises(UnknownEntityError, match="Did you mean"):
        kb.resolve("osteoclastz", "focus")
    with pytest.raises(UsageError, match="depth"):
        focus_graph(graph, iri("RANKL"), depth=0)
    with pytest.raises(UsageError, match="direction"):
        focus_graph(graph, iri("RANKL"), direction="sideways")


def test_section_graph_holds_only_that_section(graph, claims):
    sub = section_graph(graph, "2.5")
    expected = {c["id"].rsplit("/", 1)[-1] for c in claims if in_section(c["section"], "2.5")}
    assert set(sub.claims) == expected and expected
    assert sub.title == "2.5 Oxidative stress"
    assert section_graph(graph, "2.5", lang="zh").title == "2.5 氧化应激"
    with pytest.raises(UsageError, match="unknown section"):
        section_graph(graph, "9.9")
    with pytest.raises(UsageError, match="no claims"):
        section_graph(graph, "3")


def test_query_graph_draws_the_claims_the_query_returns(kb, graph):
    rows = kb.query("causal-paths", source="hyperglycaemia", target="osteoclast").rows
    wanted = {cid for row in rows for part in row["hop_claims"].split("|") for cid in part.strip().split(",")}
    sub = query_graph(kb, graph, "causal-paths", {"source": "hyperglycaemia", "target": "osteoclast"})
    assert set(sub.claims) == wanted
    assert iri("Hyperglycaemia") in sub.focus and iri("Osteoclast") in sub.focus
    with pytest.raises(UsageError, match="returns no claims"):
        query_graph(kb, graph, "entities", {})


def test_claim_ids_are_found_in_any_claim_column(graph):
    rows = [{"claims": "S2_5_09, S2_5_10", "other": "S2_1_01"}, {"hop_claims": f"{BASE}claim/S2_1_01 | S9_9_99"}]
    assert claim_ids_in(rows, graph.claims) == ["S2_5_09", "S2_5_10", "S2_1_01"]


# -- conventions ----------------------------------------------------------------------------
def test_reference_labels():
    assert compress_refs([9, 10, 11, 15]) == "9–11,15"
    assert compress_refs([29, 30]) == "29,30"
    assert edge_label("increases", [22]) == "[22]"
    assert edge_label("negatively_correlated_with", [12]) == "− [12]"
    assert edge_label("no_association", []) == "∅"


def test_wrap_keeps_words_and_balances_lines():
    assert wrap("RANKL") == ["RANKL"]
    assert wrap("advanced glycation end products") == ["advanced glycation", "end products"]
    assert wrap("2型糖尿病合并骨质疏松症") == ["2型糖尿病合并", "骨质疏松症"]
    assert "ERK/NF-κB/TNF/IL-6" in "".join(wrap("ERK/NF-κB/TNF/IL-6通路"))


def test_dot_text_follows_the_conventions(graph):
    sub = section_graph(graph, "2.9")
    text = to_dot(sub)
    relation_of = {eid: key[1] for key, eid in edge_ids(sub).items()}
    expect = {"increases": ('arrowhead="normal"', 'style="solid"', 'color="#1b7837"'),
              "decreases": ('arrowhead="tee"', 'style="solid"', 'color="#b2182b"'),
              "positively_correlated_with": ('style="dashed"', 'dir="none"'),
              "negatively_correlated_with": ('style="dashed"', 'dir="none"'),
              "associated_with": ('style="dashed"', 'dir="none"'),
              "no_association": ('style="dotted"', 'dir="none"', 'color="#a6a6a6"')}
    seen = set()
    for line in text.splitlines():
        match = re.search(r' -> .*\bid="(e\d+)"', line)
        if match:
            rel = relation_of[match.group(1)]
            seen.add(rel)
            for attr in expect[rel]:
                assert attr in line, (rel, line)
    assert {"increases", "decreases", "no_association", "associated_with"} <= seen
    assert len(seen) and sum(1 for line in text.splitlines() if " -> " in line) == len(sub.edges)
    bmd = next(x for x in text.splitlines() if x.strip().startswith('"n_BMD"'))
    assert 'shape="parallelogram"' in bmd and 'label="bone mineral density"' in bmd
    body_weight = next(x for x in text.splitlines() if x.strip().startswith('"n_BodyWeight"'))
    assert 'shape="note"' in body_weight


def test_legend_names_what_the_map_uses(graph):
    sub = section_graph(graph, "2.9")
    text = legend_dot(sub)
    assert "Legend" in text and "increases" in text and "no association with" in text
    assert "drug or therapy" not in text  # section 2.9 names no drug
    assert "图例" in legend_dot(sub, "zh") and "增加" in legend_dot(sub, "zh")


def test_format_from_file_name():
    assert format_of("a/b.SVG", None) == "svg" and format_of("x.htm", None) == "html"
    assert format_of(None, None) == "dot" and format_of("x.svg", "png") == "png"
    with pytest.raises(UsageError, match="cannot tell the format"):
        format_of("map.jpeg", None)


# -- rendered files ---------------------------------------------------------------------------
def test_svg_holds_the_nodes_and_edges_asked_for(graph, graphviz):
    sub = focus_graph(graph, iri("RANKL"), depth=1)
    svg = render(Picture.single(sub), "svg")
    nodes, edges = svg_ids(svg)
    assert entity_ids(nodes) == {n.rsplit("/", 1)[-1] for n in sub.nodes}
    assert {e for e in edges if not e.startswith("legend_")} == {f"e{i}" for i in range(len(sub.edges))}
    texts = svg_texts(svg)
    assert "RANKL" in texts and "interleukin 6" in texts and "[22]" in texts and "[30]" in texts
    assert "Legend" in texts and "increases" in texts
    assert any(t.startswith("around RANKL") for t in texts)
    # the edge IL-6 -> RANKL is drawn green with an arrow head
    il6 = re.search(r'<g id="e\d+" class="edge">\s*<title>n_IL6&#45;&gt;n_RANKL</title>(.*?)</g>\s*</g>',
                    svg.decode(), re.S)
    assert il6 and 'stroke="#1b7837"' in il6.group(1)


def test_png_is_a_real_image(graph, graphviz, tmp_path):
    out = write(Picture.single(section_graph(graph, "2.3")), tmp_path / "s23.png")
    data = out.read_bytes()
    width, height = png_size(data)
    assert 300 < width < 10000 and 150 < height < 10000
    assert len(data) > 10_000  # a picture, not an empty canvas
    assert out.stat().st_mode & 0o044 == 0o044  # readable by others, like any new file


def test_chinese_png_and_svg(graph, graphviz, tmp_path):
    need_cjk_font()
    sub = section_graph(graph, "2.5", lang="zh")
    svg = render(Picture.single(sub, lang="zh"), "svg")
    texts = svg_texts(svg)
    assert "活性氧自由基" in texts and "图例" in texts and "2.5 氧化应激" in texts
    assert b"Noto Sans CJK SC" in svg
    width, height = png_size(render(Picture.single(sub, lang="zh"), "png"))
    assert width > 300 and height > 300


def test_html_is_self_contained_and_carries_the_claims(graph, graphviz):
    sub = focus_graph(graph, iri("RANKL"), depth=2)
    page = render(Picture.single(sub), "html").decode("utf-8")
    data = html_data(page)
    nodes, edges = svg_ids(html_svg(page))
    assert set(data["nodes"]) == {n for n in nodes if not n.startswith("legend_")}
    assert set(data["edges"]) == {e for e in edges if not e.startswith("legend_")}
    edge = next(e for e in data["edges"].values() if e["s"] == "n_ROS" and e["o"] == "n_RANKL")
    assert edge["relation"] == "increases" and edge["refs"] == [22]
    claim = data["claims"][edge["claims"][0]]
    assert "RANKL" in claim["quote_zh"] and claim["statement_en"]
    # nothing is fetched: no external address, no resource element, and a CSP forbidding requests
    assert "default-src 'none'" in page
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\(|fetch\(|XMLHttpRequest|import\(",
                         page.split('<script type="application/json"')[0] + page.split("</script>", 1)[1])
    assert not re.search(r'(href|src)="(https?:)?//', page)


def test_html_answers_clicks_in_a_browser(graph, graphviz, tmp_path):
    page = tmp_path / "rankl.html"
    write(Picture.single(focus_graph(graph, iri("RANKL"), depth=1)), page)
    data = html_data(page.read_text(encoding="utf-8"))
    eid = next(k for k, e in data["edges"].items() if e["s"] == "n_ROS" and e["o"] == "n_RANKL")
    script = """
      var out = {};
      var svg = document.querySelector('#view svg');
      function click(id) { document.getElementById(id).dispatchEvent(new MouseEvent('click', {bubbles: true})); }
      click('n_RANKL');
      out.node = document.getElementById('info').textContent;
      out.dimmed = document.querySelectorAll('svg.focusing g.node:not(.hl)').length;
      click('EID');
      out.edge = document.getElementById('info').textContent;
      var before = svg.getAttribute('viewBox');
      svg.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: 300, clientY: 300, bubbles: true, cancelable: true}));
      out.zoomed = svg.getAttribute('viewBox') !== before;
      before = svg.getAttribute('viewBox');
      svg.dispatchEvent(new PointerEvent('pointerdown', {clientX: 400, clientY: 300, button: 0, bubbles: true}));
      svg.dispatchEvent(new PointerEvent('pointermove', {clientX: 300, clientY: 250, bubbles: true}));
      svg.dispatchEvent(new PointerEvent('pointerup', {clientX: 300, clientY: 250, bubbles: true}));
      out.panned = svg.getAttribute('viewBox') !== before;
      var search = document.getElementById('search');
      search.value = 'interleukin';
      search.dispatchEvent(new Event('input'));
      out.match = document.getElementById('n_IL6').classList.contains('match');
      document.body.setAttribute('data-result', JSON.stringify(out));
    """.replace("EID", eid)
    dom = browser_dom(page, script, tmp_path)
    match = re.search(r'data-result="([^"]*)"', dom)
    assert match, dom[-3000:]
    import html as html_lib

    out = json.loads(html_lib.unescape(match.group(1)))
    assert "核因子κB受体活化因子配体" in out["node"] and "HGNC:11926" in out["node"]
    assert "reactive oxygen species — increases → RANKL" in out["node"]
    assert out["dimmed"] > 0
    assert "S2_5_09" in out["edge"] and "活性氧自由基(ROS)能提升RANKL的表达水平" in out["edge"] and "[22]" in out["edge"]
    assert out["zoomed"] and out["panned"] and out["match"]


# -- the overview ----------------------------------------------------------------------------------
def test_overview_has_a_panel_per_section(graph, graphviz):
    picture = overview_picture(graph)
    svg = render(picture, "svg")
    nodes, _ = svg_ids(svg)
    texts = svg_texts(svg)
    for section, (prefix, sub) in zip(MECHANISM_SECTIONS, picture.parts, strict=True):
        assert prefix == panel_prefix(section)
        assert entity_ids(nodes, prefix) == {n.rsplit("/", 1)[-1] for n in sub.nodes}
        assert sub.title in texts
    assert "Legend" in texts


@pytest.mark.parametrize("name", ["overview", "overview_zh"])
def test_committed_overview_is_current(graph, name):
    """docs/overview*.svg show today's claims: regenerate with `t2dm-onto graph --overview -o docs/overview.svg`."""
    lang = "zh" if name.endswith("zh") else "en"
    svg = (ROOT / "docs" / f"{name}.svg").read_bytes()
    nodes, edges = svg_ids(svg)
    for prefix, sub in overview_picture(graph, lang).parts:
        assert entity_ids(nodes, prefix) == {n.rsplit("/", 1)[-1] for n in sub.nodes}, (
            f"docs/{name}.svg is stale: run `t2dm-onto graph --overview {'--lang zh ' if lang == 'zh' else ''}"
            f"-o docs/{name}.svg` (and .png)")
        assert len([e for e in edges if e.startswith(prefix)]) == len(sub.edges)
    png = (ROOT / "docs" / f"{name}.png").read_bytes()
    width, height = png_size(png)
    assert width > 2000 and height > 2000


# -- the command line ----------------------------------------------------------------------------
def test_cli_writes_each_format(graphviz, tmp_path):
    for ext in ("svg", "png", "html", "dot"):
        out = tmp_path / f"paths.{ext}"
        proc = run_cli("graph", "--query", "causal-paths", "source=hyperglycaemia", "target=osteoclast", "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        assert "wrote" in proc.stderr and out.stat().st_size > 500
    assert 'digraph "map"' in (tmp_path / "paths.dot").read_text()
    assert "hyperglycaemia" in svg_texts((tmp_path / "paths.svg").read_bytes())


def test_cli_dot_to_stdout_needs_no_graphviz():
    proc = run_cli("graph", "--section", "2.3", "--lang", "zh")
    assert proc.returncode == 0 and proc.stdout.startswith('digraph "map"') and "晚期糖基化终末产物" in proc.stdout


def test_cli_unknown_focus_is_a_clear_error(tmp_path):
    out = tmp_path / "x.svg"
    out.write_text("previous")
    proc = run_cli("graph", "--focus", "osteoclastz", "-o", str(out))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: unknown entity 'osteoclastz' for parameter 'focus'")
    assert "osteoclast" in proc.stderr  # the suggestion
    assert out.read_text() == "previous"  # nothing half-written


@pytest.mark.parametrize("args, message", [
    ([], "say what to draw"),
    (["--focus", "RANKL", "-o", "map.jpeg"], "cannot tell the format"),
    (["--focus", "RANKL", "-o", "/no/such/folder/map.svg"], "does not exist"),
    (["--section", "2.5", "target=RANKL"], "go with --query"),
    (["--query", "entities"], "returns no claims"),
    (["--query", "causal-paths", "source=hyperglycaemia"], "needs parameter 'target'"),
    (["--focus", "RANKL", "--depth", "0"], "depth must be 1 or more"),
    (["--section", "7.1"], "unknown section"),
])
def test_cli_usage_errors(args, message):
    proc = run_cli("graph", *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error:") and message in proc.stderr


def test_cli_without_graphviz_says_what_to_install(tmp_path):
    out = tmp_path / "x.svg"
    proc = run_cli("graph", "--focus", "RANKL", "-o", str(out), env={"PATH": str(tmp_path)})
    assert proc.returncode == 5
    assert "apt-get install graphviz" in proc.stderr and not out.exists()


def test_cli_without_a_chinese_font_says_what_to_install(graphviz, tmp_path):
    need_cjk_font()
    conf = tmp_path / "fonts.conf"  # a fontconfig that knows no font folder at all
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    out = tmp_path / "zh.png"
    proc = run_cli("graph", "--section", "2.3", "--lang", "zh", "-o", str(out), env={"FONTCONFIG_FILE": str(conf)})
    assert proc.returncode == 5
    assert "apt-get install fonts-noto-cjk" in proc.stderr and not out.exists()
    proc = run_cli("graph", "--section", "2.3", "-o", str(tmp_path / "en.svg"))
    assert proc.returncode == 0  # English labels need no Chinese font
