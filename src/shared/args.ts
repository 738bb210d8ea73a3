/**
 * A call's arguments checked against its capability's schema (each contract.ts holds its own, in zod): the first
 * problem found becomes the call's error, with the message the schema gives it.
 */
import { HushCartError } from '../errors';
import { z } from './zod';

export function parseArgs<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HushCartError('api/invalid-argument', r.error.issues[0]?.message ?? 'invalid arguments');
}

/** An integer from `min` to `max` (default `fallback`), every failure said as one sentence. */
export function boundedInt(min: number, max: number, fallback: number, name = 'limit') {
  const error = `${name} must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback);
}

/**
 * Options given as an object, or not at all (then every default applies); keys the schema does not name are kept
 * for the caller.
 */
export const options = <S extends z.ZodRawShape>(shape: S, what: string) => {
  const schema = z.looseObject(shape, { error: `${what}'s options must be an object` });
  return schema.optional().transform((o): z.output<typeof schema> => o ?? schema.parse({}));
};
