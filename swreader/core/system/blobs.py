"""Compressed pickles in the cache: streamed so no full copy is held, and read defensively.

Everything read back from the cache may be damaged (a disk error, another program, a
version of ours that wrote something else): :func:`unpickle` and :func:`decompress` turn any
such damage into one exception, :class:`DamagedBlob`, so that callers rebuild the entry.
"""

from __future__ import annotations

import io
import pickle
import zlib
from typing import Any, TypeVar

T = TypeVar("T")


class Compressing:
    """A file-like sink that compresses as pickle writes, so no full pickle is held."""

    def __init__(self) -> None:
        self._zip = zlib.compressobj(1)
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(self._zip.compress(data))
        return len(data)

    def finish(self) -> bytes:
        self.parts.append(self._zip.flush())
        return b"".join(self.parts)


class Decompressing:
    """A file-like source that decompresses as pickle reads."""

    def __init__(self, blob: bytes) -> None:
        self._zip = zlib.decompressobj()
        self._blob = memoryview(blob)
        self._pos = 0
        self._buf = bytearray()

    def _fill(self, size: int) -> None:
        while len(self._buf) < size and (self._pos < len(self._blob) or self._zip.unconsumed_tail):
            chunk = self._blob[self._pos : self._pos + (1 << 20)]
            self._pos += len(chunk)
            self._buf += self._zip.decompress(bytes(chunk))

    def read(self, size: int = -1) -> bytes:
        self._fill(size if size >= 0 else 1 << 62)
        out = bytes(self._buf[:size] if size >= 0 else self._buf)
        del self._buf[: len(out)]
        return out

    def readline(self) -> bytes:
        self._fill(1 << 16)
        end = self._buf.find(b"\n") + 1 or len(self._buf)
        out = bytes(self._buf[:end])
        del self._buf[:end]
        return out

    def readinto(self, target: bytearray | memoryview) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)


class DamagedBlob(ValueError):
    """A stored blob that does not decode to what was stored (the cache must rebuild it)."""


#: Modules whose classes stored pickles may name: ours and the few standard types they hold.
_MODULES = ("swreader.", "pathlib", "array", "copyreg", "collections", "enum", "datetime")
_BUILTINS = frozenset(
    {"bool", "bytearray", "bytes", "complex", "dict", "float", "frozenset", "int", "list"}
    | {"object", "range", "set", "slice", "str", "tuple"}
)


class _Unpickler(pickle.Unpickler):
    """An unpickler that names only the classes a cache entry can hold.

    Damaged bytes are read as opcodes: without this, a stray ``GLOBAL`` could import any
    module (with its side effects) or call any function before the damage is noticed.
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module == "builtins" and name in _BUILTINS) or module.startswith(_MODULES):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected class {module}.{name}")


def unpickle(source: bytes | Decompressing, kind: type[T]) -> T:
    """Unpickle a stored object of class ``kind``, from bytes or a decompressing stream.

    Raises:
        DamagedBlob: For anything but an intact ``kind``. Unpickling damaged bytes can
            raise almost any exception (an opcode may call a constructor with junk), so
            every ``Exception`` is turned into this one, for the caller to rebuild.
    """
    try:
        if isinstance(source, Decompressing):
            value = _Unpickler(source).load()
        elif isinstance(source, bytes):
            value = _Unpickler(io.BytesIO(source)).load()
        else:
            raise TypeError(f"stored value is {type(source).__name__}, not bytes")
    except Exception as err:  # reported as DamagedBlob (see Raises), never swallowed
        raise DamagedBlob(f"{type(err).__name__}: {err}") from err
    if not isinstance(value, kind):
        raise DamagedBlob(f"stored value is {type(value).__name__}, not {kind.__name__}")
    return value


def decompress(blob: object) -> bytes:
    """``zlib.decompress`` of a stored value, any damage raised as :class:`DamagedBlob`."""
    if not isinstance(blob, bytes):
        raise DamagedBlob(f"stored value is {type(blob).__name__}, not bytes")
    try:
        return zlib.decompress(blob)
    except (zlib.error, MemoryError) as err:
        raise DamagedBlob(f"{type(err).__name__}: {err}") from err
