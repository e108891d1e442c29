"""The one exception a workflow operation raises when it refuses: a message code plus its parameters."""

from __future__ import annotations

from odc_desktop.messages import CodedError


class WorkflowRefused(CodedError):
    """An operation was refused and changed nothing. ``code`` is a code of the catalogue's area
    ``workflow`` (``"workflow.entry_locked"``), ``params`` fill its placeholders; ``str(error)`` is the
    Indonesian message, :meth:`message` the one in another language (see :mod:`odc_desktop.messages`)."""
