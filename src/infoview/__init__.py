"""infoview: plan, write and follow up informational interviews."""

from importlib.metadata import PackageNotFoundError, version

from infoview import samples
from infoview.calendar import (
    attach_invite,
    calendar_cancellation,
    calendar_invite,
    invite_email,
)
from infoview.contact import Contact, Honorific, Register, Source, same_person
from infoview.draft import Draft
from infoview.errors import (
    CatalogError,
    HeaderInjectionError,
    HeaderNameError,
    InfoviewError,
    MissingColumnError,
    MissingEmailError,
    MissingValueError,
    OutputExistsError,
    PlanError,
    SandboxError,
    StructureError,
    TemplateError,
    TransitionError,
    UnknownTemplateError,
    UnsupportedLocaleError,
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
from infoview.lint import Finding, Severity, lint
from infoview.mail import Attachment
from infoview.policy import DueFollowUp, Policy, due
from infoview.questions import Agenda, Category, Question, QuestionBank
from infoview.registry import outreach_template
from infoview.serialize import converter
from infoview.templating import Templates, render

try:
    __version__ = version("infoview")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    from infoview._version import __version__

__all__ = [
    "Agenda",
    "Attachment",
    "CatalogError",
    "Category",
    "Contact",
    "Draft",
    "DueFollowUp",
    "Finding",
    "FollowUp",
    "FollowUpKind",
    "FollowUpStatus",
    "HeaderInjectionError",
    "HeaderNameError",
    "Honorific",
    "InfoviewError",
    "Interaction",
    "Interview",
    "Medium",
    "MissingColumnError",
    "MissingEmailError",
    "MissingValueError",
    "OutputExistsError",
    "Party",
    "PlanError",
    "Policy",
    "Promise",
    "Question",
    "QuestionBank",
    "Referral",
    "ReferralStatus",
    "Register",
    "SandboxError",
    "Severity",
    "Source",
    "Status",
    "StatusChange",
    "StructureError",
    "TemplateError",
    "Templates",
    "TransitionError",
    "UnknownTemplateError",
    "UnsupportedLocaleError",
    "ValidationError",
    "__version__",
    "attach_invite",
    "calendar_cancellation",
    "calendar_invite",
    "converter",
    "due",
    "invite_email",
    "lint",
    "outreach_template",
    "referral_chain",
    "render",
    "same_person",
    "samples",
]


def __getattr__(name: str) -> object:
    """Load ``infoview.importers`` and ``infoview.bulk`` on first use (a quick import)."""
    if name in {"bulk", "importers"}:
        import importlib  # noqa: PLC0415 - the point is to import late

        return importlib.import_module(f"infoview.{name}")
    raise AttributeError(f"module 'infoview' has no attribute {name!r}")
