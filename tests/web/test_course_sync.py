"""Course sync: idempotent, versioned, keeps progress, refuses broken courses whole, safe when concurrent."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.competency import load_dictionary
from elearn.courses import load_course, loader, render
from elearn.db import Base
from elearn.models import (
    AssetBlob,
    Competency,
    Completion,
    Course,
    CourseVersion,
    ModuleContent,
    ModuleProgress,
    Question,
    VersionModule,
)
from elearn.quizzes.stored import stored_columns
from elearn.services import course_sync
from elearn.services.competency import known_competency_codes, seed_dictionary
from elearn.services.course_sync import sync_courses
from tests.factories import make_person

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\0" * 16

COURSE_MD = """\
---
title: Kursus {name}
code: {code}
summary: Ringkasan kursus {name}.
jp: 2
competencies:
  - {{code: M.05, level: 2}}
{extra}---
## Tentang kursus

Kursus contoh untuk pengujian sinkronisasi.
"""

LESSON_MD = """\
---
title: {title}
kind: lesson
minutes: 20
---
## {title}

{body}

![Diagram alur](assets/alur.png)
"""

QUIZ_MD = """\
---
title: Kuis
kind: quiz
minutes: 10
pass_mark: 70
attempts: 0
show_answers: after_submit
---
Kerjakan kuis berikut.

## Asas mana yang menuntut tarif diumumkan? {{#q-asas}}
- [ ] Partisipatif
  > Partisipatif menyangkut keterlibatan warga.
- [x] Keterbukaan {{#keterbukaan}}
> Penjelasan: Keterbukaan berarti informasi layanan mudah diakses.

## Singkatan survei kepuasan masyarakat adalah... {{#q-singkatan type=short}}
= {short_answer}

## Berapa 6 x 7? {{#q-hitung type=numeric}}
= 42 +- 0.5

## Pasangkan istilah dengan artinya. {{#q-pasang type=matching}}
- IKM -> Indeks Kepuasan Masyarakat
- SKM -> Survei Kepuasan Masyarakat
"""

TECHNICAL_COMPETENCY = """\
defines_competencies:
  - code: T.UJI.01
    name: Pengujian Sinkronisasi
    definition: Kemampuan menguji sinkronisasi kursus.
    levels:
      1: Mengenal dasar pengujian.
      2: Menguji dengan bimbingan.
      3: Menguji secara mandiri.
      4: Membimbing orang lain menguji.
      5: Menetapkan standar pengujian.
"""


def write_course(root: Path, slug: str, *, lesson_body: str = "Isi materi pertama.", extra: str = "") -> Path:
    """A valid course: two lessons, a quiz with four question types, and one image asset."""
    folder = root / slug
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "assets" / "alur.png").write_bytes(PNG)
    (folder / "course.md").write_text(COURSE_MD.format(name=slug, code=slug.upper()[:10], extra=extra))
    (folder / "01-pengantar.md").write_text(LESSON_MD.format(title="Pengantar", body=lesson_body))
    (folder / "02-materi.md").write_text(LESSON_MD.format(title="Materi Inti", body="Isi materi kedua."))
    (folder / "03-kuis.md").write_text(QUIZ_MD.format(short_answer="SKM"))
    return folder


CATALOG_TABLES = [
    table
    for name, table in Base.metadata.tables.items()
    if name.startswith(
        ("elearn_course", "elearn_module", "elearn_version", "elearn_question", "elearn_asset")
    )
    or name in ("elearn_competency", "elearn_competency_level")
]


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every catalogue table, so a no-op can be proven to change nothing (ids, timestamps)."""
    return {
        table.name: sorted(
            (tuple(repr(value) for value in row) for row in session.execute(select(table))), key=repr
        )
        for table in CATALOG_TABLES
    }


@contextmanager
def counting_writes(app: Flask) -> Iterator[list[str]]:
    """Record every INSERT, UPDATE or DELETE the engine sends while the block runs."""
    engine = app.extensions["elearn"].db.engine
    writes: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield writes
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def current_version(session: Session, slug: str) -> CourseVersion:
    course = session.scalars(select(Course).where(Course.slug == slug)).one()
    assert course.current_version is not None
    return course.current_version


def module_contents_by_key(session: Session, version: CourseVersion) -> dict[str, int]:
    rows = session.execute(
        select(VersionModule.key, VersionModule.module_content_id).where(
            VersionModule.version_id == version.id
        )
    )
    return {key: content_id for key, content_id in rows}


def test_sync_imports_course_with_modules_questions_and_assets(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a")

    report = sync_courses(session, tmp_path)

    assert report.created == ("kursus-a",)
    assert report.ok
    version = current_version(session, "kursus-a")
    assert version.number == 1
    assert [module.key for module in version.modules] == ["01-pengantar", "02-materi", "03-kuis"]
    assert "<h2" in version.modules[0].content.body_html
    quiz = version.modules[2].content
    assert quiz.settings["pass_mark"] == 70
    assert [link.question.qid for link in quiz.questions] == ["q-asas", "q-singkatan", "q-hitung", "q-pasang"]
    assert [(asset.path, asset.sha256) for asset in version.assets] == [
        ("assets/alur.png", session.scalars(select(AssetBlob.sha256)).one())
    ]
    assert session.scalars(select(AssetBlob.data)).one() == PNG
    assert [(c.competency_code, c.level) for c in version.competencies] == [("M.05", 2)]


def test_resync_of_unchanged_tree_writes_nothing(app: Flask, session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a")
    write_course(tmp_path, "kursus-b")
    sync_courses(session, tmp_path)
    before = snapshot(session)
    session.commit()

    with counting_writes(app) as writes:
        report = sync_courses(session, tmp_path)

    assert writes == []
    assert report.unchanged == ("kursus-a", "kursus-b")
    assert (report.created, report.updated, report.archived, report.refused) == ((), (), (), ())
    assert snapshot(session) == before


def test_editing_one_lesson_keeps_progress_on_unchanged_modules(session: Session, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    first = current_version(session, "kursus-a")
    first_contents = module_contents_by_key(session, first)
    learner = make_person(session)
    for key, content_id in first_contents.items():
        session.add(
            ModuleProgress(
                person_id=learner.id,
                module_content_id=content_id,
                course_id=first.course_id,
                module_key=key,
                progress=1.0,
            )
        )
    session.add(Completion(person_id=learner.id, course_id=first.course_id, version_id=first.id, jp=first.jp))
    session.commit()

    (folder / "01-pengantar.md").write_text(LESSON_MD.format(title="Pengantar", body="Isi yang diperbaiki."))
    report = sync_courses(session, tmp_path)

    assert report.updated == ("kursus-a",)
    second = current_version(session, "kursus-a")
    second_contents = module_contents_by_key(session, second)
    assert second.number == 2
    assert second_contents["01-pengantar"] != first_contents["01-pengantar"]
    assert {key: second_contents[key] for key in ("02-materi", "03-kuis")} == {
        key: first_contents[key] for key in ("02-materi", "03-kuis")
    }
    progressed = set(
        session.scalars(
            select(ModuleProgress.module_content_id).where(ModuleProgress.person_id == learner.id)
        )
    )
    assert progressed & set(second_contents.values()) == {
        second_contents["02-materi"],
        second_contents["03-kuis"],
    }
    assert session.scalars(select(Completion.version_id)).all() == [first.id]
    assert count(session, Question) == 4


def test_editing_one_question_reuses_the_other_questions(session: Session, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    before = {qid: row_id for qid, row_id in session.execute(select(Question.qid, Question.id))}

    (folder / "03-kuis.md").write_text(QUIZ_MD.format(short_answer="S.K.M."))
    sync_courses(session, tmp_path)

    quiz = current_version(session, "kursus-a").modules[2].content
    after = {link.question.qid: link.question_id for link in quiz.questions}
    assert after["q-singkatan"] != before["q-singkatan"]
    assert {qid: after[qid] for qid in ("q-asas", "q-hitung", "q-pasang")} == {
        qid: before[qid] for qid in ("q-asas", "q-hitung", "q-pasang")
    }


def test_invalid_course_is_refused_whole_while_others_import(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-baik")
    broken = write_course(tmp_path, "kursus-rusak")
    (broken / "03-kuis.md").write_text(
        QUIZ_MD.format(short_answer="SKM").replace("- [x] Keterbukaan", "- [ ] Ket")
    )

    report = sync_courses(session, tmp_path)

    assert report.created == ("kursus-baik",)
    assert [refused.slug for refused in report.refused] == ["kursus-rusak"]
    assert any("03-kuis.md" in problem.path and problem.line > 1 for problem in report.refused[0].problems)
    assert session.scalars(select(Course.slug)).all() == ["kursus-baik"]
    assert count(session, ModuleContent) == 3


def test_course_that_breaks_keeps_its_current_version(session: Session, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    (folder / "course.md").write_text("---\ntitle: Tanpa kode\n---\n")

    report = sync_courses(session, tmp_path)

    assert [refused.slug for refused in report.refused] == ["kursus-a"]
    assert current_version(session, "kursus-a").number == 1
    assert count(session, CourseVersion) == 1


def test_removed_course_is_archived_with_its_records_and_restored_when_back(
    session: Session, tmp_path: Path
) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    learner = make_person(session)
    version = current_version(session, "kursus-a")
    session.add(
        Completion(person_id=learner.id, course_id=version.course_id, version_id=version.id, jp=version.jp)
    )
    session.commit()
    kept = tmp_path.parent / "disimpan"
    shutil.move(folder, kept)

    archived = sync_courses(session, tmp_path)

    course = session.scalars(select(Course)).one()
    assert archived.archived == ("kursus-a",)
    assert course.archived_at is not None
    assert (count(session, CourseVersion), count(session, ModuleContent), count(session, Completion)) == (
        1,
        3,
        1,
    )

    shutil.move(kept, folder)
    restored = sync_courses(session, tmp_path)

    session.refresh(course)
    assert restored.restored == ("kursus-a",)
    assert course.archived_at is None
    assert count(session, CourseVersion) == 1


def test_reverted_source_makes_the_earlier_version_current_again(session: Session, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    original = (folder / "01-pengantar.md").read_text()
    (folder / "01-pengantar.md").write_text(original + "\nTambahan.\n")
    sync_courses(session, tmp_path)

    (folder / "01-pengantar.md").write_text(original)
    report = sync_courses(session, tmp_path)

    assert report.updated == ("kursus-a",)
    assert current_version(session, "kursus-a").number == 1
    assert count(session, CourseVersion) == 2


def test_concurrent_syncs_leave_exactly_one_version(app: Flask, session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a")
    write_course(tmp_path, "kursus-b")
    barrier = threading.Barrier(2)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                own_session = app.extensions["elearn"].db.session
                barrier.wait()
                reports.append(sync_courses(own_session, tmp_path))
        except BaseException as error:  # noqa: BLE001  (re-raised in the main thread)
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert count(session, CourseVersion) == 2
    assert count(session, Course) == 2
    assert count(session, ModuleContent) == 6
    assert sorted(slug for report in reports for slug in report.created) == ["kursus-a", "kursus-b"]
    assert sorted(slug for report in reports for slug in report.unchanged) == ["kursus-a", "kursus-b"]


def test_answer_keys_are_stored_only_in_answer_key(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)

    questions = {q.qid: q for q in session.scalars(select(Question))}
    quiz_html = current_version(session, "kursus-a").modules[2].content.body_html

    assert questions["q-asas"].answer_key["credits"] == {"keterbukaan": "1"}
    [feedback] = questions["q-asas"].answer_key["feedback"].values()
    assert "Partisipatif menyangkut" in feedback
    assert questions["q-singkatan"].answer_key == {"answers": [{"pattern": "SKM", "credit": "1"}]}
    assert questions["q-hitung"].answer_key["answers"] == [
        {"label": "42 +- 0.5", "credit": "1", "low": "41.5", "high": "42.5"}
    ]
    for question in questions.values():
        shown = repr((question.stem_html, question.options, question.explanation_html, quiz_html))
        assert "credit" not in shown
        assert "feedback" not in shown
    assert "SKM" not in repr(
        (questions["q-singkatan"].stem_html, questions["q-singkatan"].options, quiz_html)
    )
    assert "42" not in repr((questions["q-hitung"].options, quiz_html))


def test_matching_options_do_not_reveal_the_pairing(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)

    matching = session.scalars(select(Question).where(Question.qid == "q-pasang")).one()
    lefts = [option for option in matching.options if option["side"] == "left"]
    rights = [option for option in matching.options if option["side"] == "right"]

    assert [option["id"] for option in rights] == ["r1", "r2"]
    assert [option["html"] for option in rights] == sorted(option["html"] for option in rights)
    assert set(matching.answer_key["pairs"]) == {option["id"] for option in lefts}
    assert sorted(matching.answer_key["pairs"].values()) == ["r1", "r2"]


def test_question_columns_keep_correctness_out_of_options() -> None:
    from elearn.courses.model import Option
    from elearn.courses.model import Question as ParsedQuestion

    parsed = ParsedQuestion(
        id="q", type="single", points=2, stem_html="<p>Soal</p>",
        options=(
            Option("a", "<p>A</p>", Decimal(1)),
            Option("b", "<p>B</p>", Decimal("0.5"), "<p>Setengah</p>"),
            Option("c", "<p>C</p>", Decimal(0), "<p>Bukan</p>"),
        ),
        content_hash="h",
    )  # fmt: skip

    columns = stored_columns(parsed)

    assert columns["options"] == [
        {"id": "a", "html": "<p>A</p>"},
        {"id": "b", "html": "<p>B</p>"},
        {"id": "c", "html": "<p>C</p>"},
    ]
    assert columns["answer_key"] == {
        "credits": {"a": "1", "b": "0.5"},
        "feedback": {"b": "<p>Setengah</p>", "c": "<p>Bukan</p>"},
    }


def test_course_defined_competency_is_upserted_with_the_course_as_source(
    session: Session, tmp_path: Path
) -> None:
    write_course(tmp_path, "kursus-teknis", extra=TECHNICAL_COMPETENCY)

    report = sync_courses(session, tmp_path)

    competency = session.scalars(select(Competency).where(Competency.code == "T.UJI.01")).one()
    assert report.created == ("kursus-teknis",)
    assert (competency.source, competency.kind, len(competency.levels)) == ("kursus-teknis", "teknis", 5)


def test_course_using_a_competency_defined_by_a_later_course_imports(
    session: Session, tmp_path: Path
) -> None:
    write_course(tmp_path, "a-pemakai", extra="").joinpath("course.md").write_text(
        COURSE_MD.format(name="a", code="A-1", extra="").replace("M.05, level: 2", "T.UJI.01, level: 1")
    )
    write_course(tmp_path, "z-pendefinisi", extra=TECHNICAL_COMPETENCY)

    report = sync_courses(session, tmp_path)

    assert report.refused == ()
    assert sorted(report.created) == ["a-pemakai", "z-pendefinisi"]


def test_competency_defined_by_two_courses_is_refused_for_the_second(
    session: Session, tmp_path: Path
) -> None:
    write_course(tmp_path, "kursus-pertama", extra=TECHNICAL_COMPETENCY)
    sync_courses(session, tmp_path)
    write_course(tmp_path, "kursus-kedua", extra=TECHNICAL_COMPETENCY)

    report = sync_courses(session, tmp_path)

    assert [refused.slug for refused in report.refused] == ["kursus-kedua"]
    assert "kursus-pertama" in str(report.refused[0].problems[0])


def test_seed_dictionary_is_idempotent(app: Flask, session: Session) -> None:
    seed_dictionary(session)
    session.commit()
    codes = known_competency_codes(session)

    with counting_writes(app) as writes:
        changed = seed_dictionary(session)
        session.commit()

    assert {"M.01", "M.05", "SK.01"} <= codes
    assert (changed, writes) == (0, [])


@pytest.mark.parametrize("edit", ["title", "level"])
def test_seed_dictionary_repairs_edited_rows(session: Session, edit: str) -> None:
    seed_dictionary(session)
    row = session.scalars(select(Competency).where(Competency.code == "M.05")).one()
    if edit == "title":
        row.name = "diubah"
    else:
        row.levels[0].description = "diubah"
    session.commit()

    assert seed_dictionary(session) == 1
    assert "diubah" not in (row.name, row.levels[0].description)


def test_write_that_loses_a_race_is_rolled_back_and_retried(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_course(tmp_path, "kursus-a")
    real_write = course_sync._write_course
    lost_races: list[str] = []

    def lose_first_race(*args: Any) -> Any:
        result = real_write(*args)
        if not lost_races:
            lost_races.append("kursus-a")
            raise IntegrityError("INSERT", {}, Exception("duplicate key from another server"))
        return result

    monkeypatch.setattr(course_sync, "_write_course", lose_first_race)

    report = sync_courses(session, tmp_path)

    assert lost_races == ["kursus-a"]
    assert report.created == ("kursus-a",)
    assert (count(session, Course), count(session, CourseVersion), count(session, ModuleContent)) == (1, 1, 3)


def test_renderer_upgrade_rerenders_stored_html_in_place_and_keeps_progress(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    first = current_version(session, "kursus-a")
    first_contents = module_contents_by_key(session, first)
    learner = make_person(session)
    for key, content_id in first_contents.items():
        session.add(
            ModuleProgress(
                person_id=learner.id,
                module_content_id=content_id,
                course_id=first.course_id,
                module_key=key,
                progress=1.0,
            )
        )
    for content in session.scalars(select(ModuleContent)):
        content.body_html = "<p>keluaran perender lama</p>"
    for question in session.scalars(select(Question)):
        question.stem_html = "<p>soal lama</p>"
    session.commit()
    question_ids = set(session.scalars(select(Question.id)))

    monkeypatch.setattr(render, "RENDERER_VERSION", render.RENDERER_VERSION + 1)
    report = sync_courses(session, tmp_path)

    assert report.updated == ("kursus-a",)
    second = current_version(session, "kursus-a")
    assert second.number == 2
    assert module_contents_by_key(session, second) == first_contents
    contents = session.scalars(select(ModuleContent)).all()
    assert not any("lama" in content.body_html for content in contents)
    assert all("<h2" in content.body_html for content in contents if content.kind == "lesson")
    assert {content.renderer_version for content in contents} == {render.RENDERER_VERSION}
    assert not any("lama" in question.stem_html for question in session.scalars(select(Question)))
    assert set(session.scalars(select(Question.id))) == question_ids
    progressed = set(
        session.scalars(
            select(ModuleProgress.module_content_id).where(ModuleProgress.person_id == learner.id)
        )
    )
    assert progressed == set(first_contents.values())


def test_renderer_upgrade_rewrites_stored_answer_keys_in_place(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    for question in session.scalars(select(Question)):
        question.answer_key = {"correct": ["keterbukaan"], "accepted": ["SKM"]}  # the shape before credits
        question.options = [{"id": "lama", "html": "lama"}]
    session.commit()
    row_ids = {qid: row_id for qid, row_id in session.execute(select(Question.qid, Question.id))}

    monkeypatch.setattr(render, "RENDERER_VERSION", render.RENDERER_VERSION + 1)
    sync_courses(session, tmp_path)

    parsed = load_course(folder, known_competencies=frozenset(load_dictionary())).course
    assert parsed is not None
    expected = {question.id: stored_columns(question) for question in parsed.module("03-kuis").questions}
    stored = {question.qid: question for question in session.scalars(select(Question))}
    assert {qid: row.id for qid, row in stored.items()} == row_ids
    assert {qid: (row.options, row.answer_key) for qid, row in stored.items()} == {
        qid: (columns["options"], columns["answer_key"]) for qid, columns in expected.items()
    }
    assert stored["q-asas"].answer_key["credits"] == {"keterbukaan": "1"}


def test_older_renderer_never_overwrites_newer_html(session: Session, tmp_path: Path) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    for content in session.scalars(select(ModuleContent)):
        content.renderer_version = render.RENDERER_VERSION + 1
        content.body_html = "<p>keluaran perender baru</p>"
    session.commit()

    (folder / "course.md").write_text((folder / "course.md").read_text() + "\nIkhtisar diperbarui.\n")
    report = sync_courses(session, tmp_path)

    assert report.updated == ("kursus-a",)
    assert {content.body_html for content in session.scalars(select(ModuleContent))} == {
        "<p>keluaran perender baru</p>"
    }


def test_resync_renders_only_the_changed_modules(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_course(tmp_path, "kursus-a")
    sync_courses(session, tmp_path)
    sent: list[list[str]] = []
    real = loader.render_batches

    def spy(batches: Any, *, timeout: float) -> Any:
        sent.extend(list(batch) for batch in batches)
        return real(batches, timeout=timeout)

    monkeypatch.setattr(loader, "render_batches", spy)
    (folder / "01-pengantar.md").write_text(LESSON_MD.format(title="Pengantar", body="Isi yang diperbaiki."))

    report = sync_courses(session, tmp_path)

    assert report.updated == ("kursus-a",)
    assert len(sent) == 2  # the overview and the edited lesson; 02-materi and 03-kuis are stored
    assert any("Isi yang diperbaiki." in text for text in sent[1])
    edited = current_version(session, "kursus-a").modules[0].content
    assert "Isi yang diperbaiki." in edited.body_html


def test_module_skipped_as_stored_but_missing_is_refused_for_a_retry(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_course(tmp_path, "kursus-a")
    claimed = hashlib.sha256((folder / "01-pengantar.md").read_bytes()).hexdigest()
    monkeypatch.setattr(
        course_sync, "_rendered_modules", lambda session, slugs: {"kursus-a": frozenset({claimed})}
    )

    report = sync_courses(session, tmp_path)

    assert [str(problem) for problem in report.refused[0].problems] == [
        "kursus-a/01-pengantar.md:1:1: modul berubah di basis data selama sinkronisasi; jalankan sinkronisasi lagi"
    ]
    assert count(session, ModuleContent) == 0


def test_sync_refuses_an_unknown_prerequisite_at_its_line(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a", extra="prerequisites: [kursus-b]\n")
    write_course(tmp_path, "kursus-c")

    report = sync_courses(session, tmp_path)

    assert report.created == ("kursus-c",)
    assert [str(problem) for problem in report.refused[0].problems] == [
        "kursus-a/course.md:8:17: prasyarat 'kursus-b' tidak ada (maksud Anda: 'kursus-c'?)"
    ]


def test_sync_accepts_a_prerequisite_only_the_catalogue_holds(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path / "lama", "kursus-dasar")
    sync_courses(session, tmp_path / "lama")
    write_course(tmp_path / "baru", "kursus-lanjut", extra="prerequisites: [kursus-dasar]\n")

    report = sync_courses(session, tmp_path / "baru")

    assert (report.created, report.refused) == (("kursus-lanjut",), ())
    assert current_version(session, "kursus-lanjut").prerequisites == ["kursus-dasar"]


def test_sync_refuses_the_edit_that_closes_a_prerequisite_cycle(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "kursus-a", extra="prerequisites: [kursus-b]\n")
    write_course(tmp_path, "kursus-b")
    sync_courses(session, tmp_path)

    write_course(tmp_path, "kursus-b", extra="prerequisites: [kursus-a]\n")
    report = sync_courses(session, tmp_path)

    assert report.unchanged == ("kursus-a",)
    assert [str(problem) for problem in report.refused[0].problems] == [
        "kursus-b/course.md:8:17: prasyarat melingkar: kursus-a -> kursus-b -> kursus-a"
    ]
    assert current_version(session, "kursus-b").prerequisites == []


def test_sync_refuses_a_course_code_another_course_uses(session: Session, tmp_path: Path) -> None:
    write_course(tmp_path, "pelayanan-1")
    write_course(tmp_path, "pelayanan-2")

    report = sync_courses(session, tmp_path)

    assert report.created == ("pelayanan-1",)
    assert [str(problem) for problem in report.refused[0].problems] == [
        "pelayanan-2/course.md:1:1: kode kursus 'PELAYANAN-' sudah dipakai oleh pelayanan-1"
    ]
