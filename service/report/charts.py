"""The report's charts as inline SVG drawn by matplotlib, with text kept as text and a title and description
for screen readers. Figures are drawn without pyplot, so no GUI backend or global figure state is involved."""

from __future__ import annotations

import html
import io
import math
import re

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

STYLE = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, read by screen readers
    "svg.hashsalt": "casework-report",  # the same counts give the same file
    "font.size": 10,
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],  # each text repeats the list: keep it short
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAR_COLOUR = "#1d70b8"
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
TOP_THEMES = 6
MOST_TICKS = 16


def bar_chart(name: str, counts: pd.Series, title: str, axis_label: str) -> str:
    """Horizontal bars of ``counts`` (index: labels), first at the top, each bar marked with its count."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(9, 0.9 + 0.32 * len(counts)), layout="constrained")
        axes = figure.add_subplot()
        positions = range(len(counts))
        axes.barh(positions, counts.to_numpy(), color=BAR_COLOUR)
        axes.set_yticks(positions, counts.index.astype(str))
        axes.invert_yaxis()
        axes.set_xlabel(axis_label)
        for position, value in zip(positions, counts.to_numpy(), strict=True):
            axes.annotate(
                f"{value:,}", (value, position), xytext=(3, 0), textcoords="offset points", va="center"
            )
        axes.margins(x=0.08)
        listing = ", ".join(f"{label} {value:,}" for label, value in counts.items())
        return to_svg(figure, name, title, f"Bar chart, largest first: {listing}.")


def heatmap(name: str, matrix: pd.DataFrame, title: str) -> str:
    """A grid of themes (columns of ``matrix``) by its index, as given, shaded by count (vector cells, no
    embedded image) and marked with it, so no colour scale is needed."""
    with matplotlib.rc_context(STYLE):
        rows, columns = matrix.shape
        figure = Figure(figsize=(2.8 + 0.42 * columns, 1.8 + 0.36 * rows), layout="constrained")
        axes = figure.add_subplot()
        values = matrix.to_numpy()
        axes.pcolormesh(values, cmap="Blues", edgecolors="white", linewidth=0.5)
        axes.set_xticks(np.arange(columns) + 0.5, matrix.columns.astype(str), rotation=45, ha="right")
        axes.set_yticks(np.arange(rows) + 0.5, matrix.index.astype(str))
        axes.invert_yaxis()
        axes.set_xlabel("theme")
        axes.set_ylabel(str(matrix.index.name))
        axes.spines[:].set_visible(False)
        dark = values.max() * 0.6
        for (row, column), value in np.ndenumerate(values):
            colour = "white" if value > dark else "black"
            axes.text(
                column + 0.5, row + 0.5, f"{value:,}", ha="center", va="center", fontsize=8, color=colour
            )
        description = (
            f"Heatmap of complaints by {matrix.index.name} (rows) and theme (columns), darker for more; "
            "the counts are in the table that follows."
        )
        return to_svg(figure, name, title, description)


def line_chart(name: str, matrix: pd.DataFrame, title: str, top: int = TOP_THEMES) -> str:
    """One line per column of ``matrix`` for its ``top`` largest columns, over its rows (periods, in order)."""
    chosen = matrix.sum().sort_values(ascending=False, kind="stable").index[:top]
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(10, 4.8), layout="constrained")
        axes = figure.add_subplot()
        positions = range(len(matrix))
        for number, column in enumerate(chosen):
            axes.plot(
                positions,
                matrix[column].to_numpy(),
                label=str(column),
                linestyle=LINE_STYLES[number % len(LINE_STYLES)],
                marker=MARKERS[number % len(MARKERS)],
                markersize=4,
            )
        step = math.ceil(len(matrix) / MOST_TICKS)
        axes.set_xticks(positions[::step], matrix.index[::step].astype(str), rotation=45, ha="right")
        axes.set_xlabel(str(matrix.index.name))
        axes.set_ylabel("complaints")
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", alpha=0.3)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        description = (
            f"Line chart of complaints per {matrix.index.name} from {matrix.index[0]} to {matrix.index[-1]} "
            f"for the {len(chosen)} most common themes: {', '.join(map(str, chosen))}; "
            "the counts are in the table that follows."
        )
        return to_svg(figure, name, title, description)


def to_svg(figure: Figure, name: str, title: str, description: str) -> str:
    """``figure`` as an ``<svg>`` element for inlining in HTML: no XML prolog or metadata, every id
    prefixed with ``name`` (so several charts can share a page), and an escaped title and description
    that name it for assistive technology."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'(\bid="|url\(#|href="#)', rf"\g<1>{name}-", svg)
    label = f'role="img" aria-labelledby="{name}-title {name}-desc"'
    accessible = (
        f'<title id="{name}-title">{html.escape(title)}</title>'
        f'<desc id="{name}-desc">{html.escape(description)}</desc>'
    )
    return re.sub(r"<svg([^>]*)>", lambda tag: f"<svg {label}{tag[1]}>{accessible}", svg, count=1)
