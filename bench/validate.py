"""Benchmark: `odc validate` against libcoveocds on the same data, in one run; and a big file's memory.

1. The project's own data: the release package of N synthetic Bojonegoro processes (exported with
   ``odc export``'s code) is written to a file. ``odc validate``'s engine (reading the file included)
   and libcoveocds' ``ocds_json_output`` (``json.load`` of the same file included; offline, from the
   official 1.1.5 zip, sockets blocked) each validate it; best CPU time of ``--repeat`` alternating
   runs. Then ``--errors`` schema errors are injected into a copy: both must find exactly those.
2. The real corpus (tests/data/real-ocds): every 1.1 release package and bare release (a bare release
   is given to libcoveocds in a minimal 1.1 package) validated by both, same timing; record packages
   and 1.0 packages are left out, as libcoveocds would download schemas for them.
3. A generated file of ``--big-mb`` MB (the demo releases repeated with new ids): ``odc validate`` run
   as a real process; its peak RSS and releases/s.

The last printed line is one JSON object with ``own_speedup``, ``corpus_speedup``, ``big_peak_mb``.
Run from the repository root: ``python bench/validate.py --processes 300 --big-mb 200``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.conformance.official

from odc_desktop.demo import data as demo  # noqa: E402
from odc_desktop.domain.ocds.export import export_package  # noqa: E402
from odc_desktop.domain.forms.definition import load_form_set  # noqa: E402
from odc_desktop.domain.ocds.validate_file import validate_file  # noqa: E402
from odc_desktop.storage.sql import SqlRepository  # noqa: E402
from tests.conformance.official import libcove_result, require_official_files, sockets_blocked  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "real-ocds"
WRAPPER = {"uri": "https://example.org/package.json", "publisher": {"name": "bench"},
           "publishedDate": "2020-01-01T00:00:00Z", "version": "1.1"}


def build_package(processes: int, seed: int) -> dict[str, Any]:
    """The release package of every entry of ``processes`` synthetic processes (all of them valid)."""
    forms = load_form_set()
    with tempfile.TemporaryDirectory(prefix="odc-bench-validate-") as scratch:
        repo = SqlRepository.open(Path(scratch))
        try:
            demo.generate(repo, forms, processes, seed=seed, today=dt.date(2025, 12, 31))
            result = export_package(repo, forms)
        finally:
            repo.close()
    if result.skipped:
        raise SystemExit(f"bench/validate.py: the demo data has invalid entries: {result.skipped[:5]}")
    package = result.package
    package.pop("extensions", None)  # libcoveocds would download them; both get the same package
    return package


def _injections() -> list[Callable[[dict[str, Any]], str | None]]:
    """Kinds of schema error: each edits a release and returns the path it broke (None: not applicable)."""
    def amount_as_text(r: dict[str, Any]) -> str | None:
        if "value" not in (r.get("contracts") or [{}])[0]:
            return None
        r["contracts"][0]["value"]["amount"] = "seratus juta"
        return "contracts/0/value/amount"

    def bad_date(r: dict[str, Any]) -> str:
        r["date"] = r["date"][:5] + "13-45" + r["date"][10:]  # month 13, day 45
        return "date"

    def tag_not_list(r: dict[str, Any]) -> str:
        r["tag"] = r["tag"][0]
        return "tag"

    def roles_not_list(r: dict[str, Any]) -> str:
        r["parties"][0]["roles"] = "buyer"
        return "parties/0/roles"

    return [amount_as_text, bad_date, tag_not_list, roles_not_list]


def inject_errors(package: dict[str, Any], count: int, seed: int) -> set[str]:
    """Break ``count`` different releases, one schema error each; return the broken paths."""
    rng = random.Random(seed)
    broken: set[str] = set()
    candidates = list(range(len(package["releases"])))
    rng.shuffle(candidates)
    kinds = _injections()
    for index in candidates:
        if len(broken) == count:
            break
        path = kinds[len(broken) % len(kinds)](package["releases"][index])
        if path is not None:
            broken.add(f"releases/{index}/{path}")
    return broken


def ours_schema_paths(path: Path) -> set[str]:
    return {p.path for p in validate_file(path).problems if p.level == "error" and p.code.startswith("schema.")}


def libcove_paths(package: dict[str, Any]) -> set[str]:
    return {error["path"] for error in libcove_result(package)["validation_errors"]}


def best_times(first: Callable[[], Any], second: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best CPU time in seconds of each callable over ``repeat`` alternating runs (CPU time is not
    inflated by other programs sharing the machine)."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for slot, fn in enumerate((first, second)):
            start = time.process_time()
            fn()
            best[slot] = min(best[slot], time.process_time() - start)
    return best[0], best[1]


def _libcove_on_file(path: Path, wrap: bool) -> Callable[[], Any]:
    def run() -> Any:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return libcove_result({**WRAPPER, "releases": [data]} if wrap else data)
    return run


def own_data(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    package = build_package(args.processes, args.seed)
    path = folder / "own.json"
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    releases = len(package["releases"])
    with sockets_blocked():
        clean = validate_file(path)
        ours_s, cove_s = best_times(lambda: validate_file(path), _libcove_on_file(path, False), args.repeat)
        broken = copy.deepcopy(package)
        injected = inject_errors(broken, args.errors, args.seed)
        broken_path = folder / "own-broken.json"
        broken_path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
        ours, theirs = ours_schema_paths(broken_path), libcove_paths(broken)
        broken_s, broken_cove_s = best_times(lambda: validate_file(broken_path), lambda: libcove_result(broken),
                                             max(1, args.repeat // 2))
    same = clean.total("error") == 0 and ours == theirs == injected
    print(f"own data: {releases} releases; odc {ours_s:.3f} s, libcoveocds {cove_s:.3f} s; with {len(injected)} "
          f"errors: odc {broken_s:.3f} s, libcoveocds {broken_cove_s:.3f} s; same errors: {same}", file=sys.stderr)
    return {"own_releases": releases, "own_odc_per_s": round(releases / ours_s), "own_libcoveocds_per_s":
            round(releases / cove_s), "own_speedup": round(cove_s / ours_s, 2),
            "own_broken_speedup": round(broken_cove_s / broken_s, 2), "own_same_errors": same}


def corpus(args: argparse.Namespace) -> dict[str, Any]:
    files = []
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        if "records" in data or "releases" in data and data.get("version") != "1.1":
            continue  # libcoveocds would download the 1.0 or versioned-release schema
        files.append((path, "releases" not in data, len(data["releases"]) if "releases" in data else 1))
    releases = sum(count for _, _, count in files)
    with sockets_blocked():
        for path, wrap, _ in files:  # warm both (compiled schemas, libcoveocds' zip)
            validate_file(path), _libcove_on_file(path, wrap)()
        ours_s, cove_s = best_times(lambda: [validate_file(path) for path, _, _ in files],
                                    lambda: [_libcove_on_file(path, wrap)() for path, wrap, _ in files], args.repeat)
    print(f"real corpus: {len(files)} files, {releases} releases; odc {ours_s:.3f} s, libcoveocds {cove_s:.3f} s",
          file=sys.stderr)
    return {"corpus_releases": releases, "corpus_odc_per_s": round(releases / ours_s),
            "corpus_libcoveocds_per_s": round(releases / cove_s), "corpus_speedup": round(cove_s / ours_s, 2)}


def write_big_file(path: Path, package: dict[str, Any], megabytes: int) -> int:
    """A release package of about ``megabytes`` MB, written release by release; returns the release count."""
    target, written, count = megabytes * 1_000_000, 0, 0
    meta = {key: value for key, value in package.items() if key != "releases"}
    with open(path, "w", encoding="utf-8") as out:
        head = json.dumps(meta, ensure_ascii=False)[:-1] + ', "releases": ['
        out.write(head)
        while written < target:
            for release in package["releases"]:
                release = dict(release, id=f"{release['id']}-{count}")
                text = ("," if count else "") + json.dumps(release, ensure_ascii=False)
                out.write(text)
                written, count = written + len(text), count + 1
                if written >= target:
                    break
        out.write("]}")
    return count


def _peak_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            line = next((line for line in status if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    except OSError:
        return 0.0  # it has just ended
    return int(line.split()[1]) / 1024


def big_file(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    path = folder / "big.json"
    releases = write_big_file(path, build_package(50, args.seed), args.big_mb)
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "odc_desktop.cli", "validate", "--max-problems", "0", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak_mb = 0.0
    while proc.poll() is None:  # VmHWM: the child's own peak (ru_maxrss would count the forked parent)
        peak_mb = max(peak_mb, _peak_mb(proc.pid))
        time.sleep(0.2)
    seconds = time.monotonic() - start
    status = proc.returncode
    output = proc.stdout.read().decode() if proc.stdout else ""
    print(f"big file: {path.stat().st_size / 1e6:.0f} MB, {releases} releases; odc validate {seconds:.1f} s, "
          f"peak RSS {peak_mb:.0f} MB, exit {status}\n{output}", file=sys.stderr)
    return {"big_mb": round(path.stat().st_size / 1e6), "big_releases": releases,
            "big_odc_per_s": round(releases / seconds), "big_peak_mb": round(peak_mb)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=300)
    parser.add_argument("--errors", type=int, default=20, help="schema errors to inject")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--big-mb", type=int, default=200, help="size of the generated big file (0: skip)")
    args = parser.parse_args(argv)
    require_official_files_or_exit()
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="odc-bench-validate-") as folder:
        result.update(own_data(args, Path(folder)))
        result.update(corpus(args))
        if args.big_mb:
            result.update(big_file(args, Path(folder)))
    print(json.dumps(result))
    return 0


def require_official_files_or_exit() -> None:
    """Stop with a clear message when the official OCDS files are missing (set ODC_OCDS_DIR)."""
    try:
        require_official_files()
    except pytest.skip.Exception as skipped:
        print(f"bench/validate.py: {skipped}", file=sys.stderr)
        raise SystemExit(2) from skipped


if __name__ == "__main__":
    raise SystemExit(main())
