"""Sphinx configuration: MyST Markdown, furo, autodoc; built with -n -W in CI."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "infoview"
author = "The infoview developers"
copyright = "2026, The infoview developers"
release = _version("infoview")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3
html_theme = "furo"
html_title = "infoview"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

nitpicky = True
# Standard-library and third-party types are not documented here and no
# inventories are fetched (builds run offline), so references to them stay plain.
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(datetime|zoneinfo|gettext|email|smtplib|mailbox|collections|typing|babel|jinja2|attrs|attr|cattrs|pathlib|enum|os|icalendar)\..*",
    ),
    (
        r"py:.*",
        r"(datetime|timedelta|ZoneInfo|Path|Any|Iterable|Iterator|Mapping|Sequence|Callable|EmailMessage|Message|Environment|Template|Locale|T|StrEnum|NullTranslations|Converter|JsonConverter)",
    ),
    (
        r"py:.*",
        r"(str|int|float|bool|bytes|None|tuple|list|dict|set|frozenset|object|type|Exception|ValueError|LookupError|KeyError|TypeError|PermissionError|RuntimeError)",
    ),
    (r"py:.*", r"infoview\..*\._.*"),
    # Public classes are documented under their public name, infoview.X.
    (r"py:.*", r"infoview\.[a-z_.]+\.[A-Z]\w*"),
]
