"""Building OpenCC converters: the binding's own configs and the project's (``data/opencc``).

The project ships OpenCC configs of its own in ``swreader/data/opencc/`` (at present
``s2twp_socialwork.json``: OpenCC's ``s2twp`` with a small social-work phrase table in front
of ``TWPhrases``). Such a config names the binding's compiled dictionaries
(``STPhrases.ocd2``, ``TWPhrases.ocd2``…) exactly as OpenCC's own configs do, and its own
text dictionaries by file name.

How OpenCC finds a config's dictionaries (OpenCC 1.4, ``Config.cpp`` and
``ResourceProvider.cpp``): an absolute ``file`` is used as it is; a relative one is looked up
in the config file's own directory, then in the working directory, then in a data directory
compiled into the library, which in the PyPI wheel is the build machine's path
(``/project/build/...``) and does not exist here. The bundled dictionaries are in the
binding's package (``opencc/clib/share/opencc``), and the Python wrapper only redirects bare
config *names* there. A config outside that directory can therefore only reach them by
absolute path, which depends on where ``opencc`` is installed. So the shipped config keeps
relative names, and :func:`build_converter` writes a copy with every ``file`` made absolute
(ours from ``data/opencc``, the rest from the binding's directory) to a temporary directory,
builds the converter from it and deletes the copy: OpenCC reads every dictionary while it
builds and never looks at the files again.
"""

from __future__ import annotations

import json
import tempfile
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import opencc

__all__ = ["build_converter", "project_configs", "share_dir"]

_DATA = files("swreader") / "data" / "opencc"


def share_dir() -> Path:
    """Return the directory of the dictionaries and configs bundled with the ``opencc`` wheel.

    Raises:
        FileNotFoundError: If the installed binding has no such directory (a build of
            ``opencc`` that keeps its data elsewhere).
    """
    # The wrapper keeps the path in a private name; derive it the same way if it goes.
    default = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
    path = Path(getattr(opencc, "_opencc_share_dir", default))
    if not (path / "s2t.json").is_file():
        raise FileNotFoundError(f"OpenCC's bundled data not found at {path}")
    return path


def project_configs() -> tuple[str, ...]:
    """Return the names of the configs shipped in ``swreader/data/opencc`` (without ``.json``)."""
    return tuple(
        sorted(entry.name[:-5] for entry in _DATA.iterdir() if entry.name.endswith(".json"))
    )


def _absolute_files(node: Any, own: Path, bundled: Path) -> Any:
    """Return a copy of a config (or part of one) with every ``file`` made absolute.

    A file that exists beside the project's config is ours; any other is the binding's.
    """
    if isinstance(node, list):
        return [_absolute_files(item, own, bundled) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _absolute_files(value, own, bundled) for key, value in node.items()}
    name = node.get("file")
    if isinstance(name, str) and not Path(name).is_absolute():
        path = own / name if (own / name).is_file() else bundled / name
        if not path.is_file():
            raise FileNotFoundError(
                f"OpenCC dictionary {name!r} found neither in {own} nor {bundled}"
            )
        copy["file"] = path.as_posix()
    return copy


def build_converter(config: str) -> opencc.OpenCC:
    """Build a converter for ``config``: a project config by name, else one of OpenCC's.

    Args:
        config: ``"s2twp_socialwork"`` (a file in ``swreader/data/opencc``) or an OpenCC
            config name such as ``"s2t"``.

    Returns:
        A new converter. It is immutable and safe to share between threads.

    Raises:
        FileNotFoundError: If a dictionary named by a project config cannot be found.
        RuntimeError: If OpenCC rejects the config (the binding's error for a bad file).
    """
    if config not in project_configs():
        return opencc.OpenCC(config)
    with as_file(_DATA) as own, tempfile.TemporaryDirectory(prefix="swreader-opencc-") as tmp:
        source = json.loads((own / f"{config}.json").read_text(encoding="utf-8"))
        resolved = _absolute_files(source, Path(own), share_dir())
        path = Path(tmp) / f"{config}.json"
        path.write_text(json.dumps(resolved, ensure_ascii=False), encoding="utf-8")
        return opencc.OpenCC(str(path))
