"""Calendar adapters outside the database: CalDAV (``caldav`` library) and iCalendar files.

``CalDavCalendar`` is the ``Calendar`` port on a CalDAV server (iCloud, Fastmail,
Nextcloud, Google's CalDAV); ``appointment_ics`` writes a booking as a ``.ics``
file for the client's own calendar (B-50).
"""

from adapters.calendar.dav import CalDavCalendar
from adapters.calendar.ics import Appointment, appointment_ics

__all__ = ["Appointment", "CalDavCalendar", "appointment_ics"]
