"""The kinds of competency development (jenis pengembangan kompetensi) an external training record may have.

Classical and non-classical forms as Peraturan LAN 10/2018 lists them (UNVERIFIED against the national HR system's
own code list: the codes are elearn's, the labels live in `elearn.training_labels`). The database refuses any
other code (a CHECK constraint), so adding a kind is a migration.
"""

from __future__ import annotations

CLASSICAL = (
    "pelatihan_struktural",
    "pelatihan_manajerial",
    "pelatihan_teknis",
    "pelatihan_fungsional",
    "pelatihan_sosial_kultural",
    "seminar",
    "workshop",
    "kursus",
    "penataran",
    "bimbingan_teknis",
    "sosialisasi",
)
NON_CLASSICAL = (
    "coaching",
    "mentoring",
    "e_learning",
    "pelatihan_jarak_jauh",
    "magang",
    "detasering",
    "pertukaran",
    "patok_banding",
    "outbound",
    "belajar_mandiri",
    "komunitas_belajar",
    "bimbingan_di_tempat_kerja",
)
DEVELOPMENT_KINDS = CLASSICAL + NON_CLASSICAL

COURSE_KIND = "e_learning"
"""The kind an elearn course completion has in the training history."""
