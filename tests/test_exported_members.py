"""The public API is pinned: adding or removing an export is a deliberate change."""

from __future__ import annotations

import spasmcare
import spasmcare.knowledge
import spasmcare.triage
import spasmcare.understand


def test_package_exports() -> None:
    assert spasmcare.__all__ == [
        "__version__",
        "Disposition",
        "Intake",
        "Interview",
        "KnowledgeBase",
        "SpasmcareError",
        "TriageResult",
        "evaluate",
        "load_knowledge",
        "parse_intake",
    ]
    for name in spasmcare.__all__:
        assert getattr(spasmcare, name) is not None


def test_triage_exports() -> None:
    assert sorted(spasmcare.triage.__all__) == sorted(
        [
            "DEFAULT_EMERGENCY_CALL",
            "NOTICE",
            "REGION_LABELS",
            "Intake",
            "Interview",
            "Option",
            "Question",
            "Reason",
            "SourceRef",
            "TriageResult",
            "evaluate",
            "parse_intake",
        ]
    )
    for name in spasmcare.triage.__all__:
        assert hasattr(spasmcare.triage, name)


def test_understand_exports() -> None:
    assert spasmcare.understand.__all__ == [
        "MAX_CHARACTERS",
        "FieldRead",
        "FindingRead",
        "MedicineRead",
        "SetAside",
        "TextSpan",
        "Understanding",
        "check_partial",
        "emergency_findings",
        "understand",
    ]
    for name in spasmcare.understand.__all__:
        assert hasattr(spasmcare.understand, name)


def test_knowledge_exports_include_loader() -> None:
    assert spasmcare.knowledge.__all__ == [
        "Disposition",
        "Finding",
        "KnowledgeBase",
        "Rule",
        "SearchHit",
        "SearchResults",
        "Source",
        "Topic",
        "available_versions",
        "get_topic",
        "latest_version",
        "load_knowledge",
        "search",
        "topic_dict",
    ]
    for name in spasmcare.knowledge.__all__:
        assert hasattr(spasmcare.knowledge, name)


def test_library_round_trip_from_the_top_level() -> None:
    kb = spasmcare.load_knowledge()
    intake = spasmcare.parse_intake(
        {"age": 30, "regions": ["neck"], "findings": {"stroke_signs": True}}, kb
    )
    assert spasmcare.evaluate(intake, kb).disposition is spasmcare.Disposition.EMERGENCY
