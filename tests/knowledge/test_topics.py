"""Learn topics: every topic the product promises exists with sources, and every cross-link resolves."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from spasmcare.errors import KnowledgeError, NotFoundError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.body import REGIONS
from spasmcare.knowledge.learn import get_topic as find_topic
from spasmcare.knowledge.learn import topic_dict
from spasmcare.knowledge.loader import _data_root, load_directory
from spasmcare.knowledge.topics import LINK_KINDS, links_in, plain

ROOT = Path(__file__).resolve().parents[2]

# Each topic the product promises, with words its text must contain to cover what it promises.
REQUIRED: dict[str, tuple[str, ...]] = {
    "what_is_a_spasm": ("twitch", "knot", "tight", "sore", "hardly move"),
    "back_muscles": ("deep", "intermediate", "superficial"),
    "muscles_by_region": (
        "trapezius",
        "sternocleidomastoid",
        "upper back",
        "mid back",
        "lower back",
        "calf",
        "thigh",
    ),
    "why_lower_back": ("lower back", "lumbar"),
    "spasm_or_strain": ("pulled muscle", "strain"),
    "causes": ("too little use", "too much use", "fluids", "minerals", "stress", "injury"),
    "serious_lookalikes": ("cauda equina", "heart attack", "kidney", "infection", "cancer"),
    "what_to_expect": ("52", "23", "12", "6", "24 to 33", "69"),
    "who_to_see": ("specialist", "family doctor", "physical therapist"),
    "questions_to_prepare": ("questions", "medicines"),
    "myths_and_evidence": ("bed rest", "acetaminophen", "magnesium", "turmeric"),
    "warning_signs": ("emergency", "today", "soon"),
}

# Figures need their sources: the course (Costa 2012), recurrence (Stanton 2008, da Silva 2019).
REQUIRED_SOURCES = {
    "what_to_expect": {"costa-2012", "stanton-2008", "da-silva-2019"},
    "myths_and_evidence": {"dahm-2010", "williams-2014", "garrison-2020", "oltean-2014"},
    "back_muscles": {"statpearls-back-muscles"},
}


def topic_text(kb: KnowledgeBase, topic_id: str) -> str:
    t = kb.topics[topic_id]
    return " ".join(plain(text) for _, text in t.texts()).lower()


def targets(kb: KnowledgeBase) -> dict[str, set[str]]:
    """The ids each link kind may point to, gathered here independently of the loader."""
    out: dict[str, set[str]] = {
        "topic": set(kb.topics),
        "rule": {r.id for r in kb.rules if r.active},
        "finding": set(kb.findings),
        "term": set(kb.glossary),
    }
    care = getattr(kb, "care", None)
    out["care"] = {i.id for i in getattr(care, "items", ())} | set(getattr(care, "remedies", {}))
    out["stretch"] = {s.id for s in getattr(care, "stretches", ())}
    out["medicine"] = set(getattr(care, "medicines", {}))
    return out


@pytest.mark.parametrize("topic_id", sorted(REQUIRED))
def test_every_promised_topic_exists_with_sources_and_regions(
    kb: KnowledgeBase, topic_id: str
) -> None:
    assert topic_id in kb.topics, f"topic {topic_id} is missing"
    topic = kb.topics[topic_id]
    assert topic.sources, f"{topic_id} has no sources"
    for source in topic.sources:
        assert source in kb.sources, f"{topic_id} cites unknown source {source}"
    assert topic.regions and set(topic.regions) <= set(REGIONS)
    assert len(topic.sections) >= 2


@pytest.mark.parametrize(("topic_id", "words"), sorted(REQUIRED.items()))
def test_topic_covers_what_it_promises(
    kb: KnowledgeBase, topic_id: str, words: tuple[str, ...]
) -> None:
    text = topic_text(kb, topic_id)
    for word in words:
        assert re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), (topic_id, word)


@pytest.mark.parametrize(("topic_id", "sources"), sorted(REQUIRED_SOURCES.items()))
def test_figures_carry_their_sources(kb: KnowledgeBase, topic_id: str, sources: set[str]) -> None:
    assert sources <= set(kb.topics[topic_id].sources)


def test_questions_topic_lists_real_questions(kb: KnowledgeBase) -> None:
    assert topic_text(kb, "questions_to_prepare").count("?") >= 8


def test_every_cross_link_resolves(kb: KnowledgeBase) -> None:
    known = targets(kb)
    broken = [
        (topic.id, path, link.ref)
        for topic in kb.topics.values()
        for path, text in topic.texts()
        for link in links_in(text)
        if link.kind not in LINK_KINDS or link.target not in known.get(link.kind, set())
    ]
    assert not broken
    links = sum(len(t.links()) for t in kb.topics.values())
    assert links >= 50, "topics should link to the rules and items they mention"


def test_related_lists_resolve_and_cover_the_links(kb: KnowledgeBase) -> None:
    known = targets(kb)
    for topic in kb.topics.values():
        assert set(topic.rules) <= known["rule"], topic.id
        assert set(topic.care) <= known["care"], topic.id
        assert set(topic.see_also) <= known["topic"], topic.id
        linked_rules = {link.target for link in topic.links() if link.kind == "rule"}
        linked_care = {link.target for link in topic.links() if link.kind == "care"}
        assert linked_rules <= set(topic.rules), topic.id
        assert linked_care <= set(topic.care), topic.id


def test_topics_link_to_care_items_they_discuss(kb: KnowledgeBase) -> None:
    care_ids = targets(kb)["care"]
    if not care_ids:
        pytest.fail("no care content in the knowledge base")
    linked = {c for t in kb.topics.values() for c in t.care}
    assert len(linked) >= 5


def test_no_markup_is_left_in_plain_text(kb: KnowledgeBase) -> None:
    for topic in kb.topics.values():
        for _, text in topic.texts():
            shown = plain(text)
            assert "](" not in shown and "[" not in shown, (topic.id, shown)


def test_get_topic_and_its_data(kb: KnowledgeBase) -> None:
    topic = find_topic(kb, "what_to_expect")
    data = topic_dict(kb, topic)
    assert data["id"] == "what_to_expect" and data["sections"]
    assert {r["id"] for r in data["rules"]} == set(topic.rules)
    assert all(r["title"] != r["id"] for r in data["rules"])
    assert {s["id"] for s in data["sources"]} == set(topic.sources)
    assert data["knowledge_version"] == kb.version


def test_unknown_topic_names_the_close_ones(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFoundError) as info:
        find_topic(kb, "leg_cramp")
    assert "leg_cramps" in str(info.value)
    assert info.value.problems[0].path == "topic"


# -- the loader reports broken topics with file and path, all at once -----------------------------
GOOD = """\
id: {id}
title: A test topic
summary: A short summary of the test topic.
regions: [{region}]
sources: [{source}]
rules: [{listed}]
since: 1.0.0
sections:
  - heading: First part
    body: >-
      See [the warning]({link}) and [a topic](topic:what_is_a_spasm) for more about it.
"""


def _copy_kb(tmp_path: Path) -> Path:
    src = Path(str(_data_root().joinpath("1.0.0")))
    dst = tmp_path / "1.0.0"
    shutil.copytree(src, dst)
    return dst


def _write(dst: Path, name: str, **fields: str) -> None:
    values = {
        "id": name,
        "region": "neck",
        "source": "nice-ng59",
        "listed": "E1",
        "link": "rule:E1",
    }
    values.update(fields)
    (dst / "topics" / f"{name}.yaml").write_text(GOOD.format(**values), encoding="utf-8")


def test_a_valid_extra_topic_loads(tmp_path: Path) -> None:
    dst = _copy_kb(tmp_path)
    _write(dst, "extra")
    kb = load_directory(dst)
    assert "extra" in kb.topics


def test_every_topic_problem_is_reported_with_file_and_path(tmp_path: Path) -> None:
    dst = _copy_kb(tmp_path)
    _write(dst, "broken_link", link="rule:E99", listed="E99")
    _write(dst, "bad_source", source="nobody-2099")
    _write(dst, "bad_region", region="elbow")
    _write(dst, "not_listed", listed="E2")
    _write(dst, "bad_kind", link="recipe:soup")
    _write(dst, "wrong_name", id="other_name")
    with pytest.raises(KnowledgeError) as info:
        load_directory(dst)
    problems = [str(p) for p in info.value.problems]
    expected = [
        "topics/broken_link.yaml: sections[0].body: broken link 'rule:E99'",
        "topics/broken_link.yaml: rules[0]: unknown rule 'E99'",
        "topics/bad_source.yaml: sources[0]: unknown source 'nobody-2099'",
        "topics/bad_region.yaml: regions[0]: unknown region 'elbow'",
        "topics/not_listed.yaml: sections[0].body: links to rule 'E1' but 'rules' does not list it",
        "topics/bad_kind.yaml: sections[0].body: link 'recipe:soup' has an unknown kind",
        "topics/wrong_name.yaml: id: 'other_name' does not match the file name",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)


def test_a_malformed_link_is_reported(tmp_path: Path) -> None:
    dst = _copy_kb(tmp_path)
    _write(dst, "half_link", link="rule:E1 oops")
    with pytest.raises(KnowledgeError) as info:
        load_directory(dst)
    assert any("half_link.yaml" in str(p) and "malformed" in str(p) for p in info.value.problems)


# -- docs/learn.md ---------------------------------------------------------------------------------
def test_learn_docs_links_resolve(kb: KnowledgeBase) -> None:
    path = ROOT / "docs" / "learn.md"
    text = path.read_text(encoding="utf-8")
    known = targets(kb)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "#")):
            continue
        if re.fullmatch(r"[a-z]+:[A-Za-z0-9_]+", target):
            kind, ident = target.split(":")
            assert ident in known.get(kind, set()), f"docs/learn.md: broken link {target}"
            continue
        file_part = target.split("#")[0]
        assert (path.parent / file_part).resolve().exists(), f"docs/learn.md: broken link {target}"
    for topic_id in kb.topics:
        assert f"/topics/{topic_id}.yaml)" in text, f"docs/learn.md does not list topic {topic_id}"
