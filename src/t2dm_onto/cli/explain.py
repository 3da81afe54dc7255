"""``t2dm-onto explain SOURCE TARGET``: the causal chains between two entities, in plain language."""

from __future__ import annotations

import argparse
import json

from ..errors import EXIT_OK, UsageError
from .options import lang_option, open_kb, store_options, write


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "explain", help="the causal chains from one entity to another, hop by hop, with quotes",
        description="Explain how SOURCE leads to TARGET: every chain of causal claims (increases / decreases), "
                    "shortest first, with the net sign, and for each hop its claims, the review's sentence "
                    "and the references.",
        epilog="examples:\n"
               "  t2dm-onto explain hyperglycaemia osteoclast\n"
               "  t2dm-onto explain 高血糖 骨质疏松症 --lang zh --max-hops 6\n"
               "  t2dm-onto explain insulin BMD --format json\n"
               "  t2dm-onto explain AGEs \"bone loss\" --consistent-context",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("source", help="where the chains start (label, synonym, CURIE or IRI; en or zh)")
    p.add_argument("target", help="where the chains end")
    p.add_argument("--max-hops", type=int, default=4, help="longest chain to follow, 1-8 (default 4)")
    p.add_argument("--limit", type=int, default=20, help="show at most this many chains (default 20; 0 = all)")
    lang_option(p)
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument("--no-quotes", action="store_true", help="leave out the review's sentences")
    p.add_argument("--consistent-context", action="store_true",
                   help="keep only chains whose hops' stated contexts (population, sex, species, study type, "
                        "site) agree; unstated agrees with anything")
    store_options(p, links=False)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..explain import as_json, explain, tell

    if args.limit < 0:
        raise UsageError(f"--limit must be 0 (all) or more, not {args.limit}.")
    graph, answer = explain(open_kb(args), args.source, args.target, args.max_hops, args.lang,
                            consistent_context=args.consistent_context)
    if args.format == "json":
        write(json.dumps(as_json(graph, answer, lang=args.lang, limit=args.limit), ensure_ascii=False, indent=2)
              + "\n")
    else:
        write(tell(graph, answer, lang=args.lang, limit=args.limit, quotes=not args.no_quotes))
    return EXIT_OK
