import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { AppContext } from '../context.js';
import type { Actor } from '../core/types.js';

/** The parts of a request a route validates. */
export interface RouteSchemas {
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema;
  readonly headers?: TSchema;
}

type Part<S> = S extends TSchema ? Static<S> : Record<string, never>;

/** What a handler receives: validated parts, the caller, and the raw request for the rare extra. */
export interface RouteInput<S extends RouteSchemas> {
  readonly params: Part<S['params']>;
  readonly query: Part<S['querystring']>;
  readonly body: Part<S['body']>;
  readonly headers: Part<S['headers']>;
  readonly actor: Actor;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * One endpoint. `handle` returns the response's data; the dialect plugin wraps it in its envelope
 * (`envelope: 'raw'` sends it as it is, for endpoints with a flat body).
 */
export interface Route<S extends RouteSchemas = RouteSchemas> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly schema: S;
  /** `none`: no token needed (token endpoints themselves). */
  readonly auth: 'required' | 'none';
  readonly envelope?: 'data' | 'raw';
  handle(input: RouteInput<S>, ctx: AppContext): Promise<unknown>;
}

/** Declares a route with its input types inferred from its schemas. */
export const defineRoute = <S extends RouteSchemas>(route: Route<S>): Route => route;

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, set by the dialect's authentication before validation. */
    actor?: Actor;
    /** The scopes the caller's user token was granted at sign-in; undefined: every scope. */
    grantedScopes?: readonly string[];
  }
}
