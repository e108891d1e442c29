"""What the form registry tells people: codes of the message catalogue's area ``form_registry``
(``detail`` is the strict loader's own message, which names the file and the key)."""

from __future__ import annotations

from odc_desktop.messages import CodedError, Msg


class FormRefused(CodedError):
    """A form file was not added (nothing was written; the forms already stored stay).

    ``code`` is a code of the area ``form_registry``; ``message(lang)`` is the sentence for the user.
    """


class StoredFormProblem(Msg):
    """A stored form file that was ignored (damaged or changed); ``message(lang)`` says which and why."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"StoredFormProblem({self.code!r}, {self.params!r})"
