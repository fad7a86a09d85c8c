"""`collector_paused` restores the collector as it found it, even when the body raises."""

from __future__ import annotations

import gc

import pytest

from mrpl.gc_pause import collector_paused


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_collector_is_off_inside_and_as_before_after(enabled_before: bool) -> None:
    (gc.enable if enabled_before else gc.disable)()
    try:
        with pytest.raises(ValueError), collector_paused():
            assert not gc.isenabled()
            raise ValueError("a stage failed")
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()


def test_parsing_leaves_the_collector_on() -> None:
    from mrpl import parse_string

    parse_string('mål 1.1 "x" { vægt 5 }\n')
    assert gc.isenabled()


def test_what_was_made_meanwhile_is_still_collected_when_garbage() -> None:
    """The objects made during the pause go to the oldest generation, not out of reach."""
    import weakref

    class Node:
        pass

    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
        probe = weakref.ref(a)
    del a, b
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert probe() is None
