"""The floor the page benchmarks measure against: a bare Flask app rendering one small Jinja template, and the
same page after one indexed SELECT through Flask-SQLAlchemy (the cost of any page that reads the database once)."""

from __future__ import annotations

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import text

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
# The engine options elearn gives PostgreSQL (elearn/extension.py): connections checked before use.
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("ELEARN_DATABASE_URL", "sqlite://")
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
db = SQLAlchemy(app)


@app.get("/")
def page() -> str:
    """A page with a title and a short list, like the smallest real page."""
    return render_template("page.html", title="Halaman", items=["satu", "dua", "tiga"])


@app.get("/sql")
def page_with_one_query() -> str:
    """The same page after reading one row by primary key."""
    name = db.session.execute(text("select name from elearn_person where id = 1")).scalar_one()
    return render_template("page.html", title=name, items=["satu", "dua", "tiga"])
