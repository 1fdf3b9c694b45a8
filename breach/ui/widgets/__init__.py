"""Widgets of the breach UI."""
