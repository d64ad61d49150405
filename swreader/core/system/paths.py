"""Where swreader keeps its files: one data directory, overridable for tests and users."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["APP_NAME", "ENV_HOME", "data_dir", "library_path", "state_path"]

APP_NAME = "swreader"
ENV_HOME = "SWREADER_HOME"


def data_dir() -> Path:
    """The directory holding the user's state and the page cache, created if missing.

    Returns:
        ``$SWREADER_HOME`` if set and non-empty, else the platform's user data directory.

    Raises:
        OSError: The directory can't be created (e.g. the path names a file).
    """
    override = os.environ.get(ENV_HOME)
    path = Path(override).expanduser() if override else platformdirs.user_data_path(APP_NAME)
    path.mkdir(parents=True, exist_ok=True)
    return path


def state_path() -> Path:
    """The user's state (precious): ``data_dir() / "state.db"``."""
    return data_dir() / "state.db"


def library_path() -> Path:
    """The page cache and search indexes (rebuildable): ``data_dir() / "library.db"``."""
    return data_dir() / "library.db"
