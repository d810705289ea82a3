"""Follow-ups: what is due when, after outreach and interviews.

Owns :class:`~infoview.FollowUp`, business days, the rules that plan each
kind of follow-up, the :class:`~infoview.Policy` with its defaults, and the
due list. It imports the model and the rendering registry (which template
renders each kind), nothing that writes or sends mail.
"""
