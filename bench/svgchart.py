"""SVG charts for the benchmarks' figures (standard library only: an SVG is text, no plotting package needed).

  from svgchart import line_chart
  line_chart("bench/charts/sync.svg", "Full sync", "records", "records/s",
             {"H2": [(10000, 5400), (100000, 4900)], "floor": [(10000, 22700), (100000, 21000)]}, log_x=True)

Each series is a list of (x, y) points; x may be numbers or labels (then the points are spaced evenly in order).
"""
import math
import os
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 70, 150, 40, 50
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def _ticks(top):
    """About five round tick values from 0 to at least top."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(math.ceil(top / step)) + 1)]


def _label(value):
    if value >= 1_000_000:
        return "%gM" % (value / 1_000_000)
    if value >= 1_000:
        return "%gk" % (value / 1_000)
    return "%g" % value


def line_chart(path, title, x_label, y_label, series, log_x=False):
    """Writes a line chart of the series (name -> [(x, y), ...]) to path, making its folder."""
    xs = [x for points in series.values() for x, _ in points]
    numeric = all(isinstance(x, (int, float)) for x in xs)
    categories = [] if numeric else list(dict.fromkeys(xs))
    y_ticks = _ticks(max([y for points in series.values() for _, y in points] + [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x):
        if not numeric:
            return LEFT + plot_w * (categories.index(x) + 0.5) / len(categories)
        lo, hi = min(xs), max(xs)
        if log_x:
            lo, hi, x = math.log10(lo), math.log10(hi), math.log10(x)
        return LEFT + (plot_w * (x - lo) / (hi - lo) if hi > lo else plot_w / 2)

    def py(y):
        return TOP + plot_h - plot_h * y / y_ticks[-1]

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (WIDTH, HEIGHT),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (LEFT, escape(title))]
    for tick in y_ticks:
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (LEFT, LEFT + plot_w, py(tick), py(tick)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (LEFT - 6, py(tick) + 4, _label(tick)))
    for x in (categories if not numeric else sorted(set(xs))):
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                   % (px(x), TOP + plot_h + 18, escape(x if not numeric else _label(x))))
    out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (LEFT + plot_w / 2, HEIGHT - 10, escape(x_label)))
    out.append('<text transform="translate(16 %d) rotate(-90)" text-anchor="middle">%s</text>'
               % (TOP + plot_h / 2, escape(y_label)))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>' % (LEFT, TOP, plot_w, plot_h))
    for i, (name, points) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        coords = " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in points)
        out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>' % (coords, colour))
        for x, y in points:
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s</title></circle>'
                       % (px(x), py(y), colour, escape(name), _label(y)))
        ly = TOP + 10 + 18 * i
        out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                   % (WIDTH - RIGHT + 10, WIDTH - RIGHT + 30, ly, ly, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (WIDTH - RIGHT + 36, ly + 4, escape(name)))
    out.append("</svg>")
    if os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return path
