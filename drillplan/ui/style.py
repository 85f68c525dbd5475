"""The application's style sheet: quiet office colours, one accent blue, red for alerts."""

from __future__ import annotations

STYLE_SHEET = """
QListWidget#nav {
    background: #f2f4f7;
    border: none;
    border-right: 1px solid #d5dae1;
    outline: 0;
    padding-top: 8px;
}
QListWidget#nav::item {
    padding: 9px 14px;
    color: #27323f;
    border-left: 3px solid transparent;
}
QListWidget#nav::item:hover { background: #e7ebf0; }
QListWidget#nav::item:selected {
    background: #dde8f5;
    color: #0b4a8b;
    border-left: 3px solid #1f6fc5;
}
QLabel#pageTitle { font-size: 15pt; font-weight: 600; color: #1d2733; }
QLabel#pageSubtitle { color: #7a8593; }
QLabel#pageNote, QLabel#rowCount { color: #5b6572; }
QFrame#card {
    background: #ffffff;
    border: 1px solid #d5dae1;
    border-radius: 6px;
}
QFrame#card[alert="true"] { background: #fdf4f3; border-color: #e6b8b3; }
QLabel#cardValue { font-size: 22pt; font-weight: 600; color: #1d3b5a; }
QFrame#card[alert="true"] QLabel#cardValue { color: #b3261e; }
QLabel#cardCaption { color: #4b5563; }
QLabel#notice {
    background: #fff8e1;
    border: 1px solid #eedc9a;
    border-radius: 4px;
    padding: 8px 10px;
    color: #5c4a12;
}
QTreeWidget#reports::item { padding: 5px 2px; }
QTableView, QTreeWidget {
    gridline-color: #e3e6ea;
    alternate-background-color: #f5f7fa;
    selection-background-color: #cfe0f5;
    selection-color: #10161d;
}
"""

STYLE_SHEET += """
QLabel#sectionTitle, QLabel#dataLabel { font-weight: 600; color: #1d2733; }
QLabel#restriction { color: #0b4a8b; font-weight: 600; }
QFrame#card[clickable="true"]:hover { border-color: #1f6fc5; }
QFrame#card[clickable="true"]:focus { border: 2px solid #1f6fc5; }
QFrame#scoreCard {
    background: #ffffff;
    border: 1px solid #d5dae1;
    border-radius: 6px;
}
QFrame#scoreCard[alert="true"] { background: #fdf4f3; border-color: #e6b8b3; }
QFrame#scoreCard QLabel#cardValue { font-size: 30pt; }
QFrame#countCard QLabel#cardValue { font-size: 15pt; }
QFrame#componentLink { border: none; background: transparent; }
QFrame#componentLink QLabel#cardValue { font-size: 10pt; font-weight: 400; color: #1d3b5a; }
QFrame#componentLink[alert="true"] QLabel#cardValue { color: #b3261e; }
QFrame#componentLink QLabel#cardCaption { max-height: 0px; }
QLabel#fieldError, QLabel#formError { color: #b3261e; }
"""
