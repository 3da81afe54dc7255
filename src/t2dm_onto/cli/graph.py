"""``t2dm-onto graph``: draw a causal map as SVG, PNG, interactive HTML or DOT."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, UsageError
from .options import lang_option, open_kb, parse_params, store_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "graph", help="draw a causal map (SVG, PNG, interactive HTML, DOT)",
        description="Draw a causal map of the claims: around an entity (--focus), for a section (--section), "
                    "for what a canned query returns (--query NAME key=value ...), for the whole review "
                    "(--all), or one panel per mechanism section (--overview). Arrow: increases; T-bar: "
                    "decreases; dashed: correlation; grey dotted: no association; [n]: reference numbers.",
        epilog="examples:\n"
               "  t2dm-onto graph --focus RANKL --depth 2 -o rankl.svg\n"
               "  t2dm-onto graph --focus hyperglycaemia --direction down --depth 3 -o hg.html\n"
               "  t2dm-onto graph --query causal-paths source=hyperglycaemia target=osteoclast -o paths.png\n"
               "  t2dm-onto graph --section 2.5 --lang zh -o s25.png\n"
               "  t2dm-onto graph --overview -o docs/overview.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--focus", metavar="ENTITY", help="draw around this entity (label, synonym, CURIE or IRI)")
    what.add_argument("--query", metavar="NAME", help="draw the claims this canned query returns")
    what.add_argument("--section", metavar="S", help="draw the claims of this section of the review, e.g. 2.5")
    what.add_argument("--overview", action="store_true", help="one panel per mechanism section 2.1–2.9")
    what.add_argument("--all", action="store_true", help="every claim in one map (large)")
    p.add_argument("params", nargs="*", metavar="key=value", help="parameters of --query")
    p.add_argument("--depth", type=int, default=1, help="with --focus: how many steps out (default 1)")
    p.add_argument("--direction", choices=("up", "down", "both"), default="both",
                   help="with --focus: follow causes (up), effects (down) or both (default)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file; .svg, .png, .html or .dot (default: DOT on standard output)")
    p.add_argument("--format", "-f", choices=("svg", "png", "html", "dot"),
                   help="output format (default: from the file name)")
    lang_option(p)
    p.add_argument("--rankdir", choices=("LR", "TB"), default="LR",
                   help="lay chains out left-to-right (default) or top-to-bottom")
    p.add_argument("--no-legend", action="store_true", help="leave the legend out")
    p.add_argument("--dpi", type=int, default=96, help="PNG resolution (default 96)")
    store_options(p, links=False)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..outputs import refuse_overwriting_inputs
    from ..viz.maps import picture_for
    from ..viz.render import format_of, render, write

    if args.params and not args.query:
        raise UsageError(f"key=value parameters ({' '.join(args.params)}) go with --query NAME.")
    if not (args.focus or args.query or args.section or args.overview or args.all):
        raise UsageError("say what to draw: --focus ENTITY, --section S, --query NAME key=value ..., "
                         "--overview or --all.")
    if not 10 <= args.dpi <= 600:
        raise UsageError(f"--dpi must be between 10 and 600, not {args.dpi}.")
    fmt = format_of(args.output, args.format)  # a bad file name fails before any work
    refuse_overwriting_inputs(args.output, args.extra)
    params = parse_params(args.params) if args.query else None
    picture = picture_for(open_kb(args), focus=args.focus, query=args.query, params=params, section=args.section,
                          overview=args.overview, depth=args.depth, direction=args.direction, lang=args.lang,
                          rankdir=args.rankdir, legend=not args.no_legend)
    if args.output is None:
        sys.stdout.buffer.write(render(picture, fmt, dpi=args.dpi))
        sys.stdout.flush()
        return EXIT_OK
    out = write(picture, args.output, fmt, dpi=args.dpi)
    counts = sum(len(g.nodes) for _, g in picture.parts), sum(len(g.edges) for _, g in picture.parts)
    sys.stderr.write(f"wrote {out} ({counts[0]} nodes, {counts[1]} edges)\n")
    return EXIT_OK
