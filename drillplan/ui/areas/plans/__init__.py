"""应急预案: the plans page and its dialogs (history, attachments)."""
