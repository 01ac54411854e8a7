"""``dump_json``: strict JSON for the CLI's ``--json`` outputs (NaN/inf → null, NumPy scalars as numbers,
schedules as ``{class_name, config}``); ``dump_json_chunks``: the same text a piece at a time, its long
lists (``Streamed``) never whole in memory."""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Callable, Iterable, Iterator


def _strict(value):
    """``value`` as plain JSON values in one pass: NaN/±inf floats → ``None`` (strict JSON has no NaN),
    NumPy scalars → Python numbers, a learning-rate schedule → Keras's ``{class_name, config}``, tuples →
    lists. What ``json.dumps`` would not take raises ``TypeError``, as it does."""
    if isinstance(value, float):  # np.float64 too
        return value if math.isfinite(value) else None
    if isinstance(value, (str, int)) or value is None:  # bool is an int
        return value
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    if hasattr(value, "item"):
        return _strict(value.item())
    if hasattr(value, "get_config"):
        return _strict({"class_name": type(value).__name__, "config": value.get_config()})
    raise TypeError(f"cannot serialise {value!r}")


def dump_json(value, **kwargs) -> str:
    """Strict JSON (non-finite numbers become null), NumPy scalars as Python numbers."""
    return json.dumps(_strict(value), allow_nan=False, **kwargs)


class Streamed:
    """A list too long to hold at once, for ``dump_json_chunks``: ``chunks()`` gives its items as consecutive
    lists (each may be empty), afresh on every call."""

    def __init__(self, chunks: Callable[[], Iterable[list]]) -> None:
        self.chunks = chunks


def dump_json_chunks(value, *, indent: int) -> Iterator[str]:
    """``dump_json(value, indent=indent)`` as consecutive pieces of text, byte for byte, where each
    ``Streamed`` in ``value`` (a dict's value or a list's item) is written as the list of its items, one
    chunk at a time: memory holds the rest of ``value``'s text and one chunk, whatever the lists' length.

    Each ``Streamed`` is first written as a unique marker string; the text is then cut at the markers and
    each list written in its place, indented as ``json.dumps`` indents a list at that depth (its items one
    level deeper than the line it opens on; an empty list as ``[]``)."""
    token = secrets.token_hex(8)
    lists: dict[str, Streamed] = {}

    def marked(v):
        if isinstance(v, Streamed):
            lists[key := f"{token}:{len(lists)}"] = v
            return key
        if isinstance(v, dict):
            return {k: marked(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [marked(x) for x in v]
        return v

    text = dump_json(marked(value), indent=indent)
    at = 0
    for found in re.finditer(f'"({token}:[0-9]+)"', text):
        yield text[at:found.start()]
        line = text[text.rfind("\n", 0, found.start()) + 1:found.start()]
        depth = len(line) - len(line.lstrip(" "))
        yield from _list_pieces(lists[found.group(1)], depth, indent)
        at = found.end()
    yield text[at:]


def _list_pieces(streamed: Streamed, depth: int, indent: int) -> Iterator[str]:
    """A ``Streamed`` list's text opened at ``depth`` spaces, a chunk at a time: scalar items, one a line."""
    pad, opened = "\n" + " " * (depth + indent), False
    for chunk in streamed.chunks():
        if not len(chunk):
            continue
        items = dump_json(list(chunk), indent=1)[3:-2]  # "[\n a,\n b\n]" → "a,\n b": scalars hold no newline
        yield ("[" if not opened else ",") + pad + items.replace("\n ", pad)
        opened = True
    yield "\n" + " " * depth + "]" if opened else "[]"
