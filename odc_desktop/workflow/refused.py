"""The one exception a workflow operation raises when it refuses: a code plus its parameters."""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.workflow.messages import ACTIONS, MESSAGES


class WorkflowRefused(Exception):
    """An operation was refused and changed nothing. ``code`` keys :data:`messages.MESSAGES`;
    ``params`` fill its placeholders. ``str(error)`` is the Indonesian text (:meth:`text` for English).
    """

    def __init__(self, code: str, **params: Any):
        if code not in MESSAGES:
            raise KeyError(f"unknown workflow message code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.text("id"))

    def text(self, lang: str = "id") -> str:
        """The operator's message in ``lang`` ("id" or "en")."""
        lang = lang if lang in ("id", "en") else "id"
        values = {}
        for key, value in self.params.items():
            if isinstance(value, EntryStatus):
                value = value.title(lang)
            elif key == "action":
                value = ACTIONS[value][lang]
            values[key] = value
        return MESSAGES[self.code][lang].format(**values)
