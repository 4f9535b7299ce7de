"""Independent expansion of recurring series with python-dateutil, for unsynchronised-start.test.ts.

Reads JSON from stdin: {"cases": [{"rule": "FREQ=...", "start": "YYYY-MM-DDTHH:MM:SS", "zone": "Area/City"}
or {"rule": ..., "start": "YYYY-MM-DD", "zone": null} for an all-day series]}. Writes JSON: one object
per case, {"start": epoch, "series": [epoch...], "rule": [epoch...]}:

- "series": RFC 5545 reading. The recurrence set is DTSTART plus the rule's occurrences (an rruleset
  with DTSTART added as an RDATE, deduplicated), and COUNT bounds that set, DTSTART counted as the
  first occurrence: the rule is expanded without COUNT and the first COUNT members of the set are
  taken. UNTIL bounds only the rule's occurrences, so a start after UNTIL is the only occurrence.
- "rule": the rule alone as dateutil expands it (COUNT applied to the rule's own occurrences),
  i.e. libical's reading, where a start that does not match the rule is no occurrence.

Timed series expand in wall-clock time (dateutil combines dates with the start's time and zone)
and each wall time becomes an instant with fold=0: a time in a DST gap moves forward by the gap, an
ambiguous one takes the earlier instant -- the same policy as rili. All-day series expand by date
and answer 00:00 UTC of each date.
"""
import json
import sys
from datetime import datetime, timezone
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr

LIMIT = 5000  # no case in the table comes near this; it stops a runaway rule


def epoch(dt, all_day):
    if all_day:
        return int(dt.replace(tzinfo=timezone.utc).timestamp())
    return int(dt.timestamp())


def expand(case):
    all_day = case["zone"] is None
    if all_day:
        dtstart = datetime.fromisoformat(case["start"] + "T00:00:00")
    else:
        dtstart = datetime.fromisoformat(case["start"]).replace(tzinfo=ZoneInfo(case["zone"]))
    rule = rrulestr(case["rule"], dtstart=dtstart)
    count = rule._count
    alone = [epoch(d, all_day) for d in islice(rule, LIMIT)]

    rset = rruleset()
    rset.rrule(rule.replace(count=None) if count is not None else rule)
    rset.rdate(dtstart)
    # Two wall times a DST gap moves onto one instant are one occurrence: keep taking until COUNT
    # distinct instants are found, as rili does.
    wanted = count if count is not None else LIMIT
    instants = set()
    for d in islice(rset, LIMIT):
        instants.add(epoch(d, all_day))
        if len(instants) >= wanted:
            break
    series = sorted(instants)
    return {"start": epoch(dtstart, all_day), "series": series, "rule": alone}


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump([expand(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
