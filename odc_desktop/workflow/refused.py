"""The one exception a workflow operation raises when it refuses: a message code plus its parameters."""

from __future__ import annotations

from typing import Any

from odc_desktop.messages import CODE, CodedError, Msg


class WorkflowRefused(CodedError):
    """An operation was refused and changed nothing. ``code`` is a code of the catalogue's area
    ``workflow`` (``"workflow.entry_locked"``), ``params`` fill its placeholders; ``str(error)`` is the
    Indonesian message, :meth:`message` the one in another language (see :mod:`odc_desktop.messages`).
    Never a sentence: anything but a full code is a programming error (KeyError)."""

    def __init__(self, code: str | Msg, /, **params: Any):
        if not isinstance(code, Msg) and not CODE.fullmatch(code):
            raise KeyError(f"not a message code: {code!r} (workflow codes are 'workflow.<key>')")
        super().__init__(code, **params)
