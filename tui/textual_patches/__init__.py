"""Textual 8's methods the app replaces so that a key, a focus move, a resize or a screen switch does less work.

Each function here patches one private piece of Textual (tested on Textual 8, pinned from above in pyproject.toml;
a new major release may move them, and this package is the one to mend), says what Textual did and what it does
now, and is idempotent. ``apply()`` applies them all (``DescendApp.__init__`` calls it); ``SettledScreen`` calls
``leave_layout_to_first_resize``. The private names the app's widgets use are fenced in ``tui/textual_private.py``.
"""

from __future__ import annotations

from tui.textual_patches.dispatch import (count_callback_parameters_once, find_handlers_once_per_class,
                                          name_the_sign_keys, parse_each_stylesheet_once)
from tui.textual_patches.drawing import draw_overlays_when_scrolled, keep_wide_characters_whole_under_layers
from tui.textual_patches.layout import (lay_out_once_per_reflow, lay_out_screens_below_only_when_resized,
                                        leave_layout_to_first_resize, resize_in_one_layout,
                                        settle_layouts_before_drawing, type_without_layout)
from tui.textual_patches.screens import (dim_what_changed_below, flush_screens_below_after_a_batch,
                                         hide_what_opaque_screens_cover, leave_the_shown_screen_when_one_is_removed)

__all__ = ["apply", "count_callback_parameters_once", "dim_what_changed_below", "draw_overlays_when_scrolled",
           "find_handlers_once_per_class", "flush_screens_below_after_a_batch", "hide_what_opaque_screens_cover",
           "keep_wide_characters_whole_under_layers", "lay_out_once_per_reflow", "lay_out_screens_below_only_when_resized",
           "leave_layout_to_first_resize", "leave_the_shown_screen_when_one_is_removed", "name_the_sign_keys", "parse_each_stylesheet_once", "resize_in_one_layout",
           "settle_layouts_before_drawing", "type_without_layout"]


def apply() -> None:
    """Every patch, in this order (``dim_what_changed_below`` draws through what ``settle_layouts_before_drawing`` made
    of the screen's refresh). Idempotent, as each is."""
    draw_overlays_when_scrolled()  # an open menu stays drawn when the control panel scrolls
    count_callback_parameters_once()  # Textual counted them at every call_later (every Pilot wait ×140)
    lay_out_once_per_reflow()  # each layout that resized a widget asked for a second one
    resize_in_one_layout()  # a resize laid the screen out two or three times
    name_the_sign_keys()  # in a text field the footer offered - and +, which type there
    hide_what_opaque_screens_cover()  # the main view was laid out and redrawn under the race and surface views
    type_without_layout()  # a key in a text field laid the screen out
    parse_each_stylesheet_once()  # every app parsed every stylesheet again
    settle_layouts_before_drawing()  # a layout was drawn, then done again for a scrollbar or an old request
    find_handlers_once_per_class()  # each message walked the receiver's MRO for its handlers
    keep_wide_characters_whole_under_layers()  # a notice's wide character astride two panels' edge was blanked
    lay_out_screens_below_only_when_resized()  # the view under help, lessons, palette was laid out as each opened
    dim_what_changed_below()  # a menu dimmed the whole view below it again at each of its repaints
    flush_screens_below_after_a_batch()  # a view under a menu kept a batch's changes (K's words) unshown
    leave_the_shown_screen_when_one_is_removed()  # a closed menu's removal laid out and repainted the view again
