"""The keys the randomized test types: every kind the issue lists, each drawn with a weight.

Weights follow what a key costs the app, not how much it matters: a key that moves the focus or opens a view
restyles or composes a screen (10–100 ms), a binding that only flips a flag or steps a cursor costs under a
millisecond. Drawing the costly ones less often is what lets a suite run type thousands of keys; each session
still types every key of the vocabulary at least once (``session_keys``).
"""

from __future__ import annotations

import random

from tui.app import DescendApp
from tui.lessons.menu import LessonMenu
from tui.palette import DescendPalette
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen
from tui.widgets.help_screen import HelpScreen
from tui.widgets.size_guard import SizeGuard

QUIT_KEYS = ("q", "ctrl+c", "ctrl+q")
"""Keys that end the app (q only where it is not typed into a field): typed at a session's end, then more keys."""

SCREENS = (DescendApp, RaceScreen, SurfaceScreen, HelpScreen, SizeGuard, LessonMenu, DescendPalette)

OPENING = {"c", "s", "L", "K", "question_mark", "f", "w", "p", "o", "i", "m", "y", "ctrl+p", "tab", "shift+tab"}
"""Bindings that open a view, a panel or the palette, switch the language, save a file or move the focus:
each composes, restyles or writes something (the costly keys)."""


SESSION_ONCE = {"p", "K"}
"""The costliest: a screenshot (every cell of the screen to SVG) and the language switch (every widget redrawn)
are typed once in ``parts`` sessions, never drawn at random."""


def binding_keys() -> list[str]:
    """Every key bound in the main, race and surface views, help, the size note, the lessons menu and the palette."""
    keys = {key.strip() for screen in SCREENS for binding in screen.BINDINGS for key in binding.key.split(",")}
    return sorted(keys - set(QUIT_KEYS))


NAVIGATION = ["up", "down", "left", "right", "enter", "escape", "backspace", "home", "end", "pageup", "pagedown",
              "space"]
TEXT = [*"abcdefghijklmnoprstuvwxyz0123456789", "comma", "full_stop", "minus", "plus", "backspace"]
PHRASES = [["ctrl+p", *"reset", "enter"], ["ctrl+p", "r", "enter", "escape"], ["ctrl+p", *"adam", "enter"],
           ["ctrl+p", *"compare", "enter", "escape"], ["ctrl+p", *"batch", "down", "enter"],
           ["ctrl+p", *"help", "enter", "escape"], ["ctrl+p", "escape", "escape"], ["c", "escape", "c"],
           ["question_mark", "escape", "escape"], ["tab", *"100000,100000", "enter"], ["tab", "0", "enter"],
           ["ctrl+p", "pagedown", "pageup", "escape"], ["L", "down", "enter"], ["s", "w", "escape", "escape"]]
"""What a fast typist does: the palette picked and left at once, views opened and closed, fields filled."""


def random_keys(rng: random.Random, n: int) -> list[str]:
    """``n`` keys: mostly cheap bindings, navigation and text; now and then a costly key or a typed phrase."""
    cheap = [key for key in binding_keys() if key not in OPENING]
    costly = sorted(OPENING - SESSION_ONCE)
    text = [key for key in TEXT if key not in OPENING]  # c, s, p, w… typed as text would be costly keys half the time
    keys: list[str] = []
    while len(keys) < n:
        kind = rng.random()
        if kind < 0.005:
            keys.extend(rng.choice(PHRASES))
        elif kind < 0.025:
            keys.append(rng.choice(costly))
        elif kind < 0.45:
            keys.append(rng.choice(cheap))
        elif kind < 0.75:
            keys.append(rng.choice(NAVIGATION))
        else:
            keys.append(rng.choice(text))
    return keys[:n]


def session_keys(rng: random.Random, n: int, part: int = 0, parts: int = 1) -> list[str]:
    """``n`` random keys, ending with a quit key and a few keys typed right after it (the app must end cleanly
    all the same). Among them (shuffled in) each cheap key of the vocabulary, and the ``part``-th of ``parts``
    shares of the costly ones: ``parts`` sessions type every key at least once."""
    every = [*(key for key in binding_keys() if key not in OPENING), *NAVIGATION, *TEXT, *sorted(OPENING)[part::parts]]
    keys = random_keys(rng, max(0, n - len(every) - 4))
    for key in rng.sample(every, len(every)):
        keys.insert(rng.randrange(len(keys) + 1), key)
    return [*keys, rng.choice(QUIT_KEYS), *rng.sample(["c", "s", "question_mark", "space", "escape", "L"], 3)]

