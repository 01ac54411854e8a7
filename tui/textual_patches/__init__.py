"""Textual 8's methods the app replaces so that a key, a focus move, a resize or a screen switch does less work.

Each function here patches one private piece of Textual (tested on Textual 8, pinned from above in pyproject.toml;
a new major release may move them, and this package is the one to mend), says what Textual did and what it does
now, and is idempotent. ``DescendApp.__init__`` applies them; ``SettledScreen`` calls
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

__all__ = ["count_callback_parameters_once", "dim_what_changed_below", "draw_overlays_when_scrolled",
           "find_handlers_once_per_class", "flush_screens_below_after_a_batch", "hide_what_opaque_screens_cover",
           "keep_wide_characters_whole_under_layers", "lay_out_once_per_reflow", "lay_out_screens_below_only_when_resized",
           "leave_layout_to_first_resize", "leave_the_shown_screen_when_one_is_removed", "name_the_sign_keys", "parse_each_stylesheet_once", "resize_in_one_layout",
           "settle_layouts_before_drawing", "type_without_layout"]
