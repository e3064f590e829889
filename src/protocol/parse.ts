import type { z } from 'zod';
import { outboardError, type OutboardError, type Result } from './errors.ts';
import { ClientMessageSchema, type ClientMessage } from './messages.ts';
import { OP_TYPES } from './ops.ts';

/** Formats a zod issue path as `data.ops.0.type`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Turns the first zod issue into an error naming the field. */
export function zodToError(error: z.ZodError, code: OutboardError['code'] = 'INVALID_MESSAGE'): OutboardError {
  const issue = error.issues[0];
  if (!issue) return outboardError(code, 'invalid message');
  const field = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const at = field ? `${field}.${key}` : key;
    return outboardError(code, `unknown field "${at}"`, at);
  }
  return outboardError(code, field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}

const KNOWN_TYPES = new Set<string>([...OP_TYPES, 'PRESENCE', 'AUTH']);

/**
 * Validates one client frame (a JSON string or an already-parsed value).
 * Never throws: answers the typed message or an `INVALID_MESSAGE` error that
 * names the offending field.
 */
export function parseClientMessage(input: unknown): Result<ClientMessage> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, error: outboardError('INVALID_MESSAGE', 'frame is not valid JSON') };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: outboardError('INVALID_MESSAGE', 'frame must be a JSON object') };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    return { ok: false, error: outboardError('INVALID_MESSAGE', `unknown message type ${JSON.stringify(type)?.slice(0, 64) ?? 'undefined'}`, 'type') };
  }
  try {
    const parsed = ClientMessageSchema.safeParse(value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: zodToError(parsed.error) };
  } catch {
    return { ok: false, error: outboardError('INVALID_MESSAGE', 'message could not be validated') };
  }
}
