"""Run `mkdocs serve` on a project directory for a test or the benchmark, and
watch what it serves. Used by tests/test_serve.py and tests/bench.py."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests import sites
from tests.sites import ENV, MKDOCS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`mkdocs serve` on `project_dir`, at http://127.0.0.1:<port>/ (SITE_URL is
    set to that address, as `make serve` does; a fixture's fixed site_url
    gives its own path, so `base` is read from the first answer)."""

    def __init__(self, project_dir: Path, path: str = "/"):
        sites.refuse_unmarked("runs `mkdocs serve`")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}{path}"
        env = {**ENV, "SITE_URL": f"http://127.0.0.1:{self.port}/"}
        env.pop("GUIDANCE_SERVE", None)  # serve mode must come from `mkdocs serve` itself
        self.log = open(project_dir / "serve.log", "w")
        self.process = subprocess.Popen(
            [str(MKDOCS), "serve", "-f", str(project_dir / "mkdocs.yml"), "-a", f"127.0.0.1:{self.port}"],
            cwd=project_dir, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def get(self, path: str, timeout: float = 5.0) -> str:
        """The page's HTML; a request that takes longer than `timeout` (the
        server holding requests after a failed build) raises."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as answer:
                return answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return f"HTTP {error.code}"

    def wait_for(self, path: str, condition, timeout: float = 30.0) -> float:
        """Poll `path` until condition(html) holds; return the seconds it took."""
        started = time.monotonic()
        while True:
            try:
                html = self.get(path)
                if condition(html):
                    return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.process.poll() is not None:
                    raise AssertionError("mkdocs serve stopped:\n" + self.output())
            if time.monotonic() - started > timeout:
                raise AssertionError(f"timed out after {timeout} s waiting on {path}:\n" + self.output()[-3000:])
            time.sleep(0.05)

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def save(path: Path, text: str) -> None:
    """Write a file as an editor saves it, with a fresh modification time."""
    path.write_text(text, encoding="utf-8")
    now = time.time()
    os.utime(path, (now, now))
