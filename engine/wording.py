"""English text that remembers what it was written from: ``Wording(template, **values)``.

The engine speaks English (the CLI prints it, JSON and tests read it), and the app can put it in
another language. A refusal or a run's state is built as

    Wording("diverged at epoch {epoch}, iteration {iteration}", epoch=3, iteration=7)

which *is* the English string ``diverged at epoch 3, iteration 7`` (a ``str``: print it, compare
it, join it) and also carries ``template`` and ``values``, so a translation looks the template up
as a key and fills in the values by name — no pattern matching the English back apart, and a
value a user typed (quoted, ``'0'``) is not mistaken for words. A value may itself be a ``Wording`` (a refusal's
bounds, ``a whole number ≥ {low}``), translated in turn.

A ``Wording`` is a string with two extra attributes; it stays one only while it is passed on
whole: joining or formatting it into other text gives a plain ``str``, and so does ``str(exc)`` of
an exception raised with one (``text_of(exc)`` keeps it). A refusal said of a place (a file, a key,
a list entry) is ``refusal_at(where, refusal)``: ``where: refusal``, each part translated on its own.
"""

from __future__ import annotations


class Wording(str):
    """``template.format(**values)``, remembering ``template`` and ``values``."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values) -> Wording:  # positional: a value may be called cls
        self = super().__new__(cls, template.format(**values))
        self.template, self.values = template, values
        return self

    def __getnewargs_ex__(self):
        return (self.template,), self.values  # pickling and copying keep the template and values

    def __repr__(self) -> str:
        return str.__repr__(self)


def text_of(exc: BaseException) -> str:
    """An exception's one line: the ``Wording`` it was raised with, else ``str(exc)``."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], Wording) else str(exc)


def refusal_at(where: str, refusal: str | BaseException) -> Wording:
    """``where: refusal`` — a refusal (a text, or the exception raised with it) said of a place: a file, a
    setup key (``setup.toml: experiment.epochs``), a generator, a list entry."""
    return Wording("{where}: {refusal}", where=where,
                   refusal=text_of(refusal) if isinstance(refusal, BaseException) else refusal)
