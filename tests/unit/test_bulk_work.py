"""Bulk work pauses cyclic garbage collection and always resumes it: nested, on two threads, after an
error, and never turns it on when it was off before."""

from __future__ import annotations

import gc
import threading

import pytest

from odc_desktop.domain.bulk_work import collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    assert gc.isenabled()
    yield
    gc.enable()


def test_nested_and_failing_blocks_resume_collection_at_the_end():
    with pytest.raises(ValueError):
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer block is still running
            raise ValueError("a broken file")
    assert gc.isenabled()


def test_two_threads_share_one_pause():
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            leave.wait(timeout=60)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(timeout=60)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's block has not ended
    leave.set()
    thread.join(timeout=60)
    assert gc.isenabled()


def test_collection_off_before_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
