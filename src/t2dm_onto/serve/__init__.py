"""``t2dm-onto serve``: a local, read-only SPARQL 1.1 Protocol endpoint and a query page.

- :mod:`.protocol` answers the SPARQL 1.1 Protocol (``/sparql``): request parsing,
  dataset selection, content negotiation, refusal of updates and of what
  :mod:`t2dm_onto.sparql_guard` refuses;
- :mod:`.description` is the SPARQL 1.1 Service Description of ``/sparql``;
- :mod:`.api` answers the page's JSON API (``/api/...``), which resolves and binds
  canned-query parameters through :class:`~t2dm_onto.kb.KnowledgeBase` exactly as
  on the command line;
- :mod:`.worker` runs every query in a worker process the server can kill at the
  time limit and replace when it dies; :mod:`.sandbox` keeps workers off the network;
- :mod:`.app` is the HTTP server (standard library ``ThreadingHTTPServer``) that
  routes requests, defends its connections and serves ``page.html``;
- the CLI shell is :mod:`t2dm_onto.cli.serve`.
"""
