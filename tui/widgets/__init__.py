"""Reusable widgets of the descend TUI."""
