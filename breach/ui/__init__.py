"""The Textual terminal UI. Only this package imports Textual; it holds no legal logic."""
