"""Server-rendered SVG bar charts (no JavaScript). Each chart is an image with a title and a
description; the same figures are always given in a data table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

BAR = "#0b4f6c"  # --brand: 8.9:1 on white
TEXT = "#1b1f24"
GRID = "#c9d0d8"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    shown: str  # the value as text, e.g. "42%" or "3.1"


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], *, width: int = 520) -> Markup:
    """A horizontal bar chart; bars without a value are drawn as "no data"."""
    row, label_w, value_w, top = 28, 170, 70, 8
    plot_w = width - label_w - value_w
    height = top * 2 + row * max(len(bars), 1)
    largest = max((b.value for b in bars if b.value is not None), default=0.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">Bar chart; the figures are in the table beside '
        'it.</desc>',
        f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - top}" stroke="{GRID}"/>',
    ]
    if not bars:
        parts.append(f'<text x="{label_w + 6}" y="{top + 18}" fill="{TEXT}" font-size="13">'
                     "No data yet</text>")
    for i, bar in enumerate(bars):
        y = top + i * row
        label = bar.label if len(bar.label) <= 24 else bar.label[:23] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 18}" text-anchor="end" fill="{TEXT}" '
                     f'font-size="13">{escape(label)}</text>')
        if bar.value is None:
            parts.append(f'<text x="{label_w + 6}" y="{y + 18}" fill="{TEXT}" font-size="13">'
                         "no data</text>")
            continue
        length = max(bar.value, 0.0) / largest * plot_w
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{length:.1f}" height="{row - 10}" '
                     f'fill="{BAR}"/>')
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 18}" fill="{TEXT}" '
                     f'font-size="13">{escape(bar.shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every inserted value is escaped above
