"""Streaming zlib for pickles: store or load a large object without a full copy in memory."""

from __future__ import annotations

import zlib


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
