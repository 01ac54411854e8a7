"""The README's Layout section names every folder of engine/, tui/ and tools/, and only folders that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOTS = ("engine", "tui", "tools")


def layout_folders() -> list[str]:
    """The folders the Layout section's block names: each line's first word, where it ends in ``/``."""
    readme = Path("README.md").read_text()
    section = readme[readme.index("## Layout"):]
    block = section[section.index("```") + 3:]
    block = block[:block.index("```")]
    return [m.group(1) for m in re.finditer(r"^(\S+/)\s", block, flags=re.M)]


def test_every_code_folder_is_named_in_the_layout_section():
    named = set(layout_folders())
    folders = {f"{p.as_posix()}/" for root in ROOTS for p in [Path(root), *Path(root).rglob("*")]
               if p.is_dir() and "__pycache__" not in p.parts}
    assert sorted(folders - named) == []


def test_every_folder_the_layout_section_names_exists():
    names = layout_folders()
    assert len(names) >= len(ROOTS)
    assert [name for name in names if not Path(name).is_dir()] == []
