"""Benchmark: checking a whole stage form (``validate_entry``) against bare jsonschema on the same data.

The check an operator waits for while typing: JSON Schema from the form plus the cross-field rules and
the translation of every problem into a sentence. The baseline, measured in the same run, is the
form's compiled jsonschema validator alone (``is_valid`` on the same data), the floor any check built on
JSON Schema pays. Prints one JSON object as the last line:
``{"<stage>": {"check_ms", "jsonschema_ms", "ratio"}, ..., "worst_check_ms"}``. Target: well under a
millisecond per form (was an assertion in ``tests/unit/test_entry_checks.py``; timing lives here now).

    python bench/form_check.py [--runs 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.unit.form_samples

from odc_desktop.domain.forms.definition import load_form_set  # noqa: E402
from odc_desktop.domain.forms.entry_checks import validate_entry  # noqa: E402
from odc_desktop.domain.forms.entry_schema import compiled_validator  # noqa: E402
from tests.unit.form_samples import other_stages, valid_data  # noqa: E402


def per_call_ms(call, runs: int, repeat: int) -> float:
    """Median over ``repeat`` rounds of the mean time of one call, in milliseconds."""
    call()  # compile and warm once
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(runs):
            call()
        rounds.append((time.perf_counter() - start) / runs * 1000)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description="validate_entry vs bare jsonschema, per stage form")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    forms = load_form_set()
    result: dict[str, object] = {}
    for stage, form in forms.forms.items():
        data, others = valid_data(stage), other_stages(stage)
        validator = compiled_validator(form, forms.codelists)
        check = per_call_ms(lambda: validate_entry(form, data, forms.codelists, others), args.runs, args.repeat)
        bare = per_call_ms(lambda: validator.is_valid(data), args.runs, args.repeat)
        result[stage] = {"check_ms": round(check, 4), "jsonschema_ms": round(bare, 4),
                         "ratio": round(check / bare, 2)}
    result["worst_check_ms"] = max(v["check_ms"] for v in result.values() if isinstance(v, dict))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
