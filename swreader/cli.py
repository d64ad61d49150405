"""Command line: ``swreader [PATH...]`` reads, ``export`` writes JSON Lines, ``search`` finds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from swreader.core.convert import SCRIPTS
from swreader.core.corpus import Corpus, bundled_seeds, load_corpus


class _ReadByDefault(click.Group):
    """A group whose default command is ``read``: ``swreader PATH`` opens the reader."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (
            args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")
        ):
            args = ["read", *args]
        return super().parse_args(ctx, args)


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) if paths else [bundled_seeds()]


def _report(corpus: Corpus) -> int:
    """Print one line per skipped file on stderr; return the exit status."""
    for path, reason in corpus.problems:
        click.echo(f"swreader: {path}: {reason}", err=True)
    return 1 if corpus.problems else 0


_PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
_SCRIPT = click.option(
    "--script",
    type=click.Choice(SCRIPTS),
    default="original",
    show_default=True,
    help="Script to write the text in.",
)


@click.group(cls=_ReadByDefault, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="swreader")
def cli() -> None:
    """Read Chinese social-work news pages in the terminal.

    With no PATH, the bundled seed pages are used.
    """


@cli.command()
@_PATHS
@_SCRIPT
def read(paths: tuple[Path, ...], script: str) -> None:
    """Open the reader on PATH... (files or folders of *.txt pages)."""
    from swreader.app import make_app

    app = make_app(_paths(paths), script=script if script != "original" else None)
    app.run()
    sys.exit(app.return_code or 0)


@cli.command()
@_PATHS
@_SCRIPT
def export(paths: tuple[Path, ...], script: str) -> None:
    """Write the articles of PATH... as JSON Lines, one article per line."""
    from swreader.core.export import article_record

    corpus = load_corpus(_paths(paths))
    out = sys.stdout
    for article in corpus.articles:
        out.write(json.dumps(article_record(article, script), ensure_ascii=False) + "\n")
    sys.exit(_report(corpus))


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
