"""The GitHub Actions workflows give pull-request code nothing to steal:
zizmor (the Actions auditor, locked in requirements.txt) must report no
finding on .github/workflows/, offline and with its strictest persona.
A broken fixture workflow proves the audit catches the faults it guards."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.sites import FIXTURES, PROJECT

ZIZMOR = PROJECT / ".venv" / "bin" / "zizmor"
WORKFLOWS = PROJECT / ".github" / "workflows"


def findings(path: Path) -> list[str]:
    """zizmor's findings on `path` as "file:line: audit: description" lines.
    Fails on an error of zizmor's own (exit 1 or 2), which is never a pass."""
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--persona=pedantic", "--no-progress", "--format=json", str(path.relative_to(PROJECT))],
        capture_output=True, text=True, cwd=PROJECT,
    )
    assert result.returncode in (0, 10, 11, 12, 13, 14), f"zizmor failed ({result.returncode}):\n{result.stderr[-2000:]}"
    out = []
    for finding in json.loads(result.stdout):
        where = finding["locations"][0]
        file = where["symbolic"]["key"]["Local"]["verbatim_path"]
        line = where["concrete"]["location"]["start_point"]["row"] + 1
        out.append(f"{file}:{line}: {finding['ident']}: {finding['desc']}")
    return out


def test_workflows_have_no_zizmor_findings():
    assert sorted(WORKFLOWS.glob("*.yml")), "no workflows found"
    assert findings(WORKFLOWS) == []


def test_zizmor_catches_an_unpinned_action_write_permissions_and_kept_credentials():
    found = findings(FIXTURES / "workflows" / "broken.yml")
    audits = {line.split(": ")[1] for line in found}
    assert {"unpinned-uses", "excessive-permissions", "artipacked"} <= audits, found
    assert any(line.startswith("tests/fixtures/workflows/broken.yml:13: unpinned-uses") for line in found), found


def pin_problems(workflow: Path) -> list[str]:
    """Each `uses:` not of the form owner/name@<40-hex commit> # v<version>.
    (zizmor accepts any commit hash; we also want the release it came from.)"""
    problems = []
    for n, line in enumerate(workflow.read_text().splitlines(), 1):
        if line.strip().lstrip("- ").startswith("uses:"):
            ref = line.split("uses:", 1)[1].strip()
            sha, _, comment = ref.partition("@")[2].partition("#")
            sha = sha.strip()
            if not (len(sha) == 40 and all(c in "0123456789abcdef" for c in sha) and comment.strip().startswith("v")):
                problems.append(f"{workflow.name}:{n}: {line.strip()}")
    return problems


def test_every_action_is_pinned_to_a_full_commit_with_its_version_in_a_comment():
    for workflow in WORKFLOWS.glob("*.yml"):
        assert pin_problems(workflow) == []
    assert pin_problems(FIXTURES / "workflows" / "broken.yml") == ["broken.yml:13: - uses: actions/checkout@v4   # faults: a movable tag, and credentials left on disk"]
