"""Listing queries page their answer: ``limit``/``offset`` over the query's order, ``total`` the whole size."""

from __future__ import annotations

import json

import pytest

from t2dm_onto.catalog import Catalog
from t2dm_onto.cli import main
from t2dm_onto.errors import UsageError

from .test_compliance import _canon

PAGED = [q.name for q in Catalog() if q.page_size]


def ordered(rows):
    """The rows in order, with GROUP_CONCAT lists sorted (their order is unspecified, and varies between runs)."""
    return [tuple((k, _canon(v)) for k, v in sorted(r.items())) for r in rows]


def test_the_listing_queries_are_paged():
    assert {"claims", "claims-in-section", "claims-by-study-type", "claims-by-reference", "claims-under",
            "entities", "biomarkers", "pathways", "bmd-correlates", "conflicts",
            "complications-affecting-bone"} <= set(PAGED)


def _pages(kb, name, args, size):
    rows, offset = [], 0
    while True:
        page = kb.query(name, limit=size, offset=offset, **args)
        assert page.offset == offset and len(page) <= size
        rows += page.rows
        offset += size
        if offset >= page.total:
            return rows, page.total


@pytest.mark.parametrize("name", PAGED)
def test_pages_concatenated_are_the_unpaged_answer(kb, name):
    args = Catalog().get(name).example_args()
    whole = kb.query(name, limit=0, **args)
    assert whole.total == len(whole.rows)
    rows, total = _pages(kb, name, args, 7)
    assert total == len(whole.rows)
    assert ordered(rows) == ordered(whole.rows)


def test_the_default_page_is_the_header_size_and_says_the_total(kb):
    whole = len(kb.query("claims", limit=0))  # 385: a claim with two study types has two rows
    page = kb.query("claims", limit=None)
    assert page.total == whole and len(page) == min(whole, Catalog().get("claims").page_size)
    assert len(kb.query("claims", limit=10)) == 10
    beyond = kb.query("claims", offset=10_000)
    assert beyond.rows == [] and beyond.total == whole


def test_a_query_that_is_not_a_listing_refuses_paging(kb):
    with pytest.raises(UsageError, match="no parameter 'limit'"):
        kb.query("effects-of", source="metformin", limit=5)


@pytest.mark.parametrize("bad", ["x", "-1", "2.5"])
def test_a_bad_page_is_refused(kb, bad):
    with pytest.raises(UsageError, match=r"whole number|0 or more"):
        kb.query("claims", limit=bad)


def test_cli_prints_a_page_and_says_where_the_next_starts(kb, capsys):
    whole = len(kb.query("claims", limit=0))
    assert main(["query", "claims", "limit=5", "offset=5", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 5
    assert f"rows 6-10 of {whole}" in captured.err and "offset=10" in captured.err
