"""``odc-server``: init (create or upgrade; --demo), serve, create-user, stats, verify-audit.

Messages in Bahasa Indonesia by default, English with ``--lang en`` (or ODC_LANG=en).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from odc_desktop import __version__
from odc_desktop.messages import text
from odc_sync.protocol.messages import Role
from odc_sync.server import audit
from odc_sync.server.accounts import AccountError, create_user
from odc_sync.server.db import in_transaction, make_engine, schema_is_current, sqlite_url, upgrade
from odc_sync.server.keys import ensure_server_key
from odc_sync.server.master import DEMO_OPD, load_opd_master
from odc_sync.server.models import Attachment, Entry, User

DEMO_USERS = (("operator", "operator", Role.OPERATOR, DEMO_OPD), ("supervisor", "supervisor", Role.SUPERVISOR, DEMO_OPD),
              ("admin", "admin", Role.ADMIN, None))


def say(lang: str, code: str, **values: Any) -> str:
    """The server command line's message ``code`` (the catalogue's area ``server_cli``) in ``lang``."""
    return text(f"server_cli.{code}", "en" if lang == "en" else "id", **values)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="odc-server", description="ODC central server")
    parser.add_argument("--version", action="version", version=f"odc-server {__version__}")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get(
        "ODC_SERVER_DATA", platformdirs.user_data_dir("odc-server", appauthor=False))),
        help="folder of the SQLite database and the attachments (env ODC_SERVER_DATA)")
    parser.add_argument("--db", default=os.environ.get("ODC_SERVER_DB"),
                        help="database URL, e.g. postgresql+psycopg://user:pass@host/db (env ODC_SERVER_DB); "
                             "default: SQLite in --data-dir")
    parser.add_argument("--lang", choices=("id", "en"), default=os.environ.get("ODC_LANG", "id"))
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="create or upgrade the database, load the OPD master")
    init.add_argument("--demo", action="store_true", help="also create the demo accounts")
    serve = commands.add_parser("serve", help="serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--token-ttl", type=float, default=None, help="seconds a login token lives (default 12 h)")
    user = commands.add_parser("create-user", help="create a user")
    user.add_argument("--username", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--role", required=True, choices=Role.ALL)
    user.add_argument("--opd", default=None, help="OPD code (required except for admin)")
    stats = commands.add_parser("stats", help="counts of stored data")
    stats.add_argument("--json", action="store_true")
    commands.add_parser("verify-audit", help="check the audit table's hash chain")
    return parser


def _init(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    _before, after = upgrade(engine)
    changed = in_transaction(engine, lambda s: (ensure_server_key(s), load_opd_master(s))[1])
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print(say(args.lang, "init_done", after=after, where=engine.url.render_as_string(hide_password=True)))
    print(say(args.lang, "opd_loaded", count=changed))
    if args.demo:
        print(say(args.lang, "demo_accounts"))
        for username, password, role, opd in DEMO_USERS:
            try:
                in_transaction(engine, lambda s: create_user(s, username, password, role, opd, actor="odc-server init"))
                print(f"  {username} / {password} / {role} / {opd or '-'}")
            except AccountError:
                print(say(args.lang, "demo_exists", username=username))
    return 0


def stats(engine) -> dict[str, Any]:  # noqa: ANN001
    """The counts ``odc-server stats`` prints."""
    with Session(engine) as session:
        by_status = dict(session.execute(select(Entry.status, func.count()).group_by(Entry.status)).all())
        return {
            "entries_total": session.execute(select(func.count()).select_from(Entry)).scalar_one(),
            "distinct_entries": session.execute(select(func.count(func.distinct(Entry.entry_uid)))).scalar_one(),
            "attachments": session.execute(select(func.count()).select_from(Attachment)).scalar_one(),
            "attachment_bytes": int(session.execute(select(func.coalesce(func.sum(Attachment.size), 0))).scalar_one()),
            "entries_by_status": {k: int(v) for k, v in sorted(by_status.items())},
            "max_server_seq": int(session.execute(select(func.coalesce(func.max(Entry.server_seq), 0))).scalar_one()),
            "users": session.execute(select(func.count()).select_from(User)).scalar_one(),
        }


def _serve(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    import uvicorn

    from odc_sync.server.app import ServerConfig, create_app
    from odc_sync.server.entry_forms import warm_up

    extra = {"token_ttl_s": args.token_ttl} if args.token_ttl else {}
    app = create_app(ServerConfig(engine=engine, data_dir=args.data_dir, **extra))
    warm_up()  # forms loaded and their checks compiled before the first push, not by it
    print(say(args.lang, "serving", host=args.host, port=args.port), flush=True)
    # Requests run on threads: a thread back from the database (e.g. a push holding the server_seq
    # lock, which every other push waits for) gets the interpreter within 1 ms, not after the 5 ms a
    # CPU-bound check of another request may otherwise keep it (bench/server_load.py, docs/benchmarks.md).
    sys.setswitchinterval(0.001)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                server_header=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.db is None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(args.db or sqlite_url(args.data_dir))
    try:
        if args.command == "init":
            return _init(engine, args)
        if not schema_is_current(engine):
            print(say(args.lang, "not_initialised"), file=sys.stderr)
            return 2
        if args.command == "serve":
            return _serve(engine, args)
        if args.command == "create-user":
            try:
                in_transaction(engine, lambda s: create_user(s, args.username, args.password, args.role, args.opd,
                                                             actor="odc-server create-user"))
            except AccountError as exc:
                from odc_sync.protocol.errors import message

                print(message(exc.code, args.lang, **exc.values), file=sys.stderr)
                return 1
            print(say(args.lang, "user_created", username=args.username, role=args.role))
            return 0
        if args.command == "stats":
            numbers = stats(engine)
            print(json.dumps(numbers, indent=2) if args.json else
                  "\n".join(f"{k}: {v}" for k, v in numbers.items()))
            return 0
        with Session(engine) as session:
            count, broken = audit.verify_chain(session)
        print(say(args.lang, "audit_ok", count=count) if broken is None else say(args.lang, "audit_broken", seq=broken))
        return 0 if broken is None else 1
    except SQLAlchemyError as exc:
        print(say(args.lang, "db_error", error=str(exc).splitlines()[0]), file=sys.stderr)
        return 2
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
