import type { FieldNamer } from '../../core/errors.js';

/**
 * A domain field path in DingTalk's wire terms. DingTalk's names for the fields it shares with the
 * domain are the domain's own (`start`, `end`, `start.date`, `recurrence`, `summary`); a domain field
 * it has no wire name for (Feishu's `vchat`, `checkIn`) is named as the domain names it.
 */
export const dingtalkFieldName: FieldNamer = (domainField) => domainField;
