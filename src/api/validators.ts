import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const addFormats = formatsPlugin as unknown as (ajv: Ajv) => Ajv;

/**
 * Two validators: bodies are checked strictly (a number is never taken for a string: the platforms
 * reject wrong JSON types), while path and query values, which are always text, are coerced.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const options = { allErrors: false, removeAdditional: true, useDefaults: true, strict: false } as const;
  const strict = addFormats(new Ajv({ ...options, coerceTypes: false }));
  const coercing = addFormats(new Ajv({ ...options, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}

/** Names the offending field of the first validation error, e.g. `summary` or `start_time.timestamp`. */
export function fieldOf(error: Pick<ErrorObject, 'instancePath' | 'params' | 'keyword'>): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty?: string }).missingProperty ?? '';
    return path ? `${path}.${missing}` : missing;
  }
  return path;
}

/** A readable sentence for a validation failure, naming the field. */
export function describeValidation(errors: ReadonlyArray<ErrorObject>, part: string | undefined): { field: string; message: string } {
  const first = errors[0];
  const field = fieldOf(first);
  const where = field || part || 'request';
  if (first.keyword === 'enum') {
    const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return { field: where, message: `${where}: must be one of ${allowed.map(String).join(', ')}` };
  }
  if (first.keyword === 'required') return { field: where, message: `${where}: is required` };
  if (first.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperty?: string }).additionalProperty;
    return { field: where, message: `${where}: unknown field ${extra}` };
  }
  return { field: where, message: `${where}: ${first.message ?? 'is invalid'}` };
}
