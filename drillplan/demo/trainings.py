"""Demo training and public education events for Qingpu: a calendar year (the year of
``as_of``) of events across the 11 streets and towns, clustered around the public education
days (防灾减灾日 12 May, 安全生产月 June, 国际减灾日, 全国消防日 9 November), some linked to
plans and teams; a few past events have materials issued from a district depot, posted
through the real ledger (:func:`drillplan.trainings.materials.issue_for_event`) after the
rows are inserted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Lot, Material, TrainingEvent
from drillplan.demo.context import PAST_MARGIN, Ctx
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.vocab import TrainingKind, UnitKind
from drillplan.stock.holders import holder_by_code
from drillplan.trainings import materials
from drillplan.trainings.events import CODE_PREFIX
from drillplan.trainings.read import public_education_days

K = TrainingKind
#: the depot the demo issues publicity materials from, and how many events draw on it
ISSUE_DEPOT = "CK-QP-02"
ISSUED_EVENTS = 5

# (month, day or None for the public day, kind, title, topics, audience, venue, people,
#  organiser code or None for the street itself, plan title part, team codes)
# day None: the public education day of that month; a negative day: days after it
EVENTS: list[tuple[Any, ...]] = [
    (3, 18, K.TRAINING, "街镇应急管理干部培训班", "应急值守、信息报送", "街镇应急办工作人员",
     "区应急管理局培训室", 60, "310118-YJJ", "总体应急预案", ()),
    (4, 15, K.TRAINING, "汛前防汛抢险队伍培训", "防汛抢险、排涝设备操作", "防汛抢险队员",
     "区防汛物资仓库", 80, "310118-SWJ", "防汛防台专项", ("TD-ZY-01",)),
    (4, 24, K.LECTURE, "防汛防台知识讲座", "台风预警、人员转移", "村居干部", "镇会议中心", 90,
     None, "防汛防台应急预案", ()),
    (5, None, K.PUBLICITY, "全国防灾减灾日主题宣传活动", "防灾减灾、家庭应急包", "社区居民",
     "镇文化广场", 300, None, None, ("TD-ZYZ-01",)),
    (5, None, K.COMMUNITY, "防灾减灾日进社区宣传", "地震避险、火灾逃生", "社区居民",
     "居民区活动室", 120, None, None, ()),
    (5, None, K.SCHOOL, "防灾减灾日进校园应急演示", "地震避险、应急疏散", "中小学生",
     "区实验小学", 450, "310118-JYJ", "教育系统突发事件", ()),
    (5, -1, K.PUBLICITY, "防灾减灾宣传周科普展", "气象灾害预警信号", "市民",
     "区气象科普馆", 260, "310118-QXJ", "极端天气", ()),
    (5, -2, K.COMMUNITY, "应急救护进社区", "心肺复苏、AED 使用", "社区居民", "社区卫生服务中心",
     70, "310118-WJW", None, ("TD-SH-04",)),
    (5, -3, K.SCHOOL, "防溺水安全教育进校园", "防溺水、水上自救", "中学生", "镇中学", 380,
     None, None, ("TD-SH-01",)),
    (5, -4, K.COMMUNITY, "家庭防灾减灾知识讲堂", "家庭应急包、应急物资储备", "社区居民",
     "居委会", 55, None, None, ()),
    (6, 5, K.WORKPLACE, "安全生产月进企业宣讲", "危险化学品安全、隐患排查", "企业员工",
     "工业园区企业", 150, "310118-YJJ", "危险化学品事故", ("TD-ZY-03",)),
    (6, 10, K.TRAINING, "企业主要负责人安全生产培训", "安全生产责任制", "企业负责人",
     "区应急管理局培训室", 110, "310118-YJJ", "生产安全事故", ()),
    (6, 12, K.PUBLICITY, "安全宣传咨询日", "安全生产法、举报渠道", "市民", "镇人民广场", 500,
     None, None, ()),
    (6, 16, K.WORKPLACE, "有限空间作业安全培训进企业", "有限空间、中毒窒息", "企业员工",
     "企业会议室", 65, None, "生产安全事故应急预案", ()),
    (6, 19, K.LECTURE, "燃气安全专题讲座", "燃气泄漏处置", "餐饮从业人员", "镇社区学校", 85,
     None, None, ()),
    (6, 24, K.WORKPLACE, "危化品企业应急处置培训", "泄漏处置、个体防护", "企业应急队员",
     "泓源精细化工", 45, "310118-YJJ", "储罐区泄漏", ("TD-QY-01",)),
    (6, 27, K.COMMUNITY, "安全生产月进社区", "电动自行车安全", "社区居民", "居民区", 95, None,
     None, ()),
    (7, 8, K.TRAINING, "台风季应急值守培训", "值班值守、信息报送", "街镇值班人员",
     "镇应急指挥中心", 40, None, "防汛防台应急预案", ()),
    (7, 22, K.TRAINING, "社会应急力量水上救援培训", "水上救援、绳索技术", "社会救援队员",
     "淀山湖训练基地", 50, "310118-YJJ", None, ("TD-SH-01", "TD-SH-02")),
    (8, 20, K.LECTURE, "高温天气防暑降温讲座", "中暑救护", "户外作业人员", "镇社区学校", 75,
     "310118-WJW", None, ()),
    (9, 10, K.SCHOOL, "开学第一课安全教育", "校园安全、应急疏散", "中小学生", "镇中心小学",
     520, "310118-JYJ", None, ()),
    (9, 18, K.TRAINING, "应急救援志愿者培训", "应急救护、心理疏导", "志愿者", "区志愿者服务中心",
     90, "310118-YJJ", None, ("TD-ZYZ-01", "TD-ZYZ-02")),
    (10, None, K.PUBLICITY, "国际减灾日主题宣传", "减灾知识、避难场所", "市民", "镇文化广场",
     280, None, None, ()),
    (10, None, K.COMMUNITY, "应急避难场所开放日", "避难场所使用", "社区居民", "镇应急避难场所",
     160, None, None, ()),
    (10, -1, K.LECTURE, "地震应急知识讲座", "地震避险", "机关干部", "区政府会议室", 120,
     "310118-YJJ", "地震应急预案", ()),
    (10, -8, K.WORKPLACE, "进口博览会保障企业安全培训", "大客流、消防安全", "企业员工",
     "会展企业", 130, "310118-YJJ", "进口博览会", ()),
    (11, None, K.SCHOOL, "全国消防日消防安全进校园", "火灾逃生、灭火器使用", "中小学生",
     "镇中学", 600, "310118-XFZD", None, ()),
    (11, None, K.COMMUNITY, "消防安全进社区", "家庭火灾防范", "社区居民", "居民区", 140,
     "310118-XFZD", None, ()),
    (11, None, K.WORKPLACE, "消防安全进企业", "消防设施、疏散演示", "企业员工", "工业园区企业",
     180, "310118-XFZD", None, ()),
    (11, -1, K.PUBLICITY, "119 消防宣传月启动仪式", "消防安全", "市民", "镇文化广场", 350,
     None, None, ()),
    (11, -3, K.LECTURE, "养老机构消防安全讲座", "消防安全、疏散", "养老机构工作人员",
     "镇敬老院", 45, None, None, ()),
    (11, -6, K.TRAINING, "微型消防站队员培训", "初期火灾扑救", "微型消防站队员",
     "消防救援站", 60, "310118-XFZD", None, ()),
    (12, 2, K.TRAINING, "冬季安全生产培训", "冬春火灾防范", "企业安全管理人员",
     "区应急管理局培训室", 95, "310118-YJJ", None, ()),
    (12, 16, K.LECTURE, "冰冻雨雪天气防范讲座", "极端天气防范", "村居干部", "镇会议中心", 70,
     None, "极端天气", ()),
]  # fmt: skip


def _day(year: int, month: int, day: int | None) -> dt.date:
    public = {d.on.month: d.on for d in public_education_days(year)}
    if day is None:
        return public[month]
    if day < 0:
        return public[month] + dt.timedelta(days=-day)
    return dt.date(year, month, day)


def _venue(venue: str, street: str) -> str:
    """A district venue as written; a local one in the street-town (镇会议中心 -> X镇会议中心)."""
    if venue.startswith(("区", "淀山湖")) or "企业" in venue or "泓源" in venue:
        return venue
    return street + venue.removeprefix("镇")


def _find(rows: list[dict[str, Any]], key: str, part: str) -> int | None:
    return next((r["id"] for r in rows if part in str(r[key])), None)


def build_trainings(ctx: Ctx) -> None:
    """Queue the year's events and their plan and team links."""
    year = ctx.as_of.year
    rng = ctx.rng("trainings")
    units = ctx.rows.get("unit", [])
    streets = [u for u in units if u["kind"] == UnitKind.STREET_TOWN]
    if not streets:
        return
    units_by_code = {u["code"]: u["id"] for u in units}
    plans = ctx.rows.get("plan", [])
    teams = {t["code"]: t["id"] for t in ctx.rows.get("team", [])}
    for n, spec in enumerate(EVENTS):
        month, day, kind, title, topics, audience, venue, people, organiser, plan, crews = spec
        on = _day(year, month, day)
        street = streets[n % len(streets)]
        hour = rng.choice((9, 9, 10, 14))
        starts = dt.datetime.combine(on, dt.time(hour, 0))
        heads = max(10, int(people * rng.uniform(0.8, 1.2)))
        event_id = ctx.add(
            "training_event",
            {
                "code": f"{CODE_PREFIX}-{year}-{n + 1:03d}",
                "title": f"{street['name']}{title}"
                if organiser is None
                else f"{title}（{street['name']}）",
                "kind": kind,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=rng.choice((2, 2, 3))),
                "street_unit_id": street["id"],
                "organiser_unit_id": units_by_code.get(organiser or "", street["id"]),
                "venue": _venue(venue, street["name"]),
                "audience": audience,
                "headcount": heads,
                "topics": topics.split("、"),
                "notes": None,
                "row_version": 1,
            },
        )
        plan_id = _find(plans, "title", plan) if plan else None
        if plan_id is not None:
            ctx.add_plain("training_plan", {"training_id": event_id, "plan_id": plan_id})
        for code in crews:
            if code in teams:
                ctx.add_plain("training_team", {"training_id": event_id, "team_id": teams[code]})


def issue_training_materials(session: Session, ctx: Ctx) -> int:
    """Issue publicity materials for a few past events from the district relief depot, through
    the ledger (FEFO, dated the event day); returns how many events drew materials."""
    last = ctx.as_of - dt.timedelta(days=PAST_MARGIN)
    past = list(
        session.scalars(
            select(TrainingEvent)
            .where(TrainingEvent.starts_at < dt.datetime.combine(last, dt.time()))
            .where(TrainingEvent.kind.in_((K.PUBLICITY, K.COMMUNITY, K.SCHOOL)))
            .order_by(TrainingEvent.starts_at, TrainingEvent.code)
        )
    )
    try:
        holder = holder_by_code(session, ISSUE_DEPOT)
    except NotFound:  # a data set without the depot: nothing to issue
        return 0
    lots = list(
        session.execute(
            select(Lot.id, Lot.material_id, Lot.expiry_date)
            .join(Material, Lot.material_id == Material.id)
            .where(Lot.holder_id == holder.id, Lot.on_hand >= 10)
            .order_by(Material.code, Lot.id)
        ).tuples()
    )
    done = 0
    for n, event in enumerate(past):
        if done >= ISSUED_EVENTS or not lots:
            break
        day = event.starts_at.date()
        usable = [lot for lot in lots if lot[2] is None or lot[2] >= day]
        if not usable:
            continue
        lot_id, material_id, _expiry = usable[n % len(usable)]
        try:
            with session.begin_nested():  # one lot, one movement: the counts stay stable
                materials.issue_for_event(
                    session, event_id=event.id, holder_id=holder.id, material_id=material_id,
                    quantity=2, lot_ids=[lot_id], operator=ctx.operator, today=ctx.as_of,
                )  # fmt: skip
        except ValidationError:
            continue  # the lot had not arrived yet or was short that day: the next event
        done += 1
    return done


__all__ = ["build_trainings", "issue_training_materials"]
