"""Screens: they own state and coordinate the widgets' messages."""
