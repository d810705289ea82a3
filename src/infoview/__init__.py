"""infoview: plan, write and follow up informational interviews.

The package's face only re-exports. Names load on first use (PEP 562), so
``import infoview`` stays quick: a script or command that needs part of the
library does not pay for Babel, icalendar or email-validator up front.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

from infoview._version import __version__

if TYPE_CHECKING:
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
        WorkerError,
    )
    from infoview.followup import FollowUp, FollowUpKind, FollowUpStatus
    from infoview.importers import ImportFileError
    from infoview.interview import (
        Interaction,
        Interview,
        Medium,
        Party,
        Promise,
        PromiseKind,
        Referral,
        ReferralStatus,
        Status,
        StatusChange,
        referral_chain,
    )
    from infoview.journal import JournalError
    from infoview.mail import Attachment
    from infoview.names import UnreadableNameError
    from infoview.outbox import MessageError
    from infoview.policy import DueFollowUp, Policy, due
    from infoview.quality import Finding, Severity, lint
    from infoview.questions import Agenda, Category, Question, QuestionBank
    from infoview.registry import outreach_template
    from infoview.sending import SendError, SMTPSettings, send
    from infoview.serialize import converter
    from infoview.templating import Templates, render
    from infoview.texts import LocalizedText

# Where each public name lives, module by module.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "calendar": ("attach_invite", "calendar_cancellation", "calendar_invite", "invite_email"),
    "contact": ("Contact", "Honorific", "Register", "Source", "same_person"),
    "draft": ("Draft",),
    "errors": (
        "CatalogError",
        "HeaderInjectionError",
        "HeaderNameError",
        "InfoviewError",
        "MissingColumnError",
        "MissingEmailError",
        "MissingValueError",
        "OutputExistsError",
        "PlanError",
        "SandboxError",
        "StructureError",
        "TemplateError",
        "TransitionError",
        "UnknownTemplateError",
        "UnsupportedLocaleError",
        "ValidationError",
        "WorkerError",
    ),
    "followup": ("FollowUp", "FollowUpKind", "FollowUpStatus"),
    "interview": (
        "Interaction",
        "Interview",
        "Medium",
        "Party",
        "Promise",
        "PromiseKind",
        "Referral",
        "ReferralStatus",
        "Status",
        "StatusChange",
        "referral_chain",
    ),
    "quality": ("Finding", "Severity", "lint"),
    "mail": ("Attachment",),
    "policy": ("DueFollowUp", "Policy", "due"),
    "questions": ("Agenda", "Category", "Question", "QuestionBank"),
    "registry": ("outreach_template",),
    "sending": ("SMTPSettings", "SendError", "send"),
    "importers": ("ImportFileError",),
    "journal": ("JournalError",),
    "names": ("UnreadableNameError",),
    "outbox": ("MessageError",),
    "serialize": ("converter",),
    "texts": ("LocalizedText",),
    "templating": ("Templates", "render"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

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
    "ImportFileError",
    "InfoviewError",
    "Interaction",
    "Interview",
    "JournalError",
    "LocalizedText",
    "Medium",
    "MessageError",
    "MissingColumnError",
    "MissingEmailError",
    "MissingValueError",
    "OutputExistsError",
    "Party",
    "PlanError",
    "Policy",
    "Promise",
    "PromiseKind",
    "Question",
    "QuestionBank",
    "Referral",
    "ReferralStatus",
    "Register",
    "SMTPSettings",
    "SandboxError",
    "SendError",
    "Severity",
    "Source",
    "Status",
    "StatusChange",
    "StructureError",
    "TemplateError",
    "Templates",
    "TransitionError",
    "UnknownTemplateError",
    "UnreadableNameError",
    "UnsupportedLocaleError",
    "ValidationError",
    "WorkerError",
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
    "send",
]


def __getattr__(name: str) -> object:
    """Load a public name, or a submodule such as ``infoview.mail``, on first use."""
    module = _WHERE.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"infoview.{module}"), name)
        globals()[name] = value
        return value
    if not name.startswith("_") and importlib.util.find_spec(f"infoview.{name}") is not None:
        return importlib.import_module(f"infoview.{name}")
    raise AttributeError(f"module 'infoview' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
