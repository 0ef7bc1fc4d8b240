"""The accounts area: its blueprint and views."""
