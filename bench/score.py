"""Benchmark: score 1,000 respondents x the default questionnaire, in process.

Run: .venv/bin/python bench/score.py [--respondents N] [--repeat R]
Prints the best and median of R runs for (a) one aggregate evaluation of all
respondents (scores, flags, roadmap, roles, agenda) and (b) each respondent
evaluated alone, and the two budgets: the aggregate under 50 ms, one
respondent's full evaluation under 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from assess.catalog import Catalog
from assess.domain.answers import Answer, Response
from assess.domain.evaluation import evaluate
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import score_responses


def make_responses(questionnaire: Questionnaire, count: int, seed: int = 7) -> list[Response]:
    rng = random.Random(seed)
    responses = []
    for _ in range(count):
        answers = {}
        for question in questionnaire.questions():
            roll = rng.random()
            if roll < 0.05:
                answers[question.id] = Answer("dont_know")
            elif roll < 0.08 and question.allow_na:
                answers[question.id] = Answer("na", reason="n/a")
            else:
                answers[question.id] = Answer(rng.randint(1, 5))
        responses.append(Response(answers, role=rng.choice(["executive", "service_staff", "it"])))
    return responses


def timed(label: str, repeat: int, work: Callable[[], object], per: int = 1) -> float:
    """Print best and median of `repeat` runs (per item when `per` > 1); return the median in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000 / per)
    print(f"{label:<62} best {min(times):8.2f} ms   median {statistics.median(times):8.2f} ms")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    questionnaire = Catalog().get("digital-readiness")
    responses = make_responses(questionnaire, args.respondents)
    n, q = args.respondents, questionnaire.question_count
    print(f"{n} respondents x {q} questions ({n * q} answers), {args.repeat} runs")
    aggregate = timed(f"aggregate: evaluate all {n} together (everything)", args.repeat,
                      lambda: evaluate(questionnaire, responses))
    timed("aggregate: score_responses only", args.repeat, lambda: score_responses(questionnaire, responses))
    single = timed("one respondent: full evaluation (scores, flags, roadmap), each", max(1, args.repeat // 2),
                   lambda: [evaluate(questionnaire, [r]) for r in responses[:200]], per=200)
    print(f"budgets: aggregate {aggregate:.1f} ms of 50 ms ({'ok' if aggregate < 50 else 'OVER'}), "
          f"one respondent {single:.2f} ms of 5 ms ({'ok' if single < 5 else 'OVER'})")


if __name__ == "__main__":
    main()
