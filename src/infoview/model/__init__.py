"""The model: the people and conversations of informational interviewing.

Owns :class:`~infoview.Contact`, :class:`~infoview.Interview` (its lifecycle,
history, promises and referrals), the question bank and agendas, names,
free text per language, the checks every field and time goes through, the
built-in samples, and the strict cattrs converter that turns all of them into
JSON and back. It imports nothing else of infoview but :mod:`infoview.errors`:
it knows no templates, mail, files or follow-up policy.
"""
