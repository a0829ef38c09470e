"""The matching index on disk: built once per data version, then loaded by every process that needs it.

Building the index reads and tokenizes the whole atlas (1.5 s for the bundled atlas, ~30 s at 100,000
organizations). Every worker of `serve` and every `match` or `opportunities` command used to build it
again. Now the first one to need an index for the store's data version (store/version.py) builds it and
writes it to a folder; the others load that folder:

- where: `$FUSIONATLAS_INDEX_DIR/<hash>/<version>/` when that is set, <hash> digesting the database URL
  without its password; else beside a SQLite file, `x.db` -> `x.db.index/<version>/`, and for PostgreSQL
  `~/.cache/fusionatlas/index/<hash>/<version>/` (`$XDG_CACHE_HOME` if set). `FUSIONATLAS_INDEX_DIR=memory`
  and in-memory SQLite databases write none: the index is built in memory by each process, as before.
- what: every numeric array, and the BM25 matrix's three CSR arrays, as `.npy` files loaded memory-mapped
  and read-only (every process maps the same pages of the page cache); the records, the technology tree
  and the vocabulary in `records.jsonl`, one JSON array per line and at most CHUNK rows per line, so that
  no single parse holds the GIL for long (uvicorn's supervisor pings each worker over a pipe and kills
  one that does not answer within 5 s: web/serving.py); and `manifest.json`, written last.
- trust: the manifest names the format, the data version, the row counts of the indexed tables and each
  file's size and CRC-32. A folder whose manifest is missing, of another format or version, whose counts
  differ from the store's or whose files do not match is rebuilt, never used; so is one that fails to
  load for any other reason.
- writes: a builder holds an exclusive lock (`.lock` in the folder of versions, fcntl.flock) while it
  checks, builds and writes, so that processes starting together build once: the others wait for the
  lock (the wait holds no GIL) and then load what it wrote. It writes into a temporary folder and renames
  it into place, then removes every other version and any temporary folder a crashed builder left.
- failures: a folder that cannot be created or written (a read-only disk) leaves the index built in
  memory, as before, with a warning in the log.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, select
from sqlalchemy import table as table_clause
from sqlalchemy.engine import URL

from fusionatlas.match.index import Bm25, Csr, MatchIndex, build_index, concept_tagger
from fusionatlas.store.version import data_version

try:  # POSIX; elsewhere builders are not serialised (each may build, the rename keeps the folder whole)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

FORMAT = 3  # bump when the files' layout or meaning changes: folders of another format are rebuilt
INDEX_DIR_ENV, IN_MEMORY = "FUSIONATLAS_INDEX_DIR", "memory"
MANIFEST, RECORDS, LOCK = "manifest.json", "records.jsonl", ".lock"
CHUNK = 2_000  # rows per line of records.jsonl: a line parses in a few milliseconds
COUNTED_TABLES = ("technologies", "organizations", "capabilities", "needs")
ARRAYS = ("cap_org", "cap_trl", "cap_level", "doc_org", "doc_level", "doc_cap", "org_level", "need_level", "need_org")
RECORD_TABLES = ("organizations", "capabilities", "needs")


class IndexFolderError(Exception):
    """A folder that cannot be used as it is (missing, partial, stale, corrupt): it is rebuilt."""


def index_root(url: URL, environ: dict[str, str] | None = None) -> Path | None:
    """The folder holding the persisted index versions of the database at `url` (None: keep it in memory).

    `$FUSIONATLAS_INDEX_DIR`, when set, holds them for every database (`memory`: none is written).
    """
    environ = dict(os.environ) if environ is None else environ
    chosen = environ.get(INDEX_DIR_ENV, "").strip()
    if chosen == IN_MEMORY:
        return None
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or database.startswith("file:") or url.query.get("mode") == "memory":
            return None
        if not chosen:
            return Path(database).resolve().parent / f"{Path(database).name}.index"
    if chosen:
        return Path(chosen) / digest
    try:
        cache = Path(environ["XDG_CACHE_HOME"]) if environ.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    except RuntimeError:  # a service user without a home: no cache folder, the index stays in memory
        return None
    return cache / "fusionatlas" / "index" / digest


def folder_name(version: str) -> str:
    """The folder of one data version (tokens are hex; anything else is digested, never used as a path)."""
    if re.fullmatch(r"[0-9A-Za-z_-]{1,64}", version):
        return f"v-{version}"
    return "v-" + hashlib.sha256(version.encode()).hexdigest()[:32]


def counts(connection: Connection) -> dict[str, int]:
    """Rows of each indexed table: a folder made from other data (a database replaced or edited by hand
    without a new data version) is caught by these even when the version token matches."""
    return {
        name: int(connection.execute(select(func.count()).select_from(table_clause(name))).scalar_one())
        for name in COUNTED_TABLES
    }


def load_or_build(connection: Connection, root: Path | None, version: str | None = None) -> MatchIndex:
    """The index of the data `connection` sees: loaded from `root` when a sound folder for its data version
    is there, else built (by this process or, while it waits for the lock, another) and written there."""
    index = _paused(connection, root, version, wait=True)
    assert index is not None  # waiting, it always has one
    return index


def load_persisted(connection: Connection, root: Path | None) -> MatchIndex | None:
    """The index persisted for the store's data version, or None (no folder, an unsound one, or a store
    that cannot say its version or counts yet, e.g. one never migrated). Never builds, never writes."""
    if root is None:
        return None
    try:
        version = data_version(connection)
        expected = {"version": version, "counts": counts(connection)}
    except Exception:  # tables missing or unreadable: the caller migrates and builds
        connection.rollback()
        return None
    with _collector_paused():
        return _try_load(root / folder_name(version), expected)


def load_or_build_unless_busy(
    connection: Connection, root: Path | None, version: str | None = None
) -> MatchIndex | None:
    """As `load_or_build`, but None at once when another process is building this database's index (a
    worker warming may do other work meanwhile, then wait with `load_or_build`)."""
    return _paused(connection, root, version, wait=False)


def _paused(connection: Connection, root: Path | None, version: str | None, wait: bool) -> MatchIndex | None:
    with _collector_paused():
        return _load_or_build(connection, root, version, wait)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the index is read or built.

    Both make millions of objects and no reference cycles. Left on, the collector walks the whole, growing
    heap every so often while holding the GIL: at 100,000 organizations loading took 11.8 s instead of
    4.9 s, with pauses of 1.5 s in which no other thread of the process ran.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_or_build(connection: Connection, root: Path | None, version: str | None, wait: bool) -> MatchIndex | None:
    if root is None:
        return build_index(connection)
    version = data_version(connection) if version is None else version
    expected = {"version": version, "counts": counts(connection)}
    folder = root / folder_name(version)
    loaded = _try_load(folder, expected)
    if loaded is not None:
        return loaded
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = (root / LOCK).open("a")
    except OSError as error:
        log.warning("cannot write the matching index to %s (%s): building it in memory", root, error)
        return build_index(connection)
    with lock:  # closing the file releases the lock
        if fcntl is not None:
            try:  # waits without the GIL while another process builds
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
        loaded = _try_load(folder, expected)  # another process may have written it while this one waited
        if loaded is not None:
            return loaded
        index = build_index(connection)
        if data_version(connection) != version:  # written to meanwhile: these records may not be that version's
            return index
        try:
            save(index, root, folder, expected)
        except (OSError, TypeError, ValueError) as error:
            log.warning("cannot write the matching index to %s (%s): keeping it in memory only", folder, error)
            return index
        _remove_others(root, keep=folder.name)
        return index


def _try_load(folder: Path, expected: dict[str, Any]) -> MatchIndex | None:
    if not (folder / MANIFEST).exists():
        return None
    try:
        return load(folder, expected)
    except Exception as error:  # any failure means the folder is not to be trusted
        log.warning("the matching index in %s is unusable (%s): rebuilding it", folder, error)
        return None


def save(index: MatchIndex, root: Path, folder: Path, expected: dict[str, Any]) -> None:
    """Write `index` into `folder` (replacing what is there) through a temporary folder renamed into place."""
    temporary = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        files: dict[str, dict[str, int]] = {}
        arrays = {name: getattr(index, name) for name in ARRAYS}
        # Term frequencies and lengths: the word statistics of each audience level are derived on load (Bm25).
        arrays |= {"bm25_data": index.bm25.tf.data, "bm25_indices": index.bm25.tf.indices}
        arrays |= {"bm25_indptr": index.bm25.tf.indptr, "bm25_lengths": index.bm25.lengths}
        tech_ids = list(index.tech_caps)
        arrays["tech_caps"] = (
            np.concatenate([index.tech_caps[t] for t in tech_ids]) if tech_ids else np.zeros(0, np.int32)
        ).astype(np.int32)
        arrays["tech_bounds"] = np.cumsum([0, *(len(index.tech_caps[t]) for t in tech_ids)]).astype(np.int64)
        for name, array in arrays.items():
            np.save(temporary / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        _write_records(temporary / RECORDS, index, tech_ids)
        for path in sorted(temporary.iterdir()):
            files[path.name] = {"size": path.stat().st_size, "crc32": _crc32(path)}
        manifest = {
            "format": FORMAT,
            **expected,
            "shape": [int(n) for n in index.bm25.tf.shape],
            "files": files,
        }
        with (temporary / MANIFEST).open("w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        if folder.exists():  # stale or corrupt: move it aside first, a rename cannot replace a folder
            shutil.rmtree(folder.rename(root / f".tmp-old-{folder.name}-{os.getpid()}"), ignore_errors=True)
        temporary.rename(folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _write_records(path: Path, index: MatchIndex, tech_ids: list[str]) -> None:
    """One JSON array per line: ["value", name, value], ["columns", table, [...]], ["rows", table, [...]].

    Records are written as JSON objects: the parser makes the dicts in C (25% faster than zipping lists).
    """
    with path.open("w", encoding="utf-8") as handle:

        def line(*item: Any) -> None:
            handle.write(json.dumps(item, ensure_ascii=False, allow_nan=True))
            handle.write("\n")

        line("value", "technologies", index.technologies)
        line("value", "children", index.children)
        line("value", "tech_ids", tech_ids)
        for table in RECORD_TABLES:
            records: list[dict[str, Any]] = getattr(index, table)
            columns = list(records[0]) if records else []
            line("columns", table, columns)
            for start in range(0, len(records), CHUNK):
                chunk = records[start : start + CHUNK]
                if any(list(record) != columns for record in chunk):
                    raise ValueError(f"{table}: records of different fields")
                line("rows", table, chunk)
        words = sorted(index.bm25.vocabulary, key=index.bm25.vocabulary.__getitem__)
        for start in range(0, len(words), CHUNK * 10):
            line("rows", "vocabulary", words[start : start + CHUNK * 10])
        for start in range(0, len(index.need_words), CHUNK):
            line("rows", "need_words", [sorted(words) for words in index.need_words[start : start + CHUNK]])


def _crc32(path: Path) -> int:
    value = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            value = zlib.crc32(block, value)  # releases the GIL for blocks this size
    return value


def load(folder: Path, expected: dict[str, Any]) -> MatchIndex:
    """The index in `folder`; IndexFolderError (or any error reading it) when it is not the one expected."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise IndexFolderError(f"format {manifest.get('format')!r}, this version reads {FORMAT}")
    for key, value in expected.items():
        if manifest.get(key) != value:
            raise IndexFolderError(f"made for {key} {manifest.get(key)!r}, the store has {value!r}")
    files: dict[str, dict[str, int]] = manifest["files"]
    present = {path.name for path in folder.iterdir()} - {MANIFEST}
    if present != set(files):
        raise IndexFolderError(f"files {sorted(present ^ set(files))} missing or unexpected")
    for name, facts in files.items():
        path = folder / name
        if path.stat().st_size != facts["size"] or _crc32(path) != facts["crc32"]:
            raise IndexFolderError(f"{name} does not match its manifest (size or checksum)")
    arrays = {
        name[: -len(".npy")]: np.load(folder / name, mmap_mode="r", allow_pickle=False).view(np.ndarray)
        for name in files
        if name.endswith(".npy")
    }
    values, columns, rows = _read_records(folder / RECORDS)
    tables = {table: rows[table] for table in RECORD_TABLES}
    for table, records in tables.items():  # the first and last of each table (all were written alike)
        if records and (list(records[0]) != columns[table] or list(records[-1]) != columns[table]):
            raise IndexFolderError(f"{RECORDS}: {table} records do not have the columns {columns[table]}")
    technologies: dict[str, dict[str, Any]] = values["technologies"]
    tech_ids: list[str] = values["tech_ids"]
    bounds = arrays["tech_bounds"]
    shape = tuple(manifest["shape"])
    tf = Csr(arrays["bm25_data"], arrays["bm25_indices"], arrays["bm25_indptr"], (int(shape[0]), int(shape[1])))
    vocabulary = {word: i for i, word in enumerate(rows["vocabulary"])}
    organizations, capabilities, needs = tables["organizations"], tables["capabilities"], tables["needs"]
    n_docs = len(capabilities) + len(organizations)
    sizes = {
        "cap_org": len(capabilities),
        "cap_trl": len(capabilities),
        "cap_level": len(capabilities),
        "org_level": len(organizations),
        "doc_org": n_docs,
        "doc_level": n_docs,
        "doc_cap": n_docs,
        "bm25_lengths": n_docs,
        "need_level": len(needs),
        "need_org": len(needs),
        "tech_bounds": len(tech_ids) + 1,
    }
    for name, size in sizes.items():
        if arrays[name].shape != (size,):
            raise IndexFolderError(f"{name}.npy holds {arrays[name].shape}, the records need ({size},)")
    if shape != (len(vocabulary), n_docs) or len(rows["need_words"]) != len(needs):
        raise IndexFolderError("the BM25 matrix, the vocabulary or the need words do not fit the records")
    tf.check()
    return MatchIndex(
        technologies=technologies,
        children=values["children"],
        tagger=concept_tagger(technologies),
        organizations=organizations,
        org_position={org["id"]: i for i, org in enumerate(organizations)},
        capabilities=capabilities,
        cap_org=arrays["cap_org"],
        cap_trl=arrays["cap_trl"],
        cap_level=arrays["cap_level"],
        tech_caps={t: arrays["tech_caps"][bounds[i] : bounds[i + 1]] for i, t in enumerate(tech_ids)},
        needs=needs,
        doc_org=arrays["doc_org"],
        doc_level=arrays["doc_level"],
        doc_cap=arrays["doc_cap"],
        bm25=Bm25(vocabulary, tf, arrays["bm25_lengths"], arrays["doc_level"]),
        org_level=arrays["org_level"],
        need_level=arrays["need_level"],
        need_org=arrays["need_org"],
        need_words=[frozenset(words) for words in rows["need_words"]],
    )


def _read_records(path: Path) -> tuple[dict[str, Any], dict[str, list[str]], dict[str, list[Any]]]:
    values: dict[str, Any] = {}
    columns: dict[str, list[str]] = {}
    rows: dict[str, list[Any]] = {table: [] for table in (*RECORD_TABLES, "vocabulary", "need_words")}
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            kind, name, payload = json.loads(text)
            if kind == "value":
                values[name] = payload
            elif kind == "columns":
                columns[name] = payload
            elif kind == "rows" and name in rows:
                rows[name].extend(payload)
            else:
                raise IndexFolderError(f"{path.name}, line {number}: unknown entry {kind!r} {name!r}")
    missing = {"technologies", "children", "tech_ids"} - set(values) or set(RECORD_TABLES) - set(columns)
    if missing:
        raise IndexFolderError(f"{path.name}: no {sorted(missing)}")
    return values, columns, rows


def _remove_others(root: Path, keep: str) -> None:
    """Every other version and every temporary folder (called with the lock held: no builder is writing)."""
    for entry in root.iterdir():
        if entry.is_dir() and entry.name != keep and (entry.name.startswith(("v-", ".tmp-"))):
            shutil.rmtree(entry, ignore_errors=True)
