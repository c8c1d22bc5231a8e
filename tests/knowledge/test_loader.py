"""The knowledge-base loader validates everything and reports every problem at once, with file and path."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from spasmcare.errors import KnowledgeError, NotFoundError
from spasmcare.knowledge import KnowledgeBase, available_versions, load_knowledge
from spasmcare.knowledge.loader import load_directory


def _copy(tmp_path: Path, version: str = "1.0.0") -> Path:
    src = Path(str(resources.files("spasmcare.knowledge").joinpath("data", version)))
    dst = tmp_path / version
    shutil.copytree(src, dst)
    return dst


def test_packaged_versions_load(kb: KnowledgeBase) -> None:
    versions = available_versions()
    assert versions and versions[-1] == kb.version
    for version in versions:  # old versions stay loadable so old results can be explained
        assert load_knowledge(version).version == version


def test_unknown_version_is_a_clear_error() -> None:
    with pytest.raises(NotFoundError) as info:
        load_knowledge("0.0.1")
    assert "1.0.0" in str(info.value)


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    e3 = root / "rules" / "E3.yaml"
    data = yaml.safe_load(e3.read_text())
    data["when"]["all"][0] = {"finding": "feverr"}
    data["references"] = ["no-such-source"]
    e3.write_text(yaml.safe_dump(data))
    u1 = root / "rules" / "U1.yaml"
    data = yaml.safe_load(u1.read_text())
    data["references"] = []
    u1.write_text(yaml.safe_dump(data))
    dup = yaml.safe_load((root / "rules" / "U2.yaml").read_text())
    (root / "rules" / "U99.yaml").write_text(yaml.safe_dump({**dup, "id": "U2"}))
    findings = yaml.safe_load((root / "findings.yaml").read_text())
    findings["findings"].append(findings["findings"][0])
    (root / "findings.yaml").write_text(yaml.safe_dump(findings))

    with pytest.raises(KnowledgeError) as info:
        load_directory(root)
    text = str(info.value)
    assert "rules/E3.yaml: when.all[0].finding: unknown finding 'feverr'" in text
    assert "rules/E3.yaml: references[0]: unknown source 'no-such-source'" in text
    assert "rules/U1.yaml: references: a rule needs at least one source" in text
    assert "rules/U99.yaml: id: 'U2' does not match the file name" in text
    assert "duplicate rule id 'U2'" in text
    assert "findings.yaml: bladder_dysfunction: duplicate id" in text
    assert len(info.value.problems) >= 6


def test_condition_language_is_whitelisted(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "rules" / "S3.yaml"
    data = yaml.safe_load(path.read_text())
    data["when"] = {"python": "__import__('os').system('true')"}
    path.write_text(yaml.safe_dump(data))
    path2 = root / "rules" / "S4.yaml"
    data2 = yaml.safe_load(path2.read_text())
    data2["when"] = {"duration_days": {"between": [1, 2]}}
    path2.write_text(yaml.safe_dump(data2))
    with pytest.raises(KnowledgeError) as info:
        load_directory(root)
    text = str(info.value)
    assert "rules/S3.yaml: when: unknown condition 'python'" in text
    assert "rules/S4.yaml: when.duration_days.between: unknown comparison" in text


def test_disposition_must_match_rule_prefix(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "rules" / "E9.yaml"
    data = yaml.safe_load(path.read_text())
    data["disposition"] = "soon"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeError, match="does not match the id prefix 'E'"):
        load_directory(root)


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "sources.yaml").write_text("sources: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"sources\.yaml: not valid YAML"):
        load_directory(root)


def test_every_rule_cites_existing_sources_and_every_finding_has_a_question(
    kb: KnowledgeBase,
) -> None:
    for rule in kb.rules:
        assert rule.references, rule.id
        for ref in rule.references:
            source = kb.sources[ref]
            assert source.citation and (source.url or source.doi or source.kind == "consumer"), ref
        assert rule.since and rule.status in ("active", "retired")
    for finding in kb.findings.values():
        assert finding.question.endswith("?"), finding.id
        assert finding.label and finding.help


def test_every_finding_used_by_a_rule_is_asked(kb: KnowledgeBase) -> None:
    asked = {f for step in kb.interview for f in step.findings}
    used = set().union(*(r.findings for r in kb.rules))
    assert used <= asked


# The finding ids of triage policy version 2 ("Finding ids (v2)", with the care-plan context
# findings), copied from the policy into the project's own test data.
POLICY_V2_FINDINGS = frozenset(
    {
        "abdominal_pain",
        "arm_weakness",
        "band_like_pain",
        "bladder_dysfunction",
        "blistering_rash",
        "blood_thinners",
        "both_legs",
        "bowel_incontinence",
        "calf_swelling",
        "cancer_history",
        "cannot_bear_weight",
        "cannot_stand_upright",
        "cardiac_risk",
        "chest_pain",
        "clot_risk",
        "clumsy_or_unsteady",
        "cold_pale_leg",
        "cold_sweat",
        "confusion",
        "coughing_blood",
        "dark_urine",
        "disrupts_daily_life",
        "exertional_pain",
        "fainting",
        "fever",
        "heavy_exertion",
        "injects_drugs",
        "known_aneurysm",
        "leg_weakness",
        "light_sensitivity",
        "lockjaw",
        "long_term_steroids",
        "low_fluids",
        "major_trauma",
        "minor_fall",
        "muscle_aches",
        "nausea_vomiting",
        "new_or_changed_pain",
        "night_pain",
        "numbness_tingling",
        "osteoporosis",
        "pain_below_knee",
        "pain_down_arm",
        "pain_unrelieved",
        "period_late",
        "pleuritic_pain",
        "pulsating_belly",
        "rash",
        "recent_infection",
        "recent_neck_surgery",
        "recent_spine_procedure",
        "recent_wound",
        "recurrent",
        "red_hot_skin",
        "regular_tightening",
        "saddle_numbness",
        "seriously_unwell",
        "severe_headache",
        "sexual_dysfunction",
        "short_of_breath",
        "sickle_cell",
        "sitting_a_lot",
        "spasm_drug",
        "statin",
        "stiff_neck",
        "stressed",
        "stroke_signs",
        "sudden_severe_headache",
        "tearing_pain",
        "temple_or_jaw_pain",
        "tendon_snap",
        "testicle_pain",
        "tingling_around_mouth",
        "urinary_symptoms",
        "vaginal_bleeding",
        "vision_changes",
        "weak_immune_system",
        "weakness_worsening",
        "weight_loss",
        "widespread_spasms",
        "worse_with_position",
    }
)


def test_policy_finding_ids_are_exactly_the_knowledge_base() -> None:
    """Every finding id named in policy v2 exists in knowledge base 1.1.0, and no other."""
    assert set(load_knowledge("1.1.0").findings) == POLICY_V2_FINDINGS
