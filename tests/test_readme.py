"""The README's Python examples run as written and print what the README says they print."""

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

README = (Path(__file__).parent.parent / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_block_runs_and_prints_what_it_claims(index):
    code = BLOCKS[index]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README block {index}", "exec"), {})
    printed = out.getvalue().splitlines()
    claims = [line.split("# ", 1)[1] for line in code.splitlines() if line.startswith("print(") and "# " in line]
    assert len(printed) >= len(claims)
    for line, claim in zip(printed, claims):
        assert line.strip() in claim, f"README says {claim!r}, the code printed {line!r}"


CONSOLE = re.findall(r"```console\n\$ python -m engine (.*?)\n(.*?)```", README, flags=re.S)


def test_readme_has_cli_transcripts():
    assert len(CONSOLE) >= 3


@pytest.mark.parametrize("index", range(len(CONSOLE)))
def test_readme_cli_transcripts_are_what_the_cli_prints(index, capsys):
    """Each ``$ python -m engine …`` block, rerun: the same lines (timings aside; usage lines elided)."""
    import shlex

    from engine.cli import main

    argv, shown = CONSOLE[index]
    try:
        main(shlex.split(argv))
    except SystemExit:
        pass
    captured = capsys.readouterr()
    printed = (captured.out + captured.err).splitlines()
    assert len(shown.strip().splitlines()) == len(printed), "a transcript shows every line the CLI prints"
    for line in shown.strip().splitlines():
        if "steps/s" in line or line.endswith("...") or line.startswith("usage:"):
            continue  # timings vary; the usage line is shortened in the README
        if re.match(r"^\d+ \S", line):  # a leaderboard row: all but its seconds and status columns
            words = line.split()[:7]
            assert any(p.split()[:7] == words for p in printed), line
        else:
            assert line in printed, line


def test_readme_race_landscape_claim_is_what_the_app_draws():
    """The README's network-landscape paragraph: ``c`` races the app's default optimizers on its default setup
    (the surface view's ``network_landscape``: ``race_landscape`` on the view's directions, random as it opens),
    every path ending within the stated distance of the centre; ``d``'s PCA plane puts SGD, momentum and Adam's
    ends in different places (a tenth of the plane's side apart at least, so apart on any map ten cells wide).
    The grid is 3 points a side: the paths' coordinates do not depend on it."""
    from engine import ExperimentConfig, landscape, race

    paragraph = " ".join(README.split("**The network's landscape**")[1].split("![")[0].split())
    within = float(re.search(r"every path ends within ([\d.]+) of the centre", paragraph).group(1))
    assert "α and β run over [-1, 1]" in paragraph and "SGD, momentum and Adam arrive in different places" in paragraph

    def mapped(directions: str) -> landscape.Landscape:
        contest = race.Race(race.entries(ExperimentConfig(), "optimizer", list(race.DEFAULT_OPTIMIZERS)))
        return landscape.race_landscape(contest, directions=directions, grid=3)

    random = mapped("random")
    assert (random.alphas[0], random.alphas[-1], random.betas[0], random.betas[-1]) == (-1, 1, -1, 1)
    assert max(abs(path[-1]).max() for path in random.paths.values()) <= within
    pca = mapped("pca")
    sides = np.array([pca.alphas[-1] - pca.alphas[0], pca.betas[-1] - pca.betas[0]])
    ends = [pca.paths[name][-1] / sides for name in ("sgd", "momentum", "adam")]
    assert all(abs(a - b).max() >= 0.1 for i, a in enumerate(ends) for b in ends[i + 1:]), ends
