"""The ocid prefix the domain knows without any settings: the unregistered placeholder.

The prefix in use is a setting (``odc_desktop.settings``), passed by the callers (CLI, app) to the
domain functions that build ocids; the domain itself never reads the settings.
"""

#: Placeholder prefix until Bojonegoro registers its own with the Open Contracting Partnership. It is
#: NOT registered: it only has the registered form (``ocds-`` + 6 lowercase alphanumerics, the check
#: libcoveocds applies).
UNREGISTERED_OCID_PREFIX = "ocds-000bjn"
