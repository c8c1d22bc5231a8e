"""Free-text symptoms (issue 16): spasmcare.understand on the `story` of every development case
(tests/triage/cases/), scored against the case's intake (tests/understand/metrics.py).

1. Findings read as present: precision and recall, per finding and for emergency-level findings
   (those an emergency rule uses). Goals: recall >= 95%, precision >= 90%.
2. Findings read as absent (negation): accuracy where the intake says. Goal >= 95%.
3. Exactness of age, regions, duration and pain (also sex, onset, pregnant), over the cases whose
   intake has the field.
4. Interview questions left after the story (taken as confirmed) vs without it, each answered by an
   oracle from the case. Goal: median after <= 60% of median without.
5. Milliseconds per story after the pipeline has loaded (and the load itself). Goal: under 50 ms.
Also: our own stories (tests/understand/stories/) read exactly into their intakes.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import load_cases  # noqa: E402
from tests.understand.metrics import Report, evaluate_cases  # noqa: E402
from tests.understand.test_stories import STORIES  # noqa: E402

from spasmcare.knowledge import load_knowledge  # noqa: E402
from spasmcare.knowledge.schema import KnowledgeBase  # noqa: E402
from spasmcare.understand import understand  # noqa: E402


def _pct(value: float | None) -> str:
    return "  -  " if value is None else f"{value * 100:5.1f}%"


def _ok(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def levels(kb: KnowledgeBase) -> dict[str, str]:
    out: dict[str, set[str]] = {}
    for rule in kb.active_rules:
        if not rule.is_unsure_rule:
            for fid in rule.findings:
                out.setdefault(fid, set()).add(rule.disposition.letter)
    return {fid: "".join(sorted(v, key="EUS".index)) for fid, v in out.items()}


def per_finding(report: Report, kb: KnowledgeBase) -> None:
    level = levels(kb)
    print("per finding (dev stories vs intakes): level, present tp/fp(not in intake)/fn, P, R;")
    print("  absent right/wrong/missed")
    rows = sorted(report.scores.per_finding.items(), key=lambda kv: (level.get(kv[0], "-"), kv[0]))
    for fid, s in rows:
        if not (s.tp or s.fp or s.fn or s.neg_right or s.neg_wrong or s.neg_missed):
            continue
        print(
            f"  {fid:24} {level.get(fid, '-'):3} {s.tp:3}/{s.fp:2}({s.fp_not_in_intake})/{s.fn:2}"
            f"  P {_pct(s.precision)} R {_pct(s.recall)}"
            f"   no {s.neg_right:2}/{s.neg_wrong}/{s.neg_missed:2}"
        )


def accuracy(report: Report) -> None:
    e = report.scores.total(report.emergency_ids)
    t = report.scores.total()
    print(
        f"emergency-level findings read as present: precision {_pct(e.precision)} "
        f"({e.tp}/{e.tp + e.fp}; {e.fp_not_in_intake} of the {e.fp} false positives are absent "
        f"from the intake), recall {_pct(e.recall)} ({e.tp}/{e.tp + e.fn})"
    )
    goal = (e.recall or 0) >= 0.95 and (e.precision or 0) >= 0.90
    print(f"  goal: recall >= 95% and precision >= 90%: {_ok(goal)}")
    print(
        f"all findings read as present: precision {_pct(t.precision)}, recall {_pct(t.recall)}"
        f" ({t.tp} right, {t.fp} not in the intake as yes, {t.fn} missed)"
    )
    neg = report.scores.negation_accuracy
    print(
        f"findings read as absent: accuracy {_pct(neg)} ({t.neg_right} right, {t.neg_wrong} wrong);"
        f" {t.neg_missed} intake 'no' answers were not read as no (most are not in the story)"
    )
    print(f"  goal: negation accuracy >= 95%: {_ok((neg or 0) >= 0.95)}")
    print("fields (cases whose intake has the field): exact / wrong / not read")
    for name in ("age", "regions", "duration_days", "pain", "sex", "onset", "pregnant"):
        c = report.scores.fields.get(name)
        if not c:
            continue
        judged = c["exact"] + c["wrong"]
        share = c["exact"] / judged if judged else None
        print(
            f"  {name:14} {c['exact']:3} / {c['wrong']:2} / {c['missing']:3}"
            f"   exact when read {_pct(share)}"
        )
    for line in report.scores.errors:
        print(f"  differs: {line}")


def questions(report: Report, cases: list[dict[str, object]]) -> None:
    w, a = report.without, report.after
    ratio = statistics.median(a) / statistics.median(w)
    print(
        f"questions over {report.cases} cases: without the story median {statistics.median(w)} "
        f"(mean {statistics.mean(w):.1f}), after it median {statistics.median(a)} "
        f"(mean {statistics.mean(a):.1f}); ratio of medians {ratio * 100:.0f}%"
    )
    per_case = [x / y for x, y in zip(a, w, strict=True) if y]
    print(f"  median of per-case ratios {statistics.median(per_case) * 100:.0f}%")
    by: dict[str, list[tuple[int, int]]] = {}
    for case, x, y in zip(cases, w, a, strict=True):
        by.setdefault(str(case["expected"]), []).append((x, y))
    for level in ("emergency", "urgent", "soon", "self_care"):
        pairs = by.get(level, [])
        if pairs:
            print(
                f"  {level:9} ({len(pairs):2}): median {statistics.median(p[0] for p in pairs)} -> "
                f"{statistics.median(p[1] for p in pairs)}"
            )
    print(f"  same result with and without the story: {report.same_level}/{report.cases}")
    print(f"  goal: median after <= 60% of median without: {_ok(ratio <= 0.6)}")


def speed(kb: KnowledgeBase, cases: list[dict[str, object]]) -> None:
    stories = [str(c["story"]) for c in cases]
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for story in stories:
            understand(story, kb)
        best = min(best, time.perf_counter() - start)
    per = best / len(stories) * 1000
    long_story = " ".join(stories[:12])
    start = time.perf_counter()
    understand(long_story, kb)
    long_ms = (time.perf_counter() - start) * 1000
    print(
        f"speed after load: {per:.1f} ms per story (best of 5 over {len(stories)} stories); "
        f"a {len(long_story)}-character story {long_ms:.0f} ms"
    )
    print(f"  goal: under 50 ms per story: {_ok(per < 50)}")


def own_stories(kb: KnowledgeBase) -> None:
    exact = sum(
        understand(s["text"], kb, today=s.get("today")).intake == s["intake"] for s in STORIES
    )
    print(f"our own stories (tests/understand/stories): {exact}/{len(STORIES)} read exactly")


def main() -> None:
    kb = load_knowledge()
    start = time.perf_counter()
    understand("load the pipeline", kb)
    print(
        f"pipeline load (import medspaCy, build, first story): {time.perf_counter() - start:.2f} s"
    )
    cases = load_cases()
    report = evaluate_cases(kb, cases)
    accuracy(report)
    questions(report, cases)
    speed(kb, cases)
    own_stories(kb)
    per_finding(report, kb)


if __name__ == "__main__":
    main()
