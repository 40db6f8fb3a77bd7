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
                     width: int = 120, height: int = 40, axes_id: str = "", axes_drawn: bool = False,
                     dense: bool = False) -> SafeString:
    """A histogram of averages on 20 in 2-point bins: bins below `threshold` in the "failed"
    colour, the others in the "acquired" colour, a dashed line at the threshold.

    Charts of one page with the same size and threshold share their axes: the first one names
    them (`axes_id`), the next ones (`axes_drawn`) reuse them by reference. A `dense` chart (one
    per column of a long table) tells the count of every bin in its title, one tooltip and one
    accessible name for the whole chart, rather than a tooltip on each bar.

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
    # Compact (a table shows one per column): the bars are drawn upwards from the axis in a flipped
    # group (no y), colours and text styles are set once on their group; every text is escaped.
    bins = [f"{nombre_fr(Decimal(2 * i))} à {nombre_fr(Decimal(2 * i + 2))}" for i in range(_BINS)]
    heading = f"{label} ({n} moyennes)"
    if dense:  # one line per bin: "10 à 12 : 37"
        heading += "".join(f"\n{b} : {c}" for b, c in zip(bins, counts, strict=True))
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f'<title>{heading}</title><g transform="matrix(1 0 0 -1 0 {plot_h})">'
    ]
    kinds = ["ok" if Decimal(2 * i) >= threshold else "ko" for i in range(_BINS)]
    for kind in ("ko", "ok"):
        colour = "#2e8b47" if kind == "ok" else "#c0392b"
        bars = [(i, count) for i, count in enumerate(counts) if kinds[i] == kind]
        if dense:  # a bar is a thick vertical line: a few bytes each
            d = "".join(f"M{_num((i + .5) * bar_w)} 0V{_num(plot_h * c / top)}" for i, c in bars if c)
            parts.append(f'<path d="{d}" stroke="{colour}" stroke-width="{_num(bar_w - 2)}"/>' if d else "")
            continue
        parts.append(f'<g fill="{colour}">')
        for i, count in bars:
            parts.append(f'<rect class="bar bar-{kind}" x="{_num(i * bar_w + 1)}" width="{_num(bar_w - 2)}" '
                         f'height="{_num(plot_h * count / top)}"><title>{bins[i]} : {plural(count, "étudiant")}</title></rect>')
        parts.append("</g>")
    parts.append("</g>")
    if axes_drawn:
        parts.append(f'<use href="#{escape(axes_id)}"/></svg>')
        return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped above
    tx = _num(float(threshold) * width / float(_MAX))
    parts.append((f'<g id="{escape(axes_id)}">' if axes_id else "<g>")
                 + f'<path d="M0 {plot_h}H{width}" stroke="#9aa5b1"/>'
                 + f'<path d="M{tx} 0V{plot_h}" stroke="#1f4e79" stroke-dasharray="2,2"/><g font-size="8" fill="#555">')
    for value, anchor in ((0, ""), (int(threshold), ' text-anchor="middle"'), (20, ' text-anchor="end"')):
        parts.append(f'<text x="{_num(value * width / float(_MAX))}" y="{height - 1}"{anchor}>{value}</text>')
    parts.append("</g></g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped above


def _num(value: float) -> str:
    """A coordinate with one decimal at most and no useless zero ("23", "5.2")."""
    return f"{value:.1f}".removesuffix(".0")
