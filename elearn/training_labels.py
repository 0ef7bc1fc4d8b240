"""The names of the kinds of development in the reader's language, one source for pages, forms and exports."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from elearn.ledger.kinds import DEVELOPMENT_KINDS

KIND_LABELS: dict[str, LazyString] = {
    "pelatihan_struktural": _l("Pelatihan struktural kepemimpinan"),
    "pelatihan_manajerial": _l("Pelatihan manajerial"),
    "pelatihan_teknis": _l("Pelatihan teknis"),
    "pelatihan_fungsional": _l("Pelatihan fungsional"),
    "pelatihan_sosial_kultural": _l("Pelatihan sosial kultural"),
    "seminar": _l("Seminar, konferensi atau sarasehan"),
    "workshop": _l("Workshop atau lokakarya"),
    "kursus": _l("Kursus"),
    "penataran": _l("Penataran"),
    "bimbingan_teknis": _l("Bimbingan teknis"),
    "sosialisasi": _l("Sosialisasi"),
    "coaching": _l("Coaching"),
    "mentoring": _l("Mentoring"),
    "e_learning": _l("E-learning"),
    "pelatihan_jarak_jauh": _l("Pelatihan jarak jauh"),
    "magang": _l("Magang atau praktik kerja"),
    "detasering": _l("Detasering (secondment)"),
    "pertukaran": _l("Pertukaran antara PNS dan pegawai swasta"),
    "patok_banding": _l("Patok banding (benchmarking)"),
    "outbound": _l("Pembelajaran alam terbuka (outbound)"),
    "belajar_mandiri": _l("Belajar mandiri"),
    "komunitas_belajar": _l("Komunitas belajar"),
    "bimbingan_di_tempat_kerja": _l("Bimbingan di tempat kerja"),
}
assert tuple(KIND_LABELS) == DEVELOPMENT_KINDS  # noqa: S101  (one label per kind, in the same order)


def kind_label(kind: str) -> str:
    """The label of a kind of development in the current language."""
    return str(KIND_LABELS.get(kind, kind))
