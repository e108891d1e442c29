"""What ``odc validate`` prints: a summary by level and code, then details, or the full JSON report.

Exit 0 when the file has no ``error`` (and no ``profile`` problem when ``--profile`` was given);
1 otherwise, including a file that cannot be read. Flags are warnings and never change the exit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from odc_desktop.cli_messages import say
from odc_desktop.os_reasons import os_reason
from odc_desktop.domain.ocds.report import LEVELS, Report
from odc_desktop.domain.ocds.validate_file import validate_file
from odc_desktop.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_REFUSED, EXIT_USAGE



def count_text(count: int, lang: str) -> str:
    """``1 problem`` / ``3 problems`` (``1 masalah`` / ``3 masalah``)."""
    return say("v_problem_one", lang) if count == 1 else say("v_problem_many", lang, count=count)


def run_validate(args: argparse.Namespace) -> int:
    """Validate ``args.file`` and print the report; the exit code of ``odc validate``."""
    lang, path = args.lang, Path(args.file)
    if args.max_problems < 0:
        print(f"odc: {say('v_bad_max', lang)}", file=sys.stderr)
        return EXIT_USAGE
    try:  # a file that cannot be opened is refused (exit 3), like every command's unreadable input
        path.open("rb").close()
    except OSError as exc:
        print(f"odc: {say('unreadable', lang, path=path, reason=os_reason(exc, lang))}", file=sys.stderr)
        return EXIT_REFUSED
    report = validate_file(path, lang=lang, profile=args.profile, keep=None if args.json else args.max_problems)
    passed = report.passed(args.profile is not None)
    if args.json:
        json.dump(report.as_json(lang, args.profile is not None), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif report.failed:
        print(f"odc: {path}: {report.failure_text(lang)}", file=sys.stderr)
    else:
        _print_text(report, path, lang, args.profile is not None, args.max_problems)
    return EXIT_OK if passed else EXIT_PROBLEMS


def _print_text(report: Report, path: Path, lang: str, profile_asked: bool, max_problems: int) -> None:
    write = sys.stdout.write
    write(say("v_header", lang, path=path, releases=report.releases, records=report.records,
              documents=report.documents) + "\n")
    write(say("v_counts", lang, **{level: count_text(report.total(level), lang) for level in LEVELS}) + "\n")
    if report.notices:
        write(say("v_notices", lang) + "\n")
        for text in report.notice_texts(lang):
            write(f"  - {text}\n")
    rows = report.summary()
    if rows:
        write(say("v_summary", lang) + "\n")
        width = max(len(row["code"]) for row in rows)
        for row in rows:
            write(f"  {row['level']:<8} {row['code']:<{width}} {row['count']:>8}  {', '.join(row['first_paths'])}\n")
        total = sum(row["count"] for row in rows)
        shown = min(total, max_problems)
        if shown:
            key = "v_details_all" if shown == total else "v_details"
            write(say(key, lang, shown=shown, total=total) + "\n")
            for problem in report.problems[:shown]:
                write(f"  [{problem.level}] {problem.path or '/'}: {problem.message}\n")
    if report.passed(profile_asked):
        write(say("v_valid", lang, profile=say("v_valid_profile", lang) if profile_asked else "") + "\n")
    else:
        write(say("v_invalid", lang) + "\n")
