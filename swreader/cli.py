"""Command line: ``swreader [PATH...]`` reads, ``export`` writes JSON Lines, ``search`` finds,
``figures`` lists the key figures, ``serve`` puts the reader in a web browser.

Start-up time: this module imports only click and the standard library at its top, so that
``swreader --help`` (and a mistyped option) answers at once. The core (the parser's tables,
OpenCC, the index store, pypinyin, rapidfuzz), Textual and the app are imported inside
the commands that use them: ``export`` and ``search`` never load Textual, ``--help`` loads
none of them. ``tests/test_startup.py`` checks what each command imports.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

# Stdlib only at module level (ipaddress, shlex): cheap, unlike the core.
from swreader.serve import DEFAULT_HOST, DEFAULT_PORT

if TYPE_CHECKING:
    from swreader.core.pages.corpus import Corpus

#: The choices of ``--script``: ``swreader.core.text.convert.SCRIPTS``, copied here because
#: importing that module loads OpenCC (tests/test_startup.py keeps the two equal).
SCRIPTS: tuple[str, ...] = ("original", "simplified", "traditional", "taiwan", "hongkong")
#: The choices of ``--ui``: ``swreader.strings.UI_LANGUAGES``, copied for the same reason.
UI_LANGUAGES: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")


#: Commands kept in modules of their own, imported when named (run, or listed by ``--help``),
#: so that ``import swreader.cli`` loads nothing more (tests/test_startup.py).
LAZY_COMMANDS: dict[str, str] = {"figures": "swreader.figures_cli:figures"}


class _ReadByDefault(click.Group):
    """A group whose default command is ``read``: ``swreader PATH`` opens the reader.

    It also holds the :data:`LAZY_COMMANDS`, imported and added on first use.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            module, name = LAZY_COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = (*self.commands, *LAZY_COMMANDS, "--help", "-h", "--version")
        if not args or args[0] not in known:
            args = ["read", *args]
        return super().parse_args(ctx, args)


#: The status a shell shows for a command killed by SIGPIPE (128 + 13), as ``grep | head``
#: gives: Python ignores SIGPIPE, so a closed pipe comes as an error we end on instead.
BROKEN_PIPE_STATUS = 141


def _say(message: str) -> None:
    """Write one line on stderr; a character the terminal can't encode comes out escaped."""
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    # Round-trip through the stream's encoding: click.echo must never raise
    # UnicodeEncodeError on a file name (surrogates, or Chinese on an ASCII terminal).
    click.echo(message.encode(encoding, "backslashreplace").decode(encoding), err=True)


def _unicode_stdout() -> bool:
    """Whether stdout's encoding can write any text (UTF-8, GB18030…), not just ASCII."""
    try:
        "\u4e2d\U0001f600".encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _discard_stdout() -> None:
    """Point file descriptor 1 at the null device, so that the unwritten rest of the
    buffer does not fail again (with a traceback) when Python flushes it at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return  # no null device: the exit flush may complain, but we have said why
    try:
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        # stdout has no descriptor (a test runner's buffer): nothing will be flushed to it.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit, like stdout
    finally:
        os.close(null)


def _writes_output(command: Callable[..., int]) -> Callable[..., None]:
    """Run a command that writes to stdout and returns its exit status, then exit.

    Output that can't be written ends the command with one line, never a traceback: a
    closed pipe (``| head -1``) quietly, like grep, with :data:`BROKEN_PIPE_STATUS`; any other
    error (a full disk) as ``swreader: cannot write output: REASON`` and status 1.
    """

    @functools.wraps(command)
    def run(*args: object, **kwargs: object) -> None:
        reconfigure = getattr(sys.stdout, "reconfigure", None)
        if not _unicode_stdout() and reconfigure is not None:
            # An ASCII or Latin-1 terminal: escape what it can't show rather than crash.
            reconfigure(errors="backslashreplace")
        try:
            status = command(*args, **kwargs)
            sys.stdout.flush()  # inside the guard: buffered output fails here, not at exit
        except BrokenPipeError:
            _discard_stdout()
            sys.exit(BROKEN_PIPE_STATUS)
        except OSError as exc:
            _discard_stdout()
            _say(f"swreader: cannot write output: {exc.strerror or exc}")
            sys.exit(1)
        sys.exit(status)

    return run


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    """The paths given, or the bundled seeds when none were."""
    if paths:
        return list(paths)
    from swreader.core.pages.corpus import bundled_seeds

    return [bundled_seeds()]


def _open(paths: tuple[Path, ...]) -> Corpus:
    """Open the pages through the library (a warm archive is not parsed again)."""
    from swreader.core.store.pagecache import open_corpus

    corpus, notices = open_corpus(_paths(paths))
    for notice in notices:
        _say(f"swreader: {notice}")
    return corpus


def _report(corpus: Corpus) -> int:
    """Print one line per skipped file on stderr; return the exit status."""
    from swreader.core.pages.corpus import display_path

    for path, reason in corpus.problems:
        _say(f"swreader: {display_path(path)}: {reason}")
    return 1 if corpus.problems else 0


_PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
_SCRIPT = click.option(
    "--script",
    type=click.Choice(SCRIPTS),
    default="original",
    show_default=True,
    help="Script to write the text in.",
)
_UI = click.option(
    "--ui",
    type=click.Choice(UI_LANGUAGES),
    default=None,
    help="Language of the interface (default: the stored choice, else the locale's).",
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
@_UI
def read(paths: tuple[Path, ...], script: str, ui: str | None) -> None:
    """Open the reader on PATH... (files or folders of *.txt pages)."""
    from swreader.app import make_app

    app = make_app(_paths(paths), script=script if script != "original" else None, ui=ui)
    app.run()
    sys.exit(app.return_code or 0)


@cli.command()
@_PATHS
@_SCRIPT
@_writes_output
def export(paths: tuple[Path, ...], script: str) -> int:
    """Write the articles of PATH... as JSON Lines, one article per line."""
    from swreader.core.pages.export import article_record

    corpus = _open(paths)
    out = sys.stdout
    # JSON's own \u escapes keep the text whole where stdout can't encode it.
    ascii_only = not _unicode_stdout()
    for article in corpus.articles:
        out.write(json.dumps(article_record(article, script), ensure_ascii=ascii_only) + "\n")
    return _report(corpus)


@cli.command()
@click.argument("query")
@_PATHS
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Most hits to show; 0 shows every hit.",
)
@click.option("--json", "as_json", is_flag=True, help="Write JSON Lines instead of text.")
@_writes_output
def search(query: str, paths: tuple[Path, ...], limit: int, as_json: bool) -> int:
    """Find QUERY in the articles of PATH..., best match first.

    QUERY is one or more terms separated by spaces; every term must match somewhere in an
    article, in any order. Traditional and simplified characters find each other, small
    typos are forgiven, spaces inside the text are ignored (3000元 finds "3000 元"), and
    ASCII terms also match titles as pinyin (xuchang, xc). A phrase in double quotes
    matches only exactly.

    \b
    --json writes one object per hit: id, page, title, score,
    paragraph (the paragraph's index, -1 for the title), snippet
    (an excerpt holding the match), and start/end (the match's
    offsets in the full paragraph text).

    Exit status: 0 when something matched, 1 when nothing did (like grep). Files that
    cannot be read are reported on stderr but do not change the exit status.
    """
    from swreader.core.search.persist import cached_index
    from swreader.core.search.query import snippet_window

    corpus = _open(paths)
    _report(corpus)
    notices: list[str] = []
    index = cached_index(corpus, notices)
    hits = index.search(query, limit=limit or None)  # --limit 0: None, every hit
    for notice in [*notices, *index.notices]:  # a damaged index, rebuilt: said once
        _say(f"swreader: {notice}")
    for hit in hits:
        article = index.article(hit.article_id)
        if as_json:
            record = {
                "id": article.id,
                "page": article.page,
                "title": article.title,
                "score": round(hit.score, 2),
                "paragraph": hit.paragraph,
                "snippet": index.snippet(hit, 60)[0],
                "start": hit.start,
                "end": hit.end,
            }
            click.echo(json.dumps(record, ensure_ascii=not _unicode_stdout()))
            continue
        region = article.region_label or "-"
        text = index.text_of(hit)
        a, b = snippet_window(text, hit.start, hit.end, 60)
        pieces = ["…" if a > 0 else ""]
        pos = a
        for start, end in hit.spans:
            start, end = max(start, pos), min(end, b)
            if start >= end:
                continue
            pieces += [text[pos:start], click.style(text[start:end], fg="yellow", bold=True)]
            pos = end
        pieces += [text[pos:b], "…" if b < len(text) else ""]
        where = "title" if hit.paragraph < 0 else f"¶{hit.paragraph}"
        click.echo(
            click.style(article.title, bold=True)
            + click.style(f"  [{region} · {article.page}]  score {hit.score:.1f}", dim=True)
        )
        click.echo(f"  {where}  " + "".join(pieces).replace("\n", " "))
    return 0 if hits else 1


@cli.command()
@_PATHS
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; 0.0.0.0 exposes the reader to the network.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to listen on.",
)
@_SCRIPT
@_UI
@click.option(
    "--public-url",
    metavar="URL",
    default=None,
    help="Address browsers reach the server at, when not http://HOST:PORT "
    "(needed with --host 0.0.0.0: e.g. http://my-machine:8000).",
)
def serve(
    paths: tuple[Path, ...],
    host: str,
    port: int,
    script: str,
    ui: str | None,
    public_url: str | None,
) -> None:
    """Serve the reader on PATH... to web browsers, one reader per browser tab.

    Listens on this machine only (127.0.0.1) unless --host says otherwise. Every session
    shares the library and the state (bookmarks, positions) in SWREADER_HOME.
    """
    from swreader.app import serve_app as run_server

    status = run_server(
        list(paths),
        host=host,
        port=port,
        script=script if script != "original" else None,
        ui=ui,
        public_url=public_url,
        say=_say,
    )
    sys.exit(status)


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
