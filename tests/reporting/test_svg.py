"""Chart export: one browser per process, a cache keyed by the figure, a clear error without Chromium."""

from __future__ import annotations

import html
import os
from typing import Any

import plotly.graph_objects as go
import pytest

from assess.reporting import svg
from assess.reporting.charts import CHARTS
from assess.reporting.pdf import chart_svgs


def test_charts_are_the_web_figures_as_svg_with_the_report_font(single_context: dict[str, Any]) -> None:
    charts = chart_svgs(single_context)
    assert set(charts) == {"radar", "bars", "timeline"}
    for name, image in charts.items():
        assert image.startswith("<svg"), name
        assert "DejaVu Sans" in image, name
    assert html.escape(single_context["dimensions"][0]["title"][:20], quote=False) in charts["radar"]


def test_a_chart_is_rendered_once_per_input(single_context: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    chart_svgs(single_context)
    exports: list[object] = []
    real = svg._server.svg
    monkeypatch.setattr(svg._server, "svg", lambda *args: exports.append(args) or real(*args))
    again = chart_svgs(single_context)
    assert exports == [] and len(again) == 3  # all three from the shared cache, none exported again


def test_server_starts_once_per_process() -> None:
    import kaleido

    svg.start_server()
    svg.start_server()  # no second browser, no warning (warnings are errors here)
    assert kaleido._global_server.is_running()
    figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    assert svg.figure_svg(figure, 300, 200).startswith("<svg")


def test_kaleidos_page_load_is_the_patched_one_that_cannot_miss_the_load_event() -> None:
    from kaleido._kaleido_tab._tab import _KaleidoTab

    svg.start_server()
    assert getattr(_KaleidoTab.navigate, "assess_fixed", False), "kaleido changed: check _fix_kaleido_navigation"


def test_missing_chromium_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert svg.browser_path() is None
    monkeypatch.setattr(svg, "_server", svg._Server())
    with pytest.raises(svg.ChromiumMissingError, match=r"apt-get install chromium"):
        svg.start_server()


def test_every_chart_has_a_print_version(multi_context: dict[str, Any]) -> None:
    charts = chart_svgs(multi_context)
    assert set(charts) == set(CHARTS) - ({"timeline"} if not multi_context["roadmap"]["phases"] else set())


def test_a_chromium_that_stops_answering_is_replaced_not_kept_for_the_process_s_life(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A frozen Chromium (SIGSTOP stands for a hung browser) costs one chart: it is killed, and the next chart
    is drawn by a new one in the same process; no frozen process is left behind."""
    import os
    import signal

    from tests.processes import command, left_after, tree

    svg.cache_clear()
    assert svg.figure_svg(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), 300, 200).startswith("<svg")
    frozen = {pid for pid in tree(os.getpid()) if "chrom" in command(pid)}
    assert frozen
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    monkeypatch.setattr(svg, "EXPORT_TIMEOUT", 3.0)
    with pytest.raises(svg.ChartExportError, match="did not render"):
        svg.figure_svg(go.Figure(go.Bar(x=[1, 2], y=[5, 6])), 300, 200)
    assert not left_after(frozen, 10), "the frozen Chromium is still there"
    monkeypatch.setattr(svg, "EXPORT_TIMEOUT", 60.0)
    again = svg.figure_svg(go.Figure(go.Bar(x=[1, 2], y=[7, 8])), 300, 200)
    assert again.startswith("<svg") and not svg._server.wedged
    assert {pid for pid in tree(os.getpid()) if "chrom" in command(pid)}.isdisjoint(frozen)


@pytest.mark.skipif(os.geteuid() != 0, reason="only a Chromium run as root can raise its own priority")
def test_a_niced_process_draws_its_charts_at_its_own_niceness() -> None:
    """A report worker runs niced (10) so that respondents come first; a Chromium run as root raises its own
    browser and GPU threads to -8. After a chart every Chromium thread of the process is at 10 or lower priority."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import os
        from pathlib import Path
        os.nice(10)
        from assess import processes
        from assess.reporting import svg
        svg.figure_svg({"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}, 300, 200)
        svg.figure_svg({"data": [{"type": "bar", "x": ["a", "b"], "y": [2, 1]}], "layout": {}}, 300, 200)
        chromium = [p for p in processes.tree(os.getpid()) if "chrom" in processes.command(p)]
        threads = [int(t.name) for p in chromium for t in Path(f"/proc/{p}/task").iterdir()]
        raised = [t for t in threads if os.getpriority(os.PRIO_PROCESS, t) < 10]
        print(len(chromium), min(os.getpriority(os.PRIO_PROCESS, t) for t in threads), len(raised))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    processes_seen, lowest, raised = map(int, done.stdout.split()[-3:])
    assert processes_seen > 0 and lowest >= 10 and raised == 0
