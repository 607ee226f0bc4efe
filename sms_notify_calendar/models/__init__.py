from . import calendar_event
from . import calendar_event_change
