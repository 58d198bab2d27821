#!/usr/bin/env python3
"""Benchmark healthsite against Hugo, Pelican and MkDocs on one synthetic corpus, runs interleaved.

usage: python bench/run.py [--articles 1000] [--rounds 3] [--work bench/work] [--peers Hugo,Pelican,MkDocs]
                          [--no-peers]

Prints, for healthsite, the cold build, the rebuild with nothing changed and the rebuild after one
article's title changed (all without the search index, which no peer builds), and a cold build with the
Pagefind search index; the floor (bench/floor.py: the articles through the build's own configured
Python-Markdown on all cores, nothing else); for each peer found on PATH (pip install -e ".[bench]"), its cold build; then the
ratios of the medians, and the peak memory of each build (all of its processes together, by PSS).
"""

from __future__ import annotations

import argparse
import os
import shutil
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
    """Write the corpus as a healthsite site and, when asked, lay it out for the peers."""
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


def main() -> None:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peers", default="Hugo,Pelican,MkDocs", help="which peers to build (comma-separated)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
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


if __name__ == "__main__":
    main()
