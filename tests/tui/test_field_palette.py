"""The palette reaches every field of the control panel, from the panel's own rows: set a value as if typed,
step it, pick a menu entry (batch sizes in the menu's numeric order), tick a box (in test_field_keys's app)."""

from __future__ import annotations

import re
from pathlib import Path

from engine import ExperimentConfig, batching
from tests.tui.conftest import reason_line, resize, settle, type_text, until
from tests.tui.focus_in_view import in_view
from tests.tui.test_keys import highlighted_entry
from tui import i18n
from tui.main.field_commands import FieldCommands, assignment, called, long_name, name_in, step_named
from tui.palette import SystemCommands
from tui.widgets.fields import Choice, Field, Flag, Setting
from tui.widgets.steps import one, tenfold


async def entries(app) -> dict:
    """The palette's field entries over the main view, by title."""
    provider = FieldCommands(app.screen)
    return {str(hit.text): hit async for hit in provider.discover()}


STEPS = {"en": ["lr ×10 (0.01 → 0.1)", "lr ÷10 (0.01 → 0.001)", "momentum one 9 more (0.9 → 0.99)",
                 "epochs +1 (3 → 4)", "val split +0.1 (0.2 → 0.3)"],
         "ko": ["학습률 ×10 (0.01 → 0.1)", "학습률 ÷10 (0.01 → 0.001)", "모멘텀 9 하나 더 (0.9 → 0.99)",
                "에포크 +1 (3 → 4)", "검증 비율 +0.1 (0.2 → 0.3)"]}
"""Step entries as each language reads them."""

WORDS = {"en": {"batch": "Batch: ", "set": "Set ", "on": "on", "off": "off", "loss": "Loss: huber",
                "nesterov": "Nesterov: on", "fewer": "momentum one 9 fewer"},
         "ko": {"batch": "배치 크기: ", "set": "", "on": "켬", "off": "끔", "loss": "손실 함수: huber",
                "nesterov": "네스테로프: 켬", "fewer": "모멘텀 9 하나 덜"}}


async def every_field_has_entries_made_from_its_row(app, lang: str) -> None:
    """Each shown row's entries (a hidden row has none), in the app's language; the batch sizes in the
    menu's numeric order."""
    titles, words = list(await entries(app)), WORDS[lang]
    for row in app.controls.query(Setting):
        title, name = name_in(row, row.label.capitalize()), name_in(row, long_name(row))
        assert (title == row.label.capitalize() and name == long_name(row)) == (lang == "en"), row.id
        if not row.display:
            assert not any(name in t for t in titles)  # a row the panel hides is not offered
        elif isinstance(row, Choice):
            assert all(f"{title}: {i18n.message(label)}" in titles for label, _ in row.options), row.id
        elif isinstance(row, Flag):
            assert {f"{title}: {words['on']}", f"{title}: {words['off']}"} <= set(titles), row.id
        else:
            assert any(t.startswith(f"{words['set']}{name}") for t in titles), row.id
    assert set(STEPS[lang]) <= set(titles)
    batches = [t.removeprefix(words["batch"]) for t in titles if t.startswith(words["batch"])]
    assert batches == [i18n.message(label) for label, _ in batching.choices(app.session.experiment.train_size)]
    assert ("미니 배치 32 (케라스)" in batches) == (lang == "ko")  # the engine's words in the app's language
    sizes = [160 if b == "full" else b for _, b in batching.choices(160)]
    assert sizes == sorted(sizes)  # numeric, batch GD where N = 160 falls


README = Path(__file__).resolve().parents[2] / "README.md"

MOMENTUM = ExperimentConfig(samples=200, epochs=3, optimizer="momentum")
"""The app these checks start from (``test_field_keys`` starts it once per size and language and comes back to it)."""


async def the_palette_reaches_every_field_as_the_panel_does(app, pilot, size, lang: str) -> None:
    """Entries from every row; a value typed in the palette, a step, a menu entry, a tick: each taken as the
    panel takes it. On ``MOMENTUM`` untouched; run at every size and language by ``test_field_keys``, in the
    app that checks the focus marks (starting one is the dear part)."""
    await every_field_has_entries_made_from_its_row(app, lang)
    session = app.session
    await pilot.press("ctrl+p")
    await type_text(pilot, "learning rate 0.05" if size == (80, 24) else "학습률=0.05")  # either language, typed fast
    await until(pilot, lambda: "0.05" in highlighted_entry(app), why=lambda: repr(highlighted_entry(app)))  # searched
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.config.learning_rate == 0.05 and app.session is session  # live, as typed in the lr field
    assert app.query_one("#set-opt-learning_rate", Field).input.value == "0.05"

    async def pick(title: str) -> None:
        """Run the entry whose title starts with ``title``."""
        found = [hit for text, hit in (await entries(app)).items() if text.startswith(title)]
        assert len(found) == 1, title
        await found[0].command()
        await pilot.pause()

    words = WORDS[lang]
    await pick(STEPS[lang][0].replace("0.01 → 0.1", "0.05 → 0.5"))
    assert app.config.learning_rate == 0.5
    await pick(words["loss"])
    assert app.config.loss == "huber" and app.session is not session  # a reset, as from the menu
    await pick(words["nesterov"])
    assert app.config.optimizer_options["nesterov"] is True
    await pick(f"{words['fewer']} (0.9 → 0)")
    assert app.config.optimizer_options["momentum"] == 0.0
    await pick(words["fewer"])  # refused in place, in one line
    momentum = app.query_one("#set-opt-momentum", Field)
    assert app.config.optimizer_options["momentum"] == 0.0 and "momentum" in momentum.reason
    if size == (80, 24):  # the field named in Korean, in either language's app: found, and first (in the Korean
        lr = app.query_one("#set-opt-learning_rate", Field)  # app two lessons ranked above it; the English found none)
        go = i18n.t("palette.field.go", name=called(lr))
        await pilot.press("ctrl+p")
        await type_text(pilot, "학습률")
        await until(pilot, lambda: highlighted_entry(app).startswith(go), why=lambda: repr(highlighted_entry(app)))
        await pilot.press("escape", "escape")  # the list, then the palette
        await until(pilot, lambda: app.screen is app.screen_stack[0])
    batch = app.query_one("#set-batch", Field)
    if size == (80, 24):  # the B row the panel's last one shown, as it is in the default app at 80x24 (the
        await resize(pilot, 80, 23)  # momentum optimizer has two rows fewer than adam): the walk's last check here
    app.controls.scroll_home(animate=False)
    await pilot.press("ctrl+p")
    await type_text(pilot, "B 0")  # the B row below the panel's fold at 80x24: its reason is scrolled into view
    await until(pilot, lambda: "0" in highlighted_entry(app), why=lambda: repr(highlighted_entry(app)))
    await pilot.press("enter")

    await until(pilot, lambda: batch.reason != "" and in_view(app.controls, reason_line(batch)),
                why=lambda: (batch.reason, app.controls.scroll_y, reason_line(batch).region, app.controls.content_region))
    assert app.config.batch_size != 0
    if (size, lang) == ((80, 24), "en"):
        await the_readmes_palette_examples_do_what_it_says(app, pilot)


README_PALETTE = {
    "race": ("Compare", None),  # found: not opened here (the race view is test_race_view's)
    "learning rate 0.01": ("Set learning rate (lr) to 0.01", lambda app: app.config.learning_rate == 0.01),
    "lr 0.01": ("Set learning rate (lr) to 0.01", lambda app: app.config.learning_rate == 0.01),
    "epochs=50": ("Set epochs to 50", lambda app: app.config.epochs == 50),
    "lr ×10": ("lr ×10 (0.01 → 0.1)", lambda app: app.config.learning_rate == 0.1),
    "lr ÷10": ("lr ÷10 (0.1 → 0.01)", lambda app: app.config.learning_rate == 0.01),
    "loss huber": ("Loss: huber", lambda app: app.config.loss == "huber"),
    "batch SGD": ("Batch: SGD (B = 1)", lambda app: app.config.batch_size == 1),
    "speed 10/s": ("Speed: 10/s", lambda app: app.speed == 10),
}
"""Each palette example of the README's Keys table (its ``ctrl+p`` row), in its order: the entry it highlights and
what enter on it does."""


def readme_palette_examples() -> list[str]:
    """The examples (in backquotes) of the README's ``ctrl+p`` row."""
    row = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `ctrl+p` |"))
    return re.findall(r"`([^`]+)`", row)[1:]


async def the_readmes_palette_examples_do_what_it_says(app, pilot) -> None:
    """Each example is the palette's best entry for it (its providers' hits, ranked by score as the palette ranks
    them) and does what the README says; the two the walk met wrong are typed into the palette as a user types
    them (``lr ×10`` set lr to '×10'; ``batch SGD`` opened a lesson). Each palette opened costs ~0.25 s of CPU."""
    assert readme_palette_examples() == list(README_PALETTE)
    for query, (entry, done) in README_PALETTE.items():
        if query in ("lr ×10", "batch SGD"):
            await pilot.press("ctrl+p")
            await type_text(pilot, query)
            await until(pilot, lambda: highlighted_entry(app).startswith(entry),
                        why=lambda: (query, highlighted_entry(app)))
            await pilot.press("enter")
            await until(pilot, lambda: app.screen is app.screen_stack[0])
        else:
            hits = [hit for provider in (SystemCommands, FieldCommands)
                    async for hit in provider(app.screen).search(query)]
            best = max(hits, key=lambda hit: hit.score)
            assert str(best.text).startswith(entry), (query, [(h.score, str(h.text)) for h in hits])
            if done:
                await best.command()
        if done:
            await until(pilot, lambda: done(app), why=lambda: (query, app.config))


def test_a_query_names_a_field_by_its_name_or_label_then_a_value():
    fields = [Field("opt.learning_rate", "lr", "0.001", float), Field("epochs", "epochs", "20", int),
              Field("validation_split", "val split", "0.2", float), Field("batch_size", "B", "32", str)]
    lr, epochs, split, b = fields
    assert assignment("lr 0.01", fields) == (lr, "0.01")
    assert assignment("Learning rate: 0.3", fields) == (lr, "0.3")
    assert assignment("epochs=50", fields) == (epochs, "50")
    assert assignment("validation split 0.1", fields) == (split, "0.1")
    assert assignment("val split 0.1", fields) == (split, "0.1")
    assert assignment("batch size full", fields) == (b, "full")
    assert assignment("batch SGD", fields) is None  # a menu entry's words, not a field and a value
    assert assignment("lr", fields) is None and assignment("lrx 3", fields) is None
    assert assignment("학습률 0.01", fields) == (lr, "0.01")  # a Korean name, whatever the app's language
    assert assignment("에포크=50", fields) == (epochs, "50") and assignment("배치 크기 full", fields) == (b, "full")
    assert assignment("검증 비율: 0.1", fields) == (split, "0.1") and assignment("학습률", fields) is None


def test_a_step_is_named_as_written_or_as_typed_on_a_keyboard():
    lr = Field("opt.learning_rate", "lr", "0.001", float, step=tenfold)
    epochs = Field("epochs", "epochs", "20", int, step=one)
    for typed, direction in [("×10", 1), ("x10", 1), ("X10", 1), ("*10", 1), ("× 10", 1), ("÷10", -1), ("/10", -1)]:
        assert step_named(lr, typed) == direction, typed
    assert step_named(lr, "0.01") is None and step_named(lr, "10") is None and step_named(lr, "+1") is None
    assert (step_named(epochs, "+1"), step_named(epochs, "-1"), step_named(epochs, "−1")) == (1, -1, -1)
    assert step_named(epochs, "1") is None and step_named(Field("seed", "seed", "0", int), "+1") is None
