"""How `make test` gets the programs it needs (tests/system_deps.py), decided
from an injected PATH, user id and CI flag: nothing is uninstalled or installed."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.sites import PROJECT
from tests.system_deps import chromium_path, in_ci, main, plan


def bin_dir(tmp_path: Path, *names: str) -> str:
    """A directory holding executables called `names`, to use as the PATH."""
    d = tmp_path / "bin"
    d.mkdir(exist_ok=True)
    for name in names:
        f = d / name
        f.write_text("#!/bin/sh\nexit 0\n")
        f.chmod(f.stat().st_mode | stat.S_IXUSR)
    return str(d)


ALL = ["chromium", "node", "java"]


def test_nothing_to_do_when_everything_is_present(tmp_path):
    path = bin_dir(tmp_path, "chromium", "node", "npm", "java", "apt-get")
    p = plan(ALL, {"PATH": path, "CI": "true"}, uid=0, sudo_ok=False)
    assert (p.missing, p.commands, p.advice, p.fail) == ([], [], "", False)


def test_root_on_debian_installs_what_is_missing(tmp_path):
    path = bin_dir(tmp_path, "node", "npm", "apt-get")
    p = plan(ALL, {"PATH": path}, uid=0, sudo_ok=False)
    assert p.missing == ["chromium", "java"]
    assert p.commands == [["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium", "default-jre-headless"]]
    assert p.advice == "" and not p.fail


def test_passwordless_sudo_installs_through_sudo(tmp_path):
    path = bin_dir(tmp_path, "apt-get", "sudo", "java")
    p = plan(ALL, {"PATH": path}, uid=1000, sudo_ok=True)
    assert p.commands[-1] == ["sudo", "-n", "apt-get", "install", "-y", "-q", "chromium", "nodejs", "npm"]


def test_without_rights_it_prints_one_line_with_the_command(tmp_path):
    path = bin_dir(tmp_path, "apt-get", "sudo", "node", "npm", "java")
    p = plan(ALL, {"PATH": path}, uid=1000, sudo_ok=False)
    assert p.commands == [] and not p.fail
    assert "\n" not in p.advice
    assert p.advice.endswith("Run: sudo apt-get install -y -q chromium")
    assert "Chromium" in p.advice


def test_without_rights_under_ci_it_fails(tmp_path):
    path = bin_dir(tmp_path, "apt-get")
    assert plan(ALL, {"PATH": path, "CI": "true"}, uid=1000, sudo_ok=False).fail
    assert not plan(ALL, {"PATH": path, "CI": "false"}, uid=1000, sudo_ok=False).fail


def test_without_apt_it_names_the_packages(tmp_path):
    path = bin_dir(tmp_path, "node", "npm", "java")
    p = plan(ALL, {"PATH": path}, uid=0, sudo_ok=False)
    assert p.commands == [] and "package manager: chromium" in p.advice


def test_missing_venv_module_installs_python3_venv(tmp_path):
    p = plan(["venv"], {"PATH": bin_dir(tmp_path, "apt-get")}, uid=0, sudo_ok=False, venv_ok=False)
    assert p.commands[-1][-1] == "python3-venv"
    assert plan(["venv"], {"PATH": ""}, uid=0, sudo_ok=False, venv_ok=True).missing == []
    # Without rights it is a failure even outside CI: nothing can run without it.
    p = plan(["venv"], {"PATH": bin_dir(tmp_path, "apt-get")}, uid=1000, sudo_ok=False, venv_ok=False)
    assert p.fail and p.advice.endswith("Run: sudo apt-get install -y -q python3-venv")


def test_chromium_is_found_through_CHROMIUM_or_the_PATH(tmp_path):
    path = bin_dir(tmp_path, "chromium-browser", "google-chrome")
    assert chromium_path({"PATH": path}) == os.path.join(path, "chromium-browser")
    chrome = os.path.join(path, "google-chrome")
    assert chromium_path({"PATH": "", "CHROMIUM": chrome}) == chrome
    assert chromium_path({"PATH": "", "CHROMIUM": str(tmp_path / "absent")}) is None
    assert plan(["chromium"], {"PATH": "", "CHROMIUM": chrome}, uid=1000, sudo_ok=False).missing == []


def test_unknown_need_is_an_error():
    with pytest.raises(ValueError, match="unknown need 'firefox'"):
        plan(["firefox"], {"PATH": ""}, uid=0, sudo_ok=False)


@pytest.mark.parametrize("value,expected", [("", False), ("0", False), ("false", False), ("true", True), ("1", True)])
def test_ci_flag(value, expected):
    assert in_ci({"CI": value}) is expected


def test_script_prints_one_line_and_fails_only_under_ci(tmp_path, capsys):
    env = {"PATH": bin_dir(tmp_path, "apt-get")}  # no sudo, not root
    assert main(["chromium"], env=env, uid=1000) == 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main(["chromium"], env={**env, "CI": "1"}, uid=1000) == 1
    assert "failure" in capsys.readouterr().err


def test_script_runs_apt_get_as_root_and_reports_a_failed_install(tmp_path, capsys):
    ran = []

    def run(command, env):
        ran.append(command)
        return subprocess.CompletedProcess(command, 100 if "install" in command else 0)

    assert main(["chromium"], env={"PATH": bin_dir(tmp_path, "apt-get")}, uid=0, run=run) == 1
    assert ran == [["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]]
    assert "failed" in capsys.readouterr().err


def test_script_runs_with_the_machines_python_before_the_venv_exists(tmp_path):
    """As the Makefile runs it: standard library only, nothing missing here."""
    result = subprocess.run(["python3", str(PROJECT / "tests" / "system_deps.py"), "venv"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
