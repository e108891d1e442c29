"""``odc export``: stream the release package to a temporary file beside ``--out``, then rename it.

Memory stays flat in the size of the store (:func:`odc_desktop.domain.ocds.export.write_package` writes
as it goes). The output appears whole or not at all: a refusal, a full disk or Ctrl+C leaves no
temporary file behind and the old output, if any, untouched.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from odc_desktop.cli import CliError, _open_repo, _progress, form_registry, store_error
from odc_desktop.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from odc_desktop.cli_messages import say
from odc_desktop.os_reasons import os_reason

#: Validation problems named when an export is refused (the rest are counted).
PROBLEMS_SHOWN = 10


def _output_path(args: argparse.Namespace) -> Path:
    if not args.out.strip():
        raise CliError(say("out_empty", args.lang), EXIT_USAGE)
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise CliError(say("out_is_dir", args.lang, path=out, example=out / "rilis.json"), EXIT_USAGE)
    return out


def _temporary_beside(out: Path, lang: str) -> tuple[int, Path]:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise CliError(say("cannot_write", lang, path=out, reason=os_reason(exc, lang))) from exc
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)  # the permissions a plainly created file would get
    return fd, Path(name)


def run_export(args: argparse.Namespace) -> int:
    """Export every valid entry of the store to ``args.out``."""
    from odc_desktop.domain.ocds.export import ExportRefused, write_package
    from odc_desktop.storage.repository import StorageError

    out = _output_path(args)
    repo = _open_repo(args)
    tmp: Path | None = None
    try:
        fd, tmp = _temporary_beside(out, args.lang)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            summary = write_package(repo, fh, form_registry(args), lang=args.lang,
                                    on_progress=_progress(say("progress_export", args.lang)))
            fh.flush()
            os.fsync(fh.fileno())
        if not summary.releases:
            raise CliError(say("nothing_to_export", args.lang), EXIT_PROBLEMS)
        os.replace(tmp, out)
        tmp = None
    except ExportRefused as exc:
        lines = [say("export_invalid", args.lang, count=len(exc.problems))]
        lines += [f"  - {p.path}: {p.message}" for p in exc.problems[:PROBLEMS_SHOWN]]
        raise CliError("\n".join(lines), EXIT_PROBLEMS) from exc
    except StorageError as exc:
        raise store_error(args, exc) from exc
    except OSError as exc:
        raise CliError(say("cannot_write", args.lang, path=out, reason=os_reason(exc, args.lang))) from exc
    finally:
        repo.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    print(say("exported", args.lang, releases=summary.releases, processes=summary.processes, path=out))
    if summary.skipped_count:
        print(say("skipped", args.lang, count=summary.skipped_count))
        for ocid, stage, count in summary.skipped:
            print(say("skipped_one", args.lang, ocid=ocid, stage=stage, count=count))
    return EXIT_OK
