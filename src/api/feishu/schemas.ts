import { Type } from 'typebox';
import type { TUnsafe } from 'typebox';

/** A string limited to the given values, as a plain JSON-Schema `enum` (clear validation messages). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const USER_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;

/** `user_id_type`, accepted on every endpoint where user ids go in or out; open_id by default. */
export const UserIdTypeQuery = {
  user_id_type: Type.Optional(StringEnum(USER_ID_TYPES)),
};

export const CalendarIdParams = Type.Object({ calendar_id: Type.String({ minLength: 1, maxLength: 255 }) });

/** Page size bounds as Feishu documents them; values under the minimum count as the minimum. */
export const pageSize = (value: number | undefined, bounds: { min: number; max: number; fallback: number }): number =>
  value === undefined ? bounds.fallback : Math.max(bounds.min, value);
