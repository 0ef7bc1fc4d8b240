"""The admin area: its blueprint and views."""
