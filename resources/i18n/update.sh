#!/bin/sh
# Re-extract the UI strings into drillplan_en.ts (new ones arrive unfinished: translate them
# in the .ts, e.g. with pyside6-linguist) and compile drillplan_en.qm. Run from the repository root.
set -e
BIN=${BIN:-.venv/bin}
"$BIN/pyside6-lupdate" $(find drillplan/ui -name "*.py" | sort) -ts resources/i18n/drillplan_en.ts \
    -no-obsolete -locations none -source-language zh_CN -target-language en
"$BIN/pyside6-lrelease" resources/i18n/drillplan_en.ts -qm resources/i18n/drillplan_en.qm
"$BIN/pyside6-lrelease" resources/i18n/qt_extra_zh_CN.ts -qm resources/i18n/qt_extra_zh_CN.qm
