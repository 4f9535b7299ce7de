"""Drives rili with python3-caldav (Debian): discover, create, query a range, update with ETag, delete, sync.

Usage: caldav_client.py <server address> <user name> <password> <calendar id>. Prints "OK <step>" per step; exits non-zero
on the first failure. The Node test (caldav-clients.test.ts) starts rili, issues credentials and runs it.
"""
import sys
from urllib.parse import unquote
from datetime import datetime, timezone

import caldav

url, user, password, calendar_id = sys.argv[1:5]


def step(name):
    print("OK " + name, flush=True)


client = caldav.DAVClient(url=url, username=user, password=password)
principal = client.principal()
calendars = principal.calendars()
assert calendars, "no calendars discovered"
cal = [c for c in calendars if unquote(str(c.url)).rstrip("/").endswith("/" + calendar_id)][0]
step("discover %d calendars, first %s" % (len(calendars), cal.name))

sync = cal.objects_by_sync_token(load_objects=False)
token = sync.sync_token
step("sync token %s" % token)

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python3-caldav test//EN
BEGIN:VEVENT
UID:py-caldav-1@example.test
DTSTAMP:20260101T000000Z
DTSTART:20300301T090000Z
DTEND:20300301T100000Z
SUMMARY:python caldav
RRULE:FREQ=DAILY;COUNT=3
END:VEVENT
END:VCALENDAR
"""
event = cal.save_event(ICS)
step("create %s" % event.url)

found = cal.date_search(start=datetime(2030, 3, 3, tzinfo=timezone.utc), end=datetime(2030, 3, 4, tzinfo=timezone.utc), expand=False)
assert any("py-caldav-1@example.test" in str(e.data) for e in found), "range query missed the series' third day"
none = cal.date_search(start=datetime(2030, 3, 10, tzinfo=timezone.utc), end=datetime(2030, 3, 11, tzinfo=timezone.utc), expand=False)
assert not any("py-caldav-1@example.test" in str(e.data) for e in none), "range query found the series after its end"
step("query a range")

by_uid = cal.event_by_uid("py-caldav-1@example.test")
step("event_by_uid %s" % by_uid.url)

resp = client.request(str(event.url), "GET")
etag = resp.headers.get("ETag")
assert etag, "no ETag on GET"
raw = resp.raw.decode("utf-8") if isinstance(resp.raw, bytes) else resp.raw
body = raw.replace("SUMMARY:python caldav", "SUMMARY:python caldav (edited)")
ok = client.put(str(event.url), body, {"Content-Type": "text/calendar", "If-Match": etag})
assert ok.status in (200, 204), ok.status
stale = client.put(str(event.url), body.replace("(edited)", "(stale)"), {"Content-Type": "text/calendar", "If-Match": etag})
assert stale.status == 412, stale.status
event.load()
assert "python caldav (edited)" in str(event.data), event.data
step("update with ETag (stale ETag: 412)")

changed = cal.objects_by_sync_token(sync_token=token, load_objects=True)
urls = [str(o.url) for o in changed]
assert any(u == str(event.url) for u in urls), urls
token = changed.sync_token
step("sync sees the change")

event.delete()
gone = cal.date_search(start=datetime(2030, 3, 1, tzinfo=timezone.utc), end=datetime(2030, 3, 5, tzinfo=timezone.utc))
assert not any("py-caldav-1@example.test" in str(e.data) for e in gone)
step("delete")
