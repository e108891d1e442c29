"""The ``odc`` argument parser, in the language of the messages (argparse's own texts included).

``--data-dir`` and ``--lang`` are accepted before or after the subcommand: every subparser shares
them (:func:`_global_options`) with ``default=SUPPRESS``, so a value given in either place lands in
the namespace and one given after the subcommand wins. :func:`parse` fills the defaults afterwards.

argparse reads its texts through ``gettext`` at the moment it builds or reports (module globals
``argparse._`` and ``argparse.ngettext``); :func:`parse` points them at the CLI's catalogue for the
duration of building and parsing only.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from odc_desktop import __version__
from odc_desktop import cli_conflicts, cli_forms_push, cli_review, cli_sync
from odc_desktop.cli_messages import argparse_gettext, say
from odc_desktop.messages import text

LANGS = ("id", "en")


def requested_lang(argv: list[str]) -> str:
    """The ``--lang`` value in ``argv`` wherever it stands (the last one wins), else Indonesian."""
    lang = "id"
    for position, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and position + 1 < len(argv):
            lang = argv[position + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in LANGS else "id"


@contextlib.contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = argparse_gettext(lang)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _global_options(lang: str) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=say("help_data_dir", lang))
    common.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=say("help_lang", lang))
    return common


def build_parser(commands: dict[str, Callable[[argparse.Namespace], int]], lang: str = "id") -> argparse.ArgumentParser:
    """The parser; ``commands`` maps each command name ("forms list", "export", ...) to its function."""
    common = _global_options(lang)

    def add(sub: Any, name: str, help_key: str, func_name: str | None = None, json_flag: bool = False):
        # help_key: a key of the cli area, or a full code of another ("review.help_list")
        helped = (text(help_key, lang) if "." in help_key else say(help_key, lang)) if help_key \
            else text(cli_sync.HELP_KEYS[name], lang)
        parser = sub.add_parser(name, help=helped, parents=[common], epilog=say("help_epilog", lang))
        if json_flag:
            parser.add_argument("--json", action="store_true", help=say("help_json", lang))
        if func_name:
            parser.set_defaults(func=commands[func_name])
        return parser

    parser = argparse.ArgumentParser(prog="odc", description=say("help_description", lang),
                                     epilog=say("help_epilog", lang), parents=[common])
    parser.add_argument("--version", action="version", version=f"odc {__version__}",
                        help=say("help_version", lang))
    sub = parser.add_subparsers(dest="command", metavar=say("help_command", lang))

    forms = add(sub, "forms", "help_forms")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar=say("help_command", lang))
    add(forms_sub, "list", "help_forms_list", "forms list", json_flag=True)
    add(forms_sub, "add", "help_forms_add", "forms add").add_argument("file", metavar="FILE")
    cli_forms_push.add_parser(forms_sub, add, lang)

    demo = add(sub, "demo-data", "help_demo", "demo-data")
    demo.add_argument("--processes", type=int, required=True, metavar="N")
    demo.add_argument("--attachments", type=int, default=0, metavar="K")
    demo.add_argument("--seed", type=int, default=1, metavar="S")

    export = add(sub, "export", "help_export", "export")
    export.add_argument("--out", required=True, metavar="FILE", help=say("help_out", lang))

    validate = add(sub, "validate", "help_validate", "validate", json_flag=True)
    validate.add_argument("file", metavar="FILE")
    validate.add_argument("--profile", choices=("bojonegoro",), default=None, help=say("help_profile", lang))
    validate.add_argument("--max-problems", type=int, default=200, metavar="N", help=say("help_max_problems", lang))

    status = add(sub, "status", "help_status", "status", json_flag=True)
    status.add_argument("--all", action="store_true", help=say("help_all", lang))

    add(sub, "doctor", "help_doctor", "doctor", json_flag=True)
    imports = sub.add_parser("import", help=text("import.help", lang), parents=[common],
                             epilog=say("help_epilog", lang))
    imports.add_argument("files", nargs="+", metavar="FILE", help=text("import.help_files", lang))
    imports.add_argument("--json", action="store_true", help=say("help_json", lang))
    imports.add_argument("--mapping", metavar="NAME|FILE", help=text("import.help_mapping", lang))
    imports.set_defaults(func=commands["import"])
    add(sub, "backup", "help_backup", "backup").add_argument("folder", metavar="DIR", help=say("help_folder", lang))
    add(sub, "restore", "help_restore", "restore").add_argument("folder", metavar="DIR",
                                                                help=say("help_folder", lang))
    cli_sync.add_parsers(sub, add, lang)
    cli_review.add_parsers(sub, add, lang)
    cli_conflicts.add_parsers(sub, add, lang)
    return parser


def parse(argv: list[str], commands: dict[str, Callable[[argparse.Namespace], int]]
          ) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Build the parser in the requested language and parse ``argv`` (argparse exits 2 on wrong usage)."""
    lang = requested_lang(argv)
    with argparse_language(lang):
        parser = build_parser(commands, lang)
        args = parser.parse_args(argv)
    args.data_dir = getattr(args, "data_dir", None)
    args.lang = getattr(args, "lang", "id")
    return parser, args
