"""Pictures of the mechanisms: causal maps drawn from the claims.

The pieces, each with one job:

- :mod:`.model` — the claim graph (entities as nodes, merged claims as edges)
  and the ways of cutting a piece out of it (focus, section, canned query);
- :mod:`.style` — the field's visual conventions (arrow for increases, T-bar for
  decreases, dashed for correlations, grey for no association; shape and colour
  by category);
- :mod:`.dot` — Graphviz DOT text and the ``dot`` program that turns it into SVG/PNG;
- :mod:`.html` — a self-contained interactive page (own JavaScript, no network);
- :mod:`.overview` — one panel per mechanism section of the review;
- :mod:`.maps` — which picture the ``t2dm-onto graph`` command asks for
  (its shell is :mod:`t2dm_onto.cli.graph`).

Nothing here imports a heavy library at module level, so the CLI stays fast.
"""
