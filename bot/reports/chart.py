"""The weekly chart: one horizontal stacked bar per unit, a segment per category, worst unit on
top, the legend in rows between the title and the bars (no band of whitespace below them).
Drawn with matplotlib's Agg backend (no display) in DejaVu Sans, the font matplotlib ships,
which has every Vietnamese glyph."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator

from bot.domain.model import Unit
from bot.domain.tally import Category, Tally, worst_first
from bot.text.catalog import t
from bot.text.reports import period_bounds

MAX_BARS = 20
FONT = "DejaVu Sans"
COLORS = {
    Category.DONE_ON_TIME: "#2e7d32",
    Category.DONE_LATE: "#f9a825",
    Category.OPEN_IN_TIME: "#1565c0",
    Category.OPEN_LATE: "#c62828",
    Category.NO_DEADLINE: "#9e9e9e",
}
FIELDS = {
    Category.DONE_ON_TIME: "done_on_time",
    Category.DONE_LATE: "done_late",
    Category.OPEN_IN_TIME: "open_in_time",
    Category.OPEN_LATE: "open_late",
    Category.NO_DEADLINE: "no_deadline",
}


def chart_units(tally: Tally, units: dict[int, Unit]) -> list[int]:
    """The units drawn: those with tasks, worst first, at most MAX_BARS."""
    codes = {uid: units[uid].code if uid in units else "?" for uid in tally.units}
    return [u for u in worst_first(tally.units, codes) if tally.units[u].total][:MAX_BARS]


def figure(tally: Tally, units: dict[int, Unit], lang: str, tz: ZoneInfo) -> Figure:
    shown = chart_units(tally, units)
    labels = [units[u].code if u in units else "?" for u in shown]
    # A phone shows the picture about 360 points wide: a narrow figure drawn at a high
    # resolution keeps its words legible there. The title, the legend (three rows above the
    # bars) and the axis take about 1.8 inches, the rest is bars, placed tightly by the layout
    # engine.
    height = 1.8 + 0.36 * max(len(shown), 2)
    fig = Figure(
        figsize=(5.4, height), dpi=200, layout=ConstrainedLayoutEngine(h_pad=0.04, w_pad=0.05)
    )
    ax = fig.add_subplot()
    positions = list(range(len(shown)))[::-1]  # the worst at the top
    left = [0] * len(shown)
    for category in Category:
        values = [getattr(tally.units[u], FIELDS[category]) for u in shown]
        ax.barh(
            positions,
            values,
            left=left,
            color=COLORS[category],
            label=t(f"report.cat.{category.value}", lang),
            height=0.72,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in zip(positions, left, strict=True):
        ax.annotate(
            str(total),
            (total, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=11,
            family=FONT,
        )
    ax.set_yticks(positions, labels, fontsize=12, family=FONT)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.tick_params(axis="x", labelsize=10)
    ax.set_xlabel(t("report.chart_axis", lang), fontsize=10, family=FONT, labelpad=2)
    ax.set_xlim(0, max(left, default=1) * 1.12 + 1)
    start, end = period_bounds(tally.period, tz)
    fig.suptitle(
        t("report.chart_title", lang, start=start, end=end),
        fontsize=13,
        family=FONT,
        x=0.01,
        ha="left",
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.01, 1, 0),
        ncol=2,
        frameon=False,
        borderaxespad=0,
        handlelength=1.2,
        handletextpad=0.4,
        columnspacing=1.0,
        prop={"family": FONT, "size": 9.5},
    )
    return fig


def png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def chart_png(tally: Tally, units: dict[int, Unit], lang: str, tz: ZoneInfo) -> bytes:
    return png(figure(tally, units, lang, tz))


def main() -> None:
    """`python -m bot.reports.chart`: the chart described on stdin (bot.reports.drawing), as
    PNG on stdout."""
    import sys

    from bot.reports.drawing import decode

    tally, units, lang, tz = decode(sys.stdin.buffer.read())
    sys.stdout.buffer.write(chart_png(tally, units, lang, tz))


if __name__ == "__main__":
    main()
