"""Plausible names for generated rows: districts, streets, materials, people, certificates."""

from __future__ import annotations

import random

DISTRICTS = (
    "青浦", "黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦",
    "闵行", "宝山", "嘉定", "浦东", "金山", "松江", "奉贤", "崇明",
)  # fmt: skip

STREET_SUFFIXES = ("街道", "镇")
STREET_WORDS = (
    "夏阳", "盈浦", "香花桥", "赵巷", "徐泾", "华新", "重固", "白鹤", "朱家角", "练塘",
    "金泽", "新城", "东湖", "南桥", "西岭", "北港", "长江", "淀山", "泖河", "枫泾",
)  # fmt: skip

DEPARTMENTS = ("应急管理局", "水务局", "建设管理委员会", "交通委员会", "卫生健康委员会")

# (name, unit of measure, shelf life in days or None, reference price, flood control)
MATERIAL_BASES: tuple[tuple[str, str, int | None, float, bool], ...] = (
    ("救生衣", "件", 1825, 120.0, True),
    ("救生圈", "个", 1825, 90.0, True),
    ("编织袋", "条", 1095, 1.2, True),
    ("麻袋", "条", 1095, 3.5, True),
    ("防汛沙袋", "袋", 730, 8.0, True),
    ("土工布", "平方米", 1825, 6.0, True),
    ("抽水泵", "台", None, 3800.0, True),
    ("柴油发电机", "台", None, 26000.0, True),
    ("橡皮艇", "艘", 2920, 9000.0, True),
    ("应急照明灯", "盏", 1460, 260.0, False),
    ("帐篷", "顶", 2555, 2200.0, False),
    ("折叠床", "张", 2920, 310.0, False),
    ("棉被", "床", 1825, 180.0, False),
    ("毛毯", "条", 1825, 95.0, False),
    ("瓶装饮用水", "箱", 365, 28.0, False),
    ("方便食品", "箱", 270, 85.0, False),
    ("压缩饼干", "箱", 1095, 160.0, False),
    ("医用口罩", "盒", 730, 25.0, False),
    ("消毒液", "桶", 730, 60.0, False),
    ("急救包", "个", 1095, 150.0, False),
    ("灭火器", "具", 1825, 120.0, False),
    ("铁锹", "把", None, 35.0, True),
    ("雨衣", "件", 1460, 45.0, True),
    ("高筒雨靴", "双", 1460, 55.0, True),
    ("防化服", "套", 1825, 1500.0, False),
    ("柴油", "升", 365, 8.0, False),
    ("融雪剂", "吨", 730, 1600.0, False),
)

SPECS = ("标准型", "加强型", "轻便型", "大号", "中号", "小号", "I型", "II型", "III型", "A款")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志新海波斌宇浩凯鹏"

CERTIFICATES = (
    ("救援员证", "JY"),
    ("潜水员证", "QS"),
    ("红十字救护员证", "HS"),
    ("特种作业操作证（电工）", "TZ"),
    ("机动车驾驶证（A2）", "JS"),
    ("无人机驾驶员执照", "WR"),
    ("船员适任证书", "CY"),
    ("危险化学品安全作业证", "WH"),
)

SPECIALTIES = ("防汛抢险", "交通运输", "建设工程", "水上救援", "危险化学品", "医疗救护", "通信保障")
ROLES = ("队员", "队员", "队员", "队员", "班长", "副队长", "队长")
SUPPLIERS = ("上海应急物资有限公司", "华东救援装备厂", "青浦防汛器材站", "申城后勤服务公司")


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
