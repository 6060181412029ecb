from __future__ import annotations

import pytest

from tests.sites import PROJECT, build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real site, built once per test session with the strict build."""
    out = tmp_path_factory.mktemp("site")
    result = build(PROJECT, out)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    return out
