import { Type } from 'typebox';
import type { Static, TObject } from 'typebox';
import type { AppContext } from '../../../../../context.js';
import { DomainError, invalidArgument } from '../../../../../core/errors.js';
import type { AttendeeSpec } from '../../../../../core/events/attendees.js';
import type { Attendee, AttendeeType } from '../../../../../core/events/types.js';
import type { UserIdType } from '../../../../../core/ports.js';
import type { Actor, User } from '../../../../../core/types.js';
import { StringEnum } from '../../../schemas.js';
import { userWireId } from '../../../wire-ids.js';

export const ATTENDEE_TYPES = ['user', 'chat', 'resource', 'third_party'] as const;

const Id = Type.String({ minLength: 1, maxLength: 255 });

/** Who an attendee is on the wire: a type and the id field that goes with it. */
export const AttendeeRefFields = {
  type: Type.Optional(StringEnum(ATTENDEE_TYPES)),
  user_id: Type.Optional(Id),
  chat_id: Type.Optional(Id),
  room_id: Type.Optional(Id),
  third_party_email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
};

type AttendeeRef = Static<TObject<typeof AttendeeRefFields>>;

const ID_FIELD: Record<AttendeeType, 'user_id' | 'chat_id' | 'room_id' | 'third_party_email'> = {
  user: 'user_id',
  chat: 'chat_id',
  resource: 'room_id',
  third_party: 'third_party_email',
};

/** The type sent, else the type of the one id field present (the SDK marks `type` optional). */
function typeOf(ref: AttendeeRef, field: string): AttendeeType {
  if (ref.type) return ref.type;
  const present = ATTENDEE_TYPES.filter((t) => ref[ID_FIELD[t]] !== undefined);
  if (present.length !== 1) throw invalidArgument(`${field}.type`, 'is required unless exactly one of user_id, chat_id, room_id, third_party_email is sent');
  return present[0];
}

type WireRef = AttendeeRef & { is_optional?: boolean; operate_id?: string; approval_reason?: string };

/**
 * Resolves wire references (user ids in `idType`, within the caller's tenant) to specs, the users in
 * one read: every reference's shape is checked before any user is looked up, and the first user
 * missing (a reference's operate_id before its user_id) is the error.
 */
export async function specsFromWire(ctx: AppContext, actor: Actor, idType: UserIdType, refs: readonly WireRef[], field: (i: number) => string): Promise<AttendeeSpec[]> {
  const shapes = refs.map((ref, i) => {
    const type = typeOf(ref, field(i));
    const value = ref[ID_FIELD[type]];
    if (value === undefined) throw invalidArgument(`${field(i)}.${ID_FIELD[type]}`, `is required when type is ${type}`);
    return { ref, type, value };
  });
  const wanted: Array<{ value: string; field: string }> = [];
  shapes.forEach(({ ref, type, value }, i) => {
    if (ref.operate_id !== undefined) wanted.push({ value: ref.operate_id, field: `${field(i)}.operate_id` });
    if (type === 'user') wanted.push({ value, field: `${field(i)}.user_id` });
  });
  const found = await ctx.events.lookups.usersByExternalIds(actor.tenantKey, idType, wanted.map((w) => w.value));
  const resolved = new Map<string, string>();
  for (const [i, w] of wanted.entries()) {
    const user = found[i];
    if (!user) throw new DomainError('user_not_found', `${w.field}: no user with ${idType} ${w.value} in this tenant`, w.field);
    resolved.set(w.field, user.id);
  }
  return shapes.map(({ ref, type, value }, i): AttendeeSpec => {
    const operateId = resolved.get(`${field(i)}.operate_id`);
    switch (type) {
      case 'user':
        return { type, userId: resolved.get(`${field(i)}.user_id`)!, isOptional: ref.is_optional, operateId };
      case 'chat':
        return { type, chatId: value, isOptional: ref.is_optional };
      case 'resource':
        if (ref.is_optional === true) throw invalidArgument(`${field(i)}.is_optional`, 'cannot be set for a room');
        return { type, roomId: value, approvalReason: ref.approval_reason, operateId };
      case 'third_party':
        return { type, email: value, isOptional: ref.is_optional };
    }
  });
}

async function usersById(ctx: AppContext, ids: Iterable<string>): Promise<Map<string, User>> {
  const unique = [...new Set(ids)];
  const users = await ctx.events.lookups.users(unique);
  return new Map(users.map((u) => [u.id, u]));
}

/** A member of a chat attendee, as the chat_members list sends it. */
export function chatMemberToWire(a: Attendee, user: User | undefined) {
  return {
    rsvp_status: a.rsvp,
    is_optional: a.isOptional,
    display_name: a.displayName,
    open_id: user?.openId ?? '',
    is_organizer: a.isOrganizer,
    is_external: false,
  };
}

/** Attendees as Feishu sends them, user ids in `idType`; a chat attendee carries its members. */
export async function attendeesToWire(ctx: AppContext, idType: UserIdType | undefined, items: readonly Attendee[]) {
  const uid = items.find((a) => a.type === 'chat')?.uid;
  const rows = uid ? await ctx.events.lookups.attendees(uid) : [];
  const members = new Map<string, Attendee[]>();
  for (const m of rows) if (m.viaChat) members.set(m.viaChat, [...(members.get(m.viaChat) ?? []), m]);
  const users = await usersById(ctx, items.flatMap((a) => [a.userId, a.operateId].filter((id): id is string => id !== undefined)));
  const wireId = (id: string | undefined) => {
    const user = id === undefined ? undefined : users.get(id);
    return user ? userWireId(user, idType) : undefined;
  };
  return items.map((a) => {
    const userId = a.type === 'user' ? wireId(a.userId) : undefined;
    const operateId = wireId(a.operateId);
    return {
      type: a.type,
      attendee_id: a.attendeeId,
      rsvp_status: a.rsvp,
      is_optional: a.isOptional,
      is_organizer: a.isOrganizer,
      is_external: a.type === 'third_party',
      display_name: a.displayName,
      ...(userId !== undefined ? { user_id: userId } : {}),
      ...(a.type === 'chat' ? {
        chat_id: a.chatId,
        chat_members: (members.get(a.attendeeId) ?? []).map((m) => ({
          rsvp_status: m.rsvp, is_optional: m.isOptional, display_name: m.displayName, is_organizer: m.isOrganizer, is_external: false,
        })),
      } : {}),
      ...(a.type === 'resource' ? { room_id: a.roomId } : {}),
      ...(a.type === 'third_party' ? { third_party_email: a.email } : {}),
      ...(operateId !== undefined ? { operate_id: operateId } : {}),
      ...(a.approvalReason ? { approval_reason: a.approvalReason } : {}),
    };
  });
}
