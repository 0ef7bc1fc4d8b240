"""Stored course content read by pages: a module's HTML (rendered at sync, never per request, cached per process),
assets, titles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.lru import LruCache
from elearn.models import AssetBlob, Course, CourseVersion, ModuleContent, VersionAsset


def module_html(
    session: Session, cache: LruCache[tuple[int, int], str], *, version_id: int, content_id: int
) -> str:
    """The stored, sanitised HTML of a module content as version `version_id` shows it, read once per process.

    Keyed by version as well: a renderer upgrade re-renders module HTML in place and, in the same transaction,
    gives the course a new version (the renderer version is part of its hash), so pages of the new current
    version read the new HTML.
    """
    return cache.get((version_id, content_id), lambda: _stored_html(session, content_id))


def _stored_html(session: Session, content_id: int) -> str:
    return session.scalar(select(ModuleContent.body_html).where(ModuleContent.id == content_id)) or ""


def course_titles(session: Session, slugs: Iterable[str]) -> dict[str, str]:
    """Slug -> current title of these courses (to name missing prerequisites); no query for none."""
    wanted = list(slugs)
    if not wanted:
        return {}
    rows = session.execute(
        select(Course.slug, CourseVersion.title)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(Course.slug.in_(wanted))
    )
    return {slug: title for slug, title in rows}


@dataclass(frozen=True)
class AssetFile:
    """An asset's bytes and what they are."""

    path: str
    media_type: str
    sha256: str
    data: bytes


def asset(session: Session, *, version_id: int, path: str) -> AssetFile | None:
    """The asset at `path` in version `version_id`, or None."""
    row = session.execute(
        select(AssetBlob.media_type, AssetBlob.sha256, AssetBlob.data)
        .join(VersionAsset, VersionAsset.sha256 == AssetBlob.sha256)
        .where(VersionAsset.version_id == version_id, VersionAsset.path == path)
    ).first()
    if row is None:
        return None
    return AssetFile(path=path, media_type=row.media_type, sha256=row.sha256, data=row.data)
