"""Language: the contact's locale, the catalogs, and wording in four languages.

Owns choosing a locale (and its fallbacks), loading and compiling the gettext
catalogs, Babel formatting of dates, times, lists and durations, salutations
and closings, message extraction, and plain-language text for any model
object. It imports the model and nothing above it.
"""
