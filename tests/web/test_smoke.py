"""The standalone app starts, migrates, and serves the login page with security headers."""

from sqlalchemy import select

from elearn.models import Person
from tests.factories import login, make_person


def test_login_page_renders_with_security_headers(client):
    response = client.get("/masuk")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_home_requires_login_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_home_greets_signed_in_person(client, session):
    person = make_person(session, name="Siti Rahmawati")
    session.commit()
    login(client, person)
    assert "Siti Rahmawati" in client.get("/").get_data(as_text=True)


def test_person_round_trips_through_database(session):
    make_person(session, name="Budi Santoso", roles=("employee", "mentor"))
    session.commit()
    person = session.scalar(select(Person).where(Person.name == "Budi Santoso"))
    assert person is not None and person.roles == {"employee", "mentor"}


def test_database_refuses_email_not_in_lower_case(session):
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        make_person(session, email="Siti@Example.go.id")
    session.rollback()
