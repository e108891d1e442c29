"""What review reads and writes in :class:`~odc_desktop.storage.sql.SqlRepository` (a mixin): the
review queue pulled by sync and the decisions made on this device (schema step 5).

The queue is a copy of the server's list (replaced at each pull, not audited, like ``sync_state``);
a decision is the supervisor's own act and is audited when it is queued and when the server's
answer is recorded.
"""

from __future__ import annotations

import json
from typing import Any

from odc_desktop.domain.review import DecisionStatus, ReviewDecision, ReviewItem, ReviewNote
from odc_desktop.storage.common import now_iso


def _decision(row: Any) -> ReviewDecision:
    notes = tuple(ReviewNote(n.get("field"), n["text"]) for n in json.loads(row.notes))
    return ReviewDecision(id=row.id, entry_uid=row.entry_uid, revision=row.revision, decision=row.decision,
                          notes=notes, status=DecisionStatus(row.status), error=row.error,
                          decided_by=row.decided_by, decided_at=row.decided_at, sent_at=row.sent_at)


class SqlReviewMixin:
    """Review queue and queued review decisions."""

    def replace_review_items(self, items: list[dict[str, Any]]) -> None:
        """Make the stored queue the server's ``items`` (each with ``id``, ``revision``, ``ocid``,
        ``stage``); an item with a decision still queued here is kept until that decision is sent."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            waiting = set(conn.execute(sa.select(t.review_decisions.c.entry_uid).where(
                t.review_decisions.c.status == DecisionStatus.QUEUED.value)).scalars())
            conn.execute(sa.delete(t.review_items).where(t.review_items.c.entry_uid.not_in(waiting)))
            for item in items:
                if item["id"] in waiting:
                    continue
                conn.execute(sa.insert(t.review_items).values(
                    entry_uid=item["id"], revision=int(item["revision"]), ocid=str(item["ocid"]),
                    stage=str(item["stage"]), item=json.dumps(item, ensure_ascii=False, sort_keys=True),
                    pulled_at=now))

    def list_review_items(self) -> list[ReviewItem]:
        """The stored queue, oldest pull first, each with the newest decision made here on it."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            rows = conn.execute(sa.select(t.review_items).order_by(t.review_items.c.ocid,
                                                                   t.review_items.c.entry_uid)).all()
            decisions = {(d.entry_uid, d.revision): _decision(d) for d in conn.execute(
                sa.select(t.review_decisions).order_by(t.review_decisions.c.id)).all()}
        return [ReviewItem(entry_uid=r.entry_uid, revision=r.revision, ocid=r.ocid, stage=r.stage,
                           item=json.loads(r.item), pulled_at=r.pulled_at,
                           decision=decisions.get((r.entry_uid, r.revision))) for r in rows]

    def list_review_decisions(self, status: DecisionStatus | None = None) -> list[ReviewDecision]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        query = sa.select(t.review_decisions).order_by(t.review_decisions.c.id)
        if status is not None:
            query = query.where(t.review_decisions.c.status == DecisionStatus(status).value)
        with self._read() as conn:
            return [_decision(row) for row in conn.execute(query).all()]

    def queue_review_decision(self, entry_uid: str, revision: int, decision: str, notes: list[ReviewNote],
                              decided_by: str, actor: str | None = None) -> ReviewDecision:
        """Keep a decision to push (a refused earlier one on the same revision is replaced)."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        values = dict(decision=decision, notes=json.dumps([n.as_json() for n in notes], ensure_ascii=False),
                      status=DecisionStatus.QUEUED.value, error=None, decided_by=decided_by, decided_at=now,
                      sent_at=None)
        with self._write() as conn:
            where = (t.review_decisions.c.entry_uid == entry_uid) & (t.review_decisions.c.revision == revision)
            if conn.execute(sa.select(t.review_decisions.c.id).where(where)).scalar() is None:
                conn.execute(sa.insert(t.review_decisions).values(entry_uid=entry_uid, revision=revision, **values))
            else:
                conn.execute(sa.update(t.review_decisions).where(where).values(**values))
            row = conn.execute(sa.select(t.review_decisions).where(where)).one()
            self._audit(conn, now, actor, "queue_review_decision", "review", entry_uid,
                        {"revision": revision, "decision": decision, "notes": len(notes)})
        return _decision(row)

    def record_review_answer(self, decision_id: int, status: DecisionStatus, error: str | None = None,
                             actor: str | None = None) -> ReviewDecision:
        """The server took (``sent``: its item leaves the queue) or refused (with ``error``) a decision."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        status = DecisionStatus(status)
        with self._write() as conn:
            where = t.review_decisions.c.id == decision_id
            conn.execute(sa.update(t.review_decisions).where(where).values(
                status=status.value, error=error, sent_at=now if status == DecisionStatus.SENT else None))
            row = conn.execute(sa.select(t.review_decisions).where(where)).one()
            if status == DecisionStatus.SENT:
                conn.execute(sa.delete(t.review_items).where(t.review_items.c.entry_uid == row.entry_uid))
            self._audit(conn, now, actor, "review_decision_" + status.value, "review", row.entry_uid,
                        {"revision": row.revision, "decision": row.decision, "error": error})
        return _decision(row)
