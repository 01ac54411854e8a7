"""The README's Python examples run as written and print what the README says they print."""

import contextlib
import io
import re
from pathlib import Path

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
