"""One translation mechanism for the UI: Qt's translator with .ts/.qm files.

Every visible string of the UI is written in Chinese and wrapped in :func:`tr`;
``pyside6-lupdate`` collects them into ``resources/i18n/drillplan_en.ts`` (where the English
is kept) and ``pyside6-lrelease`` compiles ``drillplan_en.qm``, which :func:`set_language`
installs. Labels that the core already provides in both languages (vocabulary, listing
columns, settings, report kinds) are chosen with :func:`pick`.

    sh resources/i18n/update.sh   # re-extract the strings, then compile the .qm
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from drillplan.kernel.resources import resources_dir

LANGUAGES: dict[str, str] = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

QT_CATALOGUES = {"zh": "qtbase_zh_CN"}  # Qt's own buttons ("Show Details...", "Cancel")
# what qtbase_zh_CN lacks for Qt 6's own dialogs ("&Look in:" of the file dialog ...)
QT_SUPPLEMENTS = {"zh": "qt_extra_zh_CN"}

_state: dict[str, object] = {"lang": DEFAULT_LANGUAGE, "translators": []}


def catalogue_dir() -> Path:
    return resources_dir() / "i18n"


def ts_path(lang: str = "en") -> Path:
    return catalogue_dir() / f"drillplan_{lang}.ts"


def qm_path(lang: str = "en") -> Path:
    return catalogue_dir() / f"drillplan_{lang}.qm"


def tr(source: str) -> str:
    """The UI text ``source`` (Chinese) in the current language."""
    return QCoreApplication.translate("", source)


def current_language() -> str:
    return str(_state["lang"])


def pick(zh: str, en: str) -> str:
    """Choose between a label pair supplied by the core."""
    return zh if current_language() == "zh" else en


def set_language(lang: str) -> str:
    """Install the translators of ``lang``; returns the language used.

    Our strings are written in Chinese, so Chinese needs only Qt's own catalogue (for the
    buttons Qt draws itself); English needs ours.
    """
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    app = QCoreApplication.instance()
    installed = _state["translators"]
    assert isinstance(installed, list)
    if app is not None:
        for old in installed:
            app.removeTranslator(old)
    installed.clear()
    if app is not None:
        if lang != DEFAULT_LANGUAGE:
            ours = QTranslator(app)
            if not ours.load(str(qm_path(lang))):
                raise RuntimeError(f"cannot load the translation {qm_path(lang)}")
            app.installTranslator(ours)
            installed.append(ours)
        qt_name = QT_CATALOGUES.get(lang)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(app)
        if qt_name and qt.load(qt_name, qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
        extra_name = QT_SUPPLEMENTS.get(lang)
        extra = QTranslator(app)
        if extra_name and extra.load(extra_name, str(catalogue_dir())):
            app.installTranslator(extra)  # installed last: asked first
            installed.append(extra)
    _state["lang"] = lang
    return lang
