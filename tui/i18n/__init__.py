"""The app's words in English and Korean: one lookup, ``t(key, **values)``, from ``en.toml`` / ``ko.toml``.

Keys are dotted paths (``"lesson.momentum.title"``); values may quote ``{name}`` fields filled
from ``values``. The language is chosen once for the process (``set_language``, ``--lang``) and
can be switched live by the app; a key missing from a language is a bug (a test checks both
files hold the same keys and the same fields), so ``t`` raises ``KeyError`` for it.

Some tables are in the other languages only, their English being in the code (``ONLY_ELSEWHERE``):
``key.<id>``, what a key binding is called in the footer and the palette (English: the ``Binding``'s
own description; ``<id>`` is the binding's id, or its action for Textual's own bindings);
``textual.*``, Textual's own words (its palette's entries and placeholder); ``field.<key>``, a
setting's name (English: made from its Keras name, ``learning rate``); ``label.<label>``, a panel
row's or section's label (notation such as ``lr`` has none); ``dataset.<name>``, a
generator's one line; ``axis.<label>``, a plot's axis label or a curve's name in its key;
``engine.<template>``, the engine's words (a refusal, a run's state) by the
template they are written from (an ``engine.Wording``'s, or a fixed word itself: ``message``);
``kind.<kind>``, what a refused name names (``unknown {kind} …``: ``loss``, ``lesson``), apart from the
fixed words because a kind may also be a menu entry (``loss``), which stays as it is. A test
derives every binding, palette entry, setting, generator and wording from the app and the engine and
checks each has its words in every language.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from engine import Wording, text_of

LANGUAGES = ("en", "ko")
"""Language codes, the default first."""

NAMES = {"en": "English", "ko": "한국어"}

_FOLDER = Path(__file__).parent
_current = ["en"]


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


@cache
def strings(lang: str) -> dict[str, str]:
    """Every string of ``lang`` by its dotted key."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (valid: {', '.join(LANGUAGES)})")
    with open(_FOLDER / f"{lang}.toml", "rb") as f:
        return _flatten(tomllib.load(f))


def fields(text: str) -> set[str]:
    """The ``{name}`` fields a string quotes."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def set_language(lang: str) -> None:
    """Make ``lang`` the language ``t`` answers in; ``ValueError`` for an unknown code."""
    strings(lang)
    _current[0] = lang


def language() -> str:
    return _current[0]


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """``lang`` is the current language inside the block (the app's words made in another language, e.g. to
    find a palette entry by its English name); the language before it comes back after."""
    before = _current[0]
    set_language(lang)
    try:
        yield
    finally:
        _current[0] = before


def t(key: str, lang: str | None = None, **values) -> str:
    """The string ``key`` in ``lang`` (default: the current language), its fields filled from ``values``."""
    text = strings(lang or _current[0])[key]
    return text.format(**values) if values else text


ONLY_ELSEWHERE = ("key.", "textual.", "field.", "label.", "dataset.", "engine.", "axis.", "kind.")
"""Tables whose English is in the code (a binding's description, Textual's own words, a setting's name made
from its key, a generator's docstring): other languages only."""


OS_REASONS = ("No such file or directory", "Permission denied", "Is a directory", "Not a directory",
              "Read-only file system", "No space left on device", "File name too long", "Address already in use",
              "Cannot assign requested address", "Name or service not known", "Temporary failure in name resolution")
"""Why the system refused a file or an address, in its own (C locale) words, as a refusal quotes them (``cannot
read: No such file or directory``): fixed words of the ``engine.`` table, so a refusal is said whole in another
language."""


def words(key: str, english: str, lang: str | None = None) -> str:
    """``key`` in ``lang`` (default: the current language), where English is ``english`` itself (a
    ``ONLY_ELSEWHERE`` table); ``english`` if the language has no entry (a test makes sure it has)."""
    lang = lang or _current[0]
    return english if lang == LANGUAGES[0] else strings(lang).get(key, english)


def message(text: str | BaseException, lang: str | None = None) -> str:
    """The engine's English ``text`` (a refusal, a run's state, a menu entry) in ``lang`` (default: the
    current language).

    A ``Wording`` (``diverged at epoch 3, iteration 7``) is looked up by its template,
    ``engine.<template>``, and its values are put in the language in turn (a value that is itself a
    ``Wording``, such as a refusal's bounds, or one of the engine's fixed words such as a setting's
    name; a ``kind`` by the ``kind.`` table); any other string only if it is itself one of those fixed words (``ready``,
    ``learning rate``). Anything else — an engine line no language has yet, a value as the user
    typed it — stays as it is, in English (a test derives every wording the code writes and checks
    each has its words)."""
    lang = lang or _current[0]
    if isinstance(text, BaseException):
        text = text_of(text)
    if lang == LANGUAGES[0]:
        return text
    table = strings(lang)
    if isinstance(text, Wording):
        words_ = table.get(f"engine.{text.template}")
        return text if words_ is None else _filled(words_, text, lang)
    return table.get(f"engine.{text}", text)


def _filled(words_: str, text: Wording, lang: str) -> str:
    """``words_`` (``text``'s template in ``lang``) with ``text``'s values, each in ``lang`` in turn."""
    return words_.format(**{k: (words(f"kind.{v}", message(v, lang), lang) if k == "kind" else message(v, lang))
                             if isinstance(v, str) else v for k, v in text.values.items()})


def brief(text: str | BaseException, lang: str | None = None) -> str:
    """The engine's ``text`` in the few words a narrow place has room for (a refusal under a panel row), in
    ``lang`` (default: the current language): a ``Wording`` whose template has an entry in the ``brief`` table
    (``brief.<template>``, its values filled in as ``message`` fills them), else ``message(text)``. The full line
    goes where there is room (a notice)."""
    lang = lang or _current[0]
    if isinstance(text, BaseException):
        text = text_of(text)
    words_ = strings(lang).get(f"brief.{text.template}") if isinstance(text, Wording) else None
    return message(text, lang) if words_ is None else _filled(words_, text, lang)


def label(binding) -> str:
    """What a key binding is called in the footer and the palette, in the current language."""
    return words(f"key.{binding.id or binding.action}", binding.description)


def has(key: str) -> bool:
    return key in strings(_current[0])
