"""One writer process of the concurrency tests: ``python -m tests.support.stress SPEC.json``.

The spec (JSON) names the database, how many operations to run, a seed for the quantities,
the start files (the process writes ``ready`` and waits for ``go``, so that every writer
starts at once) and what to run:

- ``{"mode": "cli", "argv": [...]}``: the ``drillplan`` command itself (``main()``, in this
  process, its parser built once); ``{qty}`` in the arguments is replaced by 1 to 3;
- ``{"mode": "issue" | "transfer", ...}``: the ledger function, each call one transaction
  through :func:`drillplan.db.retry.in_transaction`, as the command line runs it.

It prints one JSON line: per operation the outcome (``ok``, ``refused`` with the message and
exit status, or ``traceback`` with the text) and the quantity asked for.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drillplan.kernel.errors import DrillplanError


def _wait_for_go(spec: dict[str, Any]) -> None:
    Path(spec["ready"]).write_text("ready", encoding="utf-8")
    deadline = time.monotonic() + 120
    while not Path(spec["go"]).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.01)


def _cli(spec: dict[str, Any], qty: int) -> dict[str, Any]:
    import drillplan.cli.main as cli_main

    argv = ["--db", spec["db"], *(a.replace("{qty}", str(qty)) for a in spec["argv"])]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli_main.main(argv)
    except BaseException:  # what the user would see as a traceback
        return {"outcome": "traceback", "text": traceback.format_exc()}
    if status == 0:
        return {"outcome": "ok", "out": out.getvalue()}
    return {"outcome": "refused", "status": status, "text": err.getvalue()}


def _core(spec: dict[str, Any], qty: int, database: Any) -> dict[str, Any]:
    from drillplan.db import retry
    from drillplan.stock import ledger

    kwargs = dict(spec["kwargs"], quantity=qty, operator=spec["operator"])
    for key in ("on", "today"):
        if key in kwargs:
            kwargs[key] = dt.date.fromisoformat(kwargs[key])
    operation: Callable[..., Any] = getattr(ledger, spec["mode"])
    retries: list[str] = []
    try:
        changes = retry.in_transaction(
            database,
            lambda session: operation(session, **kwargs),
            attempts=spec.get("attempts"),
            immediate=bool(spec.get("immediate")),
            on_retry=lambda _attempt, exc: retries.append(type(exc).__name__),
        )
    except DrillplanError as exc:
        text = f"{type(exc).__name__}: {exc}"
        return {"outcome": "refused", "status": 2, "text": text, "retries": len(retries)}
    except BaseException:
        return {"outcome": "traceback", "text": traceback.format_exc()}
    return {"outcome": "ok", "movements": len(changes.movements), "retries": len(retries)}


def main(path: str) -> None:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    rng = random.Random(spec["seed"])
    database = None
    if spec["mode"] == "cli":
        import drillplan.cli.main as cli_main

        cli_main.build_parser = functools.cache(cli_main.build_parser)  # type: ignore[assignment]
        run: Callable[[int], dict[str, Any]] = functools.partial(_cli, spec)
    else:
        from drillplan.db.database import open_db

        database = open_db(spec["db"])
        if spec.get("user"):
            from drillplan.auth.login import login

            login(database, spec["user"], spec["password"])
        run = functools.partial(_core, spec, database=database)
    if spec.get("env"):
        os.environ.update(spec["env"])
    _wait_for_go(spec)
    results = []
    started = time.monotonic()
    for _ in range(spec["n"]):
        qty = rng.randint(1, 3)
        results.append({"qty": qty, **run(qty)})
    if database is not None:
        database.close()
    seconds = round(time.monotonic() - started, 2)
    print(json.dumps({"results": results, "seconds": seconds}, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
