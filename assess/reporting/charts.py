"""The plotly figures of a result, shared by the web page (JS) and the PDF (SVG)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

Translate = Callable[[str], str]
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
ACTUAL, TARGET, MUTED, ACCENT = "#1f5f8b", "#d9822b", "#9aa5b1", "#2e8540"
PHASE_COLOURS = ("#1f5f8b", "#2e8540", "#d9822b", "#7b4f9d", "#b23b3b", "#3b8ea5", "#8c6d1f")


def _layout(fig: go.Figure, height: int, **extra: Any) -> go.Figure:
    settings: dict[str, Any] = {
        "font": {"family": FONT, "size": 13, "color": "#1b1f23"},
        "paper_bgcolor": "white", "plot_bgcolor": "white", "height": height,
        "margin": {"l": 40, "r": 40, "t": 30, "b": 40}, "showlegend": True,
        "legend": {"orientation": "h", "y": -0.12, "x": 0.5, "xanchor": "center"},
    }
    fig.update_layout(**(settings | extra))
    return fig


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def radar(context: dict[str, Any], _: Translate) -> go.Figure:
    """Dimension levels against their targets."""
    dims = context["dimensions"]
    names = [_short(d["title"]) for d in dims]
    closed = [*names, names[0]] if names else names
    actual = [d["level"] for d in dims]
    target = [d["target"] for d in dims]
    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(r=[*target, target[0]], theta=closed, name=_("Target"),
                                  line={"color": TARGET, "dash": "dash", "width": 2}, mode="lines"))
    fig.add_trace(go.Scatterpolar(r=[*actual, actual[0]], theta=closed, name=_("Current level"), fill="toself",
                                  line={"color": ACTUAL, "width": 3}, fillcolor="rgba(31,95,139,0.25)",
                                  mode="lines+markers", connectgaps=False))
    if context.get("change"):
        before = [context["change"]["dimensions"][d["id"]]["before"] for d in dims]
        levels = [None if b is None else 1 + b / 25 for b in before]
        fig.add_trace(go.Scatterpolar(r=[*levels, levels[0]], theta=closed, name=_("Previous assessment"),
                                      line={"color": MUTED, "width": 2, "dash": "dot"}, mode="lines"))
    return _layout(fig, 440, margin={"l": 110, "r": 110, "t": 40, "b": 40}, polar={
        "radialaxis": {"range": [1, 5], "tickvals": [1, 2, 3, 4, 5], "angle": 90, "gridcolor": "#d0d7de"},
        "angularaxis": {"gridcolor": "#d0d7de"},
    })


def dimension_bars(context: dict[str, Any], _: Translate) -> go.Figure:
    """Score per dimension with its target and coverage."""
    dims = context["dimensions"]
    names = [_short(d["title"], 34) for d in dims]
    scores = [d["score"] if d["score"] is not None else 0 for d in dims]
    targets = [(d["target"] - 1) * 25 for d in dims]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=scores, orientation="h", name=_("Score (0–100)"),
                         marker={"color": [ACTUAL if d["reliable"] else MUTED for d in dims]}))
    fig.add_trace(go.Scatter(y=names, x=targets, mode="markers", name=_("Target"),
                             marker={"symbol": "line-ns-open", "size": 22, "color": TARGET, "line": {"width": 3}}))
    # Score labels right of bar and target; coverage in its own column, so nothing overlaps.
    fig.add_trace(go.Scatter(
        y=names, x=[max(s, t) + 3 for s, t in zip(scores, targets, strict=True)], mode="text", showlegend=False,
        text=[f"{d['score']:.0f}" if d["score"] is not None else _("not reliably scored") for d in dims],
        textposition="middle right", hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        y=names, x=[128] * len(dims), mode="text", showlegend=False, hoverinfo="skip",
        text=[f"{d['coverage'] * 100:.0f} %" for d in dims], textposition="middle left",
        textfont={"color": "#57606a"}))
    fig.add_annotation(x=128, y=1.0, yref="paper", yanchor="bottom", xanchor="left", showarrow=False,
                       text=_("coverage"), font={"color": "#57606a", "size": 12})
    return _layout(fig, 100 + 48 * len(dims), xaxis={"range": [0, 145], "tickvals": [0, 25, 50, 75, 100],
                                                     "gridcolor": "#e5e9ed", "zeroline": False},
                   yaxis={"autorange": "reversed"}, margin={"l": 220, "r": 20, "t": 30, "b": 40})


def spread(context: dict[str, Any], _: Translate) -> go.Figure:
    """Lowest, mean and highest respondent score per dimension."""
    dims = [d for d in context["dimensions"] if d["respondent_scores"]]
    names = [_short(d["title"], 34) for d in dims]
    stats = [d["respondent_scores"] for d in dims]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[s["max"] - s["min"] for s in stats], base=[s["min"] for s in stats],
                         orientation="h", name=_("Range between respondents"),
                         marker={"color": "rgba(31,95,139,0.25)", "line": {"color": ACTUAL, "width": 1}}))
    fig.add_trace(go.Scatter(y=names, x=[s["mean"] for s in stats], mode="markers", name=_("Mean"),
                             marker={"color": ACTUAL, "size": 12, "symbol": "diamond"}))
    return _layout(fig, 90 + 48 * len(dims), xaxis={"range": [0, 100], "gridcolor": "#e5e9ed"},
                   yaxis={"autorange": "reversed"}, margin={"l": 220, "r": 30, "t": 20, "b": 40})


def timeline(context: dict[str, Any], _: Translate) -> go.Figure:
    """The roadmap's measures as bars over weeks, coloured by phase."""
    fig = go.Figure()
    rows = 0
    for phase in context["roadmap"]["phases"]:
        measures = phase["measures"]
        rows += len(measures)
        fig.add_trace(go.Bar(
            y=[_short(m["title"], 40) for m in measures], x=[m["duration_weeks"] for m in measures],
            base=[phase["start_week"]] * len(measures), orientation="h",
            name=f"{_('Phase')} {phase['number']}",
            marker={"color": PHASE_COLOURS[(phase["number"] - 1) % len(PHASE_COLOURS)]},
        ))
    return _layout(fig, 110 + 26 * max(rows, 1), barmode="overlay",
                   xaxis={"title": {"text": _("weeks")}, "gridcolor": "#e5e9ed", "rangemode": "tozero"},
                   yaxis={"autorange": "reversed"}, margin={"l": 280, "r": 20, "t": 20, "b": 50})


CHARTS: dict[str, Callable[[dict[str, Any], Translate], go.Figure]] = {
    "radar": radar, "bars": dimension_bars, "spread": spread, "timeline": timeline,
}


def charts_for(context: dict[str, Any]) -> list[str]:
    """The chart names that make sense for `context`."""
    names = ["radar", "bars"]
    if context["multi"] and any(d["respondent_scores"] for d in context["dimensions"]):
        names.append("spread")
    if context["roadmap"]["phases"]:
        names.append("timeline")
    return names
