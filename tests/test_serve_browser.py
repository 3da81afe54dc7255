"""The query page in headless Chromium: load it, run a canned query, see the rows; write SPARQL;
an unknown entity shows the server's message; nothing is fetched from anywhere but the server.

A screenshot of the page with results is kept in the test's tmp folder and in
tests/artifacts/serve-page.png (ignored by git).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .cdp import Browser, chromium_binary
from .servers import stop
from .test_serve import start_server

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ROWS = "document.querySelectorAll('#results tbody tr').length"
READY = "document.body !== null && document.body.dataset.ready === 'true'"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    chromium_binary()  # skip, with the reason, where there is no Chromium
    proc, url = start_server()
    browser = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        browser.page("Network.enable")
        browser.page("Page.enable")
        browser.navigate(url)
        browser.wait_for(READY)
        yield browser, url
    finally:
        browser.close()
        stop(proc)


def _table(browser: Browser) -> list[list[str]]:
    return browser.evaluate("Array.from(document.querySelectorAll('#results tr')).map("
                            "tr => Array.from(tr.children).map(c => c.textContent))")


def _shown(browser: Browser, element_id: str) -> bool:
    return browser.evaluate(f"getComputedStyle(document.getElementById('{element_id}')).display !== 'none'")


def test_run_a_canned_query_and_see_its_rows(page, kb, tmp_path):
    browser, _ = page
    assert _shown(browser, "canned-form") and not _shown(browser, "sparql-form")
    browser.evaluate("(() => { const s = document.getElementById('query-select'); s.value = 'mediators-increasing';"
                     " s.dispatchEvent(new Event('change')); })()")
    browser.type_into("[data-param=target]", "RANKL")
    browser.click("[data-param=transitive]")
    browser.click("#run")
    browser.wait_for(f"{ROWS} > 0 || !document.getElementById('error').hidden")
    assert browser.evaluate("document.getElementById('error').hidden") is True
    table = _table(browser)
    expected = kb.query("mediators-increasing", target="RANKL", transitive=True)
    assert len(table) - 1 == len(expected) > 1
    header = table[0]
    assert "source_label" in header and "source" not in header  # IRI columns give way to labels
    assert sorted(r[header.index("source_label")] for r in table[1:]) == sorted(expected.column("source_label"))
    status = browser.evaluate("document.getElementById('status').textContent")
    assert status.startswith(f"{len(expected)} rows")
    shot = tmp_path / "serve-page.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / "serve-page.png")


def test_chinese_labels_and_the_url_of_a_run(page, kb):
    browser, url = page
    browser.navigate(f"{url}?query=effects-of&source=metformin&lang=zh&run=1")
    browser.wait_for(f"{READY} && {ROWS} > 0")
    table = _table(browser)
    expected = kb.query("effects-of", source="metformin", lang="zh")
    column = table[0].index("object_label")
    assert sorted(r[column] for r in table[1:]) == sorted(expected.column("object_label"))


def test_unknown_entity_shows_the_message(page):
    browser, url = page
    browser.navigate(f"{url}?query=effects-of")
    browser.wait_for(READY)
    browser.type_into("[data-param=source]", "not an entity")
    browser.click("#run")
    message = browser.wait_for("!document.getElementById('error').hidden && document.getElementById('error').textContent")
    assert "unknown entity 'not an entity' for parameter 'source'" in message
    assert browser.evaluate(ROWS) == 0


def test_write_sparql_and_see_rows(page, kb):
    browser, url = page
    browser.navigate(url)
    browser.wait_for(READY)
    browser.click("#tab-sparql")
    assert _shown(browser, "sparql-form") and not _shown(browser, "canned-form")
    query = ("PREFIX t2dm: <https://w3id.org/t2dm-onto/>\nSELECT ?claim WHERE { ?claim t2dm:has_object t2dm:RANKL }")
    browser.evaluate(f"document.getElementById('sparql-text').value = {json.dumps(query)}")
    browser.click("#sparql-run")
    browser.wait_for(f"{ROWS} > 0")
    assert len(_table(browser)) - 1 == len(kb.sparql(query))
    browser.evaluate("document.getElementById('sparql-text').value = 'DELETE WHERE { ?s ?p ?o }'")
    browser.click("#sparql-run")
    message = browser.wait_for("!document.getElementById('error').hidden && document.getElementById('error').textContent")
    assert "read-only" in message


def test_the_page_fetched_nothing_from_elsewhere(page):
    browser, url = page
    urls = browser.requested_urls()
    assert any(u.startswith(f"{url}api/query") for u in urls)
    assert [u for u in urls if not (u.startswith(url) or u.startswith("data:"))] == []
