"""The plotly.js bundle the web pages and kaleido load has every trace type the charts draw."""

from __future__ import annotations

import re
from typing import Any

from assess.reporting.catalogs import translations
from assess.reporting.charts import CHARTS, charts_for
from assess.reporting.svg import PLOTLY_BUNDLE
from tests.conftest import ROOT


def _banner() -> str:
    with PLOTLY_BUNDLE.open(encoding="utf-8") as bundle:
        return bundle.readline()


def test_the_bundle_has_every_trace_type_the_charts_use(single_context: dict[str, Any],
                                                        multi_context: dict[str, Any]) -> None:
    built = set(re.search(r"traces: ([\w ]+);", _banner()).group(1).split())  # type: ignore[union-attr]
    used = {trace.get("type", "scatter")
            for context in (single_context, multi_context)
            for name in charts_for(context)
            for trace in CHARTS[name](context, translations(context["lang"]).gettext)["data"]}
    assert used <= built, f"add {sorted(used - built)} to TRACES in scripts/build-plotly and run it"


def test_the_bundle_is_what_the_build_script_pins() -> None:
    script = (ROOT / "scripts" / "build-plotly").read_text(encoding="utf-8")
    version = re.search(r"^VERSION=([\d.]+)", script, re.M).group(1)  # type: ignore[union-attr]
    traces = re.search(r"^TRACES=\(([\w ]+)\)", script, re.M).group(1).split()  # type: ignore[union-attr]
    assert f"plotly.js v{version}," in _banner()
    assert _banner().split("traces: ")[1].split(";")[0].split() == ["scatter", *traces]
