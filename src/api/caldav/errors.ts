import type { FastifyReply } from 'fastify';
import { DomainError } from '../../core/errors.js';
import { PreconditionFailedError } from '../../core/service/caldav-service.js';
import { BadXmlError, clark, errorXml, NS } from './xml.js';

const STATUS: Partial<Record<DomainError['kind'], number>> = {
  calendar_not_found: 404,
  invalid_calendar_id: 404,
  calendar_deleted: 404,
  event_not_found: 404,
  invalid_event_id: 404,
  event_deleted: 404,
  no_calendar_access: 403,
  no_event_permission: 403,
  invalid_calendar_type: 403,
  sync_token_invalid: 403,
  sync_token_expired: 403,
  store_unavailable: 503,
};

/** A refusal as CalDAV answers it: a status and, where RFC 4791/6578 name one, a precondition element. */
export function sendDavError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof PreconditionFailedError) return reply.code(412).type('text/plain; charset=utf-8').send(error.message);
  if (error instanceof BadXmlError) return reply.code(400).type('text/plain; charset=utf-8').send(`malformed XML: ${error.message}`);
  if (error instanceof DomainError) {
    if (error.kind === 'sync_token_invalid' || error.kind === 'sync_token_expired') {
      return reply.code(403).type('application/xml; charset=utf-8').send(errorXml(clark(NS.dav, 'valid-sync-token')));
    }
    if (error.kind === 'invalid_argument' && error.field === 'calendar-data') {
      return reply.code(403).type('application/xml; charset=utf-8').send(errorXml(clark(NS.caldav, 'valid-calendar-data')));
    }
    const status = STATUS[error.kind] ?? (error.kind === 'invalid_argument' ? 400 : 403);
    return reply.code(status).type('text/plain; charset=utf-8').send(error.message);
  }
  throw error;
}
