# the TUI
