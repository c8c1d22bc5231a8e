"""What the browser tests and the screenshot script (scripts/screenshots.py) share: axe-core, and
answering the interview on a page like a person would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CALM_NUMBERS = {"age": "35", "duration_days": "2"}


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)  # evaluated by the driver: the page's CSP stays strict
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert len(result["passes"]) > 10, "axe really checked the page"
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def axe_problems(page: Any, where: str) -> list[str]:
    violations = run_axe(page)
    return [f"{where}: {json.dumps(violations, indent=1)}"] if violations else []


def question_id(page: Any) -> str | None:
    found = page.locator('input[name="question_id"]')
    return str(found.get_attribute("value")) if found.count() else None


def answer_one(page: Any, question: str, *, emergency_sign: str | None = None) -> None:
    """Answer the question on the page calmly (or tick ``emergency_sign`` when it is listed)."""
    if question in CALM_NUMBERS:
        page.fill("#answer", CALM_NUMBERS[question])
        page.click("button:has-text('Next')")
    elif question == "pain":
        page.click('.pain-scale button[value="4"]')
    elif question == "regions":
        page.check('input[value="lower_back"]')
        page.click("button:has-text('Next')")
    elif question == "onset":
        page.check('input[value="sudden"]')
        page.click("button:has-text('Next')")
    elif question == "sex":
        page.check('input[value="male"]')
        page.click("button:has-text('Next')")
    elif question == "medicines":
        page.click("button:has-text('Next')")  # empty: I take none
    elif page.locator("form[data-checklist]").count():
        sign = page.locator(f'input[name="value"][value="{emergency_sign}"]')
        if emergency_sign and sign.count():
            sign.check()
        else:
            page.check("#none")
        page.click("button:has-text('Continue')")
    elif page.locator('button[value="no"]').count():
        page.click('button[value="no"]')
    else:
        raise AssertionError(f"do not know how to answer {question}")
    page.wait_for_load_state()


def answer_calmly(page: Any, *, emergency_sign: str | None = None, limit: int = 60) -> int:
    """Answer the interview on the page: nothing wrong, unless ``emergency_sign`` is in a checklist.
    Returns how many questions were answered."""
    for count in range(limit):
        question = question_id(page)
        if question is None:
            return count
        answer_one(page, question, emergency_sign=emergency_sign)
    raise AssertionError("the interview did not end")


__all__ = ["AXE", "AXE_TAGS", "answer_calmly", "answer_one", "axe_problems", "run_axe"]
