"""Allow ``python -m t2dm_onto``."""

from .cli import main

raise SystemExit(main())
