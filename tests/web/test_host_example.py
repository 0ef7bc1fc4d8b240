"""The example host portal and elearn under /belajar work side by side, elearn inside the portal's layout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from examples.host_app import PortalUser, create_host_app, db
from tests.factories import make_person


@pytest.fixture
def host(database_url: str, tmp_path) -> Iterator[Flask]:
    """The portal on the test database: elearn's tables are there already, the portal adds its own."""
    app = create_host_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "host-test"}
    )
    app.instance_path = str(tmp_path)
    with app.app_context():
        PortalUser.__table__.create(db.engine, checkfirst=True)
        db.session.add(PortalUser(username="kepala", password_hash=generate_password_hash("rahasia-portal")))
        db.session.commit()
        yield app
        db.session.remove()
        PortalUser.__table__.drop(db.engine)
        from tests.conftest import empty_tables

        empty_tables(db.engine)
        db.engine.dispose()


def _csrf(client, url: str) -> str:
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True))
    assert match
    return match.group(1)


def test_host_pages_and_own_login_work(host):
    client = host.test_client()
    assert "Portal Kepegawaian" in client.get("/").get_data(as_text=True)
    assert client.get("/dasbor").status_code == 302
    response = client.post(
        "/login",
        data={"username": "kepala", "password": "rahasia-portal", "csrf_token": _csrf(client, "/login")},
    )
    assert response.headers["Location"].endswith("/dasbor")
    assert "Masuk sebagai kepala" in client.get("/dasbor").get_data(as_text=True)


def test_elearn_mounted_under_belajar_uses_host_layout(host):
    client = host.test_client()
    page = client.get("/belajar/masuk").get_data(as_text=True)
    assert "Portal Kepegawaian Kota" in page  # the host's header
    assert 'name="identifier"' in page  # elearn's login form
    assert client.get("/masuk").status_code == 404  # elearn lives only under its prefix


def test_elearn_login_inside_host_reaches_elearn_home(host):
    person = make_person(db.session, name="Dewi Lestari", password="kata-sandi-panjang")
    db.session.commit()
    client = host.test_client()
    response = client.post(
        "/belajar/masuk",
        data={
            "identifier": person.nip,
            "password": "kata-sandi-panjang",
            "csrf_token": _csrf(client, "/belajar/masuk"),
        },
    )
    assert response.status_code == 302
    home = client.get("/belajar/").get_data(as_text=True)
    assert "Dewi Lestari" in home and "Portal Kepegawaian Kota" in home
    assert "/belajar/static/elearn.css" in home


def test_host_shares_its_sqlalchemy_object_with_elearn(host):
    assert host.extensions["elearn"].db is db


def test_host_with_its_own_flask_login_loader_is_refused_clearly(tmp_path):
    from flask import Flask
    from flask_login import LoginManager

    from elearn import ELearn

    app = Flask("portal", instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="x", ELEARN_DATABASE_URL=f"sqlite:///{tmp_path}/p.db")
    LoginManager(app).user_loader(lambda user_id: None)
    with pytest.raises(RuntimeError, match="user loader"):
        ELearn(app)
