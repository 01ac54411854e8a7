"""Name lookup shared by every registry: canonical names, aliases, and a helpful error."""

from __future__ import annotations

from engine.checks import unknown_name_message

__all__ = ["resolve", "unknown_name_message"]


def resolve(kind: str, name: str, table: dict, aliases: dict[str, str] | None = None):
    """Return ``table[canonical(name)]`` or raise ``ValueError`` listing the valid names."""
    key = name.lower().strip() if isinstance(name, str) else name
    key = (aliases or {}).get(key, key)
    if key in table:
        return table[key]
    raise ValueError(unknown_name_message(kind, name, sorted(set(table) | set(aliases or {}))))
