"""Arrow-key steps of a numeric field: ↑ / ↓ move a value one step, by a rule that suits its kind.

    tenfold   learning rate, ε, weight decay, acc₀    x → x·10 / x÷10          0.001 → 0.01
    nines     momentum, β1, β2, ρ (decays < 1)        1−x → (1−x)÷10 / ·10     0.9 → 0.99 / 0
    tenth     noise, validation split (fractions)     x → x ± 0.1              0.2 → 0.3
    one       epochs, samples, seed, B, …             n → n ± 1                20 → 21

A stepped value is text, as if typed: the field checks it and the app applies it the same way,
so a step past a bound (momentum 0 ↓ → −9) is refused in place with the usual one line.
"""

from __future__ import annotations

from collections.abc import Callable

from engine import ConfigError, Wording

Step = Callable[[float, int], float]
"""``(value, direction) → value``; ``direction`` is +1 for ↑, −1 for ↓."""


def tenfold(value: float, direction: int) -> float:
    """x·10 up, x/10 down: learning rates move by orders of magnitude."""
    if value == 0:
        raise ConfigError(Wording("0 has no order of magnitude to step: type a value"))
    return value * 10 if direction > 0 else value / 10


def nines(value: float, direction: int) -> float:
    """One nine more up (0.9 → 0.99 → 0.999), one fewer down (0.99 → 0.9 → 0): the distance to 1
    divided or multiplied by 10, as an average's memory 1/(1−x) grows tenfold."""
    gap = 1.0 - value
    return 1.0 - (gap / 10 if direction > 0 else gap * 10)


def tenth(value: float, direction: int) -> float:
    """x ± 0.1: fractions of the data (noise, validation split)."""
    return value + 0.1 * direction


def one(value: float, direction: int) -> float:
    """n ± 1: whole numbers."""
    return value + direction


def stepped(text: str, default: str, step: Step, direction: int) -> str:
    """The text of one step from ``text`` (blank: from ``default``, the value a blank field means).

    ``ConfigError`` (one line) if there is no number to step from.
    """
    start = text.strip() or default.strip()
    try:
        value = float(start)
    except ValueError:
        if not start:
            raise ConfigError(Wording("↑ ↓ step a number; 'a blank field' is not one: type a value")) from None
        raise ConfigError(Wording("↑ ↓ step a number; {value} is not one: type a value", value=repr(start))) from None
    new = step(value, direction)
    if step is one:
        return str(int(new))
    if step is not tenfold:
        new = round(new, 12)  # sums of tenths: 0.2 + 0.1 is 0.3, 1 − 0.1·10 is 0
    return format(new, ".12g")


HYPERPARAMETER_STEPS: dict[str, Step] = {
    "learning_rate": tenfold, "epsilon": tenfold, "weight_decay": tenfold, "initial_accumulator_value": tenfold,
    "momentum": nines, "beta_1": nines, "beta_2": nines, "rho": nines,
}
"""Each optimizer hyperparameter's rule; any other number steps tenfold."""

STEP_NAMES: dict[Step, tuple[str, str]] = {
    tenfold: ("×10", "÷10"), nines: ("one 9 more", "one 9 fewer"), tenth: ("+0.1", "−0.1"), one: ("+1", "−1"),
}
"""Each rule's ↑ and ↓ in words (the palette's entries)."""
