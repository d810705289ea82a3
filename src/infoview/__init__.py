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

from infoview import _face, _moved
from infoview._version import __version__ as __version__

if TYPE_CHECKING:
    from infoview.errors import (
        CatalogError as CatalogError,
        HeaderInjectionError as HeaderInjectionError,
        HeaderNameError as HeaderNameError,
        ImportFileError as ImportFileError,
        InfoviewError as InfoviewError,
        JournalError as JournalError,
        MailboxError as MailboxError,
        MessageError as MessageError,
        MissingColumnError as MissingColumnError,
        MissingEmailError as MissingEmailError,
        MissingValueError as MissingValueError,
        OutputExistsError as OutputExistsError,
        PlanError as PlanError,
        SandboxError as SandboxError,
        SendError as SendError,
        StructureError as StructureError,
        TemplateError as TemplateError,
        TrackerError as TrackerError,
        TransitionError as TransitionError,
        UnknownPersonError as UnknownPersonError,
        UnknownTemplateError as UnknownTemplateError,
        UnreadableNameError as UnreadableNameError,
        UnsupportedLocaleError as UnsupportedLocaleError,
        ValidationError as ValidationError,
        WorkerError as WorkerError,
    )
    from infoview.followups.followup import (
        FollowUp as FollowUp,
        FollowUpKind as FollowUpKind,
        FollowUpStatus as FollowUpStatus,
    )
    from infoview.followups.policy import (
        DueFollowUp as DueFollowUp,
        Policy as Policy,
        due as due,
    )
    from infoview.mail import Attachment as Attachment
    from infoview.mail.calendar import (
        attach_invite as attach_invite,
        calendar_cancellation as calendar_cancellation,
        calendar_invite as calendar_invite,
        invite_email as invite_email,
    )
    from infoview.mail.draft import Draft as Draft
    from infoview.model import samples as samples
    from infoview.model.contact import (
        Contact as Contact,
        Honorific as Honorific,
        Register as Register,
        Source as Source,
        same_person as same_person,
    )
    from infoview.model.interview import (
        Interaction as Interaction,
        Interview as Interview,
        Medium as Medium,
        Party as Party,
        Promise as Promise,
        PromiseKind as PromiseKind,
        Referral as Referral,
        ReferralStatus as ReferralStatus,
        Status as Status,
        StatusChange as StatusChange,
        referral_chain as referral_chain,
    )
    from infoview.model.questions import (
        Agenda as Agenda,
        Category as Category,
        Question as Question,
        QuestionBank as QuestionBank,
    )
    from infoview.model.serialize import converter as converter
    from infoview.model.texts import LocalizedText as LocalizedText
    from infoview.notebook import load_ipython_extension as load_ipython_extension
    from infoview.rendering.quality import (
        Finding as Finding,
        Severity as Severity,
        lint as lint,
    )
    from infoview.rendering.registry import outreach_template as outreach_template
    from infoview.rendering.templating import (
        Templates as Templates,
        render as render,
    )
    from infoview.sending import (
        SMTPSettings as SMTPSettings,
        send as send,
    )
    from infoview.tracker import Tracker as Tracker

_moved.install()


def __getattr__(name: str) -> object:
    """Load a public name, ``__all__``, or a submodule such as ``infoview.mail``, on first use."""
    value = _face.load(__name__, name)
    if name != "__all__":
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_face.public_names(__name__)})
