"""argparse's own messages (``unrecognized arguments: --x``, ``expected one argument``) as ``engine.Wording``s,
so ``python -m tui --lang ko`` can say them in Korean (``i18n.message``) like every other refusal.

argparse writes each message from a template it passes to ``gettext`` (``_('expected one argument')``,
``_('invalid choice: %(value)r (choose from %(choices)s)') % args``). While ``wordings()`` is active, the
module's two private names for gettext (``argparse._``, ``argparse.ngettext``, read at call time) give the
template back as a ``Template``, whose ``%`` makes a ``Wording`` of the same English, its template in braces
(``invalid choice: {value} (choose from {choices})``) and its values by name (a ``%r`` value as its repr, a
lone ``%s``/``%r`` as ``value``). This module is the only one that touches them (tested on CPython 3.11; ``tests/tui/test_korean_words.py``
checks that every template of ``ERRORS`` is still in argparse's source and has its Korean).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager

from engine import Wording

FIELD = re.compile(r"%(?:\((\w+)\))?([sr%])")

ERRORS = (
    "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s",
    "ambiguous option: %(option)s could match %(matches)s",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "expected one argument",
    "expected at most one argument",
    "expected at least one argument",
    "expected %s argument",
    "expected %s arguments",
    "invalid %(type)s value: %(value)r",
    "the following arguments are required: %s",
    "one of the arguments %s is required",
    "not allowed with argument %s",
    "ignored explicit argument %r",
)
"""The templates of argparse's errors a user can meet on the app's flags (the others are a programmer's)."""


def braced(template: str) -> str:
    """argparse's ``%`` template as a ``Wording`` template: ``%(name)s``/``%(name)r`` → ``{name}``, a lone
    ``%s``/``%r`` → ``{value}``, ``%%`` → ``%``, braces doubled."""
    text = template.replace("{", "{{").replace("}", "}}")
    return FIELD.sub(lambda m: "%" if m.group(2) == "%" else "{" + (m.group(1) or "value") + "}", text)


class Template(str):
    """An argparse template (the English itself) whose ``%`` gives a ``Wording`` of it."""

    def __mod__(self, values) -> str:
        fields = [(m.group(1), m.group(2)) for m in FIELD.finditer(self) if m.group(2) != "%"]
        shown = lambda value, kind: repr(value) if kind == "r" else value  # noqa: E731
        if isinstance(values, dict) and all(name for name, _ in fields):
            named = {name: shown(values[name], kind) for name, kind in fields}
        elif len(fields) == 1 and fields[0][0] is None:
            value = values[0] if isinstance(values, tuple) and len(values) == 1 else values
            named = {"value": shown(value, fields[0][1])}
        else:  # a template of another shape: its plain English
            return str.__mod__(self, values)
        return Wording(braced(self), **named)


def _gettext(message: str) -> str:
    return Template(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return Template(singular if n == 1 else plural)


@contextmanager
def wordings() -> Iterator[None]:
    """argparse's messages made inside the block are ``Wording``s (see the module)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
