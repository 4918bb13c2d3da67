"""Command line for staff and set-up: `python -m shahu check|import|history|restore|assets|hash-password`.

Exit codes: 0 ok, 1 invalid or refused (nothing changed), 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import unicodedata
from pathlib import Path

from shahu.core.i18n import LANGS, t
from shahu.core.paths import data_dir, geo_dir
from shahu.data import auth
from shahu.data.dataset import load_tables
from shahu.data.geo import load_layers
from shahu.data.history import BEIJING, history, restore
from shahu.data.schemas import TABLES
from shahu.data.store import Outcome, import_upload
from shahu.map import assets

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}  # text direction overrides


def terminal_safe(text: str) -> str:
    """Text a terminal shows but never obeys: control characters (ESC, CSI, BEL, CR, a line
    break inside a cell …) and direction overrides become visible escapes such as `\\x1b`."""
    return "".join(
        (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        if unicodedata.category(c) == "Cc" or ord(c) in _BIDI
        else c
        for c in text
    )


def say(text: object, file=None) -> None:
    """Print one line, made `terminal_safe` (cells, file and folder names come from outside)."""
    print(terminal_safe(str(text)), file=file or sys.stdout)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors; keep that contract
        self.print_usage(sys.stderr)
        say(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m shahu", description=__doc__)
    parser.add_argument("--lang", choices=LANGS, default="zh", help="language of messages")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="validate every CSV and geo file")
    check.add_argument(
        "data_dir", nargs="?", type=Path, help="data folder (default: data/ or $SHAHU_DATA_DIR)"
    )
    check.add_argument("--geo-dir", type=Path, help="geo folder (default: geo/ or $SHAHU_GEO_DIR)")
    sub.add_parser(
        "assets", help="copy Leaflet and plugins from installed packages into static/vendor"
    )
    _staff_commands(sub)
    sub.add_parser("hash-password", help="print the password hash for a new staff account")
    return parser


def _staff_commands(sub) -> None:
    """`import`, `history` and `restore`: the data page's writes, for staff on the server."""
    who = os.environ.get("USER") or "cli"
    imp = sub.add_parser("import", help="validate FILE, then replace the table keeping a backup")
    imp.add_argument("file", type=Path, help="CSV (UTF-8, UTF-8 with BOM, GBK) or .xlsx")
    hist = sub.add_parser("history", help="list a table's backups, newest first")
    rest = sub.add_parser("restore", help="put a backup back (the current file is backed up first)")
    rest.add_argument("backup", help="the backup's file name, as `history` prints it")
    for command in (imp, hist, rest):
        command.add_argument("--table", required=True, choices=list(TABLES))
        command.add_argument("--data-dir", type=Path, help="default: data/ or $SHAHU_DATA_DIR")
    for command in (imp, rest):
        command.add_argument("--who", default=who, help="name recorded with the backup")
        command.add_argument(
            "--yes-drop", action="store_true", help="confirm removing most rows or a column"
        )


def cmd_check(args: argparse.Namespace) -> int:
    folder = (args.data_dir or data_dir()).resolve()
    if not folder.is_dir():
        say(t("cli.no_such_folder", args.lang, path=folder), file=sys.stderr)
        return EXIT_USAGE
    layers_dir = (args.geo_dir or geo_dir()).resolve()
    if not layers_dir.is_dir():
        say(t("cli.no_such_folder", args.lang, path=layers_dir), file=sys.stderr)
        return EXIT_USAGE
    _, problems, _ = load_tables(folder)
    _, geo_problems = load_layers(layers_dir)
    for problem in problems:
        say(problem.render(args.lang))
    for problem in geo_problems:
        say(f"{problem.file}: {t(f'problem.{problem.code}', args.lang)}")
    total = len(problems) + len(geo_problems)
    if total:
        say(t("cli.invalid", args.lang, n=total), file=sys.stderr)
        return EXIT_INVALID
    say(t("cli.valid", args.lang, data=folder, geo=layers_dir))
    return EXIT_OK


def cmd_assets(args: argparse.Namespace) -> int:
    written = assets.install()
    say(t("cli.assets", args.lang, n=len(written), path=assets.VENDOR_DIR))
    return EXIT_OK


def _folder(args: argparse.Namespace) -> Path | None:
    folder = (args.data_dir or data_dir()).resolve()
    if folder.is_dir():
        return folder
    say(t("cli.no_such_folder", args.lang, path=folder), file=sys.stderr)
    return None


def _report(outcome: Outcome, lang: str) -> int:
    if outcome.status == "invalid":
        for problem in outcome.plan.problems:
            say(problem.render(lang))
    say(outcome.message(lang), file=sys.stdout if outcome.ok else sys.stderr)
    if outcome.status == "confirm":
        say(t("cli.needs_yes_drop", lang), file=sys.stderr)
    return EXIT_OK if outcome.ok else EXIT_INVALID


def cmd_import(args: argparse.Namespace) -> int:
    folder = _folder(args)
    if folder is None:
        return EXIT_USAGE
    if not args.file.is_file():
        say(t("cli.no_such_file", args.lang, path=args.file), file=sys.stderr)
        return EXIT_USAGE
    raw = args.file.read_bytes()
    outcome = import_upload(
        folder, args.table, args.file.name, raw, args.who, confirm_drop=args.yes_drop
    )
    return _report(outcome, args.lang)


def cmd_history(args: argparse.Namespace) -> int:
    folder = _folder(args)
    if folder is None:
        return EXIT_USAGE
    entries = history(folder, args.table)
    if not entries:
        say(t("cli.no_history", args.lang, table=TABLES[args.table].filename))
    for e in entries:
        rows = "→".join("?" if n is None else str(n) for n in (e.rows_before, e.rows_after))
        action = t(f"staff.action.{e.action or 'unknown'}", args.lang)
        when = e.when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
        line = t(
            "cli.history_row",
            args.lang,
            when=when,
            action=action,
            who=e.who,
            rows=rows,
            backup=e.backup if e.restorable else "—",
        )
        say(line)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    folder = _folder(args)
    if folder is None:
        return EXIT_USAGE
    outcome = restore(folder, args.table, args.backup, args.who, confirm_drop=args.yes_drop)
    if outcome.status == "missing":
        say(outcome.message(args.lang), file=sys.stderr)
        return EXIT_USAGE
    return _report(outcome, args.lang)


MIN_PASSWORD = 10


def cmd_hash_password(args: argparse.Namespace) -> int:
    """Read a new staff password without echo (twice on a terminal) and print its argon2 hash."""
    if sys.stdin.isatty():
        password = getpass.getpass(t("cli.hash_prompt", args.lang))
        if getpass.getpass(t("cli.hash_again", args.lang)) != password:
            print(t("cli.hash_mismatch", args.lang), file=sys.stderr)
            return EXIT_INVALID
    else:  # piped in, e.g. from a password manager
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        key = "cli.hash_short" if password else "cli.hash_empty"
        print(t(key, args.lang, n=MIN_PASSWORD), file=sys.stderr)
        return EXIT_INVALID
    print(t("cli.hash_done", args.lang), file=sys.stderr)
    print(f'NAME = "{auth.hash_password(password)}"')
    return EXIT_OK


COMMANDS = {
    "check": cmd_check,
    "assets": cmd_assets,
    "import": cmd_import,
    "history": cmd_history,
    "restore": cmd_restore,
    "hash-password": cmd_hash_password,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
