"""The plotly figures of a result, shared by the web page (plotly.js) and the PDF (SVG via kaleido).

Figures are plain dicts in plotly's JSON schema ({"data": [...], "layout": {...}}):
building them through plotly.graph_objects validates every attribute and cost
most of a result page's time; plotly.js and kaleido take the dicts as they are.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from assess.domain.levels import LEVELS, MAX_LEVEL, MIN_LEVEL, level_to_score, score_to_level

Translate = Callable[[str], str]
Figure = dict[str, Any]
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
ACTUAL, TARGET, MUTED, ACCENT = "#1f5f8b", "#d9822b", "#9aa5b1", "#2e8540"
GRID = "#e5e9ed"
PHASE_COLOURS = ("#1f5f8b", "#2e8540", "#d9822b", "#7b4f9d", "#b23b3b", "#3b8ea5", "#8c6d1f")



def _figure(data: list[dict[str, Any]], height: int, **extra: Any) -> Figure:
    layout: dict[str, Any] = {
        "font": {"family": FONT, "size": 13, "color": "#1b1f23"},
        "paper_bgcolor": "white", "plot_bgcolor": "white", "height": height,
        "margin": {"l": 40, "r": 40, "t": 30, "b": 40}, "showlegend": True,
        "legend": {"orientation": "h", "y": -0.12, "x": 0.5, "xanchor": "center"},
        "hoverlabel": {"font": {"family": FONT}},
    }
    return {"data": data, "layout": layout | extra}


def _short(text: str, limit: int = 28) -> str:
    """A label, shortened, as plain text: plotly reads its labels as HTML (<a href>, <span style>), so escape it."""
    short = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return html.escape(short, quote=False)


def _axis(**extra: Any) -> dict[str, Any]:
    return {"gridcolor": GRID, "zeroline": False, "linecolor": "#d0d7de", **extra}


def radar(context: dict[str, Any], _: Translate) -> Figure:
    """Dimension levels against their targets."""
    dims = context["dimensions"]
    names = [_short(d["title"]) for d in dims]
    closed = [*names, names[0]] if names else names
    actual = [d["level"] for d in dims]
    target = [d["target"] for d in dims]
    data: list[dict[str, Any]] = [
        {"type": "scatterpolar", "r": [*target, target[0]], "theta": closed, "name": _("Target"), "mode": "lines",
         "line": {"color": TARGET, "dash": "dash", "width": 2}},
        {"type": "scatterpolar", "r": [*actual, actual[0]], "theta": closed, "name": _("Current level"),
         "fill": "toself", "line": {"color": ACTUAL, "width": 3}, "fillcolor": "rgba(31,95,139,0.25)",
         "mode": "lines+markers", "connectgaps": False},
    ]
    if context.get("change"):
        before = [context["change"]["dimensions"][d["id"]]["before"] for d in dims]
        levels = [None if b is None else score_to_level(b) for b in before]
        data.append({"type": "scatterpolar", "r": [*levels, levels[0]], "theta": closed,
                     "name": _("Previous assessment"), "mode": "lines",
                     "line": {"color": MUTED, "width": 2, "dash": "dot"}})
    return _figure(data, 440, margin={"l": 110, "r": 110, "t": 40, "b": 40}, polar={
        "bgcolor": "#f6f8fa",
        "radialaxis": {"range": [MIN_LEVEL, MAX_LEVEL], "tickvals": list(LEVELS), "angle": 90, "gridcolor": "#d0d7de"},
        "angularaxis": {"gridcolor": "#d0d7de"},
    })


def dimension_bars(context: dict[str, Any], _: Translate) -> Figure:
    """Score per dimension with its target and coverage."""
    dims = context["dimensions"]
    names = [_short(d["title"], 34) for d in dims]
    scores = [d["score"] if d["score"] is not None else 0 for d in dims]
    targets = [level_to_score(d["target"]) for d in dims]
    data: list[dict[str, Any]] = [
        {"type": "bar", "y": names, "x": scores, "orientation": "h", "name": _("Score (0–100)"),
         "marker": {"color": [ACTUAL if d["reliable"] else MUTED for d in dims]}},
        {"type": "scatter", "y": names, "x": targets, "mode": "markers", "name": _("Target"),
         "marker": {"symbol": "line-ns-open", "size": 22, "color": TARGET, "line": {"width": 3, "color": TARGET}}},
        # Score labels right of bar and target; coverage in its own column, so nothing overlaps.
        {"type": "scatter", "y": names, "x": [max(s, t) + 3 for s, t in zip(scores, targets, strict=True)],
         "mode": "text", "showlegend": False, "hoverinfo": "skip", "textposition": "middle right",
         "text": [f"{d['score']:.0f}" if d["score"] is not None else _("not reliably scored") for d in dims]},
        {"type": "scatter", "y": names, "x": [128] * len(dims), "mode": "text", "showlegend": False,
         "hoverinfo": "skip", "text": [f"{d['coverage'] * 100:.0f} %" for d in dims], "textposition": "middle left",
         "textfont": {"color": "#57606a"}},
    ]
    return _figure(
        data, 100 + 48 * len(dims),
        xaxis=_axis(range=[0, 145], tickvals=[0, 25, 50, 75, 100]), yaxis=_axis(autorange="reversed"),
        margin={"l": 220, "r": 20, "t": 30, "b": 40},
        annotations=[{"x": 128, "y": 1.0, "yref": "paper", "yanchor": "bottom", "xanchor": "left",
                      "showarrow": False, "text": _("coverage"), "font": {"color": "#57606a", "size": 12}}],
    )


def spread(context: dict[str, Any], _: Translate) -> Figure:
    """Lowest, mean and highest respondent score per dimension."""
    dims = [d for d in context["dimensions"] if d["respondent_scores"]]
    names = [_short(d["title"], 34) for d in dims]
    stats = [d["respondent_scores"] for d in dims]
    data: list[dict[str, Any]] = [
        {"type": "bar", "y": names, "x": [s["max"] - s["min"] for s in stats], "base": [s["min"] for s in stats],
         "orientation": "h", "name": _("Range between respondents"),
         "marker": {"color": "rgba(31,95,139,0.25)", "line": {"color": ACTUAL, "width": 1}}},
        {"type": "scatter", "y": names, "x": [s["mean"] for s in stats], "mode": "markers", "name": _("Mean"),
         "marker": {"color": ACTUAL, "size": 12, "symbol": "diamond"}},
    ]
    return _figure(data, 90 + 48 * len(dims), xaxis=_axis(range=[0, 100]), yaxis=_axis(autorange="reversed"),
                   margin={"l": 220, "r": 30, "t": 20, "b": 40})


def timeline(context: dict[str, Any], _: Translate) -> Figure:
    """The roadmap's measures as bars from their start to their end week, coloured by the phase they start in."""
    data: list[dict[str, Any]] = []
    rows = 0
    for phase in context["roadmap"]["phases"]:
        measures = phase["measures"]
        rows += len(measures)
        data.append({
            "type": "bar", "y": [_short(m["title"], 40) for m in measures],
            "x": [m["end_week"] - m["start_week"] for m in measures], "base": [m["start_week"] for m in measures],
            "orientation": "h", "name": f"{_('Phase')} {phase['number']}",
            "marker": {"color": PHASE_COLOURS[(phase["number"] - 1) % len(PHASE_COLOURS)]},
        })
    return _figure(data, 110 + 26 * max(rows, 1), barmode="overlay",
                   xaxis=_axis(title={"text": _("weeks")}, rangemode="tozero"), yaxis=_axis(autorange="reversed"),
                   margin={"l": 280, "r": 20, "t": 20, "b": 50})


CHARTS: dict[str, Callable[[dict[str, Any], Translate], Figure]] = {
    "radar": radar, "bars": dimension_bars, "spread": spread, "timeline": timeline,
}
PRINT_WIDTH = 660  # CSS px: the A4 text width, so chart text prints at about the body size
PRINT_FONT_SIZE = 11


def print_figure(name: str, context: dict[str, Any], gettext: Translate) -> Figure:
    """The web page's figure `name` for print (PDF and DOCX): the page width, smaller type, a white polar background."""
    figure = CHARTS[name](context, gettext)
    layout = dict(figure["layout"])
    layout["font"] = {**layout.get("font", {}), "size": PRINT_FONT_SIZE}
    layout["width"] = PRINT_WIDTH
    if "polar" in layout:
        layout["polar"] = {**layout["polar"], "bgcolor": "white"}
    return {**figure, "layout": layout}


def charts_for(context: dict[str, Any]) -> list[str]:
    """The chart names that make sense for `context`."""
    names = ["radar", "bars"]
    if context["multi"] and any(d["respondent_scores"] for d in context["dimensions"]):
        names.append("spread")
    if context["roadmap"]["phases"]:
        names.append("timeline")
    return names
