"""Workflow operations on processes: the one way a front end makes a new procurement process.

A process is made on its own (no stage entry yet: looking at a stage creates nothing), in one
transaction with its audit record; a process with the same kode RUP (or a known ocid alias) is
refused by the store, so the same paket is never entered twice on one PC.
"""

from __future__ import annotations

from odc_desktop.domain.model import NewProcess, Process
from odc_desktop.storage.repository import Repository


def create_process(repo: Repository, new: NewProcess, ocid_prefix: str, actor: str | None = None) -> Process:
    """Make the process ``new`` under ``ocid_prefix`` (its ocid: ``{prefix}-{kode RUP}``, or an
    offline ocid without one); ``actor`` None is the person at the keyboard."""
    with repo.batch():
        return repo.create_process(new, ocid_prefix, actor=actor)
