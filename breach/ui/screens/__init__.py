"""Screens of the breach UI."""
