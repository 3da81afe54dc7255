"""Generated regions inside hand-written files (the shapes, ``CURATION.md``).

A region is the text between a begin and an end marker line that name it::

    # >>> generated: relations (from curation/schema.yaml by `t2dm-onto build`; do not edit by hand)
    ...
    # <<< generated: relations

(in Markdown the markers are HTML comments, which renderers hide). The builder
replaces each region's body and leaves everything else as the author wrote it, so
the prose around a controlled list stays hand-written while the list comes from
the schema.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

SOURCE_NOTE = "from curation/schema.yaml by `t2dm-onto build`; do not edit by hand"
#: comment syntax per file suffix: (line opener, line closer)
COMMENTS = {".ttl": ("# ", ""), ".md": ("<!-- ", " -->")}


def _markers(path: Path, name: str) -> tuple[str, str]:
    opener, closer = COMMENTS[path.suffix]
    return f"{opener}>>> generated: {name} ({SOURCE_NOTE}){closer}\n", f"{opener}<<< generated: {name}{closer}\n"


def fill(path: Path, text: str, regions: dict[str, str]) -> str:
    """``text`` (the file at ``path``) with each named region's body replaced; every region must be there once."""
    for name, body in regions.items():
        begin, end = _markers(path, name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if len(pattern.findall(text)) != 1:
            raise InputError(f"{path}: the generated region '{name}' must appear exactly once, between the lines "
                             f"{begin.strip()!r} and {end.strip()!r}. Restore the markers from git and rebuild.")
        text = pattern.sub(lambda _m, b=begin, e=end, body=body: b + body + e, text)
    return text
