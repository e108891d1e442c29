"""Benchmark: our layer-2 OCDS validation against libcoveocds on the same releases, in one run.

Builds the release package of N synthetic Bojonegoro processes (odc_desktop.domain.demo, exported
through the real forms and release builder, as ``odc export`` does), then:

1. times ``validate_package`` and libcoveocds' ``ocds_json_output`` on the same package (best CPU
   time of ``--repeat`` alternating runs; libcoveocds offline, from the official 1.1.5 zip, sockets
   blocked);
2. checks both find zero schema errors on the valid package;
3. injects ``--errors`` schema errors into different releases and checks both find exactly those.

The last printed line is one JSON object:
``{"releases": n, "odc_per_s": x, "libcoveocds_per_s": y, "speedup": z, "same_errors": true|false}``.
Run from the repository root: ``python bench/validate.py --processes 300``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.conformance.official

from odc_desktop.domain import demo  # noqa: E402
from odc_desktop.domain.export import export_package  # noqa: E402
from odc_desktop.domain.forms import load_form_set  # noqa: E402
from odc_desktop.domain.validation import validate_package  # noqa: E402
from odc_desktop.storage.memory import InMemoryRepository  # noqa: E402
from tests.conformance.official import libcove_result, require_official_files  # noqa: E402

# Problems of these codes are what a JSON Schema validator finds; the others are our own checks,
# which libcoveocds does not have, so they are left out of the comparison.
SCHEMA_LEVEL = ("schema.", "datetime_invalid", "datetime_no_offset")


def build_package(processes: int, seed: int) -> dict[str, Any]:
    """The release package of every entry of ``processes`` synthetic processes (all of them valid)."""
    forms = load_form_set()
    repo = InMemoryRepository()
    demo.generate(repo, forms, processes, seed=seed, today=dt.date(2025, 12, 31))
    result = export_package(repo, forms)
    if result.skipped:
        raise SystemExit(f"bench/validate.py: the demo data has invalid entries: {result.skipped[:5]}")
    package = result.package
    # libcoveocds would download the listed extensions; both validators get the same package.
    package.pop("extensions", None)
    return package


def _injections() -> list[tuple[str, Callable[[dict[str, Any]], str | None]]]:
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

    def tenderers_count_as_text(r: dict[str, Any]) -> str | None:
        if "numberOfTenderers" not in r.get("tender", {}):
            return None
        r["tender"]["numberOfTenderers"] = "tiga"
        return "tender/numberOfTenderers"

    def roles_not_list(r: dict[str, Any]) -> str:
        r["parties"][0]["roles"] = "buyer"
        return "parties/0/roles"

    return [("amount_as_text", amount_as_text), ("bad_date", bad_date), ("tag_not_list", tag_not_list),
            ("tenderers_count_as_text", tenderers_count_as_text), ("roles_not_list", roles_not_list)]


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
        path = kinds[len(broken) % len(kinds)][1](package["releases"][index])
        if path is not None:
            broken.add(f"releases/{index}/{path}")
    return broken


def ours_schema_paths(package: dict[str, Any]) -> set[str]:
    return {p.path for p in validate_package(package) if p.severity == "error" and p.code.startswith(SCHEMA_LEVEL)}


def libcove_paths(package: dict[str, Any]) -> set[str]:
    return {error["path"] for error in libcove_result(package)["validation_errors"]}


def best_times(first: Callable[[], Any], second: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best CPU time in seconds of each callable over ``repeat`` alternating runs.

    CPU time of this process, not wall time: both validators are single-threaded and in-process,
    and CPU time is not inflated by other programs sharing the machine (CI runs tests alongside).
    """
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for slot, fn in enumerate((first, second)):
            start = time.process_time()
            fn()
            best[slot] = min(best[slot], time.process_time() - start)
    return best[0], best[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=300)
    parser.add_argument("--errors", type=int, default=20, help="schema errors to inject")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    require_official_files_or_exit()

    package = build_package(args.processes, args.seed)
    releases = len(package["releases"])
    # The first run warms the compiled schema caches outside the timing; its findings are the answer.
    all_ours = [p for p in validate_package(package) if p.severity == "error"]
    ours_s, libcove_s = best_times(lambda: validate_package(package), lambda: libcove_result(package), args.repeat)
    valid_agree = not all_ours and not libcove_paths(package)

    broken_package = copy.deepcopy(package)
    injected = inject_errors(broken_package, args.errors, args.seed)
    ours, theirs = ours_schema_paths(broken_package), libcove_paths(broken_package)
    errors_agree = ours == theirs == injected
    print(f"{releases} releases; ours {ours_s:.3f} s, libcoveocds {libcove_s:.3f} s; valid package: ours "
          f"{len(all_ours)} errors; injected {len(injected)}: ours found {len(ours & injected)}, "
          f"libcoveocds found {len(theirs & injected)}", file=sys.stderr)
    if not errors_agree:
        print(f"only ours: {sorted(ours - theirs)}\nonly libcoveocds: {sorted(theirs - ours)}\n"
              f"missed: {sorted(injected - ours - theirs)}", file=sys.stderr)
    print(json.dumps({"releases": releases, "odc_per_s": round(releases / ours_s, 1),
                      "libcoveocds_per_s": round(releases / libcove_s, 1),
                      "speedup": round(libcove_s / ours_s, 2), "same_errors": valid_agree and errors_agree}))
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
