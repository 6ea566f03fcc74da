"""The cyclic garbage collector and reportkit's large, long-lived object graphs.

A large kommun's styrmodell and roll-up are hundreds of thousands of objects that live until
the command ends and form no cycles worth collecting. Each collection of the oldest generation
walks all of them; in forked workers it also touches their pages. Steps that build many
objects (the history file, the roll-up, reading a remembered roll-up back) therefore run with
the collector paused, and the long-lived graphs are frozen out of its way.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off inside the block (as it was afterwards)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextlib.contextmanager
def frozen() -> Iterator[bool]:
    """Everything alive now frozen out of the collector's way (``gc.freeze``) for the block,
    and released at its end; yields True when it froze. Not when the caller has frozen objects
    itself (it yields False): unfreezing at the end would release the caller's too. Worker
    processes forked inside the block inherit the frozen state."""
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        yield freeze
    finally:
        if freeze:
            gc.unfreeze()
