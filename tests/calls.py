"""``counted``: a test's count of the calls made to functions it names, each call still made as before."""

from __future__ import annotations

from collections import Counter


def counted(monkeypatch, *places: tuple[object, str]) -> Counter:
    """Calls of each ``owner.name`` (a module's function, a class's method) per name, the calls made as before. The
    same name in two places (a function and the copy another module imported) counts into one entry."""
    calls = Counter()
    for owner, name in places:
        def call(*args, real=getattr(owner, name), name=name, **kwargs):
            calls.update([name])
            return real(*args, **kwargs)
        monkeypatch.setattr(owner, name, call)
    return calls
