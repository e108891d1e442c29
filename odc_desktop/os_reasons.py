"""Why the operating system refused a file or folder, in Bahasa Indonesia or English (the C library
says it in English only), by errno name: the message catalogue's area ``os``. One source for the command
line and the app's start-up dialogs."""

from __future__ import annotations

import errno

from odc_desktop.messages import text

def os_reason(exc: BaseException, lang: str = "id") -> str:
    """Why the operating system refused (``exc.errno``), in ``lang``; the system's own text otherwise."""
    name = errno.errorcode.get(getattr(exc, "errno", None) or 0)
    if name:
        try:
            return text(f"os.{name}", lang)
        except KeyError:
            pass
    return str(getattr(exc, "strerror", None) or exc)


class OsReason:
    """Why the operating system refused (``exc``), as a message parameter: said in the reader's language."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException):
        self.exc = exc

    def message(self, lang: str = "id") -> str:
        return os_reason(self.exc, lang)

    def __str__(self) -> str:
        return self.message()
