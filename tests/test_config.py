"""Settings come from SPASMCARE_* environment variables (names in any case), under values given in
code, and a bad value is an error that names the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from spasmcare.config import Settings, get_settings
from spasmcare.errors import InputError, problems_from_validation


def test_every_setting_is_read_from_its_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = {
        "EMERGENCY_NUMBER": "911",
        "DATA_DIR": str(tmp_path / "data"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "DATABASE_URL": "sqlite:///x.sqlite3",
        "KNOWLEDGE_VERSION": "1.0.0",
        "MULTI_USER": "true",
        "HOST": "0.0.0.0",
        "PORT": "8123",
        "ALLOWED_HOSTS": "a.example.org, *.example.net",
        "SECRET_KEY": "k" * 40,
    }
    assert {name.lower() for name in values} == set(Settings.model_fields)
    for name, value in values.items():
        monkeypatch.setenv(f"SPASMCARE_{name}", value)
    settings = get_settings()
    assert settings.emergency_number == "911" and settings.emergency_call == "911"
    assert settings.data_dir == tmp_path / "data" and settings.cache_dir == tmp_path / "cache"
    assert settings.resolved_cache_dir() == tmp_path / "cache"
    assert settings.database_url == "sqlite:///x.sqlite3"
    assert settings.knowledge_version == "1.0.0"
    assert settings.multi_user is True and settings.host == "0.0.0.0" and settings.port == 8123
    assert settings.allowed_hosts == ["a.example.org", "*.example.net"]
    assert settings.secret_key == "k" * 40


def test_names_in_any_case_and_given_values_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("spasmcare_port", "9000")
    monkeypatch.setenv("Spasmcare_Multi_User", "0")
    monkeypatch.setenv("SPASMCARE_UNKNOWN_THING", "ignored")
    monkeypatch.setenv("OTHER_PORT", "1")
    settings = Settings()
    assert settings.port == 9000 and settings.multi_user is False
    assert Settings(port=7000).port == 7000
    assert Settings(allowed_hosts=["b.example.org"]).allowed_hosts == ["b.example.org"]


def test_without_variables_the_defaults_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPASMCARE_DATA_DIR")
    monkeypatch.delenv("SPASMCARE_CACHE_DIR")
    settings = Settings()
    assert settings.port == 8000 and settings.host == "127.0.0.1" and not settings.multi_user
    assert settings.allowed_hosts == [] and settings.data_dir is None
    assert settings.resolved_cache_dir().name == "spasmcare"


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("PORT", "eighty", "port"),
        ("PORT", "70000", "port"),
        ("MULTI_USER", "perhaps", "multi_user"),
        ("SECRET_KEY", "short", "secret_key"),
        ("ALLOWED_HOSTS", "http://a.example.org", "allowed_hosts"),
    ],
)
def test_a_bad_value_names_its_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, field: str
) -> None:
    monkeypatch.setenv(f"SPASMCARE_{name}", value)
    with pytest.raises(ValidationError) as info:
        Settings()
    assert [p.path.split("[")[0] for p in problems_from_validation(info.value, Settings)] == [field]
    with pytest.raises(InputError) as error:
        get_settings()
    assert [p.path.split("[")[0] for p in error.value.problems] == [f"SPASMCARE_{name}"]


def test_the_command_line_says_which_setting_is_wrong(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from spasmcare.cli import main

    monkeypatch.setenv("SPASMCARE_PORT", "eighty")
    with pytest.raises(SystemExit) as info:
        main(["rules", "--json"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "SPASMCARE_PORT: 'eighty' is not a whole number" in err
    assert "Traceback" not in err and "Internal error" not in err


def test_every_setting_is_documented() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text("utf-8")
    table = page[page.index("## Settings") : page.index("## Extras")]
    for name in Settings.model_fields:
        assert f"`SPASMCARE_{name.upper()}`" in table, name
