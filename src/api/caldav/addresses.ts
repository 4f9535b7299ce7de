import type { FastifyRequest } from 'fastify';

/** Where CalDAV is served, on rili's own port. */
export const DAV_PREFIX = '/dav';

/** The server address a client is given: this server, as the request reached it. */
export const davAddress = (request: FastifyRequest): string => `${request.protocol}://${request.host}${DAV_PREFIX}/`;

/** The base of a user's read-only feeds: `<base><calendar id>.ics`. */
export const feedBase = (request: FastifyRequest, feedToken: string): string => `${davAddress(request)}feeds/${feedToken}/`;
