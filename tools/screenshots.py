"""``python -m tools.screenshots [NAME …]``: regenerate the SVGs in ``screenshots/`` from seeded runs
(all of them, or only those named, e.g. ``python -m tools.screenshots surface landscape``)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from engine import ExperimentConfig
from tui import i18n, lessons
from tui.app import make_app

OUT = Path(__file__).resolve().parent.parent / "screenshots"


async def shoot(name: str, config: ExperimentConfig, size: tuple[int, int], keys: tuple[str, ...] = ("space",),
                after: tuple[str, ...] = ()) -> Path:
    app = make_app(config, cursor_blink=False, speed=None)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)  # one redraw tick
        if after:
            await pilot.press(*after)
            await pilot.pause(0.1)
        path = OUT / f"{name}.svg"
        app.save_screenshot(path.name, str(OUT))
    return path


async def shoot_surface(name: str, size: tuple[int, int], keys: tuple[str, ...]) -> Path:
    """The surface view after ``keys``, once its walks have finished and any landscape is drawn."""
    app = make_app(ExperimentConfig(epochs=20), cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s", *keys)
        for _ in range(400):  # the walks step on the view's timer
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if app.screen.status != "running":
                break
        await pilot.pause(0.3)  # one redraw tick
        path = OUT / f"{name}.svg"
        app.save_screenshot(path.name, str(OUT))
    return path


async def shoot_lesson(name: str, lang: str, size: tuple[int, int]) -> Path:
    """A lesson run to its end (at max speed), its card in ``lang``."""
    try:
        app = make_app(lesson=lessons.get(name), cursor_blink=False, speed=None, lang=lang)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("space")
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            path = OUT / f"lesson-{name}-{lang}-{size[0]}x{size[1]}.svg"
            app.save_screenshot(path.name, str(OUT))
    finally:
        i18n.set_language("en")
    return path


SPIRAL = ExperimentConfig(dataset="spiral", classes=3, loss="sparse_categorical_crossentropy", hidden=(32, 32),
                          learning_rate=0.01, epochs=60)
"""Three spiral arms a 2-32-32-3 network untangles in 60 epochs."""

FASTEST = ("plus",) * 4
"""From the surface view's 30/s to max (400 per second at most: 20 updates a frame)."""

SHOTS = {
    "main": lambda: shoot("main", ExperimentConfig(epochs=40), (120, 40)),
    "sgd-noisy": lambda: shoot("sgd-noisy", ExperimentConfig(epochs=10, batch_size=1, samples=400, optimizer="sgd"),
                               (120, 40)),
    "small-80x24": lambda: shoot("small-80x24", ExperimentConfig(samples=2000, batch_size=200, validation_split=0.0,
                                                                 epochs=5), (80, 24), keys=("e",)),
    "diverged": lambda: shoot("diverged", ExperimentConfig(dataset="sine", loss="mse", optimizer="sgd",
                                                           learning_rate=10.0, epochs=50), (120, 40)),
    "help": lambda: shoot("help", ExperimentConfig(epochs=5), (100, 30), after=("question_mark",)),
    "race": lambda: shoot("race", ExperimentConfig(epochs=20), (120, 40), keys=("c", "space")),
    "race-80x24": lambda: shoot("race-80x24", ExperimentConfig(epochs=20), (80, 24), keys=("c", "space")),
    "map-moons-1": lambda: shoot("map-moons-1", ExperimentConfig(epochs=40), (120, 40), keys=("e",)),
    "map-moons-5": lambda: shoot("map-moons-5", ExperimentConfig(epochs=40), (120, 40), keys=("e",) * 5),
    "map-spiral": lambda: shoot("map-spiral", SPIRAL, (120, 40)),
    "map-sine": lambda: shoot("map-sine", ExperimentConfig(dataset="sine", loss="mse", learning_rate=0.01,
                                                           epochs=60), (120, 40)),
    "map-80x24": lambda: shoot("map-80x24", ExperimentConfig(epochs=20), (80, 24), after=("m",)),
    "optimizer-panel": lambda: shoot("optimizer-panel", ExperimentConfig(epochs=20, optimizer="adagrad"), (120, 40),
                                     after=("m",)),
    "race-maps": lambda: shoot("race-maps", ExperimentConfig(epochs=20), (120, 40), keys=("c", "m", "space")),
    "race-steps": lambda: shoot("race-steps", ExperimentConfig(epochs=20), (120, 40), keys=("c", "m", "m", "space")),
    "surface": lambda: shoot_surface("surface", (120, 40), (*FASTEST, "space")),
    "surface-batches": lambda: shoot_surface("surface-batches", (120, 40), ("b", *FASTEST, "space")),
    "landscape": lambda: shoot_surface("landscape", (120, 40), ("w", "d", "c")),
    **{f"lesson-overfitting-{lang}-{w}x{h}": (lambda lang=lang, size=(w, h): shoot_lesson("overfitting", lang, size))
       for lang in ("en", "ko") for w, h in ((80, 24), (120, 40))},
}


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    names = sys.argv[1:] or list(SHOTS)
    unknown = [n for n in names if n not in SHOTS]
    if unknown:
        sys.exit(f"unknown screenshot {unknown[0]!r} (valid: {', '.join(SHOTS)})")
    for name in names:
        print(await SHOTS[name]())


if __name__ == "__main__":
    asyncio.run(main())
