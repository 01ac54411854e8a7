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
generator's one line; ``engine.<English wording>``, the engine's words (a refusal, a run's state)
by the pattern it is written from (``message``). A test derives every binding, palette entry, setting and generator from the
app and the engine and checks each has its words in every language.
"""

from __future__ import annotations

import re
import string
import tomllib
from functools import cache
from pathlib import Path

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


def t(key: str, lang: str | None = None, **values) -> str:
    """The string ``key`` in ``lang`` (default: the current language), its fields filled from ``values``."""
    text = strings(lang or _current[0])[key]
    return text.format(**values) if values else text


ONLY_ELSEWHERE = ("key.", "textual.", "field.", "label.", "dataset.", "engine.")
"""Tables whose English is in the code (a binding's description, Textual's own words, a setting's name made
from its key, a generator's docstring): other languages only."""


def words(key: str, english: str, lang: str | None = None) -> str:
    """``key`` in ``lang`` (default: the current language), where English is ``english`` itself (a
    ``ONLY_ELSEWHERE`` table); ``english`` if the language has no entry (a test makes sure it has)."""
    lang = lang or _current[0]
    return english if lang == LANGUAGES[0] else strings(lang).get(key, english)


@cache
def _patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    """``engine.*`` of ``lang``: each English wording as a pattern (``{name}`` matches any text), and its words."""
    out = []
    for key, text in strings(lang).items():
        if key.startswith("engine."):
            parts = list(string.Formatter().parse(key[len("engine."):]))
            pattern = "".join(re.escape(lit) + (f"(?P<{name}>.+?)" if name else "") for lit, name, _, _ in parts)
            words_ = sum(len(lit) for lit, _, _, _ in parts)  # the most specific wording (most fixed text) first
            out.append((words_, re.compile(pattern + "$", re.S), text))
    return [(pattern, text) for _, pattern, text in sorted(out, key=lambda p: -p[0])]


def message(text: str, lang: str | None = None) -> str:
    """The engine's English ``text`` (a refusal, a run's state: ``diverged at epoch 3, iteration 7``) in
    ``lang`` (default: the current language), by the first ``engine.*`` wording it matches, its
    ``{fields}`` in turn put in the language (``a whole number ≥ 1`` inside a refusal); ``text`` as
    it is if none matches."""
    lang = lang or _current[0]
    if lang == LANGUAGES[0]:
        return text
    for pattern, words_ in _patterns(lang):
        found = pattern.match(text)
        if found:
            return words_.format(**{k: message(v, lang) for k, v in found.groupdict().items()})
    return text


def label(binding) -> str:
    """What a key binding is called in the footer and the palette, in the current language."""
    return words(f"key.{binding.id or binding.action}", binding.description)


def has(key: str) -> bool:
    return key in strings(_current[0])
