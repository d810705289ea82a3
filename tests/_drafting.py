"""Sample data for the template, draft, mail and lint tests."""

from __future__ import annotations

from infoview.samples import interview as sample_interview

#: The 16 built-in template names pinned in DESIGN.md.
BUILTIN_NAMES = (
    "follow_up/check_in",
    "follow_up/progress_update",
    "outreach/alumni",
    "outreach/cold",
    "outreach/event",
    "outreach/nudge",
    "outreach/referral",
    "outreach/social",
    "outreach/warm",
    "questions/list",
    "referral/close_loop",
    "referral/forwardable_blurb",
    "referral/intro_request",
    "scheduling/confirm",
    "scheduling/reminder",
    "thank_you",
)

__all__ = ["BUILTIN_NAMES", "sample_interview"]
