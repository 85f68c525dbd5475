"""Testing a database location before the settings switch to it (the "test connection" button)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from drillplan.db import migrate
from drillplan.db.engine import make_engine, resolve_url, sqlite_path
from drillplan.kernel.errors import DrillplanError, ValidationError


@dataclass(frozen=True)
class ConnectionCheck:
    url: str  # the resolved URL, password hidden
    backend: str
    revision: str | None  # the schema revision found (None: empty database)
    head: str
    message_zh: str
    message_en: str

    @property
    def usable(self) -> bool:
        return self.revision in (None, self.head) or self.backend == "sqlite"


def check_connection(location: str, *, timeout_s: int = 5) -> ConnectionCheck:
    """Connect to ``location`` (a SQLite path or a database URL) and read its schema revision.

    Raises ValidationError("url") when the location cannot be reached. A SQLite file that
    does not exist yet is fine: it is created on first use.
    """
    text_value = (location or "").strip()
    if not text_value:
        raise ValidationError("url", "请填写数据库位置", message_en="give a database location")
    try:
        url = resolve_url(text_value)
    except (SQLAlchemyError, ValueError) as exc:
        raise ValidationError(
            "url", f"无法识别的数据库地址：{exc}", message_en=f"bad database URL: {exc}"
        ) from exc
    path = sqlite_path(url)
    head = migrate.head_revision()
    shown = url if path is not None else make_engine(url).url.render_as_string(hide_password=True)
    if path is not None and not path.exists():
        if not path.parent.exists() and not path.parent.parent.exists():
            raise ValidationError(
                "url", f"文件夹 {path.parent} 不存在", message_en=f"no folder {path.parent}"
            )
        return ConnectionCheck(
            shown,
            "sqlite",
            None,
            head,
            "文件尚不存在，首次使用时将新建",
            "the file will be created",
        )
    kwargs = {} if path is not None else {"connect_args": {"connect_timeout": timeout_s}}
    engine = make_engine(url, **kwargs)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        revision = migrate.current_revision(engine)
    except (SQLAlchemyError, DrillplanError, OSError) as exc:
        raise ValidationError(
            "url", f"无法连接数据库：{exc}", message_en=f"cannot connect: {exc}"
        ) from exc
    finally:
        engine.dispose()
    backend = engine.url.get_backend_name()
    if revision is None:
        zh, en = "连接成功：空数据库", "connected: an empty database"
    elif revision == head:
        zh, en = "连接成功：数据库版本与本程序一致", "connected: the schema is current"
    elif revision in migrate.known_revisions():
        zh, en = "连接成功：数据库版本较旧，打开时需升级", "connected: the schema needs an upgrade"
    else:
        zh, en = "连接成功，但数据库版本比本程序新", "connected, but the schema is newer"
    return ConnectionCheck(shown, backend, revision, head, zh, en)
