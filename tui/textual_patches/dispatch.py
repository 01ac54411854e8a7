"""Work Textual 8 repeats for each message, key or app, done once: a callback's parameters, a message's handlers,
the sign keys' names, each stylesheet's parse.

Fenced: each function patches one private piece of Textual; see ``tui/textual_patches/__init__.py``.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable

__all__ = ["count_callback_parameters_once", "find_handlers_once_per_class", "name_the_sign_keys", "parse_each_stylesheet_once"]


def count_callback_parameters_once() -> None:
    """Count a callback's parameters once per function, not at every call.

    Textual 8 passes a callback as many arguments as it takes (``textual._callback.count_parameters``), and
    remembers the count on the callable. ``call_later``, ``call_after_refresh`` and ``call_next`` wrap each
    callback in a new ``functools.partial``, so the count was never found again: ``inspect.signature`` ran at
    every call (Pilot's every key and pause waits with one on each of the main view's ~140 widgets: 2–4 ms of
    a key's ~25 ms of CPU at 80x24). Here a plain function's count, and a bound method's (by its function:
    every instance's is the same), is counted once and kept while the function lives. Idempotent.
    """
    from textual import _callback

    if getattr(_callback._count_parameters, "once", False):
        return
    count_by_signature, counts = _callback._count_parameters, weakref.WeakKeyDictionary()

    def count_once(func: Callable) -> int:
        if isinstance(func, types.MethodType):
            function, bound = func.__func__, 1
        elif isinstance(func, types.FunctionType):
            function, bound = func, 0
        else:  # a class, a builtin, a callable object: as Textual counts it
            return count_by_signature(func)
        if function not in counts:
            counts[function] = count_by_signature(function)
        return counts[function] - bound
    count_once.once = True
    _callback._count_parameters = count_once


def name_the_sign_keys() -> None:
    """Let Textual know that the keys ``minus`` and ``plus`` type ``-`` and ``+``.

    Textual 8 leaves a binding out of the footer while the focused widget takes its key as text (an ``Input``),
    finding the key's character with ``textual.keys.key_to_character``, which knows a key's character by its
    Unicode name in ``KEY_TO_UNICODE_NAME`` or its own name: ``minus`` and ``plus`` are neither (their names are
    HYPHEN-MINUS and PLUS SIGN), so in a text field the footer offered ``-+ Speed`` while those keys typed a
    sign. Idempotent."""
    from textual import keys

    keys.KEY_TO_UNICODE_NAME.update(minus="HYPHEN-MINUS", plus="PLUS SIGN")
    keys.key_to_character.cache_clear()


def parse_each_stylesheet_once() -> None:
    """Parse each stylesheet once per process, not once per app.

    Textual 8 keeps the rules it parsed from each CSS source (``descend.tcss``, every widget class's
    ``DEFAULT_CSS``) in a cache of the app's own ``Stylesheet`` (``Stylesheet._parse_rules``), so every new app
    parsed all of them again, and the cache's 64 entries, fewer than the ~140 sources the main view reads,
    lost some between two of an app's eleven parses (~25 ms of a start's CPU at 100x30; a test process starts
    dozens of apps). Here the parsed rules are kept for the process, by source and by the CSS variables they were
    parsed with (a theme's colours); they are only read once parsed (rules are matched and their values copied
    onto each node's styles), as Textual's own cache already shares them between its parses. Idempotent.
    """
    from textual.css.stylesheet import Stylesheet

    if getattr(Stylesheet._parse_rules, "shared", False):
        return
    parse_rules, by_variables = Stylesheet._parse_rules, {}

    def parse_rules_once(stylesheet: Stylesheet, css: str, read_from, is_default_rules: bool = False,
                         tie_breaker: int = 0, scope: str = "") -> list:
        variables = stylesheet._variables  # replaced, not changed, when the theme changes (``set_variables``)
        held = stylesheet.__dict__.get("_rules_by_source")
        if held is None or held[0] is not variables:
            held = variables, by_variables.setdefault(tuple(sorted(variables.items())), {})
            stylesheet._rules_by_source = held
        key = css, read_from, is_default_rules, tie_breaker, scope
        rules = held[1].get(key)
        if rules is None:
            rules = held[1][key] = parse_rules(stylesheet, css, read_from, is_default_rules, tie_breaker, scope)
        return rules
    parse_rules_once.shared = True
    Stylesheet._parse_rules = parse_rules_once


def find_handlers_once_per_class() -> None:
    """Find a message's handlers in a class's MRO once per class and message type, not at every message.

    Textual 8 looks for the handlers of every message it dispatches (``MessagePump._get_dispatch_methods``) by
    walking the receiver's whole MRO (the app's: ~25 classes, its mixins and Textual's) and, in each class, the
    message's MRO for ``@on`` handlers: the costliest single function of an app's start (~3,900 messages), and of
    every key. Here the classes that hold a handler for a (receiver class, message class, handler name) are found
    once; at each message only they are visited, in MRO order, and everything else is as Textual does it: a handler
    is read from its class as the message comes (a method replaced on a class is the one called), ``@on`` selectors
    are matched against the message's widgets then, a method is called once, and a handler that prevents the default
    stops the classes after its own. Idempotent.
    """
    from textual.css.match import match
    from textual.message import Message
    from textual.message_pump import MessagePump
    from textual._on import OnNoWidget
    from textual.widget import Widget

    if getattr(MessagePump._get_dispatch_methods, "once_per_class", False):
        return
    plans: dict[tuple[type, type, str], tuple] = {}

    def plan(receiver: type, message: type, method_name: str) -> tuple:
        """(class, its ``@on`` handlers for the message (method, selectors), whether it has a handler by name)."""
        message_mro = [kind for kind in message.__mro__ if issubclass(kind, Message)]
        names = (f"_{method_name}", method_name)
        found = []
        for cls in receiver.__mro__:
            decorated = cls.__dict__.get("_decorated_handlers") or {}
            on = tuple(handler for kind in message_mro for handler in decorated.get(kind, ()))
            named = any(name in cls.__dict__ for name in names)
            if on or named:
                found.append((cls, on, named))
        return tuple(found)

    def dispatch_methods(pump: MessagePump, method_name: str, message: Message):
        key = (pump.__class__, message.__class__, method_name)
        found = plans.get(key)
        if found is None:
            found = plans[key] = plan(*key)
        dispatched: set = set()
        for cls, on, named in found:
            if message._no_default_action:
                return
            for method, selectors in on:
                if method in dispatched:
                    continue
                if not selectors:
                    yield cls, method.__get__(pump, cls)
                    dispatched.add(method)
                elif message._sender:
                    for attribute, selector in selectors.items():
                        node = getattr(message, attribute)
                        if node is None:
                            break
                        if not isinstance(node, Widget):
                            raise OnNoWidget(f"on decorator can't match against {attribute!r} as it is not a widget.")
                        if not match(selector, node):
                            break
                    else:
                        yield cls, method.__get__(pump, cls)
                        dispatched.add(method)
            if named:
                method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
                if method is not None and not getattr(method, "_textual_on", None):
                    yield cls, method.__get__(pump, cls)
    dispatch_methods.once_per_class = True
    MessagePump._get_dispatch_methods = dispatch_methods
