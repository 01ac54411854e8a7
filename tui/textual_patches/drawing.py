"""Textual 8's drawing of layers: overlays drawn where a container scrolls, wide characters kept whole under a
notice or a tooltip.

Fenced: each function patches one private piece of Textual; see ``tui/textual_patches/__init__.py``.
"""

from __future__ import annotations

from textual.layout import DockArrangeResult, WidgetPlacement

__all__ = ["draw_overlays_when_scrolled", "keep_wide_characters_whole_under_layers"]


def draw_overlays_when_scrolled() -> None:
    """Keep an open overlay (a menu: ``Select``'s list) on screen when anything on the screen scrolls.

    A scroll only (no layout change) makes Textual 8 re-place just the widgets inside each container's
    visible area (``Compositor.reflow_visible``, through ``DockArrangeResult.get_visible_placements``).
    An overlay is drawn over the whole screen, outside its container: a ``Select``'s list opens below the
    ``Select``'s own line, so it was culled, and an open menu vanished as the control panel scrolled (focus
    moving to a row below the fold, the mouse wheel). What showed was the panel as if the menu were closed;
    once the full layout was rebuilt for a query (``widget.region``), the list was drawn cut at the old
    widths. Here a container's overlays are placed on every reflow, as a full one places them. Idempotent.
    """
    if getattr(DockArrangeResult.get_visible_placements, "keeps_overlays", False):
        return
    visible_placements = DockArrangeResult.get_visible_placements

    def with_overlays(self: DockArrangeResult, region) -> list[WidgetPlacement]:
        placements = visible_placements(self, region)
        overlays = [placement for placement in self.placements if placement.overlay]
        if not overlays:
            return placements
        placed = {id(placement) for placement in placements}
        return placements + [placement for placement in overlays if id(placement) not in placed]
    with_overlays.keeps_overlays = True
    DockArrangeResult.get_visible_placements = with_overlays


def keep_wide_characters_whole_under_layers() -> None:
    """Draw a notice (any widget of a higher layer) whole where it covers an edge between two widgets under it.

    Textual 8's compositor cuts each screen line at every widget's edges (``Compositor.cuts``), also where a
    widget of a higher layer covers the edge, and divides each widget's line at those cuts (``_render_chops``):
    a double-width character astride a cut is split into two blanks (Rich's ``Segment.divide``). The Korean
    notice ``언어: 한국어`` over the race view's leaderboard and field panel read ``언  : 한국어``. Here a line is not
    cut inside a widget whose placement is in a higher layer (a toast, a tooltip, an overlay), unless the edge is
    of a widget in front of that one; and a widget whose start is thus hidden is divided from its first cut on
    (the piece before it is covered). Without such a widget on screen the cuts are Textual's. Idempotent.
    """
    from textual._compositor import Compositor

    textual_cuts = Compositor.cuts.fget
    if getattr(textual_cuts, "layers_kept_whole", False):
        return

    def cuts(compositor: Compositor) -> list[list[int]]:
        if compositor._cuts is not None:
            return compositor._cuts
        lines = textual_cuts(compositor)
        geometry = compositor._visible_map if compositor._visible_map is not None else (compositor._full_map or {})
        placed = [(geometry[widget].order, region.intersection(clip))
                  for widget, (region, clip) in compositor.visible_widgets.items() if widget in geometry]
        for order, span in placed:
            if not span.width or not any(level[0] for level in order):  # in the base layer at every level
                continue
            front = [other for other_order, other in placed if other_order > order]
            left, right = span.x, span.right
            for y in span.line_range:
                if y < len(lines):
                    edges = {x for other in front if other.y <= y < other.bottom for x in (other.x, other.right)}
                    lines[y] = [x for x in lines[y] if not left < x < right or x in edges]
        return lines
    cuts.layers_kept_whole = True

    def render_chops(compositor: Compositor, crop, is_rendered_line):
        """Textual's ``_render_chops``, but a widget's line whose start is not a cut (hidden, see above) is divided
        from its first cut on."""
        line_cuts = compositor.cuts
        chops = [dict.fromkeys(cut_set[:-1]) for cut_set in line_cuts]
        for region, clip, strips in compositor._get_renders(crop):
            render_region = region.intersection(clip)
            render_x = render_region.x
            first_cut, last_cut = render_region.column_span
            for y, strip in zip(render_region.line_range, strips):
                if not is_rendered_line(y):
                    continue
                final_cuts = [cut for cut in line_cuts[y] if last_cut >= cut >= first_cut]
                if not final_cuts:  # the whole line is under a widget in front
                    continue
                if final_cuts[0] == first_cut:
                    pieces = strip.divide([cut - render_x for cut in final_cuts[1:]])
                else:
                    pieces = strip.divide([cut - render_x for cut in final_cuts])[1:]
                chops_line = chops[y]
                for cut, piece in zip(final_cuts, pieces):  # painted front to back: the first piece at a cut wins
                    if chops_line.get(cut) is None:
                        chops_line[cut] = piece
        return chops

    Compositor.cuts = property(cuts, doc=Compositor.cuts.__doc__)
    Compositor._render_chops = render_chops
