"""Command line for staff and set-up: `python -m shahu check|assets` (exit 0 ok, 1 invalid, 2 usage)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shahu import assets
from shahu.data import load_tables
from shahu.geo import load_layers
from shahu.i18n import LANGS, t
from shahu.paths import data_dir, geo_dir

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors; keep that contract
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
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
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    folder = (args.data_dir or data_dir()).resolve()
    if not folder.is_dir():
        print(t("cli.no_such_folder", args.lang, path=folder), file=sys.stderr)
        return EXIT_USAGE
    layers_dir = (args.geo_dir or geo_dir()).resolve()
    if not layers_dir.is_dir():
        print(t("cli.no_such_folder", args.lang, path=layers_dir), file=sys.stderr)
        return EXIT_USAGE
    _, problems, _ = load_tables(folder)
    _, geo_problems = load_layers(layers_dir)
    for problem in problems:
        print(problem.render(args.lang))
    for problem in geo_problems:
        print(f"{problem.file}: {t(f'problem.{problem.code}', args.lang)}")
    total = len(problems) + len(geo_problems)
    if total:
        print(t("cli.invalid", args.lang, n=total), file=sys.stderr)
        return EXIT_INVALID
    print(t("cli.valid", args.lang, data=folder, geo=layers_dir))
    return EXIT_OK


def cmd_assets(args: argparse.Namespace) -> int:
    written = assets.install()
    print(t("cli.assets", args.lang, n=len(written), path=assets.VENDOR_DIR))
    return EXIT_OK


COMMANDS = {"check": cmd_check, "assets": cmd_assets}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
