import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayEdit } from '../../../src/core/events/access.js';
import type { EventSide } from '../../../src/core/events/access.js';
import type { AttendeeAbility } from '../../../src/core/events/types.js';
import type { Role } from '../../../src/core/types.js';

test('mayEdit: writers of the organizer calendar, and attendees only with can_modify_event', () => {
  const rows: Array<[EventSide, Role, AttendeeAbility, boolean]> = [
    ['organizer', 'owner', 'none', true],
    ['organizer', 'writer', 'none', true],
    ['organizer', 'reader', 'can_modify_event', false],
    ['organizer', 'free_busy_reader', 'can_modify_event', false],
    ['attendee', 'owner', 'can_modify_event', true],
    ['attendee', 'owner', 'can_invite_others', false],
    ['attendee', 'owner', 'can_see_others', false],
    ['attendee', 'owner', 'none', false],
  ];
  for (const [side, role, ability, expected] of rows) assert.equal(mayEdit(side, role, ability), expected, `${side} ${role} ${ability}`);
});
