import type {
  AttendeeAbility, EventCheckIn, EventLocation, EventSchema, EventTime, FreeBusy, Reminder, Vchat, Visibility,
} from './types.js';

/** Editable event fields in domain terms; a field left undefined is not changed. */
export interface EventInput {
  readonly summary?: string;
  readonly description?: string;
  /** Both or neither: a lone start or end is ignored, as Feishu does, unless `timesApplyAlone`. */
  readonly start?: EventTime;
  readonly end?: EventTime;
  /**
   * A lone start or end applies, the other kept from the event as it stands under the write lock
   * (DingTalk's PUT): filling it in from an earlier read would lose a concurrent change.
   */
  readonly timesApplyAlone?: boolean;
  readonly vchat?: Vchat | null;
  readonly visibility?: Visibility;
  readonly attendeeAbility?: AttendeeAbility;
  readonly freeBusyStatus?: FreeBusy;
  readonly location?: EventLocation | null;
  readonly color?: number;
  readonly reminders?: readonly Reminder[];
  readonly recurrence?: string;
  readonly schemas?: readonly EventSchema[];
  /** Attachments to add (by token) and to remove. */
  readonly attachments?: { readonly add: readonly string[]; readonly remove: readonly string[] };
  readonly checkIn?: EventCheckIn | null;
  readonly source?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}
