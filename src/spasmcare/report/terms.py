"""The report's words for a clinician: standard terms, third person, units.

The knowledge base speaks to the person ("You cannot stand up straight"); the report speaks to their
clinician. Every finding, every medicine check and every care-plan warning of the packaged knowledge
bases has a term here (tests/report/test_terms.py fails when one is left out). An id no table knows
(a knowledge base newer than this file) is shown by its id, never in the person's words.
"""

from __future__ import annotations

from typing import Final

FINDING_TERMS: Final[dict[str, str]] = {
    # cauda equina, cord and nerve roots
    "bladder_dysfunction": "New urinary retention, hesitancy, reduced urethral sensation or incontinence",
    "bowel_incontinence": "New faecal incontinence",
    "saddle_numbness": "Saddle anaesthesia",
    "sexual_dysfunction": "New genital numbness or sexual dysfunction",
    "leg_weakness": "New lower-limb weakness (incl. foot drop)",
    "arm_weakness": "New upper-limb weakness",
    "weakness_worsening": "Progressive neurological deficit",
    "both_legs": "Bilateral leg pain, sensory symptoms or weakness",
    "clumsy_or_unsteady": "Hand clumsiness or gait disturbance",
    "numbness_tingling": "Limb paraesthesia or numbness",
    "pain_below_knee": "Leg pain radiating below the knee",
    "pain_down_arm": "Radiating arm pain",
    # head and brain
    "sudden_severe_headache": "Thunderclap headache",
    "stroke_signs": "Focal neurological signs (facial droop, dysarthria, visual loss, hemiparesis)",
    "vision_changes": "Visual disturbance (blurred or dim vision, photopsia)",
    "temple_or_jaw_pain": "New temporal headache, scalp tenderness or jaw claudication",
    "confusion": "New confusion or drowsiness",
    "severe_headache": "Severe headache",
    "light_sensitivity": "Photophobia",
    "stiff_neck": "New neck stiffness (meningism)",
    # infection
    "fever": "Fever (38 °C or more) or rigors",
    "seriously_unwell": "Systemically unwell",
    "injects_drugs": "Injecting drug use",
    "weak_immune_system": "Immunosuppression",
    "recent_spine_procedure": "Spinal surgery or injection within 3 months",
    "recent_infection": "Recent bacterial infection (e.g. abscess, UTI, pneumonia)",
    "rash": "Non-blanching rash",
    "blistering_rash": "Unilateral vesicular rash in a band",
    "recent_wound": "Tetanus-prone wound within 3 weeks, immunisation uncertain",
    "red_hot_skin": "Spreading erythema and warmth over the painful area",
    # cancer and fracture
    "cancer_history": "History of cancer (excl. basal or squamous cell skin cancer)",
    "weight_loss": "Unexplained weight loss",
    "night_pain": "Night pain at rest",
    "pain_unrelieved": "Pain unrelieved by rest, position or usual analgesia",
    "new_or_changed_pain": "New pain, or different from pain already assessed",
    "major_trauma": "Significant trauma (high-energy mechanism)",
    "minor_fall": "Minor trauma (fall from standing height or less, or a blow)",
    "osteoporosis": "Osteoporosis",
    "long_term_steroids": "Long-term oral corticosteroids",
    "heavy_exertion": "Heavy exertion or lifting just before onset",
    "cannot_bear_weight": "Unable to bear weight (4 steps unaided)",
    # chest, abdomen, vessels, legs
    "chest_pain": "Chest pain, pressure or tightness",
    "short_of_breath": "Dyspnoea at rest",
    "coughing_blood": "Haemoptysis",
    "cold_sweat": "Sudden diaphoresis and pallor",
    "tearing_pain": "Sudden severe tearing pain",
    "fainting": "Syncope or presyncope",
    "pulsating_belly": "Pulsatile abdominal sensation",
    "abdominal_pain": "Abdominal pain",
    "nausea_vomiting": "Nausea or vomiting",
    "urinary_symptoms": "New dysuria, haematuria, frequency or urgency",
    "pleuritic_pain": "Pleuritic chest pain",
    "clot_risk": "Venous thromboembolism risk factor",
    "cardiac_risk": "Cardiovascular risk factor",
    "known_aneurysm": "Known aortic aneurysm",
    "testicle_pain": "Testicular or scrotal pain or swelling",
    "calf_swelling": "Unilateral calf swelling with pain, warmth or redness",
    "cold_pale_leg": "Cold, pale or cyanosed leg or foot",
    "dark_urine": "Dark urine after exertion, myalgia or a new medicine",
    "tendon_snap": "Snap at the Achilles tendon, unable to stand on tiptoe",
    "exertional_pain": "Exertional chest, interscapular, neck, jaw or arm pain",
    # pregnancy
    "vaginal_bleeding": "Vaginal bleeding",
    "regular_tightening": "Regular tightenings or cramps",
    "period_late": "Late or missed period, or atypical bleeding",
    # tetanus, calcium, muscles, medicines
    "lockjaw": "Trismus or dysphagia",
    "widespread_spasms": "Generalised spasms or rigidity, or carpopedal spasm",
    "tingling_around_mouth": "New perioral paraesthesia",
    "recent_neck_surgery": "Thyroid or anterior neck surgery within 4 weeks",
    "muscle_aches": "Unexplained bilateral myalgia",
    "band_like_pain": "Unilateral band-like neuropathic pain with allodynia",
    "blood_thinners": "Anticoagulant or antiplatelet therapy",
    "statin": "Statin therapy",
    "spasm_drug": "Spasm-inducing drug started or increased within 4 weeks",
    "sickle_cell": "Sickle cell disease",
    # course and context
    "recurrent": "Recurrent spasms, not assessed or changed",
    "disrupts_daily_life": "Interferes with work, sleep or daily activities",
    "worse_with_position": "Positional aggravation",
    "cannot_stand_upright": "Unable to stand upright",
    "sitting_a_lot": "Prolonged sitting",
    "low_fluids": "Low fluid intake or heavy sweating",
    "stressed": "High stress",
}
"""Each triage finding as a clinician would write it in a history."""

FIELD_TERMS: Final[dict[str, str]] = {
    "pregnant": "Possible pregnancy",
    "onset": "Sudden onset",
    "sex": "Sex",
    "pain": "Pain score",
    "duration_days": "Duration",
    "age": "Age",
    "regions": "Site",
}
"""The intake's other fields, where a triage lists them as "not sure" or not answered."""

CHECK_TERMS: Final[dict[str, str]] = {
    "under_16": "age under 16",
    "unknown_medicine": "a listed medicine not recognised, so not checked",
    "already_taking": "already in a listed product",
    "nsaid_blood_thinner": "with anticoagulant or antiplatelet (bleeding)",
    "nsaid_other_nsaid": "another NSAID listed",
    "nsaid_ulcer": "history of peptic ulcer or GI bleed",
    "nsaid_kidney": "kidney disease",
    "nsaid_liver": "liver disease",
    "nsaid_heart_failure": "heart failure",
    "nsaid_reaction": "previous reaction to aspirin or an NSAID",
    "nsaid_pregnancy_20_weeks": "pregnant, 20 weeks or more",
    "nsaid_pregnancy_week_unknown": "pregnant, gestation unknown",
    "nsaid_pregnancy_early": "pregnant, under 20 weeks",
    "nsaid_maybe_pregnant": "pregnancy not excluded",
    "nsaid_age_60": "age 60 or over (GI bleeding)",
    "nsaid_steroid": "with oral corticosteroid (GI bleeding)",
    "nsaid_ssri_snri": "with SSRI or SNRI (bleeding)",
    "nsaid_blood_pressure_pills": "with diuretic or antihypertensive (renal)",
    "nsaid_triple_whammy": "with diuretic and ACE inhibitor or ARB (acute kidney injury)",
    "nsaid_aspirin": "with aspirin (ibuprofen blunts its antiplatelet effect)",
    "nsaid_low_fluids": "dehydration (renal)",
    "nsaid_alcohol": "alcohol 3 or more drinks/day (GI bleeding)",
    "nsaid_high_blood_pressure": "hypertension",
    "nsaid_heart_or_stroke": "cardiovascular disease or previous stroke",
    "nsaid_asthma": "asthma (NSAID-exacerbated respiratory disease)",
    "nsaid_bowel_disease": "inflammatory bowel disease",
    "acetaminophen_max_exceeded": "24-h total above the daily maximum (diary doses)",
    "acetaminophen_max_reached": "24-h daily maximum reached (diary doses)",
    "acetaminophen_several_products": "several acetaminophen-containing products",
    "acetaminophen_in_another_product": "also in another listed product",
    "acetaminophen_liver": "liver disease (dose may need reducing)",
    "acetaminophen_alcohol": "alcohol 3 or more drinks/day (hepatotoxicity)",
    "acetaminophen_low_weight": "weight under 50 kg (dose may need reducing)",
    "acetaminophen_pregnancy": "pregnancy (shortest course)",
    "relaxant_age_65": "age 65 or over (Beers criteria)",
    "relaxant_other_relaxant": "another muscle relaxant listed",
    "relaxant_alcohol": "alcohol (additive sedation)",
    "relaxant_opioid": "with opioid (respiratory depression)",
    "relaxant_sedatives": "with several CNS depressants (respiratory depression)",
    "relaxant_sedative": "with a CNS depressant (sedation, respiratory depression, falls)",
    "relaxant_driving": "drives or operates machinery for work",
    "relaxant_pregnancy": "pregnancy (limited data)",
    "relaxant_course_72_hours": "course over 72 h (diary doses)",
    "cyclobenzaprine_maoi": "with MAOI or within 14 days of one",
    "cyclobenzaprine_serotonin": "with serotonergic drug (serotonin syndrome)",
    "cyclobenzaprine_heart": "recent MI, arrhythmia or heart failure",
    "cyclobenzaprine_thyroid": "hyperthyroidism",
    "metaxalone_kidney_liver": "severe kidney or liver disease",
    "no_problem_found": "no interaction or contraindication found",
}
"""Each medicine check of the care plan: why a medicine got caution or avoid."""

WARNING_TERMS: Final[dict[str, str]] = {
    "not_checked": "A listed medicine was not recognised: not checked for interactions.",
    "did_you_mean": "A listed medicine name may be misspelt.",
    "partial_match": "A listed medicine was matched by part of its name: other ingredients "
    "not checked.",
    "same_medicine": "The same medicine is listed under two names.",
    "nothing_listed": "No regular medicines or conditions recorded: the checks assume none.",
    "dose_not_counted": "Some diary doses have no amount: not counted toward daily maxima.",
    "heat_excluded": "Heat and cold packs excluded: reduced skin sensation or circulation.",
    "topical_not_counted": "Topical products were not included in the checks.",
    "no_nsaid": "No NSAID considered safe on the recorded history.",
    "incomplete": "Safety questions unanswered: self-care not concluded.",
    "acetaminophen_max_exceeded": "Acetaminophen: 24-h total above the daily maximum "
    "(diary doses).",
    "acetaminophen_max_reached": "Acetaminophen: 24-h daily maximum reached (diary doses).",
    "acetaminophen_several_products": "Several acetaminophen-containing products listed.",
    "relaxant_course_72_hours": "Muscle relaxant taken over more than 72 h (diary doses).",
}
"""Each care-plan warning (its message id, or the id of a check marked ``warn``)."""

DISPOSITION_TERMS: Final[dict[str, str]] = {
    "emergency": "Emergency (emergency department now)",
    "urgent": "Urgent (doctor within 24 h)",
    "soon": "Non-urgent (doctor within days, under 2 weeks)",
    "self_care": "Self-care",
}
"""The triage levels, with the time frame each stands for."""


def finding_term(fid: str) -> str:
    """A finding (or an intake field) in a clinician's words; an unknown id as itself."""
    return FINDING_TERMS.get(fid) or FIELD_TERMS.get(fid) or f"finding '{fid}'"


def check_term(cid: str) -> str:
    return CHECK_TERMS.get(cid, f"check '{cid}'")


def warning_term(wid: str) -> str:
    return WARNING_TERMS.get(wid, f"Care-plan warning '{wid}' (see the care plan).")


def disposition_term(level: str) -> str:
    return DISPOSITION_TERMS.get(level, level)


__all__ = [
    "CHECK_TERMS",
    "DISPOSITION_TERMS",
    "FIELD_TERMS",
    "FINDING_TERMS",
    "WARNING_TERMS",
    "check_term",
    "disposition_term",
    "finding_term",
    "warning_term",
]
