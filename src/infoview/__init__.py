"""infoview: plan, write and follow up informational interviews."""

from importlib.metadata import PackageNotFoundError, version

from infoview.calendar import (
    attach_invite,
    calendar_cancellation,
    calendar_invite,
    invite_email,
)
from infoview.contact import Contact, Honorific, Register, Source
from infoview.errors import (
    InfoviewError,
    PlanError,
    StructureError,
    TransitionError,
    ValidationError,
)
from infoview.followup import FollowUp, FollowUpKind, FollowUpStatus
from infoview.interview import (
    Interaction,
    Interview,
    Medium,
    Party,
    Promise,
    Referral,
    ReferralStatus,
    Status,
    StatusChange,
    referral_chain,
)
from infoview.policy import DueFollowUp, Policy, due
from infoview.questions import Agenda, Category, Question, QuestionBank
from infoview.serialize import converter

try:
    __version__ = version("infoview")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    from infoview._version import __version__

__all__ = [
    "Agenda",
    "Category",
    "Contact",
    "DueFollowUp",
    "FollowUp",
    "FollowUpKind",
    "FollowUpStatus",
    "Honorific",
    "InfoviewError",
    "Interaction",
    "Interview",
    "Medium",
    "Party",
    "PlanError",
    "Policy",
    "Promise",
    "Question",
    "QuestionBank",
    "Referral",
    "ReferralStatus",
    "Register",
    "Source",
    "Status",
    "StatusChange",
    "StructureError",
    "TransitionError",
    "ValidationError",
    "__version__",
    "attach_invite",
    "calendar_cancellation",
    "calendar_invite",
    "converter",
    "due",
    "invite_email",
    "referral_chain",
]
