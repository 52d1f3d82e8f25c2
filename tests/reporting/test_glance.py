"""Page 1's data: what a consultant expects the board to read first."""

from __future__ import annotations

from typing import Any

from assess.catalog import Catalog
from assess.reporting.glance import EFFORT_DAYS, effort_range
from assess.services.answer_files import read_answer_file
from tests.reporting.conftest import EXAMPLES, context_of


def test_a_company_at_its_targets_is_told_so_and_asked_to_fund_nothing(catalog: Catalog) -> None:
    glance = context_of(read_answer_file(str(EXAMPLES / "all-fives.json"), catalog), "en")["glance"]
    assert len(glance["messages"]) == 3
    assert any("no measures are needed" in m for m in glance["messages"])
    assert not any(d.startswith("Fund phase") for d in glance["decisions"])
    assert glance["plan"] == [] or all(row["quick"] for row in glance["plan"])


def test_the_decisions_fund_the_first_phase_name_owners_and_stop_new_islands(single_context: dict[str, Any]) -> None:
    glance = single_context["glance"]
    first = next(p for p in single_context["roadmap"]["phases"] if p["measures"])
    low, high = effort_range(first["measures"])
    fund = glance["decisions"][0]
    assert fund.startswith(f"Phase {first['number']} freigeben") and f"{low}–{high} Personentage" in fund
    areas = {single_context["dimension_titles"][m["dimension"]] for m in first["measures"]}
    assert all(area in glance["decisions"][1] for area in areas)  # an owner per area of the first phase
    assert single_context["flags"] and "keine neuen Einzellösungen" in glance["decisions"][-1]
    # the 90 days: the quick wins and what starts within 13 weeks, earliest first
    assert [row["start"] for row in glance["plan"]] == sorted(row["start"] for row in glance["plan"])
    assert all(row["start"] <= 13 for row in glance["plan"])


def test_effort_is_the_sum_of_each_measures_range_by_its_effort_level() -> None:
    measures = [{"effort": "low"}, {"effort": "high"}, {"effort": "medium"}]
    assert effort_range(measures) == (sum(EFFORT_DAYS[e][0] for e in ("low", "high", "medium")),
                                      sum(EFFORT_DAYS[e][1] for e in ("low", "high", "medium")))
    assert effort_range([]) == (0, 0)
