// Boundary validation: every body, param and query goes through a zod schema from
// protocol.ts, and a failure becomes a 400 that says which field is wrong and why.
import type { z } from 'zod';
import { HttpError } from './errors';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  if (value === undefined) {
    throw new HttpError(
      400,
      'invalid_input',
      'Send a JSON object body (Content-Type: application/json).',
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'invalid_input', `${field}${issue?.message ?? 'invalid input'}`);
}
