"""Both catalogues translate every source message; the language switch changes and keeps the language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from sqlalchemy import select

from elearn.i18n import LOCALES, TRANSLATIONS_DIR
from elearn.models import Person
from tests.factories import login, make_person, make_unit

PROJECT_DIR = Path(__file__).resolve().parents[2]
EXTRA_KEYWORDS = {"_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
# Frequent Indonesian words: an English "translation" containing one was copied, not translated
# (terms such as NIP, Mentor or Status are the same in both languages and may be copied).
INDONESIAN_WORDS = {
    "anda",
    "atau",
    "belum",
    "dan",
    "dengan",
    "di",
    "halaman",
    "ini",
    "kata",
    "ke",
    "kembali",
    "masuk",
    "pegawai",
    "saya",
    "simpan",
    "sudah",
    "tidak",
    "untuk",
    "yang",
}


def source_messages() -> set[str]:
    """Every msgid that the extract step of docs/i18n.md finds (singular of plurals)."""
    with (PROJECT_DIR / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(
        PROJECT_DIR, method_map, options_map, keywords={**DEFAULT_KEYWORDS, **EXTRA_KEYWORDS}
    )
    return {singular(message) for _, _, message, _, _ in found}


def singular(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def forms(message_string: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message_string,) if isinstance(message_string, str) else message_string


def translated(message_string: str | tuple[str, ...]) -> bool:
    return all(forms(message_string))


def catalogue_path(locale: str, suffix: str = "po") -> Path:
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"messages.{suffix}"


def read_catalogue(locale: str):  # noqa: ANN201  (a babel Catalog)
    with catalogue_path(locale).open("rb") as source:
        return read_po(source, locale=locale)


def page_language(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "page has no <html lang>"
    return match.group(1)


def test_sources_have_messages_to_translate() -> None:
    assert {"Masuk", "Beranda", "Lewati ke konten utama"} <= source_messages()


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_has_every_source_message(locale: str) -> None:
    catalogue = read_catalogue(locale)
    known = {singular(message.id) for message in catalogue if message.id}
    missing = sorted(source_messages() - known)
    assert missing == [], f"{locale}: run the extract/update steps in docs/i18n.md, then translate {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_has_no_empty_or_fuzzy_translation(locale: str) -> None:
    unfinished = [
        message.id
        for message in read_catalogue(locale)
        if message.id and (message.fuzzy or not translated(message.string))
    ]
    assert unfinished == [], f"{locale}: translate (and un-fuzzy) {unfinished}"


def test_indonesian_catalogue_repeats_the_indonesian_sources() -> None:
    differing = [m.id for m in read_catalogue("id") if m.id and (m.string or None) != m.id]
    assert differing == []


def test_english_catalogue_translates_rather_than_copies() -> None:
    copied = [m.id for m in read_catalogue("en") if m.id and m.string == m.id]
    left_in_indonesian = [
        text for text in copied if INDONESIAN_WORDS & set(re.findall(r"\w+", singular(text).lower()))
    ]
    assert left_in_indonesian == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_every_placeholder(locale: str) -> None:
    placeholders = re.compile(r"%\(\w+\)[sd]")
    broken = [
        message.id
        for message in read_catalogue(locale)
        if message.id
        and any(
            sorted(placeholders.findall(form)) != sorted(placeholders.findall(singular(message.id)))
            for form in forms(message.string)
        )
    ]
    assert broken == [], "a missing or renamed %(name)s placeholder breaks the page at run time"


def test_default_language_is_indonesian(client) -> None:
    html = client.get("/masuk").get_data(as_text=True)
    assert page_language(html) == "id"
    assert "Lewati ke konten utama" in html


def test_language_switch_changes_page_language_and_strings(client) -> None:
    response = client.post_form("/bahasa", {"locale": "en", "next": "/masuk"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert page_language(html) == "en"
    assert "Skip to main content" in html and "Lewati ke konten utama" not in html

    back = client.post_form("/bahasa", {"locale": "id", "next": "/masuk"}, follow_redirects=True)
    assert page_language(back.get_data(as_text=True)) == "id"


def test_language_switch_ignores_unknown_language(client) -> None:
    response = client.post_form("/bahasa", {"locale": "xx", "next": "/masuk"}, follow_redirects=True)
    assert page_language(response.get_data(as_text=True)) == "id"


def test_language_switch_refuses_to_redirect_off_site(client) -> None:
    response = client.post_form("/bahasa", {"locale": "en", "next": "//evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_configured_default_language_applies_to_anonymous_visitors(app, client) -> None:
    app.config["ELEARN_DEFAULT_LOCALE"] = "en"
    assert page_language(client.get("/masuk").get_data(as_text=True)) == "en"


def test_language_choice_persists_for_signed_in_person(app, session, client) -> None:
    person = make_person(session, name="Dewi Lestari")
    session.commit()
    login(client, person)
    client.post_form("/bahasa", {"locale": "en", "next": "/"})
    session.expire_all()
    assert session.scalar(select(Person.locale).where(Person.id == person.id)) == "en"

    other_browser = app.test_client()
    login(other_browser, person)
    html = other_browser.get("/").get_data(as_text=True)
    assert page_language(html) == "en"
    assert "Welcome, Dewi Lestari" in html


def test_english_headings_are_plural_and_a_count_chooses_the_noun(session, client) -> None:
    admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    admin.locale = "en"
    make_unit(session)
    session.commit()
    login(client, admin)
    people = client.get("/admin/orang").get_data(as_text=True)
    assert "<h1>Employees</h1>" in people and '<span class="badge badge-employee">Employee</span>' in people
    assert "<h1>Work units</h1>" in client.get("/admin/unit").get_data(as_text=True)
    assert "<p>1 unit</p>" in client.get("/admin/").get_data(as_text=True)
    make_unit(session)
    make_unit(session)
    session.commit()
    assert "<p>3 units</p>" in client.get("/admin/").get_data(as_text=True)


def test_indonesian_headings_keep_their_one_form(session, client) -> None:
    admin = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    session.commit()
    login(client, admin)
    assert "<h1>Pegawai</h1>" in client.get("/admin/orang").get_data(as_text=True)
    assert "<p>0 unit</p>" in client.get("/admin/").get_data(as_text=True)
