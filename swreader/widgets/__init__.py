"""Widgets: they show state they are given and post messages saying what the user did."""
