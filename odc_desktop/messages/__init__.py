"""The one message catalogue of the Qt-free code (domain, storage, workflow, CLI, server), keyed by code.

A code is ``"<area>.<key>"`` (``"storage.read_only"``, ``"cli.exported"``). Each area is a gettext
domain: ``locale/<lang>/LC_MESSAGES/<area>.po`` in this folder, whose msgids are the keys and whose
msgstrs are the sentences, with ``{name}`` placeholders (python-brace-format). Bahasa Indonesia
(``id``) is the default language; English (``en``) is the other. Adding a message is adding one entry
to both PO files of its area; a new area is a new pair of PO files (see docs/architecture.md,
"Messages"). The Qt chrome does not use this: it stays on Qt Linguist (``resources/*.ts``).

No catalogue is read at import: an area's catalogue is loaded the first time one of its messages is
formatted (:mod:`odc_desktop.messages.catalogue`); Babel is imported only to compile a changed PO file.
"""

from __future__ import annotations

import re
from typing import Any

# The loader (standard library only: gettext, which argparse and the app load anyway) is imported here,
# not at the first message: a module imported after Qt pays Qt's import hook (~1 ms on the app's start).
from odc_desktop.messages.catalogue import template

LANGUAGES = ("id", "en")
#: What a code looks like: ``area.key``.
CODE = re.compile(r"[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+")
DEFAULT_LANGUAGE = "id"


def language(lang: str | None) -> str:
    """``lang`` when the catalogue has it, else Bahasa Indonesia."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def text(code: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message ``code`` in ``lang`` (Indonesian when the language is unknown), its ``{name}``
    placeholders filled with ``params``. A parameter that can say itself in a language (a
    :class:`Msg`, a :class:`CodedError`, a Stage or an EntryStatus: anything with ``message(lang)``;
    a label as forms and settings declare it, ``{"id": …, "en": …}``) is said in ``lang`` too. An
    unknown code raises KeyError (a test holds every code the code names known)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    try:
        template_text = _templates[code, lang]
    except KeyError:
        template_text = _templates[code, lang] = template(code, lang)
    if not params:
        return template_text
    return template_text.format_map({name: value if value.__class__ in _PLAIN else _said(value, lang)
                                     for name, value in params.items()})


#: Templates already looked up, by (code, language): ``odc validate`` says a message per problem.
_templates: dict[tuple[str, str], str] = {}
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _said(value: Any, lang: str) -> Any:
    if isinstance(value, dict) and DEFAULT_LANGUAGE in value and value.keys() <= set(LANGUAGES):
        return value.get(lang) or value[DEFAULT_LANGUAGE]  # a label of a form or a setting
    say = getattr(value, "message", None)
    return say(lang) if callable(say) else value


class Msg:
    """A message named by code and parameters, said later in the reader's language."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: Any):
        self.code, self.params = code, params

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return text(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message(DEFAULT_LANGUAGE)

    def __repr__(self) -> str:
        return f"Msg({self.code!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.code, self.params) == (other.code, other.params)

    __hash__ = None  # type: ignore[assignment]


class CodedError(Exception):
    """An error whose message comes from the catalogue: ``code`` and ``params``; ``str(error)`` is the
    Indonesian message, :meth:`message` the one in another language. Subclasses (StorageError,
    FormError, InvalidTransition, …) keep their own place in the exception tree.

    ``code`` may be a :class:`Msg` (its code and parameters). A first argument that is not a code
    (``area.key``) is a sentence already in the reader's language (the Qt chrome raising one with its
    own ``tr()``), said as it is; a test holds the Qt-free code free of such.
    """

    def __init__(self, code: str | Msg, /, **params: Any):
        if isinstance(code, Msg):
            code, params = code.code, {**code.params, **params}
        self.code, self.params = code, params
        self.literal = None if CODE.fullmatch(code) else code
        super().__init__(code)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message in ``lang`` (Indonesian when the language is unknown)."""
        if self.literal is not None:
            return self.literal
        return text(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message(DEFAULT_LANGUAGE)

    def __reduce__(self):  # subclasses take other arguments: copy and pickle by state, not by __init__
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type[CodedError], args: tuple, state: dict[str, Any]) -> CodedError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
