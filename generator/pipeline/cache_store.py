"""The build cache on disk: what one ``glossary check`` or ``generate`` leaves for the next.

Each part of the cache is one file under ``<root>/.cache/build/``, written whole (to a
temporary file, then renamed). A file holds plain data only (dictionaries, lists, tuples,
strings, numbers: ``marshal``, which cannot run code when read), behind a header and a keyed
BLAKE2b signature:

    MAGIC | signature (32 bytes) | marshal((tool version, payload))

The cache directory is inside the checkout, so a pull request could bring files of its own.
A file is used only if it is signed with this machine's key, which lives outside the project
(as for the figure cache: see ``figures``), and was written by this very version of the tool:
the same code (``generator/`` and ``plots/``), Python and libraries. Anything else (a missing,
truncated, corrupt or foreign file, another version) reads as no cache at all, and the build
starts from scratch, silently.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import sys
import sysconfig
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.model import Problem, SourceDocument
from generator.pipeline.load import ParsedFiles

STORE_DIR = ".cache/build"
FIGURE_CACHE_DIR = ".cache/figures"  # the figure cache's entries (see ``figures``)
KEY_FILE = "build-cache.key"  # in ~/.cache/ai-glossary/
MAGIC = b"ai-glossary build cache\n"
_SIGNATURE_BYTES = 32
# A part of the cache with an entry per term file is split into this many files, so that a run
# after one edit rewrites one of them, not all.
SHARDS = 16


class CacheStore:
    """The signed files of one project's build cache (see the module's docstring)."""

    def __init__(self, directory: Path, key: bytes, version: bytes) -> None:
        self.directory = directory
        self._key = key
        self._version = version
        self._signatures: dict[str, bytes] = {}  # of each file as read or written: unchanged?

    @classmethod
    def for_project(cls, root: Path) -> CacheStore | None:
        """The store under ``root/.cache/build``, or None when that is not inside ``root``
        (``.cache`` a symbolic link, as in the tests' copies of the project, which share the
        figure cache): the cache is never kept through a link."""
        directory = root / STORE_DIR
        try:
            inside = directory.resolve().is_relative_to(root.resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            return None
        return cls(directory, signing_key(KEY_FILE), tool_version())

    def read(self, name: str) -> object | None:
        """The payload last written under ``name`` by this tool on this machine, or None."""
        try:
            content = (self.directory / name).read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + _SIGNATURE_BYTES
        if len(content) < head or not content.startswith(MAGIC):
            return None
        body = memoryview(content)[head:]
        signature = self._sign(body)
        if not hmac.compare_digest(content[len(MAGIC) : head], signature):
            return None
        self._signatures[name] = signature
        try:
            version, payload = marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return None
        return payload if version == self._version else None

    def write(self, name: str, payload: object) -> None:
        """Keep ``payload`` (plain data only) under ``name``; a cache that cannot be written is
        no error: the next run starts from scratch."""
        try:
            # Plain data by contract; marshal refuses anything else with a ValueError.
            body = marshal.dumps((self._version, payload))  # type: ignore[arg-type]
        except ValueError:  # a value marshal cannot hold: such a cache is not kept
            return
        signature = self._sign(body)
        if self._signatures.get(name) == signature:
            return  # the file holds this already
        temporary = self.directory / f".{name}.{os.getpid()}.tmp"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(MAGIC + signature + body)
            temporary.replace(self.directory / name)
            self._signatures[name] = signature
        except OSError:
            temporary.unlink(missing_ok=True)

    def read_sharded(self, name: str) -> dict[str, object]:
        """The entries last written with ``write_sharded(name, ...)`` (those of a damaged or
        foreign file are missing)."""
        entries: dict[str, object] = {}
        for shard in range(SHARDS):
            payload = self.read(f"{name}-{shard:02d}")
            if isinstance(payload, dict):
                entries.update(payload)
        return entries

    def write_sharded(
        self, name: str, entries: Mapping[str, object], shards: Iterable[int] = range(SHARDS)
    ) -> None:
        """Keep ``entries`` in ``SHARDS`` files, by their keys (see ``shard_of``): the files
        ``shards``, which ``entries`` must hold all the entries of, and of those only the files
        whose entries changed are written."""
        payloads: dict[int, dict[str, object]] = {shard: {} for shard in shards}
        for key, entry in entries.items():
            payloads[shard_of(key)][key] = entry
        for shard, payload in payloads.items():
            self.write(f"{name}-{shard:02d}", payload)

    def _sign(self, body: bytes | memoryview) -> bytes:
        return hashlib.blake2b(body, key=self._key, digest_size=_SIGNATURE_BYTES).digest()


def tool_version() -> bytes:
    """A digest of what decides the generator's output besides its input: its code and
    templates, the plotting code (figure checks), Python and the installed libraries (by the
    names of their ``.dist-info`` directories, which hold their versions)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{sys.version}\0{marshal.version}\0".encode())
    for scheme in ("purelib", "platlib"):  # every installed library's name and version
        try:
            installed = sorted(os.listdir(sysconfig.get_paths()[scheme]))
        except (OSError, KeyError):
            installed = []
        digest.update("\0".join(n for n in installed if n.endswith(".dist-info")).encode())
    for top in (package, package.parent / "plots"):
        for path in sorted(top.rglob("*")):
            if path.suffix in (".py", ".j2", ".json", ".yaml") and path.is_file():
                digest.update(f"{path.relative_to(top.parent).as_posix()}\0".encode())
                digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.digest()


def signing_key(file_name: str) -> bytes:
    """This machine's key for signing one cache (the build cache's, or ``figures``'): 32
    random bytes in ``file_name`` in the user's cache directory (``$XDG_CACHE_HOME``, else
    ``~/.cache``), made on first use. Where none can be kept, a key for this process alone
    (the cache then lasts one run)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = home / "ai-glossary" / file_name
    try:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(secrets.token_bytes(32))
            temporary.chmod(0o600)
            temporary.replace(path)
        key = path.read_bytes()
    except OSError:
        key = b""
    return key if len(key) == 32 else _PROCESS_KEY


_PROCESS_KEY = secrets.token_bytes(32)


def shard_of(key: str) -> int:
    """The file of a sharded part of the cache that holds the entry ``key``."""
    return zlib.crc32(key.encode()) % SHARDS


# -- parsed files and problems as plain data -----------------------------------------------

PlainProblem = tuple[str, int, int, str, str, str]


def plain_problems(problems: list[Problem]) -> list[PlainProblem]:
    """Problems as tuples of strings and numbers."""
    return [(p.path, p.line, p.column, p.field, p.message, p.fix) for p in problems]


def problems_from_plain(plain: list[PlainProblem]) -> list[Problem]:
    """The inverse of ``plain_problems``."""
    return [Problem(*problem) for problem in plain]


def stored_parses(parsed: ParsedFiles) -> dict[str, Any]:
    """``parsed`` as plain data: path -> (digest, the document's parts or None, problems)."""
    stored = {}
    for path, (digest, (document, problems)) in parsed.items():
        parts = None
        if document is not None:
            if not _plain(document.data):
                continue  # a date, which marshal cannot hold: this file is parsed again
            parts = (
                document.data,
                dict(document.positions),
                dict(document.key_positions),
                dict(document.block_scalars),
                document.plain_scalars,
                document.lines,
            )
        stored[path] = (digest, parts, plain_problems(problems))
    return stored


def _plain(data: Any) -> bool:
    try:
        marshal.dumps(data)
    except ValueError:
        return False
    return True


def parses_from_store(stored: Any) -> ParsedFiles:
    """The inverse of ``stored_parses`` (raises ValueError, TypeError... on other data)."""
    parsed: ParsedFiles = {}
    for path, (digest, parts, problems) in stored.items():
        document = None
        if parts is not None:
            data, positions, key_positions, block_scalars, plain_scalars, lines = parts
            document = SourceDocument(
                path, data, positions, key_positions, block_scalars, plain_scalars, lines
            )
        parsed[path] = (digest, (document, problems_from_plain(problems)))
    return parsed
