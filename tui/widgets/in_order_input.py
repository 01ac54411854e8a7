"""``InOrderInput``: a text box that applies the keys typed into it in the order they were typed.

Textual's ``Input`` inserts a printable key in its own key handler, but its editing keys (backspace,
delete, ctrl+w, ←, home, enter …) are bindings, and a key reaches the bindings only once it has bubbled
from the box up to the app, a message queue at each step. Keys that arrive together (typed fast, pasted
by tmux, or over SSH, where a burst comes in one read) therefore applied out of order: backspace ×7
then ``abc`` and enter in one burst left ``1`` in a field that held ``16,16`` (taken silently), backspace
then ``xyz`` gave ``16,16xy``. Keys bound higher up (tab, the main view's escape, a field row's ↑ / ↓) came after
the letters typed behind them too, and those letters went into the box: ``5 tab 7`` in epochs read ``57`` and the
next field got nothing; ``escape n`` typed ``n`` into the field. Here a key runs its binding in the box's key
handler as it comes, the box's own or one higher up, and a key that reaches the box after focus left it (moved by a
key typed before it) goes where it would have gone typed slowly: to the app, which hands it to the widget now focused.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding, BindingsMap, NoBinding
from textual.widgets import Input

from tui.textual_private import run_key_bindings


class InOrderInput(Input):
    """An ``Input`` whose keys apply in the order typed: its own bindings (Textual's editing keys and a subclass's)
    and those of the widgets around it and the app run as their key arrives, before the keys typed after it;
    printable keys are typed as in ``Input``; a key arriving after focus left the box goes back to the app."""

    async def on_key(self, event: events.Key) -> None:
        """Runs before ``Input``'s own handler (a subclass's first), which ``prevent_default`` then skips."""
        if self.app.focused is not self:
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.is_printable:
            return
        binding = self._own_binding(event)
        if binding is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(binding.action)
        elif await run_key_bindings(self.app, event.key):
            event.stop()
            event.prevent_default()

    def _own_binding(self, event: events.Key) -> Binding | None:
        """The binding of this box's class (or of ``Input``'s) for the key, by its name or an alias."""
        own = type(self).own_bindings()
        for key in (event.key, *event.aliases):
            try:
                return own.get_bindings_for_key(key)[0]
            except NoBinding:
                continue
        return None

    @classmethod
    def own_bindings(cls) -> BindingsMap:
        """``Input``'s bindings, then each subclass's, a later one replacing an earlier one's key (built once a
        class)."""
        if "_own" not in cls.__dict__:
            by_key: dict[str, Binding] = {}
            for klass in reversed(cls.__mro__):
                if issubclass(klass, Input) and "BINDINGS" in klass.__dict__:
                    own = BindingsMap(klass.BINDINGS).key_to_bindings
                    by_key.update((key, bindings[0]) for key, bindings in own.items())
            cls._own = BindingsMap(by_key.values())
        return cls._own
