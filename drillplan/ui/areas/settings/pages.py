"""The pages of the settings dialog (Picard's options pages): each declares its name and
title and implements load(), check() and save().

Settings the office shares live in the database (:mod:`drillplan.settings`, declared once
with their defaults); per-PC ones (language, database location) in QSettings.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from drillplan.kernel.errors import ValidationError
from drillplan.readiness.score import COMPONENT_LABELS, COMPONENTS
from drillplan.settings import OPTIONS

from drillplan.ui.i18n import LANGUAGES, pick, tr
from drillplan.ui.prefs import Prefs


def option_label(key: str) -> str:
    option = OPTIONS[key]
    return pick(option.zh, option.en)


class OptionsPage(QWidget):
    name = ""
    title = ""

    def load(self, values: dict[str, Any], prefs: Prefs) -> None:
        """Show the current values (core settings and per-PC preferences)."""

    def check(self) -> None:
        """Raise ValidationError for a value that cannot be saved."""

    def save(self, prefs: Prefs) -> dict[str, Any]:
        """Store per-PC preferences; return the core settings to write."""
        return {}


class GeneralPage(OptionsPage):
    name = "general"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = tr("常规")
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for key, shown in LANGUAGES.items():
            self.language.addItem(shown, key)
        self.unit_name = QLineEdit(self)
        self.unit_name.setObjectName("unit_name")
        self.predated = QCheckBox(option_label("allow_predated_movements"), self)
        self.predated.setObjectName("allow_predated_movements")
        form = QFormLayout(self)
        form.addRow(tr("界面语言"), self.language)
        form.addRow(option_label("unit_name"), self.unit_name)
        form.addRow(self.predated)
        note = QLabel(tr("切换语言时窗口会重新打开，数据不受影响。"), self)
        note.setObjectName("pageNote")
        form.addRow(note)

    def load(self, values: dict[str, Any], prefs: Prefs) -> None:
        self.language.setCurrentIndex(max(self.language.findData(prefs.language), 0))
        self.unit_name.setText(str(values["unit_name"]))
        self.predated.setChecked(bool(values["allow_predated_movements"]))

    def check(self) -> None:
        if not self.unit_name.displayText().strip():
            raise ValidationError(
                "unit_name", "报表单位名称不能为空", message_en="unit name required"
            )

    def save(self, prefs: Prefs) -> dict[str, Any]:
        prefs.language = str(self.language.currentData())
        return {
            "unit_name": self.unit_name.displayText().strip(),
            "allow_predated_movements": self.predated.isChecked(),
        }


class DatabasePage(OptionsPage):
    name = "database"

    def __init__(self, parent: QWidget | None = None, test: Any = None) -> None:
        super().__init__(parent)
        self.title = tr("数据库")
        self.location = QLineEdit(self)
        self.location.setObjectName("location")
        self.location.setPlaceholderText(
            tr("留空使用默认数据文件；或填写 postgresql+psycopg://用户@主机/库名")
        )
        browse = QPushButton(tr("选择文件…"), self)
        browse.clicked.connect(self.browse)
        self.test_button = QPushButton(tr("测试连接"), self)
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(
            lambda _c=False: test(self.location.displayText()) if test else None
        )
        self.result = QLabel(self)
        self.result.setObjectName("connectionResult")
        self.result.setWordWrap(True)
        self.current = QLabel(self)
        self.current.setObjectName("pageNote")
        self.current.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.location, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                tr("SQLite 数据文件路径或 PostgreSQL 地址（多台电脑共用时请用 PostgreSQL）"), self
            )
        )
        layout.addLayout(row)
        layout.addWidget(self.test_button)
        layout.addWidget(self.result)
        layout.addWidget(self.current)
        note = QLabel(
            tr("请勿把 SQLite 数据文件放在网络共享盘上。更改数据库位置后，下次启动时生效。"), self
        )
        note.setObjectName("notice")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)

    def browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self,
            tr("数据文件"),
            self.location.displayText(),
            "SQLite (*.sqlite3 *.db)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.location.setText(path)

    def load(self, values: dict[str, Any], prefs: Prefs) -> None:
        self.location.setText(prefs.database)

    def save(self, prefs: Prefs) -> dict[str, Any]:
        prefs.database = self.location.displayText()
        return {}


class AlertsPage(OptionsPage):
    name = "alerts"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = tr("预警与汛期")
        self.horizons = QLineEdit(self)
        self.horizons.setObjectName("expiry_horizons")
        self.horizons.setPlaceholderText("30、90、180")
        self.flood_start = QLineEdit(self)
        self.flood_start.setObjectName("flood_season_start")
        self.flood_end = QLineEdit(self)
        self.flood_end.setObjectName("flood_season_end")
        self.action_days = QSpinBox(self)
        self.action_days.setObjectName("action_due_days")
        self.action_days.setRange(1, 3650)
        self.lead_days = QSpinBox(self)
        self.lead_days.setObjectName("preseason_lead_days")
        self.lead_days.setRange(0, 180)
        self.inspection_days = QSpinBox(self)
        self.inspection_days.setObjectName("preseason_inspection_days")
        self.inspection_days.setRange(1, 36500)
        form = QFormLayout(self)
        for key, widget in (
            ("expiry_horizons", self.horizons),
            ("flood_season_start", self.flood_start),
            ("flood_season_end", self.flood_end),
            ("preseason_lead_days", self.lead_days),
            ("preseason_inspection_days", self.inspection_days),
            ("action_due_days", self.action_days),
        ):
            form.addRow(option_label(key), widget)

    def load(self, values: dict[str, Any], prefs: Prefs) -> None:
        self.horizons.setText("、".join(str(v) for v in values["expiry_horizons"]))
        self.flood_start.setText(str(values["flood_season_start"]))
        self.flood_end.setText(str(values["flood_season_end"]))
        self.action_days.setValue(int(values["action_due_days"]))
        self.lead_days.setValue(int(values["preseason_lead_days"]))
        self.inspection_days.setValue(int(values["preseason_inspection_days"]))

    def _horizons(self) -> list[int]:
        return OPTIONS["expiry_horizons"].parse(self.horizons.displayText())

    def check(self) -> None:
        for key, value in self.save_values().items():
            OPTIONS[key].validate(value)  # the registry's own rule and message

    def save_values(self) -> dict[str, Any]:
        return {
            "expiry_horizons": self._horizons(),
            "flood_season_start": self.flood_start.displayText().strip(),
            "flood_season_end": self.flood_end.displayText().strip(),
            "action_due_days": self.action_days.value(),
            "preseason_lead_days": self.lead_days.value(),
            "preseason_inspection_days": self.inspection_days.value(),
        }

    def save(self, prefs: Prefs) -> dict[str, Any]:
        return self.save_values()


class WeightsPage(OptionsPage):
    name = "weights"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = tr("战备评分权重")
        self.spins: dict[str, QDoubleSpinBox] = {}
        form = QFormLayout(self)
        for key in COMPONENTS:
            spin = QDoubleSpinBox(self)
            spin.setObjectName(f"weight_{key}")
            spin.setRange(0, 1000)
            spin.setDecimals(1)
            self.spins[key] = spin
            form.addRow(pick(*COMPONENT_LABELS[key]), spin)
        note = QLabel(tr("权重按比例计算，总和不必为 100。"), self)
        note.setObjectName("pageNote")
        form.addRow(note)

    def load(self, values: dict[str, Any], prefs: Prefs) -> None:
        weights = values["readiness_weights"]
        for key, spin in self.spins.items():
            spin.setValue(float(weights.get(key, 0)))

    def weights(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {}
        for key, spin in self.spins.items():
            value = spin.value()
            out[key] = int(value) if value == int(value) else value
        return out

    def check(self) -> None:
        if sum(self.weights().values()) <= 0:
            raise ValidationError(
                "readiness_weights", "权重总和必须大于 0", message_en="weights sum to 0"
            )

    def save(self, prefs: Prefs) -> dict[str, Any]:
        return {"readiness_weights": self.weights()}
