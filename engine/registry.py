"""Name lookup shared by every registry: canonical names, aliases, and a helpful error."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def unknown_name_message(kind: str, name: object, valid: Iterable[str]) -> str:
    """One line naming the bad value, the closest valid name if any, and all valid names."""
    valid = list(valid)
    close = difflib.get_close_matches(str(name).lower(), valid, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {kind} {name!r}{hint} (valid: {', '.join(valid)})"


def resolve(kind: str, name: str, table: dict, aliases: dict[str, str] | None = None):
    """Return ``table[canonical(name)]`` or raise ``ValueError`` listing the valid names."""
    key = name.lower().strip() if isinstance(name, str) else name
    key = (aliases or {}).get(key, key)
    if key in table:
        return table[key]
    raise ValueError(unknown_name_message(kind, name, sorted(set(table) | set(aliases or {}))))
