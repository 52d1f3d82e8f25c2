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
from assess.reporting.labels import role_label

Translate = Callable[[str], str]
Figure = dict[str, Any]
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
ACTUAL, TARGET, MUTED, ACCENT = "#1f5f8b", "#d9822b", "#9aa5b1", "#2e8540"
GRID = "#e5e9ed"
PHASE_COLOURS = ("#1f5f8b", "#2e8540", "#d9822b", "#7b4f9d", "#b23b3b", "#3b8ea5", "#8c6d1f")



def _primary(context: dict[str, Any]) -> str:
    """The chart's main colour: the consultancy's (a checked #rrggbb, assess.services.branding) or the product's."""
    brand = context.get("brand") or {}
    return brand.get("colour") or ACTUAL


def _translucent(colour: str, alpha: float = 0.25) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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
    primary = _primary(context)
    data: list[dict[str, Any]] = [
        {"type": "scatterpolar", "r": [*target, target[0]], "theta": closed, "name": _("Target"), "mode": "lines",
         "line": {"color": TARGET, "dash": "dash", "width": 2}},
        {"type": "scatterpolar", "r": [*actual, actual[0]], "theta": closed, "name": _("Current level"),
         "fill": "toself", "line": {"color": primary, "width": 3}, "fillcolor": _translucent(primary),
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
         "marker": {"color": [_primary(context) if d["reliable"] else MUTED for d in dims]}},
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
         "marker": {"color": _translucent(_primary(context)), "line": {"color": _primary(context), "width": 1}}},
        {"type": "scatter", "y": names, "x": [s["mean"] for s in stats], "mode": "markers", "name": _("Mean"),
         "marker": {"color": _primary(context), "size": 12, "symbol": "diamond"}},
    ]
    return _figure(data, 90 + 48 * len(dims), xaxis=_axis(range=[0, 100]), yaxis=_axis(autorange="reversed"),
                   margin={"l": 220, "r": 30, "t": 20, "b": 40})


LEGEND_WIDTH = 420  # px: the plot area's width at print width, where the legend wraps


def _legend_rows(names: list[str], width: int = LEGEND_WIDTH) -> int:
    """How many lines plotly's horizontal legend takes for `names`: it gives every entry the widest one's room
    (about 7 px a character and 40 px for the symbol)."""
    entry = 40 + 7 * max((len(html.unescape(name)) for name in names), default=0)
    per_row = max(1, width // entry)
    return max(1, -(-len(names) // per_row))


ROLE_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star")


def roles(context: dict[str, Any], _: Translate) -> Figure:
    """The perception gap: each role's score per dimension on one line, the distance between them drawn."""
    dims = context["dimensions"]
    by_role = context["by_role"]
    names = [_short(d["title"], 34) for d in dims]
    low_high: list[float | None] = []
    ys: list[str | None] = []
    for d, name in zip(dims, names, strict=True):
        scores = [r["scores"][d["id"]] for r in by_role if r["scores"].get(d["id"]) is not None]
        if len(scores) > 1:
            low_high += [min(scores), max(scores), None]
            ys += [name, name, None]
    colours = (_primary(context), TARGET, ACCENT, "#7b4f9d", "#b23b3b", "#3b8ea5")
    data: list[dict[str, Any]] = [{"type": "scatter", "x": low_high, "y": ys, "mode": "lines", "showlegend": False,
                                   "hoverinfo": "skip", "line": {"color": "#c9d1d9", "width": 6}}]
    for i, r in enumerate(by_role):
        label = role_label(r["role"], context["lang"])
        data.append({"type": "scatter", "y": names, "x": [r["scores"].get(d["id"]) for d in dims], "mode": "markers",
                     "name": html.escape(f"{label} ({r['respondents']})", quote=False),
                     "marker": {"color": colours[i % len(colours)], "size": 12,
                                "symbol": ROLE_SYMBOLS[i % len(ROLE_SYMBOLS)], "line": {"color": "white", "width": 1}}})
    legend_rows = _legend_rows([t["name"] for t in data[1:]])
    return _figure(data, 70 + 22 * legend_rows + 40 * len(dims),
                   xaxis=_axis(range=[-2, 102], tickvals=[0, 25, 50, 75, 100]),
                   yaxis=_axis(autorange="reversed", automargin=True),
                   legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
                   margin={"l": 200, "r": 20, "t": 20 + 22 * legend_rows, "b": 30})


def _wrap(text: str, width: int = 38, lines: int = 3) -> str:
    """A label on at most `lines` lines of about `width` characters (plotly breaks at <br>), escaped."""
    words, rows = text.split(), [""]
    for word in words:
        if rows[-1] and len(rows[-1]) + 1 + len(word) > width:
            rows.append("")
        rows[-1] = f"{rows[-1]} {word}".strip()
    if len(rows) > lines:
        rows = [*rows[: lines - 1], _short(" ".join(rows[lines - 1:]), width)]
        return "<br>".join(html.escape(r, quote=False) for r in rows[:-1]) + "<br>" + rows[-1]
    return "<br>".join(html.escape(r, quote=False) for r in rows)


QUARTER_WEEKS = 13
DIMENSION_COLOURS = ("#2e8540", "#d9822b", "#7b4f9d", "#b23b3b", "#3b8ea5", "#8c6d1f")


def timeline(context: dict[str, Any], _: Translate) -> Figure:
    """The roadmap on one page: quarters across, the measures grouped by dimension (one colour each) with their
    full titles, each bar from its start to its end week."""
    order = [d["id"] for d in context["dimensions"]]
    titles = context["dimension_titles"]
    measures = sorted((m for p in context["roadmap"]["phases"] for m in p["measures"]),
                      key=lambda m: (order.index(m["dimension"]) if m["dimension"] in order else len(order),
                                     m["start_week"], m["end_week"]))
    groups: dict[str, list[dict[str, Any]]] = {}
    for measure in measures:
        groups.setdefault(measure["dimension"], []).append(measure)
    colours = (_primary(context), *DIMENSION_COLOURS)
    data: list[dict[str, Any]] = [{
        "type": "bar", "y": [_wrap(m["title"]) for m in group],
        "x": [m["end_week"] - m["start_week"] for m in group], "base": [m["start_week"] for m in group],
        "orientation": "h", "name": html.escape(titles.get(dimension, dimension), quote=False),
        "marker": {"color": colours[i % len(colours)]},
        "hovertemplate": "%{y}<extra>%{fullData.name}</extra>",
    } for i, (dimension, group) in enumerate(groups.items())]
    end = max([m["end_week"] for m in measures] or [context["roadmap"].get("total_weeks") or QUARTER_WEEKS])
    quarters = max(1, -(-end // QUARTER_WEEKS))
    ticks = [(_("Quarter %(number)d") % {"number": q + 1}) + "<br>" + (
        _("weeks %(start)d–%(end)d") % {"start": q * QUARTER_WEEKS + 1, "end": (q + 1) * QUARTER_WEEKS})
        for q in range(quarters)]
    lines = [{"type": "line", "x0": q * QUARTER_WEEKS, "x1": q * QUARTER_WEEKS, "y0": 0, "y1": 1, "yref": "paper",
              "line": {"color": "#9aa5b1", "width": 1, "dash": "dot"}} for q in range(1, quarters)]
    rows = sum(2 if "<br>" in label else 1 for trace in data for label in trace["y"])
    legend_rows = _legend_rows([t["name"] for t in data])
    return _figure(data, 90 + 22 * legend_rows + 17 * max(rows, 1) + 8 * len(measures), barmode="overlay",
                   xaxis=_axis(range=[0, quarters * QUARTER_WEEKS], tickvals=[q * QUARTER_WEEKS + QUARTER_WEEKS / 2
                                                                              for q in range(quarters)],
                               ticktext=ticks, showgrid=False),
                   yaxis=_axis(autorange="reversed", automargin=True), shapes=lines,
                   legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                           "traceorder": "normal"},
                   margin={"l": 250, "r": 20, "t": 24 + 22 * legend_rows, "b": 50})


CHARTS: dict[str, Callable[[dict[str, Any], Translate], Figure]] = {
    "radar": radar, "bars": dimension_bars, "spread": spread, "timeline": timeline, "roles": roles,
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
    if context["by_role"]:
        names.append("roles")
    return names
