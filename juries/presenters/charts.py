"""Small server-side SVG charts (no JavaScript, allowed by the CSP, printable): averages' spread."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from juries.rules.french import nombre_fr, plural

_BINS = 10  # 0-2, 2-4, … 18-20
_MAX = Decimal(20)


def _bin(value: Decimal) -> int:
    """The 2-point bin of a shown average; 20 falls in the last bin."""
    return min(_BINS - 1, max(0, int(value / (_MAX / _BINS))))


def distribution_svg(values: Sequence[Decimal], *, threshold: Decimal = Decimal(10), title: str = "",
                     width: int = 120, height: int = 40) -> SafeString:
    """A histogram of averages on 20 in 2-point bins: bins below `threshold` in the "failed"
    colour, the others in the "acquired" colour, a dashed line at the threshold.

    Every text is escaped; the result is safe to include in a page or a PDF as is.
    """
    counts = [0] * _BINS
    for v in values:
        counts[_bin(v)] += 1
    top = max(counts) or 1
    axis = 9
    plot_h = height - axis
    bar_w = width / _BINS
    n = len(values)
    label = escape(title or "Répartition des moyennes")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label} ({n} moyennes)">',
        f"<title>{label} ({n} moyennes)</title>",
        f'<line x1="0" y1="{plot_h}" x2="{width}" y2="{plot_h}" stroke="#9aa5b1" stroke-width="1"/>',
    ]
    width_per_point = width / _MAX
    for i, count in enumerate(counts):
        low = Decimal(2 * i)
        kind = "ok" if low >= threshold else "ko"
        colour = "#2e8b47" if kind == "ok" else "#c0392b"
        h = round(plot_h * count / top, 1)
        x = round(i * bar_w + 1, 1)
        tip = f"{nombre_fr(low)} à {nombre_fr(low + 2)} : {plural(count, 'étudiant')}"
        parts.append(
            f'<rect class="bar bar-{kind}" x="{x}" y="{round(plot_h - h, 1)}" width="{round(bar_w - 2, 1)}" '
            f'height="{h}" fill="{colour}"><title>{escape(tip)}</title></rect>'
        )
    tx = round(float(threshold) * float(width_per_point), 1)
    parts.append(
        f'<line x1="{tx}" y1="0" x2="{tx}" y2="{plot_h}" stroke="#1f4e79" stroke-width="1" stroke-dasharray="2,2"/>'
    )
    for value, anchor in ((0, "start"), (int(threshold), "middle"), (20, "end")):
        x = round(value * float(width_per_point), 1)
        parts.append(
            f'<text x="{x}" y="{height - 1}" font-size="8" text-anchor="{anchor}" fill="#555">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped above
