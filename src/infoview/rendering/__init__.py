"""Rendering: the template set, and drafts rendered from it in the contact's language.

Owns the registry (one table of facts about the built-in templates), the
loaders, :class:`~infoview.Templates` and :func:`~infoview.render`, what a
template needs (introspection and ``describe()``), the per-language compile,
the filters, the never-a-blank rule, and lint of the drafts. It imports the
model, language, the sandbox and mail (a render's result is a Draft).
"""
