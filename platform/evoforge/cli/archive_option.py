"""The `--db` option of the commands that read the archive, and opening the archive it names.

Light to import: `evoforge runs` registers the option and opens the Archive only where reading
without the ORM cannot answer."""
from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, a few ms of the command line's start
if TYPE_CHECKING:
    from evoforge.archive import Archive

DB_HELP = "archive file or URL (default: $EVOFORGE_DB or the user data dir)"


def open_for_command(args: argparse.Namespace, create: bool = False) -> Archive:
    """The archive `--db` names, saying so when opening it upgraded it."""
    from rich.console import Console

    from evoforge.archive import open_archive

    archive = open_archive(args.db, create=create)
    if archive.upgraded_from:
        Console(highlight=False).print(f"[yellow]upgraded archive {archive.where} from schema {archive.upgraded_from}[/]")
    return archive
