"""One set of value checks — whole numbers, numbers in a range, flags, names — each message written once.

The engine, the CLI (``python -m engine``) and the app all check a user's value through these,
so a bad value reads the same wherever it was typed:

    samples must be a whole number ≥ 1, got 0
    classes must be a whole number from 2 to 20, got 50
    learning rate must be a finite number > 0, got 'abc'
    validation split must be in [0, 1), got 1.0
    nesterov must be True or False, got 'yes'
    unknown optimizer 'adma'; did you mean 'adam'? (valid: sgd, adagrad, …)

Each check returns the value in its plain Python type or raises ``error`` (``ConfigError`` unless
the caller names its own ``ValueError`` subclass, e.g. ``DatasetError``) with that one line.
The ``parse_*`` forms take the text a user typed and give the same message for text that is not
a number at all.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Mapping

import numpy as np

from engine.wording import Wording


class ConfigError(ValueError):
    """A setting that cannot be used; the message is one line, fit for a user."""


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


_MUST_BE = "{name} must be {bounds}, got {value}"


def must_be(name: str, bounds: str, value) -> Wording:
    """``"{name} must be {bounds}, got {value!r}"``: the one refusal of a value out of bounds."""
    return Wording(_MUST_BE, name=name, bounds=bounds, value=repr(value))


# -- whole numbers -------------------------------------------------------------------------------
def whole_bounds(minimum: int | None = None, maximum: int | None = None) -> str:
    """``"a whole number ≥ 1"``, ``"a whole number from 2 to 20"`` or ``"a whole number"``."""
    if minimum is not None and maximum is not None:
        return Wording("a whole number from {low} to {high}", low=minimum, high=maximum)
    if minimum is not None:
        return Wording("a whole number ≥ {low}", low=minimum)
    if maximum is not None:
        return Wording("a whole number ≤ {high}", high=maximum)
    return Wording("a whole number")


def _whole_ok(value, minimum, maximum) -> bool:
    return not _is_bool(value) and isinstance(value, numbers.Integral) \
        and (minimum is None or value >= minimum) and (maximum is None or value <= maximum)


def whole_number(name: str, value, *, minimum: int | None = None, maximum: int | None = None,
                 allow_none: bool = False, error: type[ValueError] = ConfigError) -> int | None:
    """``int(value)`` if it is an integer (not a bool) within ``[minimum, maximum]``, else ``error``."""
    if value is None and allow_none:
        return None
    if not _whole_ok(value, minimum, maximum):
        bounds = whole_bounds(minimum, maximum)
        raise error(must_be(name, Wording("{bounds} or {word}", bounds=bounds, word="None") if allow_none else bounds, value))
    return int(value)


def parse_whole(name: str, text: str, *, minimum: int | None = None, maximum: int | None = None,
                error: type[ValueError] = ConfigError) -> int:
    """A whole number from user text (``" 32 "`` → 32); the message quotes the text as typed."""
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if not _whole_ok(value, minimum, maximum):
        raise error(must_be(name, whole_bounds(minimum, maximum), text))
    return value


# -- real numbers --------------------------------------------------------------------------------
def number_bounds(low: float | None = None, high: float | None = None, *,
                  low_open: bool = False, high_open: bool = False) -> str:
    """``"a finite number > 0"``, ``"in [0, 1)"``, ``"a finite number"``…: what ``number`` accepts."""
    if low is not None and high is not None:
        return Wording("in {interval}", interval=f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}")
    if low is not None:
        return Wording("a finite number > {low}" if low_open else "a finite number ≥ {low}", low=f"{low:g}")
    if high is not None:
        return Wording("a finite number < {high}" if high_open else "a finite number ≤ {high}", high=f"{high:g}")
    return Wording("a finite number")


def _number_ok(value, low, high, low_open, high_open) -> bool:
    return not _is_bool(value) and isinstance(value, numbers.Real) and math.isfinite(value) \
        and (low is None or value > low or (value == low and not low_open)) \
        and (high is None or value < high or (value == high and not high_open))


def number(name: str, value, *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False,
           error: type[ValueError] = ConfigError) -> float:
    """``float(value)`` if it is a finite real number (not a bool) within the bounds, else ``error``.

    ``low_open``/``high_open`` exclude the bound: ``number("lr", x, low=0, low_open=True)`` is x > 0.
    """
    if not _number_ok(value, low, high, low_open, high_open):
        raise error(must_be(name, number_bounds(low, high, low_open=low_open, high_open=high_open), value))
    return float(value)


def parse_number(name: str, text: str, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False,
                 error: type[ValueError] = ConfigError) -> float:
    """A number from user text (``"1e-3"`` → 0.001); the message quotes the text as typed."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if not _number_ok(value, low, high, low_open, high_open):
        raise error(must_be(name, number_bounds(low, high, low_open=low_open, high_open=high_open), text))
    return value


def as_typed(refusal: str, value, text: str) -> str:
    """``refusal`` of ``value``, read from ``text``, quoting ``text`` as the user typed it (``got '0.00001'``, not
    ``got 1e-05``): a check further on (an optimizer's own bounds) saw only the number. Any other refusal as it is."""
    if isinstance(refusal, Wording) and refusal.template == _MUST_BE and refusal.values.get("value") == repr(value):
        return Wording(_MUST_BE, **{**refusal.values, "value": repr(text.strip())})
    return refusal


def options_as_typed(refusal: str, options: Iterable[tuple[str, object, str]]) -> str:
    """``refusal`` quoting the value of the option it names, of ``options`` as ``(key, value, text)``, as it was
    typed (``--opt momentum=1.10``: ``momentum must be in [0, 1], got '1.10'``, not ``got 1.1``)."""
    for key, value, text in options:
        if getattr(refusal, "values", {}).get("name") == key:
            refusal = as_typed(refusal, value, text)
    return refusal


def parse_pair(name: str, text: str) -> tuple[float, float]:
    """Two numbers from user text ``"X,Y"`` (``"-1, 2.5"`` → ``(-1.0, 2.5)``)."""
    parts = text.split(",")
    if len(parts) != 2:
        raise ConfigError(must_be(name, Wording("two numbers X,Y"), text))
    x, y = (parse_number(name, part.strip()) for part in parts)
    return x, y


# -- flags ---------------------------------------------------------------------------------------
def parse_flag_or_number(name: str, text: str) -> bool | float:
    """An option typed as text: ``true``/``false`` (any case) is a flag, anything else must be a number."""
    text = text.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return parse_number(name, text)


def flag(name: str, value, *, error: type[ValueError] = ConfigError) -> bool:
    """``value`` if it is a bool, else ``error`` (so the text ``"false"`` never reads as True)."""
    if not _is_bool(value):
        raise error(must_be(name, Wording("True or False"), value))
    return bool(value)


# -- names ---------------------------------------------------------------------------------------
LISTED = 40
"""The most valid names an unknown-name message lists (a CSV header may have thousands)."""


def unknown_name_message(kind: str, name: object, valid: Iterable[str]) -> str:
    """One line naming the bad value, the closest valid name if any, and all valid names."""
    valid = list(valid)
    close = difflib.get_close_matches(str(name).lower(), valid, n=1, cutoff=0.6)
    listed = ", ".join(valid[:LISTED]) + (f", … ({len(valid)} in all)" if len(valid) > LISTED else "")
    if close:
        return Wording("unknown {kind} {name}; did you mean {close}? (valid: {valid})",
                       kind=kind, name=repr(name), close=repr(close[0]), valid=listed)
    return Wording("unknown {kind} {name} (valid: {valid})", kind=kind, name=repr(name), valid=listed)


def name(kind: str, value, valid: Iterable[str], aliases: Mapping[str, str] | None = None, *,
         error: type[ValueError] = ConfigError) -> str:
    """The canonical name for ``value`` (case and spaces ignored, aliases followed), else ``error``.

    The message lists ``valid`` and the aliases, with a "did you mean" for a near miss.
    """
    valid = list(valid)
    aliases = aliases or {}
    key = value.lower().strip() if isinstance(value, str) else value
    key = aliases.get(key, key)
    if isinstance(key, str) and key in valid:
        return key
    raise error(unknown_name_message(kind, value, [*valid, *(a for a in aliases if a not in valid)]))
