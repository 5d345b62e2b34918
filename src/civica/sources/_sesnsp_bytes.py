"""One streaming pass over a SESNSP file's bytes: container (plain, gzip, zip), encoding,
archives that end early and blank lines, before DuckDB reads it."""

from __future__ import annotations

import codecs
import hashlib
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from civica.sources.errors import SourceError
from civica.sources.errors import message as _

# --- bytes: container, encoding, blank lines -------------------------------------------

_CHUNK = 1 << 24
_NOT_C1 = bytes(byte for byte in range(256) if not 0x80 <= byte < 0xA0)
# For the month check (see ``_ByteScan.plain_tails``): digits vanish, commas, line ends and
# NUL bytes stay, the bytes 0x80–0x9F become ``c`` (so Windows-1252 is still noticed) and
# any other byte becomes ``x``. One translation does both jobs, for about the cost of the C1
# test alone, and the NUL test and the line count then run over the shorter result.
_TAIL_CLASSES = bytes(
    byte if byte in b"\0,\r\n" else ord("c") if 0x80 <= byte < 0xA0 else ord("x")
    for byte in range(256)
)
_DIGITS = b"0123456789"
_NON_ASCII = re.compile(rb"[\x80-\xff]")


class _ByteScan:
    """Checks on a file's bytes as they stream past, so a 400 MB file is read once.

    It finds NUL bytes (UTF-16 or binary files), decides between UTF-8 and Latin-1 (a file
    mixing both is refused) and notes bytes that only Windows-1252 defines.
    """

    def __init__(self, path: Path, numeric_tail: int = 0):
        self.path = path
        self.numeric_tail = numeric_tail
        """How many last fields of a line :meth:`numeric_tail_is_plain` is about (0: none)."""
        self._tail = b""
        self._tails = 0
        self._carry = b""
        self.newlines = 0
        self._last = b""
        """The last byte fed."""
        self.head = b""
        self.c1 = False
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._utf8 = True
        self._utf8_line: int | None = None
        self._not_utf8_line: int | None = None
        self.source_sha256 = ""
        """SHA-256 of the file as given (compressed or not), recorded with its snapshot."""

    def feed(self, chunk: bytes) -> None:
        if not self.head and chunk[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise _wrong_encoding(self.path, 1, _("it starts with a UTF-16 byte-order mark"))
        # The classes keep NUL bytes and line ends where they were, digits aside.
        classes = chunk.translate(_TAIL_CLASSES, _DIGITS) if self.numeric_tail else chunk
        if b"\0" in classes:
            reason = _("it has NUL bytes, as UTF-16 and binary files do")
            raise _wrong_encoding(self.path, self._line_at(chunk, chunk.find(b"\0")), reason)
        if self._utf8:
            self._check_utf8(chunk)
        if self.numeric_tail:
            self._count_plain_tails(classes)
        else:
            self.c1 = self.c1 or bool(chunk.translate(None, _NOT_C1))
        if len(self.head) < 65536 and b"\n" not in self.head:
            self.head += chunk[:65536]
        self.newlines += classes.count(b"\n")
        self._last = chunk[-1:] or self._last

    def _count_plain_tails(self, classes: bytes) -> None:
        # With digits deleted, a line whose last N fields hold only digits (or nothing) ends
        # in exactly N commas after its last other byte; counting that ending is a fast
        # substring count. The ending is decided by the first line (CRLF or LF): a file
        # mixing both just fails the proof. A match cut across two chunks is counted in the
        # short ``edge`` around the cut (the last bytes before it, as many as the pattern
        # less one, and as many after it), so no chunk is copied to join it with the one
        # before.
        self.c1 = self.c1 or b"c" in classes
        if not self._tail:
            # Only whether a CR ends the first line counts, which the classes keep.
            first = (self.head + classes).split(b"\n", 1)
            if len(first) == 2:
                ending = b"\r\n" if first[0].endswith(b"\r") else b"\n"
                self._tail = b"x" + b"," * self.numeric_tail + ending
        if self._tail:
            self._tails += self._matches(classes, self._tail)
        kept = self.numeric_tail + 2  # the pattern less one: x, commas, CRLF
        self._carry = (self._carry + classes)[-kept:] if len(classes) < kept else classes[-kept:]

    def _matches(self, classes: bytes, pattern: bytes) -> int:
        """Matches of ``pattern`` that end in ``classes``: those inside it, and those across
        the cut before it, which lie in the pattern's length less one on either side."""
        edge = self._carry[len(self._carry) - (len(pattern) - 1) :] + classes[: len(pattern) - 1]
        return classes.count(pattern) + edge.count(pattern)

    def numeric_tail_failed(self) -> bool:
        """Whether :meth:`numeric_tail_is_plain` is already bound to say no (a line seen so
        far does not end in plain fields), while bytes are still being fed."""
        return bool(self._tail) and self._tails < self.newlines - 1

    def numeric_tail_is_plain(self) -> bool:
        """Whether every line after the header ends in ``numeric_tail`` fields made only of
        ASCII digits, each field empty or a plain whole number, after a field that ends in
        something else. Once every byte has been fed.

        Arrow's integer reading takes ``0x10``, ``-1``, `` 4`` and ``"4"`` (and DuckDB's
        also ``1e3``, ``+4``, ``1_000`` and rounds ``1.5``); where this holds, no such cell
        exists, so the month columns can be read as integers directly (a proof that fails
        only sends the file to the cell-by-cell checks). The last line may lack its line end."""
        if not self.numeric_tail or not self._tail:
            return False
        lines, tails = self.lines(), self._tails
        if lines > self.newlines:  # a last line without its line end
            ending = b"\r\n" if self._tail.endswith(b"\r\n") else b"\n"
            tails += (self._carry + ending).endswith(self._tail)
        return lines > 1 and tails == lines - 1

    def could_be(self, encoding: str) -> bool:
        """Whether the bytes fed so far leave :meth:`encoding` free to say ``encoding``."""
        if encoding == "utf-8":
            return self._utf8
        return not self.c1 if encoding == "latin-1" else True

    def lines(self) -> int:
        """Lines of the file, the last one counted even without its line end. Once every
        byte has been fed."""
        return self.newlines + (self._last not in (b"", b"\n"))

    def encoding(self) -> str:
        """``"utf-8"``, ``"cp1252"`` or ``"latin-1"``, once every byte has been fed."""
        if self._utf8:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._utf8, self._not_utf8_line = False, self.newlines + 1
        if self._utf8:
            return "utf-8"
        if self.head.startswith(codecs.BOM_UTF8):
            reason = _("it starts with a UTF-8 mark, but this line is not UTF-8")
            raise _wrong_encoding(self.path, self._not_utf8_line, reason)
        if self._utf8_line is not None:
            reason = _("line %(utf8)d is UTF-8 and this line is not: the file mixes encodings")
            raise _wrong_encoding(
                self.path, self._not_utf8_line, reason % {"utf8": self._utf8_line}
            )
        return "cp1252" if self.c1 else "latin-1"

    def _line_at(self, chunk: bytes, offset: int) -> int:
        return self.newlines + chunk.count(b"\n", 0, offset) + 1

    def _check_utf8(self, chunk: bytes) -> None:
        # A character cut by the chunk's end is held by the decoder until the next chunk
        # says whether it is UTF-8: its first bytes are not counted as UTF-8 yet (counted,
        # a Latin-1 "ñ" that ends a chunk made the file look like a mix of both). The
        # decoder's positions count the held bytes of the chunk before.
        held = len(self._decoder.getstate()[0])
        try:
            self._decoder.decode(chunk)
        except UnicodeDecodeError as error:
            self._utf8 = False
            start = max(error.start - held, 0)
            valid = chunk[:start]
            self._not_utf8_line = self._line_at(chunk, min(start, len(chunk)))
        else:
            valid = chunk[: len(chunk) - len(self._decoder.getstate()[0])]
        if self._utf8_line is None and not valid.isascii():
            self._utf8_line = self._line_at(chunk, _NON_ASCII.search(valid).start())


def _stray_carriage_return(plain: Path) -> int | None:
    """The first line holding a carriage return that is not part of the file's line ends
    (those of its first line): a lone CR, or any CR when lines end in LF alone. DuckDB's CSV
    reader stops at one without saying where, so it is looked for only then."""
    with plain.open("rb") as handle:
        stray = re.compile(rb"\r(?!\n)" if handle.readline().endswith(b"\r\n") else rb"\r")
        handle.seek(0)
        lines, carried = 0, b""
        while chunk := handle.read(_CHUNK):
            text = carried + chunk
            # A CR at the very end may be followed by the next chunk's LF: kept for it.
            carried = text[-1:] if text.endswith(b"\r") else b""
            found = stray.search(text, 0, len(text) - len(carried))
            if found:
                return lines + text.count(b"\n", 0, found.start()) + 1
            lines += text.count(b"\n", 0, len(text) - len(carried))
    return lines + 1 if carried else None


def _blank_lines(plain: Path) -> list[int]:
    """Numbers of the empty lines, which DuckDB skips without counting: they are needed only
    to turn a row into its line for an error, so they are looked for only then."""
    with plain.open("rb") as handle:
        return [number for number, line in enumerate(handle, 1) if line in (b"\n", b"\r\n")]


def _wrong_encoding(path: Path, line: int | None, reason: str) -> SourceError:
    return SourceError(
        _(
            "Wrong encoding: the file is not text in UTF-8 or Latin-1 (Windows-1252): "
            "%(reason)s. Save it again as CSV in one of those encodings."
        )
        % {"reason": reason},
        file=path,
        line=line,
    )


def _transcoded(path: Path, plain: Path, target: Path) -> Path:
    """A UTF-8 copy of a Windows-1252 file: DuckDB's Latin-1 decoder refuses the bytes
    0x80–0x9F, where Windows-1252 puts – “ ” € and the like."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    lines = 0
    with plain.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(_CHUNK):
            try:
                out.write(decoder.decode(chunk))
            except UnicodeDecodeError as error:
                line = lines + chunk.count(b"\n", 0, error.start) + 1
                reason = _("byte 0x%(byte)02X means nothing in Windows-1252")
                raise _wrong_encoding(path, line, reason % {"byte": chunk[error.start]}) from error
            lines += chunk.count(b"\n")
    if plain != path:
        plain.unlink()
    return target


def _scan(
    path: Path,
    inflated: Path,
    numeric_tail: int = 0,
    watch: Callable[[_ByteScan], object] | None = None,
) -> tuple[Path, _ByteScan]:
    """Stream the file once through :class:`_ByteScan`; archives are inflated beside it,
    because DuckDB parses a plain file in parallel and cannot open a zip. ``numeric_tail``:
    see :meth:`_ByteScan.numeric_tail_is_plain`; ``watch`` is shown the scan after each
    chunk of a plain file."""
    if not path.is_file():
        message = _("The file does not exist.") if not path.exists() else _("This is not a file.")
        raise SourceError(message, file=path)
    scan = _ByteScan(path, numeric_tail)
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic.startswith(b"\x1f\x8b"):
        _inflate(path, _gunzip(path), inflated, scan)
        scan.source_sha256 = _sha256(path)
        return inflated, scan
    if magic.startswith(b"PK"):
        with _zip_archive(path) as archive, archive.open(_zip_member(path, archive)) as stream:
            _inflate(path, iter(lambda: stream.read(_CHUNK), b""), inflated, scan)
        scan.source_sha256 = _sha256(path)
        return inflated, scan
    # A plain file is hashed as it streams past: the 400 MB national file is read once,
    # not a second time when its snapshot records where it came from. hashlib lets go of
    # the interpreter lock, so the hash of a chunk runs on the other core while it is
    # scanned.
    digest = hashlib.sha256()
    with path.open("rb") as handle, ThreadPoolExecutor(max_workers=1) as hasher:
        while chunk := handle.read(_CHUNK):
            hashed = hasher.submit(digest.update, chunk)
            try:
                scan.feed(chunk)
                if watch is not None:
                    watch(scan)
            finally:
                hashed.result()
    scan.source_sha256 = digest.hexdigest()
    return path, scan


def _sha256(path: Path) -> str:
    """As :func:`civica.checksums.sha256_of` (readers import no other part of Cívica)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _gunzip(path: Path) -> Iterator[bytes]:
    """The inflated bytes of a gzip file, piece by piece, so that a file cut short still
    yields every line before the cut (Python's gzip module drops the last piece)."""
    inflater, fed = zlib.decompressobj(16 + zlib.MAX_WBITS), False
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            while chunk:
                fed = True
                yield inflater.decompress(chunk)
                chunk = b""
                if inflater.eof:  # gzip allows members in a row
                    chunk = inflater.unused_data
                    inflater, fed = zlib.decompressobj(16 + zlib.MAX_WBITS), False
    if fed and not inflater.eof:
        raise EOFError(_("the compressed data stop before their end"))


def _inflate(path: Path, pieces: Iterator[bytes], target: Path, scan: _ByteScan) -> None:
    try:
        with target.open("wb") as out:
            for piece in pieces:
                scan.feed(piece)
                out.write(piece)
    except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as error:
        raise _ends_early(path, scan.newlines + 1, error) from error


def _ends_early(path: Path, line: int | None, reason: object) -> SourceError:
    return SourceError(
        _(
            "The compressed file ends early or is damaged (%(reason)s); it stops at this "
            "line. Download it again."
        )
        % {"reason": reason},
        file=path,
        line=line,
    )


def _zip_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        # A zip cut short loses its directory, which sits at the end; its first member can
        # still be inflated from the start to say at which line the data stop.
        reason = _("its directory, kept at the end of a zip, is missing")
        raise _ends_early(path, _zip_lines_before_damage(path), reason) from error


def _zip_member(path: Path, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir() and not info.filename.startswith("__MACOSX/")
    ]
    if len(members) != 1:
        names = ", ".join(info.filename for info in members[:5]) or _("nothing")
        raise SourceError(
            _("The zip file holds %(count)d files (%(names)s); it must hold exactly one CSV.")
            % {"count": len(members), "names": names},
            file=path,
        )
    return members[0]


def _zip_lines_before_damage(path: Path) -> int | None:
    with path.open("rb") as handle:
        local = handle.read(30)
        if len(local) < 30 or not local.startswith(b"PK\x03\x04"):
            return None
        (method,) = struct.unpack_from("<H", local, 8)
        name_length, extra_length = struct.unpack_from("<HH", local, 26)
        if method not in (0, 8):
            return None
        handle.seek(30 + name_length + extra_length)
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if method == 8 else None
        lines = 0
        while chunk := handle.read(_CHUNK):
            try:
                data = inflater.decompress(chunk) if inflater else chunk
            except zlib.error:
                break
            lines += data.count(b"\n")
        return lines + 1


# --- header and kind -------------------------------------------------------------------
