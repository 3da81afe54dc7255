"""``t2dm-onto serve``: a local, read-only SPARQL 1.1 Protocol endpoint and a query page.

- :mod:`.protocol` answers the SPARQL 1.1 Protocol (``/sparql``): request parsing,
  dataset selection, content negotiation, refusal of updates;
- :mod:`.api` answers the page's JSON API (``/api/...``), which runs canned
  queries through :class:`~t2dm_onto.kb.KnowledgeBase` so parameters are bound and
  entity names resolved exactly as on the command line;
- :mod:`.app` is the HTTP server (standard library ``ThreadingHTTPServer``) that
  routes requests to those two and serves ``page.html``;
- :mod:`.command` is the CLI shell.
"""
