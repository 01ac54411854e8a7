"""``python -m tui.lessons``: print the README's "Lessons to try" table, generated from the lessons."""

from tui.lessons import readme_table

print(readme_table())
