"""infoview: plan, write and follow up informational interviews.

The package's face only re-exports, and each public name is written once: in
the import block below, which type checkers read (``Name as Name`` marks a
re-export). At run time that same block is read on first use and each name
loads when it is first asked for (PEP 562), so ``import infoview`` stays quick:
a script or command that needs part of the library does not pay for Babel,
icalendar or email-validator up front.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infoview import _face
from infoview._version import __version__ as __version__

if TYPE_CHECKING:
    from infoview.errors import (
        CatalogError as CatalogError,
    )
    from infoview.errors import (
        HeaderInjectionError as HeaderInjectionError,
    )
    from infoview.errors import (
        HeaderNameError as HeaderNameError,
    )
    from infoview.errors import (
        InfoviewError as InfoviewError,
    )
    from infoview.errors import (
        MissingColumnError as MissingColumnError,
    )
    from infoview.errors import (
        MissingEmailError as MissingEmailError,
    )
    from infoview.errors import (
        MissingValueError as MissingValueError,
    )
    from infoview.errors import (
        OutputExistsError as OutputExistsError,
    )
    from infoview.errors import (
        PlanError as PlanError,
    )
    from infoview.errors import (
        SandboxError as SandboxError,
    )
    from infoview.errors import (
        StructureError as StructureError,
    )
    from infoview.errors import (
        TemplateError as TemplateError,
    )
    from infoview.errors import (
        TrackerError as TrackerError,
    )
    from infoview.errors import (
        TransitionError as TransitionError,
    )
    from infoview.errors import (
        UnknownPersonError as UnknownPersonError,
    )
    from infoview.errors import (
        UnknownTemplateError as UnknownTemplateError,
    )
    from infoview.errors import (
        UnsupportedLocaleError as UnsupportedLocaleError,
    )
    from infoview.errors import (
        ValidationError as ValidationError,
    )
    from infoview.errors import (
        WorkerError as WorkerError,
    )
    from infoview.followups.followup import (
        FollowUp as FollowUp,
    )
    from infoview.followups.followup import (
        FollowUpKind as FollowUpKind,
    )
    from infoview.followups.followup import (
        FollowUpStatus as FollowUpStatus,
    )
    from infoview.followups.policy import (
        DueFollowUp as DueFollowUp,
    )
    from infoview.followups.policy import (
        Policy as Policy,
    )
    from infoview.followups.policy import (
        due as due,
    )
    from infoview.importers import ImportFileError as ImportFileError
    from infoview.mail import Attachment as Attachment
    from infoview.mail.calendar import (
        attach_invite as attach_invite,
    )
    from infoview.mail.calendar import (
        calendar_cancellation as calendar_cancellation,
    )
    from infoview.mail.calendar import (
        calendar_invite as calendar_invite,
    )
    from infoview.mail.calendar import (
        invite_email as invite_email,
    )
    from infoview.mail.draft import Draft as Draft
    from infoview.mail.outbox import MessageError as MessageError
    from infoview.model import samples as samples
    from infoview.model.contact import (
        Contact as Contact,
    )
    from infoview.model.contact import (
        Honorific as Honorific,
    )
    from infoview.model.contact import (
        Register as Register,
    )
    from infoview.model.contact import (
        Source as Source,
    )
    from infoview.model.contact import (
        same_person as same_person,
    )
    from infoview.model.interview import (
        Interaction as Interaction,
    )
    from infoview.model.interview import (
        Interview as Interview,
    )
    from infoview.model.interview import (
        Medium as Medium,
    )
    from infoview.model.interview import (
        Party as Party,
    )
    from infoview.model.interview import (
        Promise as Promise,
    )
    from infoview.model.interview import (
        PromiseKind as PromiseKind,
    )
    from infoview.model.interview import (
        Referral as Referral,
    )
    from infoview.model.interview import (
        ReferralStatus as ReferralStatus,
    )
    from infoview.model.interview import (
        Status as Status,
    )
    from infoview.model.interview import (
        StatusChange as StatusChange,
    )
    from infoview.model.interview import (
        referral_chain as referral_chain,
    )
    from infoview.model.names import UnreadableNameError as UnreadableNameError
    from infoview.model.questions import (
        Agenda as Agenda,
    )
    from infoview.model.questions import (
        Category as Category,
    )
    from infoview.model.questions import (
        Question as Question,
    )
    from infoview.model.questions import (
        QuestionBank as QuestionBank,
    )
    from infoview.model.serialize import converter as converter
    from infoview.model.texts import LocalizedText as LocalizedText
    from infoview.rendering.quality import (
        Finding as Finding,
    )
    from infoview.rendering.quality import (
        Severity as Severity,
    )
    from infoview.rendering.quality import (
        lint as lint,
    )
    from infoview.rendering.registry import outreach_template as outreach_template
    from infoview.rendering.templating import (
        Templates as Templates,
    )
    from infoview.rendering.templating import (
        render as render,
    )
    from infoview.sending import (
        SendError as SendError,
    )
    from infoview.sending import (
        SMTPSettings as SMTPSettings,
    )
    from infoview.sending import (
        send as send,
    )
    from infoview.sending.journal import JournalError as JournalError
    from infoview.tracker import Tracker as Tracker

_face.install_moved_paths()


def __getattr__(name: str) -> object:
    """Load a public name, ``__all__``, or a submodule such as ``infoview.mail``, on first use."""
    value = _face.load(__name__, name)
    if name != "__all__":
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_face.public_names(__name__)})
