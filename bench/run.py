#!/usr/bin/env python3
"""Benchmark healthsite against Hugo, Pelican and MkDocs on one synthetic corpus, runs interleaved.

usage: python bench/run.py [--articles 1000] [--rounds 3] [--work bench/work] [--peers Hugo,Pelican,MkDocs]
                          [--no-peers] [--serve [--edits 12]]

Prints, for healthsite, the cold build, the rebuild with nothing changed and the rebuild after one
article's title changed (all without the search index, which no peer builds), and a cold build with the
Pagefind search index; the floor (bench/floor.py: the articles through the build's own configured
Python-Markdown on all cores, nothing else); for each peer found on PATH (pip install -e ".[bench]"), its cold build; then the
ratios of the medians, and the peak memory of each build (all of its processes together, by PSS).

With --scale SMALL,LARGE (e.g. 10000,100000) it builds both corpora cold and again with nothing changed,
without peers, and checks goal 4: the large build's peak memory, its time against the small one's, and
its nothing-changed rebuild.

Every mode ends with a table of the goals of issue 18 it measures: target, measured figure, met or not.

With --serve it measures the preview instead: `python build.py serve` and `hugo server` run side by side on
the same corpus; each edit (titles and bodies in turn) is made to one, then the other. The time is from just
before the edited file is written to the first response of the page's URL holding the new text (the page is
requested every 5 ms), and, for healthsite, to the reload event (a new build id on /__healthsite/events).
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SITE_YAML = """\
title: Bench
base_url: https://bench.example/
publisher: Bench
disclaimer: General information only.
call_to_action: {{heading: Need help?, text: Ask a doctor.}}
search: {search}
"""
EDITED = 'title: "Edited '


GIB = 1024.0  # MiB
# The build goals (speed, round three): (goal, measured row, the row it is a ratio to, the largest ratio that meets it)
BUILD_GOALS = (
    ("1. cold build (no search) vs the floor", "healthsite cold", "floor", 1.5),
    ("1. cold build (no search) vs Pelican's cold build", "healthsite cold", "Pelican cold", 1.0),
    ("2. one title edited vs Hugo's cold build", "healthsite one title edited", "Hugo cold", 0.25),
    ("2. nothing changed vs Hugo's cold build", "healthsite no change", "Hugo cold", 0.10),
)
SERVE_GOAL_MS = {"median": 150.0, "p95": 300.0}  # goal 3: each healthsite serve row, edit to served or event
SCALE_TIME_RATIO, SCALE_MEMORY_MIB, SCALE_NO_CHANGE_S = 11.0, 1.5 * GIB, 5.0  # goal 4


@dataclass
class Run:
    """One timed build."""

    seconds: float
    peak_mib: float


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in KiB: the sum of their proportional set sizes.

    PSS shares each page among the processes that map it, so forked workers are not counted twice for the
    memory they share with their parent (summing RSS would be). 0 once the process is gone.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(l.split()[1] for l in rollup.splitlines() if l.startswith("Pss:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def timed(command: list[str], cwd: Path) -> Run:
    """Run a command, measuring wall time and the peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')[-2000:]}")
    return Run(seconds, peak / 1024)


def prepare(articles: int, work: Path, peers: bool) -> Path:
    """Write the corpus as a healthsite site and, when asked, lay it out for the peers; compile our package to
    bytecode, as pip leaves an installed one (with PYTHONDONTWRITEBYTECODE set, every run would compile it again,
    while the peers' installed packages are compiled)."""
    compileall.compile_dir(REPO / "healthsite", quiet=1)
    site = work / f"healthsite-{articles}"
    if not (site / "content").is_dir():
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(articles), str(site / "content")], check=True)
    (site / "site.yaml").write_text(SITE_YAML.format(search="false"))
    for folder in ("templates", "static"):
        shutil.rmtree(site / folder, ignore_errors=True)
        shutil.copytree(REPO / folder, site / folder)
    if peers:
        subprocess.run(["bash", str(HERE / "peers.sh"), str(site / "content"), str(work / f"peers-{articles}")],
                       check=True)
    return site


def ours(site: Path, out: Path, *extra: str) -> list[str]:
    """The healthsite build command for the bench site."""
    return [sys.executable, str(REPO / "build.py"), "--config", str(site / "site.yaml"), "--out", str(out),
            "--quiet", *extra]


def toggle_title(site: Path) -> None:
    """Change one article's title (and change it back on the next call)."""
    path = site / "content" / "article-00001.md"
    text = path.read_text()
    path.write_text(text.replace(EDITED, 'title: "') if EDITED in text else text.replace('title: "', EDITED, 1))


def with_search(site: Path, out: Path) -> Run:
    """A cold build with the search index on (the peers build none, so the rows above leave it off)."""
    (site / "site.yaml").write_text(SITE_YAML.format(search="true"))
    try:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".healthsite-cache", ignore_errors=True)
        return timed(ours(site, out), site)
    finally:
        (site / "site.yaml").write_text(SITE_YAML.format(search="false"))


def peer_commands(work: Path, articles: int) -> dict[str, tuple[list[str], Path, Path]]:
    """The peers found on PATH: name -> (command, folder to run in, output folder to clear before)."""
    base = work / f"peers-{articles}"
    found = {
        "Hugo": (["hugo", "--quiet", "--destination", "public"], base / "hugo", base / "hugo" / "public"),
        "Pelican": (["pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"], base / "pelican",
                    base / "pelican" / "output"),
        "MkDocs": (["mkdocs", "build", "-q", "-d", "site"], base / "mkdocs", base / "mkdocs" / "site"),
    }
    return {name: spec for name, spec in found.items() if shutil.which(spec[0][0])}


@dataclass
class Server:
    """A preview server on the bench corpus: its command, folder, the edited file and that file's page URL."""

    name: str
    command: list[str]
    cwd: Path
    source: Path
    page: str
    port: int


def free_port() -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> bytes:
    """One GET of a local URL; b"" when the server does not answer (yet) or the response is cut short."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        return connection.getresponse().read()
    except http.client.IncompleteRead:
        print(f"port {port}: a response shorter than its Content-Length", file=sys.stderr)
        return b""
    except (OSError, http.client.HTTPException):
        return b""


def listen(port: int, seen: list[tuple[float, str]]) -> None:
    """Record the arrival time and build id of every status event of healthsite's reload stream."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
    connection.request("GET", "/__healthsite/events")
    response = connection.getresponse()
    while line := response.fp.readline():
        if line.startswith(b"data: "):
            seen.append((time.perf_counter(), json.loads(line[6:]).get("build", "")))


def edited(text: str, number: int) -> tuple[str, str]:
    """The article with a new marker in its title (even edits) or a new last paragraph (odd ones)."""
    marker = f"Servebench{number}x"
    if number % 2 == 0:
        return text.replace('title: "', f'title: "{marker} ', 1), marker
    return text.rstrip("\n") + f"\n\n{marker} is a new sentence.\n", marker


def serve_bench(site: Path, work: Path, articles: int, edits: int) -> dict[str, list[float]]:
    """Edit-to-served times (seconds) of healthsite's and Hugo's preview servers, edits interleaved."""
    port, hugo_port = free_port(), free_port()
    servers = [Server("healthsite serve", [*ours(site, site / "_preview")[:2], "serve", "--config",
                                           str(site / "site.yaml"), "--port", str(port), "--quiet"],
                      site, site / "content" / "article-00002.md", "/article-00002/", port)]
    if shutil.which("hugo"):
        hugo = work / f"peers-{articles}" / "hugo"
        servers.append(Server("hugo server", ["hugo", "server", "--port", str(hugo_port), "--bind", "127.0.0.1"],
                              hugo, hugo / "content" / "articles" / "article-00002.md", "/articles/article-00002/",
                              hugo_port))
    processes = [subprocess.Popen(s.command, cwd=s.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for s in servers]
    originals = {s.name: s.source.read_text() for s in servers}
    seen: list[tuple[float, str]] = []
    times: dict[str, list[float]] = {}
    try:
        for server in servers:
            deadline = time.perf_counter() + 600
            while not fetch(server.port, server.page) and time.perf_counter() < deadline:
                time.sleep(0.2)
        threading.Thread(target=listen, args=(port, seen), daemon=True).start()
        time.sleep(1)
        for number in range(edits):
            for server in servers:
                text, marker = edited(originals[server.name], number)
                events = len(seen)
                started = time.perf_counter()
                server.source.write_text(text)
                while marker.encode() not in fetch(server.port, server.page):
                    if time.perf_counter() - started > 60:
                        sys.exit(f"{server.name}: edit {number} not served after 60 s")
                    time.sleep(0.005)
                times.setdefault(f"{server.name}: edit to new page served", []).append(
                    time.perf_counter() - started)
                if server.name.startswith("healthsite"):
                    while len(seen) == events and time.perf_counter() - started < 60:
                        time.sleep(0.005)
                    times.setdefault(f"{server.name}: edit to reload event", []).append(seen[events][0] - started)
                time.sleep(0.5)
            print(f"edit {number + 1}/{edits} done", file=sys.stderr)
    finally:
        for server in servers:
            server.source.write_text(originals[server.name])
        for process in processes:
            process.terminate()
            process.wait()
    return times


def percentile_95(values: list[float]) -> float:
    """The 95th percentile of some timings (the nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def statistic(values: list[float], name: str) -> float:
    """The median or the 95th percentile of some timings."""
    return statistics.median(values) if name == "median" else percentile_95(values)


def serve_report(times: dict[str, list[float]]) -> None:
    """Print medians, 95th percentiles and ratios to Hugo's median as a Markdown table, then goal 3's rows."""
    hugo = times.get("hugo server: edit to new page served")
    print(f"\n{len(next(iter(times.values())))} edits (titles and bodies in turn), {os.cpu_count()} cores, "
          "servers side by side, edits interleaved\n")
    print("| preview | median | p95 |" + (" vs hugo server median |" if hugo else ""))
    print("|---|---|---|" + ("---|" if hugo else ""))
    for name, values in times.items():
        ratio = f" {statistics.median(values) / statistics.median(hugo):.2f}x |" if hugo else ""
        print(f"| {name} | {statistics.median(values) * 1000:.0f} ms | {percentile_95(values) * 1000:.0f} ms |{ratio}")
    rows = []
    for name, values in times.items():
        if name.startswith("healthsite"):
            for stat, target in SERVE_GOAL_MS.items():
                measured = statistic(values, stat) * 1000
                beside = f" ({measured / (statistic(hugo, stat) * 1000):.2f}x hugo server's {stat})" if hugo else ""
                rows.append((f"3. {name.removeprefix('healthsite serve: ')}, {stat}", f"<= {target:.0f} ms",
                             f"{measured:.0f} ms{beside}", measured <= target))
    goals_table(rows)


def goals_table(rows: list[tuple[str, str, str, bool]]) -> None:
    """Print issue 18's goals measured in this run: target, measured figure, met or not."""
    if not rows:
        return
    print("\n| goal | target | measured | met |\n|---|---|---|---|")
    for goal, target, measured, met in rows:
        print(f"| {goal} | {target} | {measured} | {'yes' if met else '**no**'} |")


def main() -> None:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peers", default="Hugo,Pelican,MkDocs", help="which peers to build (comma-separated)")
    ap.add_argument("--serve", action="store_true", help="measure the preview servers instead of builds")
    ap.add_argument("--edits", type=int, default=12, help="with --serve: how many edits to time")
    ap.add_argument("--scale", metavar="SMALL,LARGE", help="goal 4: cold and nothing-changed builds of two corpora")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.scale:
        scale_bench([int(n) for n in args.scale.split(",")], args.work)
        return
    if args.serve:
        site = prepare(args.articles, args.work, bool(shutil.which("hugo")))
        serve_report(serve_bench(site, args.work, args.articles, args.edits))
        return
    chosen = set() if args.no_peers else set(args.peers.split(","))
    peers = {k: v for k, v in peer_commands(args.work, args.articles).items() if k in chosen}
    site = prepare(args.articles, args.work, bool(peers))
    out = args.work / f"out-{args.articles}"
    results: dict[str, list[Run]] = {}
    for round_ in range(args.rounds):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".healthsite-cache", ignore_errors=True)
        results.setdefault("healthsite cold", []).append(timed(ours(site, out), site))
        results.setdefault("healthsite no change", []).append(timed(ours(site, out), site))
        toggle_title(site)
        results.setdefault("healthsite one title edited", []).append(timed(ours(site, out), site))
        results.setdefault("healthsite cold, with the Pagefind index", []).append(with_search(site, out))
        results.setdefault("floor", []).append(timed([sys.executable, str(HERE / "floor.py"), str(site)], site))
        for name, (command, cwd, target) in peers.items():
            shutil.rmtree(target, ignore_errors=True)
            results.setdefault(f"{name} cold", []).append(timed(command, cwd))
        print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)
    report(results, args.articles)


def report(results: dict[str, list[Run]], articles: int) -> None:
    """Print medians, ratios to the peers' cold builds and peak memory as a Markdown table."""
    median = {name: statistics.median(r.seconds for r in runs) for name, runs in results.items()}
    peers = [name for name in ("floor", "Hugo cold", "Pelican cold", "MkDocs cold") if name in median]
    print(f"\n{articles} articles, {os.cpu_count()} cores, median of {len(next(iter(results.values())))} rounds, "
          f"rows interleaved in each round (ratios are of medians from the same run)\n")
    print("| build | wall time | peak memory |" + "".join(f" vs {p} |" for p in peers))
    print("|---|---|---|" + "---|" * len(peers))
    for name, runs in results.items():
        peak = max(r.peak_mib for r in runs)
        ratios = "".join(f" {median[name] / median[p]:.2f}x |" for p in peers)
        print(f"| {name} | {median[name]:.2f} s | {peak:.0f} MiB |{ratios}")
    goals_table([(goal, f"<= {target:.2f}x", f"{median[row] / median[against]:.2f}x "
                  f"({median[row]:.2f} s / {median[against]:.2f} s)", median[row] / median[against] <= target)
                 for goal, row, against, target in BUILD_GOALS if row in median and against in median])


def scale_bench(sizes: list[int], work: Path) -> None:
    """Goal 4: each corpus built cold, then again with nothing changed; memory, time ratio and no-change time."""
    if len(sizes) != 2 or sizes[0] >= sizes[1]:
        sys.exit("--scale takes two corpus sizes, the smaller first: e.g. --scale 10000,100000")
    runs: dict[int, tuple[Run, Run]] = {}
    for size in sizes:
        site, out = prepare(size, work, False), work / f"out-{size}"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".healthsite-cache", ignore_errors=True)
        cold = timed(ours(site, out), site)
        runs[size] = (cold, timed(ours(site, out), site))
        print(f"{size} articles done", file=sys.stderr)
    print(f"\n{os.cpu_count()} cores, one run of each, without the search index\n")
    print("| build | wall time | peak memory |\n|---|---|---|")
    for size, (cold, again) in runs.items():
        print(f"| {size} articles cold | {cold.seconds:.2f} s | {cold.peak_mib:.0f} MiB |")
        print(f"| {size} articles nothing changed | {again.seconds:.2f} s | {again.peak_mib:.0f} MiB |")
    small, large = runs[sizes[0]][0], runs[sizes[1]]
    ratio = large[0].seconds / small.seconds
    goals_table([
        (f"4. {sizes[1]} articles cold: peak memory (summed PSS)", f"<= {SCALE_MEMORY_MIB:.0f} MiB",
         f"{large[0].peak_mib:.0f} MiB", large[0].peak_mib <= SCALE_MEMORY_MIB),
        (f"4. {sizes[1]} articles cold vs {sizes[0]}", f"<= {SCALE_TIME_RATIO:.0f}x",
         f"{ratio:.2f}x ({large[0].seconds:.1f} s / {small.seconds:.1f} s)", ratio <= SCALE_TIME_RATIO),
        (f"4. {sizes[1]} articles, nothing changed", f"<= {SCALE_NO_CHANGE_S:.0f} s", f"{large[1].seconds:.2f} s",
         large[1].seconds <= SCALE_NO_CHANGE_S),
    ])


if __name__ == "__main__":
    main()
