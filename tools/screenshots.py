"""``python -m tools.screenshots``: regenerate the SVGs in ``screenshots/`` from seeded runs."""

from __future__ import annotations

import asyncio
from pathlib import Path

from engine import ExperimentConfig
from tui.app import make_app

OUT = Path(__file__).resolve().parent.parent / "screenshots"


async def shoot(name: str, config: ExperimentConfig, size: tuple[int, int], keys: tuple[str, ...] = ("space",),
                after: tuple[str, ...] = ()) -> Path:
    app = make_app(config, cursor_blink=False)
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


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    shots = [
        await shoot("main", ExperimentConfig(epochs=40), (120, 40)),
        await shoot("sgd-noisy", ExperimentConfig(epochs=10, batch_size=1, samples=400, optimizer="sgd"), (120, 40)),
        await shoot("small-80x24", ExperimentConfig(samples=2000, batch_size=200, validation_split=0.0, epochs=5),
                    (80, 24), keys=("e",)),
        await shoot("diverged", ExperimentConfig(dataset="sine", loss="mse", optimizer="sgd", learning_rate=10.0,
                                                 epochs=50), (120, 40)),
        await shoot("help", ExperimentConfig(epochs=5), (100, 30), after=("question_mark",)),
        await shoot("race", ExperimentConfig(epochs=20), (120, 40), keys=("c", "space")),
        await shoot("race-80x24", ExperimentConfig(epochs=20), (80, 24), keys=("c", "space")),
    ]
    for path in shots:
        print(path)


if __name__ == "__main__":
    asyncio.run(main())
