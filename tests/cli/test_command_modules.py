"""`spasmcare <command>` builds only the module that has the command; the table must say which."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from spasmcare.cli import _MODULES, COMMANDS, _only, build, main


def test_the_table_names_every_command_and_its_module() -> None:
    found: dict[str, str] = {}
    for module in _MODULES:
        app = build([module])
        names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
        names += [g.name for g in app.registered_groups if g.name]
        found.update(dict.fromkeys(names, module))
    assert found == COMMANDS


def test_a_command_imports_only_its_own_module() -> None:
    code = (
        "import sys\n"
        "from spasmcare.cli import main\n"
        "try:\n"
        "    main(['rules', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "from spasmcare.cli import COMMANDS\n"
        "commands = {f'spasmcare.cli.{m}' for m in COMMANDS.values()}\n"
        "loaded = sorted(m for m in sys.modules if m in commands)\n"
        "assert loaded == ['spasmcare.cli.triage'], loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_the_whole_app_has_every_command() -> None:
    import spasmcare.cli

    app: typer.Typer = spasmcare.cli.app
    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    names |= {g.name for g in app.registered_groups if g.name}
    assert names == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_built_alone_and_answers_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`spasmcare <command>` builds that one command (not its module's others), and it works."""
    app = _only(build([COMMANDS[command]]), command)
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    names += [g.name for g in app.registered_groups if g.name]
    assert names == [command]
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code in (0, None)
    assert f"Usage: spasmcare {command} " in capsys.readouterr().out
