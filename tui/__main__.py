"""``python -m tui`` (and the ``descend`` script): open the playground."""

from __future__ import annotations

from tui.app import make_app


def main() -> None:
    """Run the app; SIGTERM and SIGHUP (a dropped SSH link) quit it cleanly like ``q``."""
    make_app(handle_signals=True).run()


if __name__ == "__main__":
    main()
