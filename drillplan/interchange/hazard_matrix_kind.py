"""The column spec of the warning-level response matrix sheet (预警响应矩阵, issue 15 item 2);
its handler is :mod:`drillplan.interchange.hazard_matrix`. Kept apart so that listing the kinds
(``drillplan --help``) imports no domain code."""

from __future__ import annotations

from drillplan.interchange.spec import Column, Kind, T

C = Column
PLAN, TEAM, MATERIAL = "预案", "队伍", "物资"
LINE_WORDS = {
    PLAN: PLAN, "plan": PLAN, "启动预案": PLAN,
    TEAM: TEAM, "team": TEAM, "待命队伍": TEAM, "队伍待命": TEAM,
    MATERIAL: MATERIAL, "material": MATERIAL, "前置物资": MATERIAL, "预置物资": MATERIAL,
}  # fmt: skip

HAZARD_MATRIX = Kind(
    "hazard-matrix", "预警响应矩阵", "Hazard response matrix", order=30,
    key=("hazard", "line", "level", "plan", "team", "material", "depot", "unit"),
    notes="每行一条：类型填 预案、队伍 或 物资。预案行填预案编号，从所填级别起启动"
    "（高级别包含低级别）；队伍行填队伍编号和最低待命人数；物资行填物资编码和数量，"
    "存放地点填储备库或单位（只填一个，都不填表示全区范围）。"
    "预警级别可填 蓝/黄/橙/红 或 Ⅳ～Ⅰ级。导入只增改，不删除矩阵中已有的行。",
    columns=(
        C("hazard", "灾种", "Hazard", synonyms=("灾种名称", "灾害类型", "预警类型"),
          required=True, example="台风", max_len=40),
        C("line", "类型", "Line", synonyms=("行类型", "内容类型", "line kind"), required=True,
          example="队伍", max_len=10, width=8),
        C("level", "预警级别", "Level", synonyms=("级别", "启动级别", "响应级别", "min_level"),
          required=True, example="橙色", max_len=20, width=10,
          help="预案行也可填启动的各级别（黄、橙、红：连续到最高级）"),
        C("plan", "预案编号", "Plan", synonyms=("预案", "预案代码"), max_len=60,
          example="", help="类型为预案时填写"),
        C("team", "队伍编号", "Team", synonyms=("队伍", "待命队伍", "队伍代码"), max_len=60,
          example="T-FX", help="类型为队伍时填写"),
        C("headcount", "待命人数", "Headcount", T.INT, ("最低待命人数", "人数"),
          example="20", width=10, help="类型为队伍时填写"),
        C("material", "物资编码", "Material", synonyms=("物资", "物资名称", "物资代码"),
          max_len=60, help="类型为物资时填写"),
        C("quantity", "数量", "Quantity", T.DECIMAL, ("前置数量", "预置数量"), decimals=3,
          width=12, help="类型为物资时填写，按物资的计量单位"),
        C("depot", "储备库", "Depot", synonyms=("存放储备库", "储备库编号", "存放地点"),
          max_len=60),
        C("unit", "单位", "Unit", synonyms=("存放单位", "单位编码"), max_len=60),
        C("name", "名称", "Name", synonyms=("预案/队伍/物资名称",), info=True, width=24),
        C("notes", "备注", "Notes", synonyms=("说明",), max_len=2000, width=30),
    ),
)  # fmt: skip
