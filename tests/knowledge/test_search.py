"""Search finds what people ask for, survives misspellings, and never lets input reach SQLite as syntax."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import InputError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.search import (
    MAX_QUERY_CHARS,
    SearchIndex,
    SearchLexicon,
    search,
    search_index,
    search_lexicon,
    words_of,
)
from spasmcare.knowledge.search_docs import KINDS, documents

# Realistic questions, each with the item that must be among the first three results.
QUERIES: list[tuple[str, str]] = [
    ("calf cramp at night", "topic:leg_cramps"),
    ("charley horse in my leg", "topic:leg_cramps"),
    ("is Tylenol good for a back spasm", "topic:myths_and_evidence"),
    ("does paracetamol help back pain", "topic:myths_and_evidence"),
    ("when should I go to the ER", "topic:warning_signs"),
    ("do I need an ambulance", "topic:warning_signs"),
    ("what is a muscle spasm", "topic:what_is_a_spasm"),
    ("hard knot in my back that twitches", "topic:what_is_a_spasm"),
    ("layers of back muscles deep intermediate superficial", "topic:back_muscles"),
    ("trapezius", "topic:muscles_by_region"),
    ("sternocleidomastoid", "topic:muscles_by_region"),
    ("why does my lower back always get it", "topic:why_lower_back"),
    ("pulled muscle or spasm", "topic:spasm_or_strain"),
    ("strain vs spasm difference", "topic:spasm_or_strain"),
    ("what causes muscle spasms", "topic:causes"),
    ("dehydration and cramps", "topic:causes"),
    ("stress makes my neck tight", "topic:causes"),
    ("could it be something serious", "topic:serious_lookalikes"),
    ("kidney stone or back spasm", "topic:serious_lookalikes"),
    ("how long does a back spasm last", "topic:what_to_expect"),
    ("will it come back again", "topic:what_to_expect"),
    ("what kind of doctor should I see", "topic:who_to_see"),
    ("do I need an MRI", "topic:who_to_see"),
    ("physio or chiropractor", "topic:who_to_see"),
    ("what will the doctor ask me", "topic:questions_to_prepare"),
    ("bed rest", "topic:myths_and_evidence"),
    ("magnesium for cramps", "topic:myths_and_evidence"),
    ("turmeric for back pain", "topic:myths_and_evidence"),
    ("quinine tonic water leg cramps", "topic:myths_and_evidence"),
    ("stiff neck can't turn my head", "topic:neck_spasm"),
    ("wry neck", "topic:neck_spasm"),
    ("numb groin and can't pee", "rule:E1"),
    ("lost control of bowels", "rule:E1"),
    ("chest pain with back pain", "rule:E5"),
    ("back pain and a fever", "rule:U1"),
    ("swollen red calf", "rule:E9"),
    ("pain shooting down my leg below the knee", "rule:S1"),
    ("pain wakes me up at night", "rule:U7"),
    ("fell and I have osteoporosis", "rule:U4"),
    ("pop at the back of my ankle", "rule:U10"),
    ("what is sciatica", "term:sciatica"),
    ("how much tylenol can I take", "medicine:acetaminophen"),
    ("advil", "medicine:ibuprofen"),
    ("flexeril", "medicine:cyclobenzaprine"),
    ("muscle relaxer", "remedy:muscle_relaxants"),
    ("heat or ice", "remedy:heat"),
    ("hot water bottle", "care:heat"),
    ("epsom salt bath", "remedy:epsom_salt_bath"),
    ("calf stretch against a wall", "stretch:calf_wall_lunge"),
    ("knee to chest stretch", "stretch:knee_to_chest"),
    ("chin tuck", "stretch:chin_tuck"),
    ("TENS machine", "remedy:tens"),
    ("back brace", "remedy:back_brace"),
]

# The same needs, misspelt the way people type in a hurry, with the word the suggestion must contain
# (None where the stemmer already reads the misspelling as the right word, e.g. both "emergancy" and
# "emergency" stem to "emerg", so nothing needs correcting).
MISSPELT: list[tuple[str, str, str | None]] = [
    ("calf crmp at nite", "topic:leg_cramps", "cramp"),
    ("is tylenl good for back spasm", "topic:myths_and_evidence", "tylenol"),
    ("emergancy room", "topic:warning_signs", None),
    ("emergancy", "topic:warning_signs", None),
    ("magnisium cramps", "topic:myths_and_evidence", "magnesium"),
    ("tumeric", "topic:myths_and_evidence", "turmeric"),
    ("siatica", "term:sciatica", "sciatica"),
    ("sternocleidomastiod", "topic:muscles_by_region", "sternocleidomastoid"),
    ("stif nek", "topic:neck_spasm", "neck"),
    ("puled muscle", "topic:spasm_or_strain", "pulled"),
    ("chiropracter", "remedy:spinal_manipulation", "chiropractor"),
    ("ibuprofin dose", "medicine:ibuprofen", "ibuprofen"),
    ("flexaril", "medicine:cyclobenzaprine", "flexeril"),
]


def top3(kb: KnowledgeBase, query: str) -> list[str]:
    return [hit.ref for hit in search(kb, query, limit=3).results]


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_realistic_query_finds_the_item_in_the_top_three(
    kb: KnowledgeBase, query: str, expected: str
) -> None:
    assert expected in top3(kb, query)


def test_there_are_at_least_thirty_quality_queries() -> None:
    assert len(QUERIES) >= 30
    assert len({expected for _, expected in QUERIES}) >= 15


@pytest.mark.parametrize(("query", "expected", "fixed"), MISSPELT, ids=[q for q, *_ in MISSPELT])
def test_misspelt_query_still_finds_it_and_suggests_the_spelling(
    kb: KnowledgeBase, query: str, expected: str, fixed: str | None
) -> None:
    results = search(kb, query, limit=3)
    assert expected in [hit.ref for hit in results.results]
    if fixed is None:
        assert results.suggestion is None
    else:
        assert results.suggestion is not None and fixed in results.suggestion.split()
        assert fixed in results.corrections.values()


def test_correct_spelling_gets_no_suggestion(kb: KnowledgeBase) -> None:
    for query, _ in QUERIES:
        assert search(kb, query).suggestion is None, query


def test_every_expected_item_exists(kb: KnowledgeBase) -> None:
    refs = {f"{d.kind}:{d.id}" for d in documents(kb)}
    for _, expected in QUERIES + [(q, e) for q, e, _ in MISSPELT]:
        assert expected in refs


# -- synonyms ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "needed"),
    [
        ("cervical", "neck"),
        ("er", "emergency"),
        ("advil", "ibuprofen"),
        ("cramp", "spasm"),
        ("lumbar", "lower back"),
    ],
)
def test_a_synonym_finds_items_that_only_use_the_other_word(
    kb: KnowledgeBase, query: str, needed: str
) -> None:
    by_ref = {f"{d.kind}:{d.id}": d for d in documents(kb)}
    found = [hit.ref for hit in search(kb, query, limit=50).results]
    only_other = [
        ref
        for ref in found
        if query not in words_of(_all_text(by_ref[ref]))
        and needed in _all_text(by_ref[ref]).lower()
    ]
    assert only_other, f"{query!r} found nothing that only says {needed!r}"


def _all_text(doc: object) -> str:
    title = getattr(doc, "title", "")
    body = getattr(doc, "body", "")
    keywords = " ".join(getattr(doc, "keywords", ()))
    return f"{title} {keywords} {body}"


def test_every_synonym_group_gets_its_own_index_word(kb: KnowledgeBase) -> None:
    # The porter stemmer must not merge two groups' made-up words (e.g. a trailing "y" becomes "i").
    index = search_index(kb)
    index.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS v USING fts5vocab(docs, 'row')")
    made_up = {
        term for (term,) in index.conn.execute("SELECT term FROM v") if term.startswith("qq")
    }
    used = {
        tokens
        for doc in documents(kb)
        for tokens in _tokens_of(f"{doc.title} ; {' ; '.join(doc.keywords)} ; {doc.body}")
    }
    assert made_up == used
    assert len(used) <= len(search_lexicon().synonyms)


def _tokens_of(text: str) -> set[str]:
    return set(search_lexicon().tokens_for(words_of(text)).split())


# -- results ----------------------------------------------------------------------------------------
def test_results_carry_id_kind_title_snippet_and_marks(kb: KnowledgeBase) -> None:
    results = search(kb, "calf cramp at night")
    assert results.knowledge_version == kb.version
    for hit in results.results:
        data = hit.model_dump(mode="json")
        assert {"id", "kind", "title", "snippet"} <= data.keys()
        assert hit.kind in KINDS
        assert hit.snippet
        for start, end in hit.marks:
            assert 0 <= start < end <= len(hit.snippet)
    marked = [hit.snippet[s:e].lower() for hit in results.results for s, e in hit.marks]
    assert any(word.startswith(("cramp", "calf", "night")) for word in marked)


def test_results_are_best_first_and_limited(kb: KnowledgeBase) -> None:
    results = search(kb, "back pain", limit=5).results
    assert 0 < len(results) <= 5
    assert [h.score for h in results] == sorted((h.score for h in results), reverse=True)


def test_kinds_filter(kb: KnowledgeBase) -> None:
    results = search(kb, "back pain fever", kinds=["rule"]).results
    assert results and all(hit.kind == "rule" for hit in results)


def test_snippets_show_the_emergency_placeholder_as_words(kb: KnowledgeBase) -> None:
    for hit in search(kb, "call emergency now", limit=50).results:
        assert "{emergency}" not in hit.snippet and "{emergency}" not in hit.title


def test_the_index_is_built_once_per_knowledge_base(kb: KnowledgeBase) -> None:
    assert search_index(kb) is search_index(kb)


def test_search_is_safe_from_several_threads(kb: KnowledgeBase) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for query, expected in QUERIES[:10]:
                assert expected in top3(kb, query)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_a_new_knowledge_base_object_gets_its_own_index(kb: KnowledgeBase) -> None:
    from dataclasses import replace

    other = replace(kb, topics={})
    assert search_index(other) is not search_index(kb)
    assert not [h for h in search(other, "calf cramp at night").results if h.kind == "topic"]
    assert isinstance(search_index(other), SearchIndex)


# -- bad input ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_query_is_a_clear_input_error(kb: KnowledgeBase, query: str) -> None:
    with pytest.raises(InputError) as info:
        search(kb, query)
    assert info.value.problems[0].path == "query"
    assert "empty" in info.value.problems[0].message


def test_a_very_long_query_is_a_clear_input_error(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as info:
        search(kb, "back " * 2000)
    problem = info.value.problems[0]
    assert problem.path == "query"
    assert "10000 characters" in problem.message
    assert problem.allowed == f"at most {MAX_QUERY_CHARS}"


def test_the_longest_allowed_query_works(kb: KnowledgeBase) -> None:
    query = ("calf cramp " * 100)[:MAX_QUERY_CHARS]
    assert "topic:leg_cramps" in [h.ref for h in search(kb, query, limit=3).results]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"""',
        "*",
        "back*",
        "NEAR(back spasm)",
        "NEAR",
        "back AND OR NOT spasm",
        "title:spasm",
        "{title body}: cramp",
        "^cramp",
        "(calf",
        "cramp)",
        "'; DROP TABLE docs; --",
        "calf + cramp - night",
        "spasm\x00cramp",
        "-",
        "\u00e9t\u00e9 cr\u00e2mp",
        "\u62bd\u7b4b",
    ],
)
def test_fts_syntax_in_a_query_is_plain_text(kb: KnowledgeBase, query: str) -> None:
    try:
        results = search(kb, query)
    except InputError as exc:
        assert exc.problems and exc.problems[0].path == "query"
        assert "no words" in exc.problems[0].message
        return
    for hit in results.results:
        assert hit.kind in KINDS


def test_syntax_characters_do_not_change_what_is_found(kb: KnowledgeBase) -> None:
    plain = top3(kb, "calf cramp at night")
    assert top3(kb, '"calf" * cramp* (at) ^night) -') == plain


def test_operator_words_are_searched_as_words(kb: KnowledgeBase) -> None:
    assert top3(kb, "NEAR AND OR NOT") == top3(kb, "near and or not")
    assert top3(kb, "cramp NOT calf") == top3(kb, "cramp not calf")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_results_or_an_input_error(kb: KnowledgeBase, query: str) -> None:
    try:
        results = search(kb, query, limit=5)
    except InputError as exc:
        assert exc.problems[0].path == "query"
    else:
        assert len(results.results) <= 5


@pytest.mark.parametrize("limit", [0, -1, 51, True])
def test_a_bad_limit_is_an_input_error(kb: KnowledgeBase, limit: int) -> None:
    with pytest.raises(InputError) as info:
        search(kb, "cramp", limit=limit)
    assert info.value.problems[0].path == "limit"


def test_an_unknown_kind_is_an_input_error_listing_the_kinds(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as info:
        search(kb, "cramp", kinds=["recipe"])
    problem = info.value.problems[0]
    assert problem.path == "kinds" and "recipe" in problem.message
    assert problem.allowed is not None and "topic" in problem.allowed


def test_every_problem_is_reported_at_once(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as info:
        search(kb, "", limit=0, kinds=["recipe"])
    assert {p.path for p in info.value.problems} == {"query", "limit", "kinds"}


def test_the_search_lexicon_is_versioned_data_in_the_words_search_sees() -> None:
    lexicon = search_lexicon()
    assert lexicon.version.count(".") == 2
    assert "the" in lexicon.stopwords and "on" in lexicon.stopwords  # YAML's "on" stays a word
    assert any({"tylenol", "paracetamol"} <= group for group in lexicon.synonyms)
    for group in lexicon.synonyms:
        for phrase in group:
            assert words_of(phrase) == phrase.split(), phrase  # a query can reach every phrase


def test_the_longest_synonym_phrase_wins() -> None:
    lexicon = search_lexicon()
    units = lexicon.units(["emergency", "room", "lower", "back", "pain"])
    assert units == [("emergency", "room"), ("lower", "back"), ("pain",)]
    assert lexicon.tokens_for(["emergency", "room"]) == " ".join(
        lexicon.phrase_groups[("emergency", "room")]
    )


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"version": "1", "stopwords": ["a"], "synonyms": [["x", "y"]]}, "version"),
        ({"version": "1.0.0", "stopwords": [True], "synonyms": [["x", "y"]]}, "stopwords"),
        ({"version": "1.0.0", "stopwords": ["a"], "synonyms": [["x"]]}, "synonyms"),
        ({"version": "1.0.0", "stopwords": ["a"], "synonyms": [["Big  Word", "y"]]}, "synonyms"),
        ({"version": "1.0.0", "stopwords": ["a"], "synonyms": [], "extra": 1}, "extra"),
    ],
)
def test_a_bad_search_lexicon_is_rejected(data: dict[str, object], path: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as info:
        SearchLexicon.model_validate(data)
    assert any(str(e["loc"][0]) == path for e in info.value.errors())


def test_a_query_that_is_not_text_is_an_input_error(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as info:
        search(kb, None)  # type: ignore[arg-type]
    assert info.value.problems[0].path == "query"
    assert "must be text" in info.value.problems[0].message


def test_every_red_flag_in_plain_words_finds_a_rule_that_uses_it(kb: KnowledgeBase) -> None:
    # Typing any emergency or urgent warning sign as the checklist words it puts a rule that acts
    # on that sign among the first three results.
    missed = []
    for finding in kb.findings.values():
        users = {
            f"rule:{r.id}"
            for r in kb.active_rules
            if finding.id in r.findings and r.disposition.rank >= 2
        }
        if users and not users & set(top3(kb, finding.label)):
            missed.append((finding.id, finding.label, sorted(users)))
    assert not missed


# -- issue 12: corrections never reverse meaning; warning signs first; brand names -------------------
@pytest.mark.parametrize("query", ["cant pee", "can't pee", "can t pee", "cannot pee", "CANT PEE"])
def test_a_negation_is_never_corrected_away(kb: KnowledgeBase, query: str) -> None:
    results = search(kb, query)
    assert results.suggestion is None or "can pee" not in results.suggestion
    assert "cant" not in results.corrections and "can" not in results.corrections.values()
    first, second = results.results[:2]
    assert (first.kind, first.id) == ("rule", "E1"), "the emergency sign comes first"
    assert second.kind == "topic" and "E1" in kb.topics[second.id].rules


def test_contractions_are_spelled_out() -> None:
    from spasmcare.knowledge.search import expand_negations

    assert expand_negations("I cant pee, dont know, won't stop, it isnt") == (
        "i cannot pee, do not know, will not stop, it is not"
    )


@pytest.mark.parametrize(("query", "rule"), [("chest pain", "E5"), ("numb bottom", "E1")])
def test_a_query_that_matches_a_warning_sign_shows_the_rule_and_its_topic_first(
    kb: KnowledgeBase, query: str, rule: str
) -> None:
    first, second = search(kb, query).results[:2]
    assert (first.kind, first.id) == ("rule", rule)
    assert second.kind == "topic" and rule in kb.topics[second.id].rules


def test_tylenol_shows_acetaminophen_first_and_nothing_unrelated_on_top(kb: KnowledgeBase) -> None:
    results = search(kb, "tylenol").results
    assert {h.id for h in results[:2]} == {"acetaminophen"}
    for hit in results[:3]:
        text = f"{hit.title} {hit.snippet}".lower()
        assert any(w in text for w in ("acetaminophen", "paracetamol", "tylenol")), hit.ref


@pytest.mark.parametrize(
    "query",
    [
        "dont feel my legs",
        "don't feel my legs",
        "do not feel my legs",
        "cant feel my legs",
        "can't feel my legs",
        "I can not feel my legs",
        "couldnt feel my legs",
        "legs numb",
        "my legs are numb",
        "no feeling in my legs",
        "lost feeling in my leg",
    ],
)
def test_not_feeling_the_legs_is_a_warning_sign_not_a_stretch(
    kb: KnowledgeBase, query: str
) -> None:
    # Issue 12: "dont feel my legs" ranked stretches first ("feel the stretch"); not feeling a
    # part of the body is numbness (search lexicon 1.1.0), and numb legs are an emergency sign.
    results = search(kb, query).results
    first, second = results[:2]
    assert first.kind == "rule" and kb.rule(first.id).disposition.value == "emergency", first
    assert "leg" in first.title.lower() or "legs" in kb.rule(first.id).title.lower()
    assert second.kind == "topic" and first.id in kb.topics[second.id].rules
    for hit in results[:3]:
        assert hit.kind != "stretch" and "stretch" not in hit.title.lower(), hit


def test_a_query_that_is_not_a_warning_sign_keeps_its_order(kb: KnowledgeBase) -> None:
    assert search(kb, "cramp").results[0].kind != "rule"
