"""The pure core: lead, statuses, parsers, handover policy, copy and decisions.

Nothing here does I/O, reads the clock or imports anything but the standard
library and msgspec.
"""
