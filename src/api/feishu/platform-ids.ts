import type { AttendeeType } from '../../core/events/types.js';
import type { IdSource, RandomSource } from '../../core/ports.js';

/** A Feishu calendar id: `feishu.cn_` and 22 random characters `@group.calendar.feishu.cn`. */
export const feishuCalendarId = (random: RandomSource): string => `feishu.cn_${random.random(22)}@group.calendar.feishu.cn`;

/** A Feishu attendee id: the type, then 16 random characters (`user_xxxxxxxxxxxxxxxx`). */
export const feishuAttendeeId = (random: RandomSource, type: AttendeeType): string => `${type}_${random.random(16)}`;

/** A Feishu VC join link: nine digits taken from a random UUID. */
export function feishuMeetingUrl(uuid: string): string {
  const digits = uuid.replace(/\D/g, '').padEnd(9, '0').slice(0, 9);
  return `https://vc.feishu.cn/j/${digits}`;
}

/**
 * New ids in Feishu's formats, which DingTalk answers with too (both dialects serve one store): a
 * calendar made through either has a Feishu calendar id, an attendee a Feishu attendee id, and a VC
 * meeting a Feishu VC link.
 */
export function feishuIds(random: RandomSource): IdSource {
  return {
    uuid: () => random.uuid(),
    random: (length) => random.random(length),
    calendarId: () => feishuCalendarId(random),
    meetingUrl: () => feishuMeetingUrl(random.uuid()),
    attendeeId: (type) => feishuAttendeeId(random, type),
    // A group chat's open_chat_id: `oc_` and 32 hex digits.
    chatId: () => `oc_${random.uuid().replace(/-/g, '')}`,
    // The client's applink protocol that opens a chat.
    chatLink: (chatId) => `https://applink.feishu.cn/client/chat/open?openChatId=${encodeURIComponent(chatId)}`,
    // A docx document's URL: its token is 27 characters.
    docUrl: () => `https://feishu.cn/docx/${random.random(27)}`,
    // As the platform's example: `timeoff:` and a UUID-like id.
    timeoffEventId: () => `timeoff:${random.uuid()}`,
    // The platform's example id is base64 of "<admin account> <exchange account>" (the same pair, the same id); base64url here, since the SDK puts it in the path unencoded.
    exchangeBindingId: (admin, account) => Buffer.from(`${admin} ${account}`).toString('base64url'),
  };
}
