"""The optional extras ([postgres], [pdf], [charts]): without one, only what needs it stops, with a
message naming the extra (CLI exit 2, HTTP 501 problem details). Each missing package is simulated
in a fresh interpreter with ``sys.modules[name] = None`` (an import of it then fails)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spasmcare.errors import EXTRAS

pytestmark = pytest.mark.slow


def run(code: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SPASMCARE_DATA_DIR": str(data_dir), **env},
        check=False,
    )


def cli_without(
    module: str, args: list[str], data_dir: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    return run(
        f"""
        import sys
        from spasmcare.cli import main
        try:
            main(["log", "-p", "6", "-w", "neck"])  # a diary with one episode
        except SystemExit:
            pass
        sys.modules[{module!r}] = None
        main({args!r})
        """,
        data_dir,
        **env,
    )


def assert_names_the_extra(proc: subprocess.CompletedProcess[str], module: str) -> None:
    extra = EXTRAS[module]
    assert proc.returncode == 2, proc.stderr
    assert f"needs the optional {module} package" in proc.stderr
    assert f"pip install 'spasmcare[{extra}]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_extra_is_declared_in_pyproject() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    for module, extra in EXTRAS.items():
        assert any(module in dep for dep in extras[extra]), (module, extra)
        assert not any(dep.startswith(module) for dep in project["dependencies"]), module
        assert extra in extras["test"][0] and extra in extras["full"][0]


def test_a_pdf_report_without_the_pdf_extra_says_which_extra_to_install(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    proc = cli_without("weasyprint", ["report", "-o", str(out)], tmp_path)
    assert_names_the_extra(proc, "weasyprint")
    assert not out.exists()


def test_an_html_report_needs_no_extra(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    proc = cli_without("weasyprint", ["report", "--html", "-o", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert out.exists()


def test_a_chart_without_the_charts_extra_says_which_extra_to_install(tmp_path: Path) -> None:
    out = tmp_path / "pain.svg"
    proc = cli_without("matplotlib", ["chart", "pain", "-o", str(out)], tmp_path)
    assert_names_the_extra(proc, "matplotlib")
    assert not out.exists()


def test_a_postgres_diary_without_the_postgres_extra_says_which_extra_to_install(
    tmp_path: Path,
) -> None:
    proc = run(
        """
        import sys
        sys.modules["psycopg"] = None
        from spasmcare.cli import main
        main(["stats"])
        """,
        tmp_path,
        SPASMCARE_DATABASE_URL="postgresql://nobody@127.0.0.1:1/spasmcare",
    )
    assert_names_the_extra(proc, "psycopg")


@pytest.mark.parametrize(("module", "path"), [("matplotlib", "/api/v1/charts/pain")])
def test_the_api_answers_501_problem_details_without_an_extra(
    tmp_path: Path, module: str, path: str
) -> None:
    proc = run(
        f"""
        import json, sys
        sys.modules[{module!r}] = None
        from fastapi.testclient import TestClient
        from spasmcare.app import create_app
        from spasmcare.config import Settings
        from spasmcare.cli import main
        try:
            main(["log", "-p", "6", "-w", "neck"])
        except SystemExit:
            pass
        with TestClient(create_app(Settings(allowed_hosts=["testserver"]))) as client:
            r = client.get({path!r})
        print(json.dumps({{"status": r.status_code, "type": r.headers["content-type"],
                          "body": r.json()}}))
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    assert answer["status"] == 501
    assert answer["type"].startswith("application/problem+json")
    assert f"spasmcare[{EXTRAS[module]}]" in answer["body"]["errors"][0]["message"]


def _imports() -> set[str]:
    import ast

    found: set[str] = set()
    for path in (Path(__file__).parents[1] / "src" / "spasmcare").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"spasmcare"}


def test_every_package_src_imports_is_declared() -> None:
    import importlib.metadata
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    declared = {
        canonicalize_name(Requirement(dep).name)
        for dep in [*project["dependencies"], *project["optional-dependencies"]["full"]]
        + [d for extra in EXTRAS.values() for d in project["optional-dependencies"][extra]]
    }
    distributions = importlib.metadata.packages_distributions()
    for module in sorted(_imports()):
        names = {canonicalize_name(d) for d in distributions.get(module, [])}
        assert names & declared, f"{module} is imported by src/ but not declared in pyproject.toml"


def test_every_exception_class_lives_in_errors_py() -> None:
    import ast

    for path in (Path(__file__).parents[1] / "src" / "spasmcare").rglob("*.py"):
        if path.name == "errors.py" and path.parent.name == "spasmcare":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
                assert not any(b.endswith(("Error", "Exception")) for b in bases), (
                    f"{path.name}: {node.name} belongs in spasmcare/errors.py"
                )


def test_the_charts_page_says_which_extra_draws_the_charts(tmp_path: Path) -> None:
    proc = run(
        """
        import sys
        sys.modules["matplotlib"] = None
        from fastapi.testclient import TestClient
        from spasmcare.app import create_app
        from spasmcare.config import Settings
        from spasmcare.cli import main
        try:
            main(["log", "-p", "6", "-w", "neck"])
        except SystemExit:
            pass
        with TestClient(create_app(Settings(allowed_hosts=["testserver"]))) as client:
            r = client.get("/diary/charts", headers={"accept": "text/html"})
        print(r.status_code)
        print(r.text)
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "\n200\n" in proc.stdout, proc.stdout[:300]
    page = proc.stdout
    assert "pip install 'spasmcare[charts]'" in page.replace("&#39;", "'")
    assert "/api/v1/charts/pain" not in page


def test_the_web_pdf_download_without_the_pdf_extra_is_a_501_page_naming_the_extra(
    tmp_path: Path,
) -> None:
    proc = run(
        """
        import sys
        sys.modules["weasyprint"] = None
        from fastapi.testclient import TestClient
        from spasmcare.app import create_app
        from spasmcare.config import Settings
        from spasmcare.cli import main
        try:
            main(["log", "-p", "6", "-w", "neck"])
        except SystemExit:
            pass
        with TestClient(create_app(Settings(allowed_hosts=["testserver"]))) as client:
            r = client.get("/report/download?format=pdf", headers={"accept": "text/html"})
        print(r.status_code)
        print(r.headers["content-type"])
        print(r.text)
        """,
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "\n501\ntext/html" in proc.stdout, proc.stdout[:300]
    assert "pip install 'spasmcare[pdf]'" in proc.stdout.replace("&#39;", "'")
