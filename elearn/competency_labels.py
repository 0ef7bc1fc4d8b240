"""The words for competency kinds, position kinds and JPM bands, shared by every competency page and export."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from elearn.competency.standard import JpmBand
from elearn.models import CompetencyKind

# PermenPAN-RB's categories: memenuhi syarat (MS), masih memenuhi syarat (MMS), kurang memenuhi syarat (KMS).
BAND_LABELS: dict[JpmBand, LazyString] = {
    JpmBand.MEETS: _l("Memenuhi syarat"),
    JpmBand.STILL_MEETS: _l("Masih memenuhi syarat"),
    JpmBand.BELOW: _l("Kurang memenuhi syarat"),
}
COMPETENCY_KIND_LABELS: dict[str, LazyString] = {
    CompetencyKind.MANAJERIAL.value: _l("Manajerial"),
    CompetencyKind.SOSIAL_KULTURAL.value: _l("Sosial kultural"),
    CompetencyKind.TEKNIS.value: _l("Teknis"),
}
POSITION_KIND_LABELS: dict[str, LazyString] = {
    "struktural": _l("Struktural"),
    "fungsional": _l("Fungsional"),
    "pelaksana": _l("Pelaksana"),
}
