"""The area pages of the main window, one package per area (page, actions, dialogs)."""
