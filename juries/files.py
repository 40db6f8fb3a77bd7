"""Files the application writes hold personal data (relevés, backups): readable by its own user
only, whatever the process's umask. Folders 0700, files 0600."""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Creates ``path`` (and missing parents) 0700; an existing folder is made 0700 as well."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)  # mkdir's mode goes through the umask
    return path


def private_file(path: Path) -> Path:
    os.chmod(path, FILE_MODE)
    return path


def new_private_file(path: Path) -> Path:
    """Creates an empty file 0600 for a tool that writes into it (sqlite3, pg_dump): it never exists
    with a wider mode, even for an instant."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.close(fd)
    return private_file(path)
