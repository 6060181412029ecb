"""The system programs `make test` needs, and how it gets them.

Run by the Makefile with the machine's own Python (standard library only),
before the virtual environment exists:

    python3 tests/system_deps.py venv                 # make serve, make build, ...
    python3 tests/system_deps.py chromium node java   # make test

For each named need that is missing:

- if Debian packages can be installed (root, or passwordless sudo, and
  apt-get on the PATH), it runs `apt-get update` and `apt-get install`;
- otherwise it prints one line with the exact command to run. The tests that
  need the program are then reported as *not run* (skipped, with the reason).

Exit status: 0 when everything needed is present or installed; 0 when
something is missing outside CI (the tests report it as not run); 1 when
something is missing under CI (CI set to anything but "", "0" or "false"),
when Python's venv module is missing (nothing can run without it), or when
an installation was tried and failed.

The decision is a pure function, `plan()`, of the environment, the PATH and
the user id, so it is tested without uninstalling anything
(tests/test_system_deps.py).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

# need -> (Debian packages, what to look for, what it is for)
NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "venv": (("python3-venv",), "Python's venv module (with ensurepip), to create .venv"),
    "chromium": (("chromium",), "Debian's Chromium, for the browser tests"),
    "node": (("nodejs", "npm"), "Node.js and npm, to install the test tools in package.json"),
    "java": (("default-jre-headless",), "Java, to run the W3C Nu HTML checker"),
}


def in_ci(env: dict[str, str]) -> bool:
    """True when CI is set to anything but "", "0" or "false" (GitHub sets "true")."""
    return env.get("CI", "").strip().lower() not in ("", "0", "false")


def chromium_path(env: dict[str, str], path: str | None = None) -> str | None:
    """The Chromium to drive: $CHROMIUM if it names an executable, else
    `chromium` or `chromium-browser` on `path` (default: $PATH of `env`).
    Returns None when there is none."""
    path = env.get("PATH", "") if path is None else path
    names = [env["CHROMIUM"]] if env.get("CHROMIUM") else []
    for name in names + ["chromium", "chromium-browser"]:
        found = shutil.which(name, path=path)
        if found:
            return found
    return None


def has_ensurepip() -> bool:
    """Debian splits ensurepip (which `python3 -m venv` needs) into python3-venv."""
    return importlib.util.find_spec("ensurepip") is not None


def present(need: str, env: dict[str, str], venv_ok: bool = True) -> bool:
    path = env.get("PATH", "")
    if need == "venv":
        return venv_ok
    if need == "chromium":
        return chromium_path(env) is not None
    if need == "node":
        return bool(shutil.which("node", path=path) and shutil.which("npm", path=path))
    if need == "java":
        return bool(shutil.which("java", path=path))
    raise ValueError(f"unknown need {need!r}; known: {', '.join(NEEDS)}")


@dataclass
class Plan:
    missing: list[str] = field(default_factory=list)  # needs not met
    packages: list[str] = field(default_factory=list)  # Debian packages that meet them
    commands: list[list[str]] = field(default_factory=list)  # what we will run ourselves
    advice: str = ""  # the one line to print when we cannot install
    fail: bool = False  # exit 1 if nothing is installed (CI)


def plan(needs: list[str], env: dict[str, str], uid: int, sudo_ok: bool, venv_ok: bool = True) -> Plan:
    """Decide what to do about `needs`.

    env: the environment (PATH, CI, CHROMIUM); uid: the user id (0 is root);
    sudo_ok: whether `sudo -n true` succeeds; venv_ok: whether ensurepip exists.
    Returns a Plan: commands to run when we can install, else one line of
    advice and, under CI, fail=True. Raises ValueError for an unknown need.
    """
    result = Plan()
    for need in needs:
        if need not in NEEDS:
            raise ValueError(f"unknown need {need!r}; known: {', '.join(NEEDS)}")
        if not present(need, env, venv_ok):
            result.missing.append(need)
            result.packages += [p for p in NEEDS[need][0] if p not in result.packages]
    if not result.missing:
        return result
    path = env.get("PATH", "")
    has_apt = shutil.which("apt-get", path=path) is not None
    has_sudo = shutil.which("sudo", path=path) is not None
    install = ["apt-get", "install", "-y", "-q", *result.packages]
    if has_apt and (uid == 0 or (has_sudo and sudo_ok)):
        prefix = [] if uid == 0 else ["sudo", "-n"]
        result.commands = [prefix + ["apt-get", "update", "-q"], prefix + install]
        return result
    what = "; ".join(NEEDS[n][1] for n in result.missing)
    if has_apt:
        command = ("" if uid == 0 else "sudo ") + " ".join(install)
        result.advice = f"make test: missing {what}. Run: {command}"
    else:
        result.advice = f"make test: missing {what}. Install with your system's package manager: {' '.join(result.packages)}"
    # Without the venv module nothing can run at all, so that is never "not run".
    result.fail = in_ci(env) or "venv" in result.missing
    return result


def sudo_works(env: dict[str, str]) -> bool:
    if shutil.which("sudo", path=env.get("PATH", "")) is None:
        return False
    return subprocess.run(["sudo", "-n", "true"], capture_output=True, env=env).returncode == 0


def main(argv: list[str], env: dict[str, str] | None = None, uid: int | None = None, run=subprocess.run) -> int:
    """Check `argv`'s needs (default: chromium node java) and act on the plan.
    env, uid and run (subprocess.run) can be injected for tests. Returns the exit status."""
    needs = argv or ["chromium", "node", "java"]
    env = dict(os.environ) if env is None else env
    uid = os.getuid() if uid is None else uid
    p = plan(needs, env, uid, sudo_ok=uid != 0 and sudo_works(env), venv_ok=has_ensurepip())
    if p.commands:
        print(f"make test: installing Debian packages: {' '.join(p.packages)}", flush=True)
        install_env = {**env, "DEBIAN_FRONTEND": "noninteractive"}
        for command in p.commands:
            if run(command, env=install_env).returncode != 0:
                print(f"make test: '{' '.join(command)}' failed: read the output above.", file=sys.stderr)
                return 1
        return 0
    if p.advice:
        if p.fail:
            print(p.advice + (" (nothing can run without it)" if "venv" in p.missing else
                              " (under CI every test must run, so this is a failure)"), file=sys.stderr)
            return 1
        print(p.advice + " (until then, the tests that need it are reported as not run)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
