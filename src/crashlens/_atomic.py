"""The one atomic file writer: complete files at the output path, or nothing.

Every file crashlens writes for a user (reports, batch outputs, store manifests, provider
caches) goes through :func:`write_atomic`:

* the bytes go to a unique temporary file in the target's folder, are flushed and fsynced,
  then renamed over the target with ``os.replace`` (atomic on POSIX): a reader sees the old
  file or the new one, never half of one, and a killed writer leaves the target untouched;
* only **regular files** are written: when the target exists and is a device (``/dev/full``),
  a FIFO, a socket or a folder, nothing is written - a rename would replace the device node
  itself with a report;
* a symbolic link at the target is replaced by the new file (the link's target is never
  written), so nothing is written outside the output path;
* failures (a read-only or missing folder, a path under a regular file, a full disk) are one
  :class:`~crashlens.errors.OutputError`-style line naming the path, and leave no temporary
  file behind.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from crashlens.errors import CrashlensError

# The mode a plain open() would give (0666 less the umask), read once at import.
_UMASK = os.umask(0)
os.umask(_UMASK)
_MODE = 0o666 & ~_UMASK


class OutputError(CrashlensError):
    """An output file cannot be written where the user asked (names the path and the reason)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: cannot write ({reason})")


def check_writable_target(path: Path | str) -> Path:
    """Refuse a target that exists and is not a regular file (or a link, which is replaced).

    Returns
    -------
    Path
        The path, unchanged.

    Raises
    ------
    OutputError
        The target is a folder, a device, a FIFO or a socket.
    """
    p = Path(path)
    try:
        mode = os.lstat(p).st_mode
    except FileNotFoundError:
        return p
    except NotADirectoryError:
        raise OutputError(p, "a parent of this path is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(p, exc.strerror or str(exc)) from exc
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return p
    kind = ("a folder" if stat.S_ISDIR(mode) else "a device" if stat.S_ISCHR(mode)
            or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise OutputError(p, f"it is {kind}; crashlens writes only regular files")


def check_output_path(path: Path | str) -> Path:
    """Fail fast, before any work, when ``path`` cannot be written.

    Checks the target (:func:`check_writable_target`) and its nearest existing ancestor: it
    must be a folder the process may write to. A command that computes for a minute before
    writing calls this first, so a typo in ``--out`` costs nothing.

    Raises
    ------
    OutputError
        As :func:`check_writable_target`, or the nearest existing ancestor is a file or is not
        writable.
    """
    p = check_writable_target(path)
    parent = p.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(p, f"{parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(p, f"the folder {parent} is not writable")
    return p


def write_atomic(path: Path | str, data: bytes | str, *, encoding: str = "utf-8",
                 make_parents: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (see the module docstring).

    Parameters
    ----------
    path : Path or str
        The target file.
    data : bytes or str
        The full content (``str`` is encoded with ``encoding``).
    encoding : str
        Text encoding for ``str`` data.
    make_parents : bool
        Create missing parent folders.

    Returns
    -------
    Path
        The target path.

    Raises
    ------
    OutputError
        The target is not a regular file, or the write failed (read-only folder, a parent that
        is a file, no space); no temporary file is left behind.
    """
    p = check_writable_target(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        if make_parents:
            p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(p, "a parent of this path is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(p, exc.strerror or str(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _MODE)  # mkstemp makes 0600; outputs are ordinary files
        check_writable_target(p)  # the target may have changed while we wrote
        os.replace(tmp, p)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(p, exc.strerror or str(exc)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p
