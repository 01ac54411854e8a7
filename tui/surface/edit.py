"""``apply_edit``: one ``KEY=VALUE`` typed in the surface view, applied to its scene (or refused with one line)."""

from __future__ import annotations

from engine import checks, parse_float, surfaces
from tui.surface.scene import MAX_STEPS

ALIASES = {"lr": "learning_rate", "k": "kappa", "κ": "kappa"}
SCENE_KEYS = ("optimizer", "start", "steps", "kappa", "surface")


def parse_value(key: str, text: str):
    """``true``/``false`` as flags, anything else as a number (``ValueError`` naming ``key`` if not)."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return parse_float(key, text)


def apply_edit(scene, index: int, text: str) -> bool:
    """Apply ``text`` to walker ``index`` of ``scene`` (or to the scene). Returns whether the walks restarted.

    Keys: the walker's hyperparameters (``lr``/``learning_rate``, ``momentum``, ``beta_1``, …: live,
    from the next step), ``optimizer=NAME`` (that walk restarts), and for the scene ``start=X,Y``,
    ``steps=N``, ``kappa=K`` (the quadratic) and ``surface=NAME`` (all walks restart).
    """
    key, sep, value = text.strip().partition("=")
    key, value = ALIASES.get(key.strip().lower(), key.strip().lower()), value.strip()
    if not sep or not key or not value:
        raise ValueError(f"type KEY=VALUE (e.g. lr=0.05, momentum=0.5, start=-1,2), got {text.strip()!r}")
    if key == "optimizer":
        scene.set_optimizer(index, value.lower())
        return True
    if key == "start":
        parts = value.split(",")
        if len(parts) != 2:
            raise ValueError(f"start must be two numbers X,Y, got {value!r}")
        scene.set_start(*(parse_float("start", p.strip()) for p in parts))
        return True
    if key == "steps":
        scene.set_steps(checks.parse_whole("steps", value, minimum=1, maximum=MAX_STEPS))
        return True
    if key == "kappa":
        if not isinstance(scene.surface, surfaces.Quadratic):
            raise ValueError(f"kappa is the quadratic's κ; {scene.surface.name} has none")
        surfaces.get("quadratic", kappa=parse_float("kappa", value))  # refuse before changing anything
        scene.set_surface("quadratic", kappa=parse_float("kappa", value))
        return True
    if key == "surface":
        scene.set_surface(value.lower())
        return True
    scene.set_option(index, key, parse_value(key, value))
    return False
