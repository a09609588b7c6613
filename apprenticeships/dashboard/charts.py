"""Server-rendered SVG charts, prepared as plain data for the templates.

No chart JavaScript and no style attributes (the Content-Security-Policy forbids inline styles):
shapes carry the classes of static/css/portal.css (.app-chart__bar, __line, __target, __axis,
__label). The figures are the ones of the table printed beside each chart, suppression included:
a hidden figure gets no bar and no point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .tables import Table

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    axes: list[tuple[float, float, float, float]] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)  # {"css": class, "points": "x,y x,y"}
    bars: list[dict] = field(default_factory=list)  # {"x", "y", "width", "height"}
    labels: list[dict] = field(default_factory=list)  # {"x", "y", "text", "anchor"}

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _nice_maximum(value: float) -> int:
    """A round number at or above `value` for the top of the axis."""
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return max(step * 4, 4)
    return int(value) + 1


def cumulative_chart(months: Table, target_number: int) -> Chart:
    """Recruits to date by month (published points only) against the straight-line trajectory."""
    height = 320
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    n = max(1, len(months.rows))
    trajectory = [float(Decimal(row[2])) for row in months.rows]
    known = [v for v in months.chart_values if v is not None]
    top = _nice_maximum(max([target_number, *known, 1]))

    def x(i: int) -> float:
        return round(LEFT + plot_w * (i + 1) / n, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    chart = Chart(
        id="chart-cumulative",
        title="Recruits to date by month against the straight line to the target",
        description=(
            f"Line chart. The solid line is the number of recruits to date at the end of each "
            f"month; the dashed line climbs evenly from 0 to the target of {target_number} at "
            f"the window's close. The table below gives the same figures."
        ),
        width=WIDTH,
        height=height,
    )
    chart.axes = [
        (LEFT, TOP, LEFT, TOP + plot_h),
        (LEFT, TOP + plot_h, LEFT + plot_w, TOP + plot_h),
    ]
    chart.lines.append(
        {
            "css": "app-chart__target",
            "points": " ".join(
                [f"{LEFT},{y(0)}", *(f"{x(i)},{y(v)}" for i, v in enumerate(trajectory))]
            ),
        }
    )
    points = [f"{LEFT},{y(0)}"] + [
        f"{x(i)},{y(v)}" for i, v in enumerate(months.chart_values) if v is not None
    ]
    chart.lines.append({"css": "app-chart__line", "points": " ".join(points)})
    for tick in range(0, top + 1, top // 4):
        chart.labels.append({"x": LEFT - 8, "y": y(tick) + 5, "text": str(tick), "anchor": "end"})
    step = max(1, n // 6)
    for i in range(0, n, step):
        label = months.rows[i][0]
        chart.labels.append(
            {"x": x(i), "y": TOP + plot_h + 24, "text": label[:3] + label[-5:], "anchor": "middle"}
        )
    return chart


def borough_chart(boroughs: Table) -> Chart:
    """Horizontal bars of recruits per borough; a hidden figure is named, not drawn."""
    label_w, row_h = 180, 28
    names = [row[0] for row in boroughs.rows[: len(boroughs.chart_values)]]
    height = TOP + row_h * max(1, len(names)) + 16
    plot_w = WIDTH - label_w - RIGHT - 60
    top = max([v for v in boroughs.chart_values if v is not None] + [1])
    chart = Chart(
        id="chart-boroughs",
        title="Recruits by borough",
        description=(
            "Bar chart of the number of recruits at each borough. Figures of fewer than 5, "
            "and figures hidden to protect them, have no bar. The table below gives the same "
            "figures."
        ),
        width=WIDTH,
        height=height,
    )
    chart.axes = [(label_w, TOP, label_w, TOP + row_h * len(names))]
    for i, (name, value) in enumerate(zip(names, boroughs.chart_values, strict=True)):
        y = TOP + i * row_h
        chart.labels.append({"x": label_w - 8, "y": y + 19, "text": name, "anchor": "end"})
        text = boroughs.rows[i][1]
        if value is not None and value > 0:
            width = round(plot_w * value / top, 1)
            chart.bars.append({"x": label_w, "y": y + 4, "width": width, "height": row_h - 8})
        else:
            width = 0
        chart.labels.append(
            {"x": label_w + width + 6, "y": y + 19, "text": text, "anchor": "start"}
        )
    return chart
