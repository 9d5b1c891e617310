"""Adapters to the real system: the wall clock."""

from adapters.system.clock import SystemClock

__all__ = ["SystemClock"]
