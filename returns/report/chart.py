"""FIN-1: the report's chart drawn on the server — refunds per day (week, month) stacked by payment method, the late
ones marked — as plain geometry a template writes out as SVG. It is read without colour: every method has its own
fill pattern as well as its colour and is named in the legend, the late refunds are a labelled black triangle with
their count, and the same figures are in a table beside it (templates/returns/report/_chart.html)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from base.money import format_money

from .selectors import DAY, MONTH, WEEK, ChartBucket

WIDTH, HEIGHT = 960, 340
LEFT, RIGHT, BOTTOM = 96, 16, 44
LEGEND_ITEM_WIDTH, LEGEND_ROW_HEIGHT, LEGEND_TOP = 230, 22, 8
MARKER_SPACE = 28  # above the tallest bar, for the late marker
MAX_X_LABELS = 12
GRID_LINES = 4

# (colour, pattern kind): colour-blind-safe colours (Okabe–Ito), each with a texture of its own.
STYLES = (
    ("#0b5394", "solid"),
    ("#b35900", "diagonal"),
    ("#00795a", "dots"),
    ("#7a3e9d", "cross"),
    ("#444444", "horizontal"),
    ("#a8322d", "vertical"),
)


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    pattern: str
    colour: str
    title: str


@dataclass
class Bar:
    label: str
    show_label: bool
    x: float
    centre: float
    top: float
    segments: list[Segment] = field(default_factory=list)
    late_count: int = 0
    title: str = ""

    @property
    def marker_path(self) -> str:
        return f"M{self.centre} {round(self.top - 3, 2)}l-6 -10h12z"

    @property
    def count_y(self) -> float:
        return round(self.top - 16, 2)


@dataclass
class LegendItem:
    pattern: str
    colour: str
    kind: str
    label: str
    x: float
    y: float

    @property
    def marker_path(self) -> str:
        return f"M{self.x + 7} {self.y + 14}l-7 -12h14z"

    @property
    def text_x(self) -> float:
        return self.x + 20

    @property
    def text_y(self) -> float:
        return self.y + 12


@dataclass
class Chart:
    width: int
    height: int
    title: str
    description: str
    bars: list[Bar]
    legend: list[LegendItem]
    grid: list[tuple[float, str]]  # (y, label)
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    unit: str
    patterns: list[dict]

    @property
    def axis_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + 18


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (an axis that ends on a round number)."""
    if value <= 0:
        return Decimal(1000)
    exponent = math.floor(math.log10(float(value)))
    for step in (1, 2, Decimal("2.5"), 5, 10):
        candidate = Decimal(step) * Decimal(10) ** exponent
        if candidate >= value:
            return candidate
    return Decimal(10) ** (exponent + 1)


def bucket_label(bucket: ChartBucket, unit: str) -> str:
    if unit == MONTH:
        return bucket.start.strftime("%m.%Y")
    return bucket.start.strftime("%d.%m")


def bucket_name(bucket: ChartBucket, unit: str) -> str:
    """How a bucket is named in titles: 'the week from 30.11.2026', '12.2026', '02.12.2026'."""
    day = formats.date_format(bucket.start, "d.m.Y")
    if unit == WEEK:
        return _("week from %(day)s") % {"day": day}
    if unit == MONTH:
        return bucket.start.strftime("%m.%Y")
    return day


def build_chart(unit: str, buckets: list[ChartBucket], method_labels: dict[str, str], *, period: str) -> Chart:
    """The chart's geometry. `method_labels` fixes the methods' order (and so their patterns) and names."""
    methods = list(method_labels)
    for bucket in buckets:  # a refund through a method no longer offered still gets its own pattern
        methods.extend(code for code in bucket.amounts if code not in methods)
    labels = {code: method_labels.get(code, code) for code in methods}
    used = [code for code in methods if any(code in b.amounts for b in buckets)] or methods[:1]

    legend = []
    columns = max(1, int((WIDTH - LEFT - RIGHT) // LEGEND_ITEM_WIDTH))
    entries = [(f"fin-pattern-{methods.index(code)}", labels[code], methods.index(code)) for code in used]
    for i, (pattern, label, style_index) in enumerate(entries):
        colour, kind = STYLES[style_index % len(STYLES)]
        row, column = divmod(i, columns)
        legend.append(
            LegendItem(
                pattern, colour, kind, label, LEFT + column * LEGEND_ITEM_WIDTH, LEGEND_TOP + row * LEGEND_ROW_HEIGHT
            )
        )
    legend_rows = math.ceil((len(legend) + 1) / columns)  # +1: the late marker's own entry
    late_legend = (
        LEFT + (len(legend) % columns) * LEGEND_ITEM_WIDTH,
        LEGEND_TOP + (legend_rows - 1) * LEGEND_ROW_HEIGHT,
    )

    plot_top = LEGEND_TOP + legend_rows * LEGEND_ROW_HEIGHT + MARKER_SPACE
    plot_bottom = HEIGHT - BOTTOM
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    top_value = nice_ceiling(max((b.amount for b in buckets), default=Decimal(0)))
    scale = (plot_bottom - plot_top) / float(top_value)

    slot = (plot_right - plot_left) / max(len(buckets), 1)
    bar_width = max(slot * 0.7, 1.0)
    label_every = max(1, math.ceil(len(buckets) / MAX_X_LABELS))
    bars = []
    for i, bucket in enumerate(buckets):
        x = plot_left + i * slot + (slot - bar_width) / 2
        name = bucket_name(bucket, unit)
        y = float(plot_bottom)
        segments = []
        for code in methods:
            amount = bucket.amounts.get(code)
            if not amount:
                continue
            height = float(amount) * scale
            y -= height
            count = bucket.counts.get(code, 0)
            segments.append(
                Segment(
                    x=round(x, 2),
                    y=round(y, 2),
                    width=round(bar_width, 2),
                    height=round(height, 2),
                    pattern=f"fin-pattern-{methods.index(code)}",
                    colour=STYLES[methods.index(code) % len(STYLES)][0],
                    title=ngettext(
                        "%(when)s — %(method)s: %(amount)s, %(count)d refund",
                        "%(when)s — %(method)s: %(amount)s, %(count)d refunds",
                        count,
                    )
                    % {"when": name, "method": labels[code], "amount": format_money(amount), "count": count},
                )
            )
        title = ngettext(
            "%(when)s: %(amount)s in %(count)d refund",
            "%(when)s: %(amount)s in %(count)d refunds",
            bucket.count,
        ) % {"when": name, "amount": format_money(bucket.amount), "count": bucket.count}
        if bucket.late_count:
            title += " " + ngettext("(%(late)d late)", "(%(late)d late)", bucket.late_count) % {
                "late": bucket.late_count
            }
        bars.append(
            Bar(
                label=bucket_label(bucket, unit),
                show_label=i % label_every == 0,
                x=round(x, 2),
                centre=round(x + bar_width / 2, 2),
                top=round(y, 2),
                segments=segments,
                late_count=bucket.late_count,
                title=title,
            )
        )

    grid = []
    for step in range(GRID_LINES + 1):
        value = top_value * step / GRID_LINES
        grid.append((round(plot_bottom - float(value) * scale, 2), format_money(value)))

    per = {DAY: _("per day"), WEEK: _("per week"), MONTH: _("per month")}[unit]
    title = _("Refunds %(per)s by payment method, %(period)s") % {"per": per, "period": period}
    total = sum((b.amount for b in buckets), Decimal(0))
    count = sum(b.count for b in buckets)
    late = sum(b.late_count for b in buckets)
    peak = max(buckets, key=lambda b: b.amount, default=None)
    description = ngettext(
        "Stacked bars, one per period, one pattern per payment method. %(count)d refund, %(amount)s in all",
        "Stacked bars, one per period, one pattern per payment method. %(count)d refunds, %(amount)s in all",
        count,
    ) % {"count": count, "amount": format_money(total)}
    description += "; " + ngettext(
        "%(late)d late, marked by a black triangle with the count.",
        "%(late)d late, marked by a black triangle with the count.",
        late,
    ) % {"late": late}
    if peak is not None and peak.amount:
        description += " " + _("Highest: %(when)s, %(amount)s.") % {
            "when": bucket_name(peak, unit),
            "amount": format_money(peak.amount),
        }
    legend_late = LegendItem("", "#000", "late", _("late refunds (count)"), *late_legend)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        title=title,
        description=description,
        bars=bars,
        legend=[*legend, legend_late],
        grid=grid,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        unit=unit,
        patterns=pattern_styles(len(methods)),
    )


def pattern_styles(count: int) -> list[dict]:
    """The fill patterns the SVG defines, one per method index."""
    return [
        {"id": f"fin-pattern-{i}", "colour": STYLES[i % len(STYLES)][0], "kind": STYLES[i % len(STYLES)][1]}
        for i in range(count)
    ]
