"""What changed in the local store, and the channel that tells whoever shows it (Qt-free).

Writers publish a :class:`Changes` after each transaction that changed something: the UI's database
runner after every job that wrote (:mod:`odc_desktop.ui.workers`), and later sync and the importers.
Readers subscribe instead of refreshing by hand: the process list re-reads the rows of the processes
named, the process view re-reads its stage statuses. Subscribers are called on the publishing thread;
the UI's adapter (:class:`odc_desktop.ui.change_signals.ChangeSignals`) re-emits on the GUI thread.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Changes:
    """The processes and entries one write (or several, merged) changed, by id.

    ``process_ids``: every process whose own row, list columns or entries changed, the created ones
    included; ``created_process_ids``: the processes that did not exist before (the list must show a
    row it does not have yet); ``entry_ids``: entries whose data, status or documents changed.
    ``many_processes``: too many processes changed to name them (a bulk insert): re-read everything.
    """

    process_ids: frozenset[int] = frozenset()
    created_process_ids: frozenset[int] = frozenset()
    entry_ids: frozenset[int] = frozenset()
    many_processes: bool = False

    def __bool__(self) -> bool:
        return bool(self.process_ids or self.entry_ids or self.many_processes)

    def touches_process(self, process_id: int) -> bool:
        """True when ``process_id`` (or possibly it, after a bulk change) changed."""
        return self.many_processes or process_id in self.process_ids

    def merged(self, other: Changes) -> Changes:
        """Both changes as one."""
        return Changes(self.process_ids | other.process_ids,
                       self.created_process_ids | other.created_process_ids,
                       self.entry_ids | other.entry_ids, self.many_processes or other.many_processes)

    @classmethod
    def of(cls, process_ids: Iterable[int] = (), entry_ids: Iterable[int] = (),
           created_process_ids: Iterable[int] = ()) -> Changes:
        """Changes naming these ids (created processes count as changed processes too)."""
        created = frozenset(created_process_ids)
        return cls(frozenset(process_ids) | created, created, frozenset(entry_ids))


Subscriber = Callable[[Changes], None]


class ChangeChannel:
    """Publish :class:`Changes` to every subscriber; safe to use from any thread.

    A subscriber that raises is logged and does not stop the others (nor the writer that published).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber(changes)`` on every publish from now on; returns the unsubscribe call."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        """Tell every subscriber about ``changes`` (nothing happens for empty changes)."""
        if not changes:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(changes)
            except Exception:  # one broken view must not hide the change from the others
                log.exception("a change subscriber failed")
