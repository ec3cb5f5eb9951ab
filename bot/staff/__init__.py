"""Township staff pages (`/staff`): the queue of applications and reports, CSV export, audit log.

`router` is what the app includes; accounts come from `STAFF_USERS` (see `accounts.py`).
"""

from bot.staff.routes import router

__all__ = ["router"]
