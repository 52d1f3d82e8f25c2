"""Calendar files (iCalendar, RFC 5545, written by the icalendar library): a reminder to continue an assessment."""

from __future__ import annotations

import datetime as dt
import uuid

from icalendar import Alarm, Calendar, Event

PRODUCT = "-//assess//Digital readiness//EN"


def reminder(*, title: str, description: str, url: str, now: dt.datetime, days: int = 1, hour: int = 9,
             minutes: int = 30) -> bytes:
    """One appointment `days` after `now` at `hour` o'clock in the reader's own time zone (a floating time: 9 o'clock
    wherever the calendar is), with the link and an alarm when it begins."""
    day = (now + dt.timedelta(days=days)).date()
    start = dt.datetime.combine(day, dt.time(hour))
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{uuid.uuid4()}@assess")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", title)
    event.add("description", f"{description}\n\n{url}")
    event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
