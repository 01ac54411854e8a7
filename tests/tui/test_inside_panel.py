"""The optimizer panel's table: a row per layer when wide, turned (a column per layer) when narrow
and tall enough, else the narrow columns — every quantity the issue lists where there is room."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console

from engine import ExperimentConfig, build_experiment
from engine.diagnostics_recorder import DiagnosticsRecorder
from tui import i18n
from tui.main.inside_panel import summary, table


def rendered(renderable, width: int = 120) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def diagnostics(optimizer: str = "adam"):
    experiment = build_experiment(ExperimentConfig(samples=100, epochs=1, optimizer=optimizer))
    trainer = experiment.trainer()
    recorder = DiagnosticsRecorder(experiment.model, trainer.x, trainer.y, iterations_per_epoch=trainer.iterations_per_epoch)
    trainer.fit(verbose=0, callbacks=[recorder])
    return recorder.entries[-1]


def test_wide_turned_and_narrow_tables():
    d = diagnostics()
    wide = rendered(table(d, 80))
    assert wide.split("\n")[0].split() == ["layer", "‖g‖", "‖θ‖", "Δθ/θ", "lr", "min", "lr", "med", "lr", "max", "‖m‖"]
    assert [line.split()[0] for line in wide.strip().split("\n")[1:]] == ["dense", "dense", "dense", "all"]
    turned = rendered(table(d, 48, 16), 48)
    lines = turned.strip().split("\n")
    assert lines[0].split() == ["layer", "1", "2", "3", "all"]
    assert [" ".join(line.split()[:2]) if line.startswith(" lr") else line.split()[0] for line in lines[1:]] == \
        ["‖g‖", "‖θ‖", "Δθ/θ", "lr min", "lr med", "lr max", "‖m‖"]
    assert max(len(line.rstrip()) for line in lines) <= 48
    narrow = rendered(table(d, 46, 6), 46)  # too short to turn: a row per layer, ‖θ‖ fits, ‖m‖ does not
    assert narrow.split("\n")[0].split() == ["layer", "‖g‖", "‖θ‖", "Δθ/θ", "lr", "min", "lr", "med", "lr", "max"]
    narrower = rendered(table(d, 40, 6), 40)
    assert narrower.split("\n")[0].split() == ["layer", "‖g‖", "Δθ/θ", "lr", "min", "lr", "med", "lr", "max"]
    assert max(len(line.rstrip()) for line in narrow.split("\n") + narrower.split("\n")) <= 46
    slim, slimmest = rendered(table(d, 25, 6), 25), rendered(table(d, 20, 6), 20)  # 60x20: the panel is 25 wide
    assert slim.split("\n")[0].split() == ["layer", "‖g‖", "Δθ/θ", "lr", "med"]  # (every column was cut to "0…")
    assert slimmest.split("\n")[0].split() == ["layer", "‖g‖", "lr", "med"] and "…" not in slim + slimmest
    assert max(len(line.rstrip()) for line in slim.split("\n")) <= 25
    assert max(len(line.rstrip()) for line in slimmest.split("\n")) <= 20
    assert rendered(summary(d)).strip() == "lr 0.001 · t 3 · 1−β₁ᵗ 0.271 · 1−β₂ᵗ 0.002997"  # 1 − 0.9³, 1 − 0.999³
    i18n.set_language("ko")  # the names in Korean (wide characters: 2 cells each), the notation as it is
    wide, turned = rendered(table(d, 80), 80), rendered(table(d, 48, 16), 48)
    assert wide.split("\n")[0].split() == ["층", "‖g‖", "‖θ‖", "Δθ/θ", "lr", "최소", "lr", "중앙", "lr", "최대", "‖m‖"]
    assert wide.strip().split("\n")[-1].split()[0] == "전체" and turned.split("\n")[0].split() == ["층", "1", "2", "3", "전체"]
    assert max(cell_len(line.rstrip()) for line in turned.split("\n")) <= 48


def test_without_a_momentum_there_is_no_velocity_row():
    assert "‖m‖" not in rendered(table(diagnostics("sgd"), 48, 16), 48)


def test_batch_gd_panel_shows_the_last_updates_ratio_not_zero():
    # one update an epoch: the recorder chains θ₋ in its block; the app's mark before a reported step wins
    import threading

    from tui.main.session import Session
    session = Session(build_experiment(ExperimentConfig(batch_size="full", epochs=3, samples=100)))
    reports = []

    def report(r):
        r.received()
        reports.append(r)
    session.driver.drive("end", threading.Event(), report, interval=0.0)
    last = reports[-1].snapshot
    assert last.inside.step == 3 and last.inside.update_ratio > 0
    assert last.inside.update_ratio == last.diagnostics[-1].update_ratio
