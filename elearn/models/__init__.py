"""Every elearn model, importable from one place (and registered on `elearn.db.Base.metadata`)."""

from elearn.models.accounts import ActivationToken, LoginAttempt
from elearn.models.assignments import Assignment, AssignmentBatch
from elearn.models.attempts import QuizAnswer, QuizAttempt
from elearn.models.audit import AuditEntry
from elearn.models.catalog import (
    AssetBlob,
    Course,
    CourseCompetency,
    CourseVersion,
    ModuleContent,
    ModuleQuestion,
    Question,
    VersionAsset,
    VersionModule,
)
from elearn.models.certificates import Certificate, VerificationFailure
from elearn.models.competency import (
    EVIDENCE_SOURCES,
    AttainedCompetency,
    Competency,
    CompetencyEvidence,
    CompetencyKind,
    CompetencyLevel,
    CompetencyStanding,
    PositionStandard,
)
from elearn.models.feedback import FeedbackNote, FeedbackReply
from elearn.models.imports import ImportJob, JobMode, JobStage, JobStatus, PendingImport
from elearn.models.ledger import TRAINING_STATES, ExternalTraining, JpSummary, TrainingProof
from elearn.models.notifications import Notification
from elearn.models.org import Position, PositionKind, Unit
from elearn.models.people import EmploymentKind, IdentifierKind, Mentorship, Person, PersonRole, Role
from elearn.models.plans import DevelopmentPlan, PlanItem
from elearn.models.progress import Completion, ModuleProgress
from elearn.models.surveys import SurveyResponse, SurveySubmission

__all__ = [
    "EVIDENCE_SOURCES",
    "ActivationToken",
    "AttainedCompetency",
    "AssetBlob",
    "Assignment",
    "AssignmentBatch",
    "AuditEntry",
    "Certificate",
    "Competency",
    "CompetencyKind",
    "CompetencyEvidence",
    "CompetencyLevel",
    "CompetencyStanding",
    "Completion",
    "Course",
    "CourseCompetency",
    "CourseVersion",
    "DevelopmentPlan",
    "EmploymentKind",
    "ExternalTraining",
    "FeedbackNote",
    "FeedbackReply",
    "IdentifierKind",
    "ImportJob",
    "JobMode",
    "JobStage",
    "JobStatus",
    "JpSummary",
    "LoginAttempt",
    "Mentorship",
    "ModuleContent",
    "ModuleProgress",
    "ModuleQuestion",
    "Notification",
    "PendingImport",
    "Person",
    "PersonRole",
    "PlanItem",
    "Position",
    "PositionStandard",
    "PositionKind",
    "Question",
    "QuizAnswer",
    "QuizAttempt",
    "Role",
    "SurveyResponse",
    "SurveySubmission",
    "TRAINING_STATES",
    "TrainingProof",
    "Unit",
    "VerificationFailure",
    "VersionAsset",
    "VersionModule",
]
