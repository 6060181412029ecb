"""`make bench`: measure, don't guess. Prints these figures.

1. Full build time against a plain Material build of the same site (the same
   pages, content and menu) with the project's hooks (and so its checks and
   extensions) turned off (budget: overhead <= 1.25x), and the same at 10x
   (budget: <= 1.10x).
2. Build time at 1x and 10x a synthetic corpus (pages, sections and case
   studies multiplied), and the ratio (budget: <= 11x, so nothing quadratic).
3. The time of `make check` (the build's reading stage, every page parsed
   once) at 1x and 10x (budgets: 2 s and 10 s).
4. Save-to-refresh in `make serve`: from saving a chapter or a case study to
   the served page showing the change (budget: a median of 3 s).
5. Lighthouse, mobile, served compressed, on one page of each kind (budget:
   performance >= 95, accessibility, best practices and SEO 100);
   `python -m tests.bench lighthouse` runs only this part.
6. The macro stage at 1x and 10x: what mkdocs-macros-plugin costs a build
   (importing it, its on_config with the `git` calls of its standard
   context, its per-page hook) and the time spent in the macros the parse
   calls (`python -m tests.bench macros DIR` prints it for one site).
7. The time of the whole test suite, `make test`, and the browser tests'
   share of it (budget: <= 150 s on the 2-core machine when idle; the load
   average is printed beside it), and of `make test-fast` (budget: <= 30 s,
   issue 23 item 8), each with the machine's busy CPU time during the run
   (core-seconds, from /proc/stat: every process's, so it shows whether
   anything else was running). BENCH_SUITE=0 leaves them out;
   `python -m tests.bench tests` measures only these two.

Each build runs several times, interleaved with the build it is compared
with, and the fastest time is reported. Budgets are shown
next to each figure; the exit status is 1 if any is exceeded.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
# Builds use cached bytecode, as on any developer's machine (this sandbox sets
# PYTHONDONTWRITEBYTECODE, which would recompile the project's code each run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.update({"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})
RUNS = int(os.environ.get("BENCH_RUNS", "9"))  # for the overhead figure
SCALING_RUNS = 3  # the 10x build takes ten seconds, and its budget has room


class _Loader(yaml.SafeLoader):
    pass


# `!ENV [NAME, default]` -> the default, as when NAME is not set.
_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None)


CPU: dict[tuple, float] = {}  # (command, folder) -> the least CPU time (user + system) it took


def run_once(cmd: list[str], cwd: Path) -> float:
    """The wall time of one run; its CPU time is kept in CPU (the least)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    key = (tuple(cmd), str(cwd))
    CPU[key] = min(CPU.get(key, cpu), cpu)
    return wall


def timed(*jobs: tuple[list[str], Path], runs: int = RUNS) -> list[float]:
    """Run the jobs in turn, `runs` times, and return each one's fastest time.
    Interleaving (in reverse order every other round, so that neither build
    always goes first) and the minimum keep a busy machine from skewing a ratio."""
    times = [[] for _ in jobs]
    for round_ in range(runs):
        order = list(enumerate(jobs))
        for n, (cmd, cwd) in order if round_ % 2 == 0 else reversed(order):
            times[n].append(run_once(cmd, cwd))
    return [min(t) for t in times]


def cpu_of(cmd: list[str], cwd: Path) -> float:
    """The least CPU time a command took in timed(): a busy machine stretches
    wall time far more than CPU time, so the ratio of CPU times is shown
    beside each wall-time ratio (the budgets are on wall time)."""
    return CPU[(tuple(cmd), str(cwd))]


def copy_project(dest: Path) -> Path:
    for name in ("docs", "case_studies", "includes", "overrides", "templates"):
        shutil.copytree(PROJECT / name, dest / name)
    # mkdocs.yml and every data file it builds from or watches: the YAML files
    # and anchors.lock.json (without it `make serve` refuses the watch list).
    for path in [*PROJECT.glob("*.yml"), *PROJECT.glob("*.json")]:
        if not path.name.startswith("package"):
            shutil.copy(path, dest / path.name)
    os.symlink(PROJECT / "macros", dest / "macros")
    return dest


def plain_config(project: Path) -> None:
    """Turn a copy of the project into the same site built by Material alone.

    Both builds render the same pages, with the same content and the same
    navigation, so the difference is the cost of the project's own machinery
    (checks, citation links, the print view, the search and offline finishing,
    the content security policy), not of the content it publishes:
    - the pages the hooks would generate are written out as ordinary files;
    - each macro call in a guidance page is replaced by the Markdown it stands
      for (the case-study summaries, "this section delivers" lines and tables
      readers see);
    - `nav` and `not_in_nav` are kept, so every page renders the same menu (an
      automatic menu of every page would make each page of the plain build
      dearer, and flatter the ratio);
    - the hooks, and so our Markdown extensions, are turned off."""
    sys.path.insert(0, str(PROJECT))
    from macros import expand, render
    from macros.project import load_project

    loaded = load_project(project)
    for source in loaded.pages:
        path = project / "docs" / source.uri
        path.write_text(_macros_written_out(loaded, source.uri, path.read_text(), expand))
    for uri, content in render.generated_pages(loaded).items():
        (project / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / uri).write_text(content)
    text = (project / "mkdocs.yml").read_text()
    config = yaml.load(text, Loader=_Loader)
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and ("macros" in p or "offline" in p))]
    config.pop("hooks", None)
    config["strict"] = False
    config["validation"] = {"links": {"not_found": "info", "anchors": "info", "unrecognized_links": "info"}, "nav": {"omitted_files": "info"}}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def _macros_written_out(loaded, uri: str, text: str, expand) -> str:
    """A page's Markdown with each macro line replaced by its output, indented
    as the call was. (The guidance has no macro call inside code.)"""
    from macros.pipeline import MACRO_LINE, parse_call

    out = []
    for line in text.split("\n"):
        match = MACRO_LINE.match(line)
        if match is None:
            out.append(line)
            continue
        name, args, error = parse_call(match.group("expr"))
        if error:
            sys.exit(f"{uri}: {line.strip()}: {error}")
        indent = line[: len(line) - len(line.lstrip())]
        out += [indent + row if row else row for row in expand(loaded, name, args, uri).split("\n")]
    return "\n".join(out)


def multiply(project: Path, factor: int) -> None:
    """Copy every guidance page and case study `factor` times, with case-study
    ids renumbered so each copy uses its own case studies."""
    studies = sorted((project / "case_studies").glob("cs-*.md"))
    pages = [p for p in sorted((project / "docs").glob("*.md")) if p.name != "index.md"]
    count = len(studies)
    names = {p.stem for p in pages}
    for k in range(1, factor):
        mapping = {f"CS-{n:02d}": f"CS-{n + k * count:03d}" for n in range(1, count + 1)}
        for study in studies:
            text = study.read_text()
            old = re.search(r"^id: (CS-\d+)", text, re.M).group(1)
            new = mapping[old]
            (project / "case_studies" / f"{new.lower()}.md").write_text(text.replace(f"id: {old}", f"id: {new}"))
        for page in pages:
            text = re.sub(r'case_study\("(CS-\d+)"\)', lambda m: f'case_study("{mapping[m.group(1)]}")', page.read_text())
            text = re.sub(r"\]\(([a-z-]+)\.md", lambda m: f"]({m.group(1)}-{k}.md" if m.group(1) in names else m.group(0), text)
            (project / "docs" / f"{page.stem}-{k}.md").write_text(text)
    # Let every page into the build without listing it in the nav.
    text = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(re.sub(r"\nnav:\n(?:  .*\n|    .*\n)*", "\n", text).replace("omitted_files: warn", "omitted_files: info"))


def page_weights(site: Path) -> dict:
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    sizes = sorted((p.stat().st_size, p.relative_to(site).parent.as_posix()) for p in pages)
    # Shared assets: the stylesheets and scripts a chapter page links to.
    chapter = (site / "pleas" / "index.html").read_text()
    linked = re.findall(r'(?:href|src)="\.\./(assets/[^"]+\.(?:css|js))"', chapter)
    assets = sum((site / path).stat().st_size for path in set(linked))
    largest = sizes[-1]
    return {
        "median": round(statistics.median(s for s, _ in sizes) / 1024),
        "largest": f"{round(largest[0] / 1024)} KB ({largest[1]}/, the print view)" if largest[1] == "print" else f"{round(largest[0] / 1024)} KB ({largest[1]}/)",
        "assets": round(assets / 1024),
    }


SAVE_RUNS = 5  # saves timed in `make serve`


def save_to_refresh(tmp: Path) -> tuple:
    """Save-to-refresh under `make serve` on a copy of today's guidance: the
    seconds from saving a chapter (and a case study) to the served page
    showing the change, over SAVE_RUNS saves of each. Budget: a median of 3 s
    (the slowest is shown too: a save during a rebuild waits for it)."""
    sys.path.insert(0, str(PROJECT))
    from tests.serving import Served, save

    project = copy_project(tmp / "serve")
    server = Served(project)
    try:
        server.wait_for("pleas/", lambda html: "</html>" in html, timeout=120)
        times = []
        for n in range(SAVE_RUNS):
            for source, path in (("docs/pleas.md", "pleas/"), ("case_studies/cs-05.md", "case-studies/cs-05/")):
                file = project / source
                marker = f"this line was saved by the benchmark ({n})."
                save(file, file.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}\n")
                times.append(server.wait_for(path, lambda html, m=marker: m in html, timeout=60))
    finally:
        server.stop()
    median = statistics.median(times)
    return ("Save-to-refresh", f"median {median:.2f} s, slowest {max(times):.2f} s, of {len(times)} saves in make serve",
            "<= 3 s", median <= 3)


SUITE_BUDGET = 150  # seconds for `make test` on the 2-core machine when idle (issue 14)
FAST_BUDGET = 30  # seconds for `make test-fast` (issue 23, item 8)


def suite_time(target: str = "test", budget: int = SUITE_BUDGET) -> tuple:
    """`make test` (or `make test-fast`) as a developer runs it (set-up
    already done): its wall time, the time of each part (tests/suite.py runs
    them side by side), and the machine's busy CPU time meanwhile, out of
    the core-seconds its cores had. (The CPU time of the suite's own process
    tree cannot be read from here: Chromium's processes are not reaped by
    their parents, so getrusage misses most of them.) The load average
    before and after is shown, because the budget is for an otherwise idle
    machine."""
    load_before = os.getloadavg()[0]
    busy_before = busy_seconds()
    start = time.perf_counter()
    result = subprocess.run(["make", "-s", target], cwd=PROJECT, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    cpu = busy_seconds() - busy_before
    load_after = os.getloadavg()[0]
    lines = result.stdout.strip().splitlines()
    closing = lines[-1] if lines else "(no output)"
    halves = next((re.search(r"\((.*), side by side\)", l).group(1) for l in lines if l.startswith(f"make {target} took")),
                  "parts unknown")
    figure = (f"{wall:.0f} s ({closing}; {halves}); machine busy {cpu:.0f} of {wall * (os.cpu_count() or 1):.0f} core-s; "
              f"load average {load_before:.1f} before, {load_after:.1f} after")
    return (f"make {target}", figure, f"<= {budget} s idle", result.returncode == 0 and wall <= budget)


def busy_seconds() -> float:
    """Core-seconds the machine's CPUs have spent busy since it started
    (/proc/stat: user, nice, system, irq and softirq time)."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = (int(n) for n in stat.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def suite_rows() -> list[tuple]:
    return [suite_time("test-fast", FAST_BUDGET), suite_time("test", SUITE_BUDGET)]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        real = copy_project(tmp / "real")
        plain = copy_project(tmp / "plain")
        plain_config(plain)
        real_job = ([MKDOCS, "build", "--strict", "-d", str(tmp / "out-real")], real)
        plain_job = ([MKDOCS, "build", "-d", str(tmp / "out-plain")], plain)
        full, bare = timed(real_job, plain_job)
        cpu_overhead = cpu_of(*real_job) / cpu_of(*plain_job)

        one = copy_project(tmp / "x1")
        multiply(one, 1)
        ten = copy_project(tmp / "x10")
        multiply(ten, 10)
        plain_ten = copy_project(tmp / "x10-plain")
        multiply(plain_ten, 10)
        plain_config(plain_ten)
        ten_job = ([MKDOCS, "build", "--strict", "-d", str(tmp / "out-10")], ten)
        plain_ten_job = ([MKDOCS, "build", "-d", str(tmp / "out-10-plain")], plain_ten)
        t1, t10, bare10 = timed(
            ([MKDOCS, "build", "--strict", "-d", str(tmp / "out-1")], one),
            ten_job,
            plain_ten_job,
            runs=SCALING_RUNS,
        )
        cpu_overhead10 = cpu_of(*ten_job) / cpu_of(*plain_ten_job)
        pages10 = len(list((ten / "docs").glob("*.md")))
        studies10 = len(list((ten / "case_studies").glob("cs-*.md")))

        stages = [macro_stage(one), macro_stage(ten)]
        check = [sys.executable, "-m", "macros.cli", "check", "--root"]
        check1, check10 = timed((check + [str(one)], PROJECT), (check + [str(ten)], PROJECT), runs=SCALING_RUNS)
        refresh = save_to_refresh(tmp)
        weights = page_weights(tmp / "out-real")
        law_rows = law_on_a_date_report(tmp / "out-real")
        suite = suite_rows() if os.environ.get("BENCH_SUITE", "1") != "0" else []

    overhead, overhead10, ratio = full / bare, t10 / bare10, t10 / t1
    rows = [
        ("Build overhead", f"{full:.2f} s full build vs {bare:.2f} s plain Material build = {overhead:.2f}x (CPU time {cpu_overhead:.2f}x)",
         "<= 1.25x", overhead <= 1.25),
        ("  at 10x", f"{t10:.2f} s full build vs {bare10:.2f} s plain Material build = {overhead10:.2f}x (CPU time {cpu_overhead10:.2f}x)",
         "<= 1.10x", overhead10 <= 1.10),
        ("Scaling", f"{t1:.2f} s at 1x vs {t10:.2f} s at 10x ({pages10} pages, {studies10} case studies) = {ratio:.1f}x", "<= 11x", ratio <= 11),
        ("make check", f"{check1:.2f} s at 1x", "<= 2 s", check1 <= 2),
        ("  at 10x", f"{check10:.2f} s at 10x", "<= 10 s", check10 <= 10),
        refresh,
    ]
    rows += lighthouse_report()
    rows += law_rows
    rows += suite
    print(f"Benchmark (fastest of {RUNS} interleaved runs, {SCALING_RUNS} for scaling; {os.cpu_count()} CPUs)")
    for name, figure, budget, ok in rows:
        print(f"  {name:15} {figure:75} budget {budget:9} {'ok' if ok else 'OVER BUDGET'}")
    for label, stage_ in zip(("Macro stage", "  at 10x"), stages):
        print(f"  {label:15} {describe_macro_stage(stage_)}")
    print(f"  {'Page weight':15} HTML median {weights['median']} KB, largest {weights['largest']}; "
          f"shared CSS and JavaScript {weights['assets']} KB (uncompressed)")
    return 0 if all(ok for *_, ok in rows) else 1


# ---------------------------------------------------------------------------
# The "Law on a date" page in Chromium: its first-visit weight and the time
# from pressing the button to the answer shown (issue 21)


def law_on_a_date_report(site: Path) -> list[tuple]:
    """Rows for the report: the page's first visit, served compressed (bytes
    up to the load event, as the page audit measures them), and the median
    time to answer a query, in Debian's Chromium. A row that cannot be
    measured (no Chromium) says so and counts as over budget."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import DESKTOP, PHONE, chromium_path, first_visit_bytes, launch, new_context, serve_compressed
    from tests.browser.test_law_on_a_date import time_to_answer

    path = chromium_path()
    if not path:
        return [("Law on a date", "not measured: Chromium is not installed", "<= 100 KB", False)]
    server, url = serve_compressed(site)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright, path)
            context = new_context(browser, viewport=PHONE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Page.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            moved, responses = first_visit_bytes(page, cdp, url + "law-on-a-date/?offence=2016-06-01&conviction=2026-04-01")
            context.close()
            context = new_context(browser, viewport=DESKTOP)
            seconds = time_to_answer(context.new_page(), url)
            context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    data = (site / "assets" / "javascripts" / "law-data.js").stat().st_size
    return [
        ("Law on a date", f"first visit {moved / 1024:.0f} KB compressed in {responses} responses (its data {data / 1024:.0f} KB uncompressed)",
         "<= 100 KB", moved <= 100 * 1024),
        ("  answer", f"{seconds * 1000:.0f} ms from pressing the button to the answer shown (median of 5, Chromium)", "<= 1 s", seconds <= 1),
    ]


# ---------------------------------------------------------------------------
# The macro stage: mkdocs-macros-plugin and the macros the parse calls
# ---------------------------------------------------------------------------

MACRO_STAGE_RUNS = 3


def macro_stage(project: Path) -> dict:
    """The macro stage of one site, measured in a fresh process (so that the
    plugin's import is counted as a build pays it): the least of
    MACRO_STAGE_RUNS readings of each part, in milliseconds of wall and CPU
    time. See measure_macro_stage."""
    import json

    out = subprocess.run([sys.executable, "-m", "tests.bench", "macros", str(project)], cwd=PROJECT, env=ENV,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"the macro stage could not be measured in {project}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_macro_stage(project: Path) -> dict:
    """In this process: import what a build imports before the plugin, then
    time importing mkdocs-macros-plugin; then run the build's reading stage
    (stage.check_site, every page parsed once) MACRO_STAGE_RUNS times, timing
    the plugin's on_config (and, within it, the `git` commands of its
    standard context), its on_page_markdown on every page, and every macro
    call the parse makes (stage.call_macro: the registered function, which
    renders the Markdown; parsing that Markdown is part of the page's parse).
    Returns {part: [wall ms, CPU ms]} and the number of calls and pages."""
    import mkdocs.commands.build  # noqa: F401  what a build has imported before it loads the plugins
    import mkdocs.config.defaults  # noqa: F401
    import material.plugins.search.plugin  # noqa: F401

    sys.path.insert(0, str(PROJECT))
    from macros import stage

    def clock():
        return time.perf_counter(), time.process_time()

    def since(start):
        wall, cpu = clock()
        return [1000 * (wall - start[0]), 1000 * (cpu - start[1])]

    start = clock()
    import mkdocs_macros.context as context
    import mkdocs_macros.plugin as plugin

    result = {"import": since(start)}
    runs: list[dict] = []
    current: dict = {}

    def timing(name, function):
        def wrapper(*args, **kwargs):
            begun = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent = since(begun)
                total = current.setdefault(name, [0.0, 0.0, 0])
                total[0] += spent[0]
                total[1] += spent[1]
                total[2] += 1
        return wrapper

    plugin.MacrosPlugin.on_config = timing("on_config", plugin.MacrosPlugin.on_config)
    plugin.MacrosPlugin.on_page_markdown = timing("page hook", plugin.MacrosPlugin.on_page_markdown)
    context.get_git_info = timing("git", context.get_git_info)
    stage.call_macro = timing("calls", stage.call_macro)
    for _ in range(MACRO_STAGE_RUNS):
        current = {}
        problems, _project = stage.check_site(project)
        if any(p.severity == "error" for p in problems):
            sys.exit(f"{project}: make check fails: {problems[0]}")
        runs.append(current)
    for name in ("on_config", "git", "page hook", "calls"):
        readings = [run.get(name, [0.0, 0.0, 0]) for run in runs]
        result[name] = [min(r[0] for r in readings), min(r[1] for r in readings)]
        result[name + " count"] = readings[0][2]
    return result


def describe_macro_stage(found: dict) -> str:
    """One line: the plugin's start-up (import, on_config with its git calls,
    page hook) and the macros' own time, in wall ms (CPU ms in brackets)."""
    def ms(name):
        wall, cpu = found[name]
        return f"{wall:.0f} ms ({cpu:.0f})"
    startup = [sum(found[n][i] for n in ("import", "on_config", "page hook")) for i in (0, 1)]
    return (f"plugin {startup[0]:.0f} ms (CPU {startup[1]:.0f}): import {ms('import')}, on_config {ms('on_config')} "
            f"of which git {ms('git')}, page hook {ms('page hook')} on {found['page hook count']} pages; "
            f"{found['calls count']} macro calls {ms('calls')}")


# ---------------------------------------------------------------------------
# Lighthouse (issue 13): mobile, served compressed, one page of each kind
# ---------------------------------------------------------------------------

LIGHTHOUSE = "lighthouse@13.5.0"  # installed with npm into build/lighthouse, never committed
LIGHTHOUSE_PAGES = {"home": "", "chapter": "offences/", "case study": "case-studies/cs-01/",
                    "register": "recommendations/", "coverage matrix": "recommendations/coverage/",
                    "item page": "recommendations/r1/"}
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_report(cache: Path = PROJECT / "build" / "lighthouse") -> list[tuple]:
    """Build the site, serve it gzipped (tests/browser/test_offline_reading.py,
    as a static host would), and run Lighthouse's default mobile audit on one
    page of each kind with Debian's Chromium (CHROME_PATH). Budgets:
    performance >= 95, the other three categories 100. Returns rows
    (name, figure, budget, ok); a row says why if Lighthouse cannot run."""
    import json

    from tests.browser.conftest import serve_compressed

    chromium = shutil.which("chromium")
    cli = cache / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists() and shutil.which("npm"):
        cache.mkdir(parents=True, exist_ok=True)
        # --prefix: without it npm installs into the nearest folder with a
        # package.json, which is the project's own node_modules.
        subprocess.run(["npm", "install", "--prefix", str(cache), "--no-save", "--no-audit", "--no-fund",
                        "--loglevel=error", LIGHTHOUSE], cwd=cache, check=False)
    if chromium is None or not cli.exists() or not shutil.which("node"):
        return [("Lighthouse", f"not run: needs chromium, node and npm ({LIGHTHOUSE})", "-", False)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([MKDOCS, "build", "--strict", "-q", "-d", str(site)], cwd=PROJECT, env=ENV, check=True)
        server, url = serve_compressed(site)
        try:
            for kind, rel in LIGHTHOUSE_PAGES.items():
                out = subprocess.run(
                    ["node", str(cli), url + rel, "--output=json", "--output-path=stdout", "--quiet",
                     "--only-categories=" + ",".join(LIGHTHOUSE_CATEGORIES),
                     "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                    capture_output=True, text=True, env={**ENV, "CHROME_PATH": chromium}, timeout=300)
                try:
                    categories = json.loads(out.stdout)["categories"]
                    scores = {c: round(100 * (categories[c]["score"] or 0)) for c in LIGHTHOUSE_CATEGORIES}
                except (ValueError, KeyError):
                    rows.append((f"LH {kind}", f"Lighthouse failed: {out.stderr.strip()[-200:]}", "-", False))
                    continue
                ok = scores["performance"] >= 95 and all(scores[c] == 100 for c in LIGHTHOUSE_CATEGORIES[1:])
                figure = ", ".join(f"{c} {v}" for c, v in scores.items())
                rows.append((f"LH {kind}", figure, "95/100", ok))
        finally:
            server.shutdown()
            server.server_close()
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["macros"] and len(sys.argv) == 3:  # python -m tests.bench macros DIR: the macro stage of one site
        import json

        found = measure_macro_stage(Path(sys.argv[2]).resolve())
        print(describe_macro_stage(found), file=sys.stderr)
        print(json.dumps(found))
        sys.exit(0)
    if sys.argv[1:2] == ["law-on-a-date"] and len(sys.argv) == 3:  # python -m tests.bench law-on-a-date SITE: only this page
        results = law_on_a_date_report(Path(sys.argv[2]).resolve())
        for name, figure, budget, ok in results:
            print(f"  {name:15} {figure:75} budget {budget:9} {'ok' if ok else 'OVER BUDGET'}")
        sys.exit(0 if all(ok for *_, ok in results) else 1)
    if sys.argv[1:] == ["tests"]:  # python -m tests.bench tests: only `make test-fast` and `make test`
        results = suite_rows()
        for name, figure, budget, ok in results:
            print(f"  {name:15} {figure}  budget {budget} {'ok' if ok else 'OVER BUDGET'}")
        sys.exit(0 if all(ok for *_, ok in results) else 1)
    if sys.argv[1:] == ["lighthouse"]:  # python -m tests.bench lighthouse: only the Lighthouse figures
        results = lighthouse_report()
        for name, figure, budget, ok in results:
            print(f"  {name:15} {figure:75} budget {budget:9} {'ok' if ok else 'OVER BUDGET'}")
        sys.exit(0 if all(ok for *_, ok in results) else 1)
    sys.exit(main())
