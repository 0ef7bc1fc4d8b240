"""The floor the page benchmarks measure against: a bare Flask app rendering one small Jinja template."""

from __future__ import annotations

from flask import Flask, render_template
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
  <h1>{{ title }}</h1>
  <ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>
</body>
</html>
"""

app = Flask(__name__)
app.jinja_loader = DictLoader({"page.html": PAGE})


@app.get("/")
def page() -> str:
    """A page with a title and a short list, like the smallest real page."""
    return render_template("page.html", title="Halaman", items=["satu", "dua", "tiga"])
