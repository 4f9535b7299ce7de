import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dingtalkFieldName } from '../../src/api/dingtalk/field-names.js';
import { feishuFieldName } from '../../src/api/feishu/field-names.js';
import { checkTimeRange } from '../../src/core/events/time.js';
import { checkCheckIn, checkVchat } from '../../src/core/events/rules.js';
import { DomainError } from '../../src/core/errors.js';

/** The refusal a check throws, in each dialect's terms. */
function refusal(check: () => void) {
  try {
    check();
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    return { domain: { message: error.message, field: error.field }, feishu: error.inTermsOf(feishuFieldName), dingtalk: error.inTermsOf(dingtalkFieldName) };
  }
  assert.fail('the check passed');
}

describe('domain field names at the edge', () => {
  test('Feishu names each domain field by its wire name; wire names already Feishu pass unchanged', () => {
    const rows: Array<[string, string]> = [
      ['start', 'start_time'],
      ['end', 'end_time'],
      ['end.date', 'end_time.date'],
      ['checkIn', 'event_check_in'],
      ['checkIn.checkInStartTime.timeType', 'event_check_in.check_in_start_time.time_type'],
      ['vchat.meetingSettings.assignHosts', 'vchat.meeting_settings.assign_hosts'],
      ['recurrence', 'recurrence'],
      ['attendees[2].third_party_email', 'attendees[2].third_party_email'],
      ['attendees[2].email', 'attendees[2].third_party_email'],
      ['attendees[2].approvalReason', 'attendees[2].approval_reason'],
      ['attendeeIds', 'attendee_ids'],
      ['attendeeRefs', 'delete_ids'],
      ['attendeeRefs[4]', 'delete_ids[4]'],
      ['attendeeIds[0]', 'attendee_ids[0]'],
      ['end_time', 'end_time'],
      ['calendar_id', 'calendar_id'],
    ];
    for (const [domain, wire] of rows) assert.equal(feishuFieldName(domain), wire, domain);
  });

  test('a time-range refusal names start and end in each dialect, with the Feishu text unchanged', () => {
    const timed = (epoch: number) => ({ kind: 'timed' as const, epoch, timeZone: 'UTC' });
    const backwards = refusal(() => checkTimeRange(timed(200), timed(100)));
    assert.deepEqual(backwards.domain, { message: 'end: end must not be before start', field: 'end' });
    assert.deepEqual(backwards.feishu, { message: 'end_time: end_time must not be before start_time', field: 'end_time' });
    assert.deepEqual(backwards.dingtalk, { message: 'end: end must not be before start', field: 'end' });
    const days = refusal(() => checkTimeRange({ kind: 'date', date: '2030-01-02' }, { kind: 'date', date: '2030-01-02' }));
    assert.equal(days.feishu.message, 'end_time: end_time.date must not be before start_time.date');
    const mixed = refusal(() => checkTimeRange({ kind: 'date', date: '2030-01-02' }, timed(100)));
    assert.equal(mixed.feishu.message, 'end_time: start_time and end_time must both be dates or both be timestamps');
  });

  test('check-in and vchat refusals keep their Feishu wording and fields', () => {
    const noEnd = refusal(() => checkCheckIn({ enableCheckIn: true, checkInStartTime: { timeType: 'before_event_start', duration: 5 }, needNotifyAttendees: false }, 3600));
    assert.deepEqual(noEnd.feishu, { message: 'event_check_in.check_in_end_time: is required when enable_check_in is true', field: 'event_check_in.check_in_end_time' });
    assert.equal(noEnd.domain.field, 'checkIn.checkInEndTime');
    const order = refusal(() => checkCheckIn({
      enableCheckIn: true, checkInStartTime: { timeType: 'after_event_start', duration: 30 }, checkInEndTime: { timeType: 'after_event_start', duration: 5 }, needNotifyAttendees: false,
    }, 3600));
    assert.deepEqual(order.feishu, { message: 'event_check_in: check_in_start_time must be before check_in_end_time', field: 'event_check_in' });
    const bot = refusal(() => checkVchat({ vcType: 'vc', meetingSettings: { assignHosts: ['u1'] } }, { organizerIsBot: true, callerIsOrganizer: true }));
    assert.deepEqual(bot.feishu, { message: 'organizer is bot, can not set assign_hosts, and allow_attendees_start must be true', field: 'vchat.meeting_settings' });
    const url = refusal(() => checkVchat({ vcType: 'third_party' }, { organizerIsBot: false, callerIsOrganizer: true }));
    assert.deepEqual(url.feishu, { message: 'vchat.meeting_url: is required when vc_type is third_party', field: 'vchat.meeting_url' });
  });
});
