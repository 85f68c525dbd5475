"""Write a generated data set into a fresh SQLite file, and keep generated files cached.

The schema is made by :func:`drillplan.db.database.open_db` (the Alembic migrations, as for a
user's file); the rows are then written with the ``sqlite3`` module's executemany, the
secondary indexes of the big tables dropped during the load and rebuilt after it. The same
scale and seed always give the same rows (:func:`fingerprint` proves it).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from drillplan.db.database import open_db
from drillplan.db.migrate import head_revision, upgrade
from drillplan.tools.bench import orggen
from drillplan.tools.bench.scales import AS_OF, GENERATOR_VERSION, Scale
from drillplan.tools.bench.stockgen import LOT_COLUMNS, MOVEMENT_COLUMNS, StockGenerator

Log = Callable[[str], None]

BIG_TABLES = ("lot", "movement", "member", "certificate")
TABLES = (
    "unit", "material", "depot", "team", "holder", "member", "certificate", "tier_quota",
    "quota", "lot", "movement",
)  # fmt: skip
CHUNK = 50_000


def default_dir() -> Path:
    """Where generated files are kept: the user's cache directory."""
    return Path(platformdirs.user_cache_dir(appauthor=False)) / "drillplan-bench"


def _quiet(_: str) -> None:
    pass


def _insert(
    conn: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    total: int | None = None,
    log: Log = _quiet,
) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    it = iter(rows)
    done, shown = 0, 0
    while chunk := list(itertools.islice(it, CHUNK)):
        conn.executemany(sql, chunk)
        done += len(chunk)
        if total and total >= 10 * CHUNK and done - shown >= total // 10:
            log(f"  {table}: {done:,} / ~{total:,}")
            shown = done
    return done


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the named secondary indexes of the big tables; their CREATE statements."""
    marks = ", ".join("?" * len(BIG_TABLES))
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY name",
        BIG_TABLES,
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _rng(scale: Scale, part: str) -> random.Random:
    return random.Random(f"{scale.seed}:{scale.name}:{part}")


def _write(conn: sqlite3.Connection, scale: Scale, log: Log) -> dict[str, int]:
    counts: dict[str, int] = {}
    org = orggen.units(scale, _rng(scale, "units"))
    counts["unit"] = _insert(conn, "unit", orggen.UNIT_COLUMNS, org.units)
    material_rows, material_info = orggen.materials(scale, _rng(scale, "materials"))
    counts["material"] = _insert(conn, "material", orggen.MATERIAL_COLUMNS, material_rows)
    depots = orggen.depots(scale, _rng(scale, "depots"), org)
    counts["depot"] = _insert(conn, "depot", orggen.DEPOT_COLUMNS, depots)
    teams_of = orggen.member_teams(scale, _rng(scale, "member_teams"))
    headcounts = [0] * scale.teams
    for team in teams_of:
        headcounts[team - 1] += 1
    teams = orggen.teams(scale, _rng(scale, "teams"), org, headcounts)
    counts["team"] = _insert(conn, "team", orggen.TEAM_COLUMNS, teams)
    counts["holder"] = _insert(conn, "holder", orggen.HOLDER_COLUMNS, orggen.holders(scale))
    members = orggen.members(_rng(scale, "members"), teams_of)
    counts["member"] = _insert(conn, "member", orggen.MEMBER_COLUMNS, members)
    certificates = orggen.certificates(scale, _rng(scale, "certificates"))
    counts["certificate"] = _insert(conn, "certificate", orggen.CERTIFICATE_COLUMNS, certificates)
    tier_quotas, quotas = orggen.quotas(scale, _rng(scale, "quotas"), material_rows)
    counts["tier_quota"] = _insert(conn, "tier_quota", orggen.TIER_QUOTA_COLUMNS, tier_quotas)
    counts["quota"] = _insert(conn, "quota", orggen.QUOTA_COLUMNS, quotas)
    log(f"  registers written ({counts['depot']:,} depots, {counts['team']:,} teams)")

    stock = StockGenerator(
        scale,
        _rng(scale, "stock"),
        material_info,
        depot_holders=list(range(1, scale.depots + 1)),  # the ids orggen.holders gives
        team_holders=list(range(scale.depots + 1, scale.depots + scale.teams + 1)),
    )
    counts["lot"] = _insert(conn, "lot", LOT_COLUMNS, stock.lots(), total=scale.lots, log=log)
    operators = [orggen.names.person(_rng(scale, f"operator{i}")) for i in range(50)]
    counts["movement"] = _insert(
        conn,
        "movement",
        MOVEMENT_COLUMNS,
        stock.movements(operators),
        total=stock.ledger.count,
        log=log,
    )
    return counts


def generate(scale: Scale, path: Path, *, log: Log = _quiet) -> dict[str, int]:
    """Write the data set of ``scale`` into a new SQLite file at ``path``; the row counts."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_db(path).close()  # the schema, exactly as the migrations make it
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in (
            "journal_mode=OFF",  # a half-written file is thrown away, never used
            "synchronous=OFF",
            "cache_size=-262144",
            "temp_store=MEMORY",
            "foreign_keys=OFF",
        ):
            conn.execute(f"PRAGMA {pragma}")
        indexes = _drop_indexes(conn)
        conn.execute("BEGIN")
        counts = _write(conn, scale, log)
        conn.execute("COMMIT")
        log(f"  rebuilding {len(indexes)} indexes")
        for sql in indexes:
            conn.execute(sql)
        bad = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
        if bad:
            raise RuntimeError(f"generated rows break foreign keys: {bad}")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    return counts


def fingerprint(path: Path) -> str:
    """SHA-256 of every generated row, table by table in id order."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(path)
    try:
        for table in TABLES:
            digest.update(table.encode())
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


@dataclass(frozen=True)
class Dataset:
    scale: Scale
    path: Path
    counts: dict[str, int]
    generated_seconds: float
    reused: bool


def _identity(scale: Scale) -> dict[str, object]:
    return {
        "generator_version": GENERATOR_VERSION,
        "schema": head_revision(),
        "as_of": AS_OF.isoformat(),
        "scale": scale.as_dict(),
    }


def _upgrade(path: Path) -> None:
    from drillplan.db.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(path))
    try:
        upgrade(engine, backup=False)
    finally:
        engine.dispose()


def dataset(
    scale: Scale, directory: Path | None = None, *, regenerate: bool = False, log: Log = _quiet
) -> Dataset:
    """The cached data set of ``scale`` in ``directory``, generated first when missing.

    A file is reused only when its marker (written last, after a complete generation)
    names this generator version, schema revision, as-of date and scale.
    """
    directory = directory or default_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{scale.name}.sqlite3"
    marker = directory / f"{scale.name}.json"
    identity = _identity(scale)
    if not regenerate and path.exists() and marker.exists():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if all(saved.get(k) == v for k, v in identity.items()):
            return Dataset(scale, path, saved["counts"], saved["seconds"], reused=True)
        if all(saved.get(k) == v for k, v in identity.items() if k != "schema"):
            # only the schema moved on: migrate the data set as a user's database would be
            log(f"upgrading the {scale.name} data set from schema {saved.get('schema')} ...")
            _upgrade(path)
            saved["schema"] = identity["schema"]
            marker.write_text(json.dumps(saved, indent=2), encoding="utf-8")
            return Dataset(scale, path, saved["counts"], saved["seconds"], reused=True)
    marker.unlink(missing_ok=True)
    partial = directory / f"{scale.name}.partial.sqlite3"
    log(f"generating the {scale.name} data set in {path} ...")
    started = time.perf_counter()
    counts = generate(scale, partial, log=log)
    seconds = round(time.perf_counter() - started, 1)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    partial.replace(path)
    marker.write_text(
        json.dumps({**identity, "counts": counts, "seconds": seconds}, indent=2), encoding="utf-8"
    )
    log(f"generated in {seconds} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return Dataset(scale, path, counts, seconds, reused=False)
