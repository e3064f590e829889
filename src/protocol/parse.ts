import type { z } from 'zod';
import { outboardError, type OutboardError, type Result } from './errors.ts';
import { ClientMessageSchema, NON_OP_TYPES, type ClientMessage } from './messages.ts';
import { HLC_PATTERN, ID_PATTERN } from './ids.ts';
import { OP_TYPES } from './ops.ts';
import { PARAM_ID_PATTERN } from './plugin.ts';

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

const KNOWN_TYPES = new Set<string>([...OP_TYPES, ...NON_OP_TYPES]);

const ENVELOPE_KEYS = new Set(['id', 'type', 'session_id', 'hlc', 'user_id', 'ephemeral', 'data']);
const PARAMETER_KEYS = ['track_id', 'plugin_id', 'parameter_id', 'parameter_value'];
const isId = (v: unknown) => typeof v === 'string' && ID_PATTERN.test(v);

/**
 * The one frame a fader sends 60 times a second, checked without the general
 * schema walk: a few field tests instead of zod's machinery keeps the relay's
 * per-frame work small. It only ever says yes to what `ClientMessageSchema`
 * accepts (tests/protocol/parse.test.ts compares them); anything else —
 * including every refusal — goes through the schema for its precise error.
 */
function isPlainParameterFrame(v: Record<string, unknown>): boolean {
  if (v.type !== 'PLUGIN_PARAMETER' || !isId(v.id) || !isId(v.session_id)) return false;
  for (const key of Object.keys(v)) if (!ENVELOPE_KEYS.has(key)) return false;
  if (v.hlc !== undefined && !(typeof v.hlc === 'string' && HLC_PATTERN.test(v.hlc))) return false;
  if (v.user_id !== undefined && !(typeof v.user_id === 'string' && v.user_id.length <= 256)) return false;
  if (v.ephemeral !== undefined && typeof v.ephemeral !== 'boolean') return false;
  const data = v.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  const keys = Object.keys(d);
  if (keys.length !== PARAMETER_KEYS.length || !PARAMETER_KEYS.every((k) => Object.hasOwn(d, k))) return false;
  return isId(d.track_id) && isId(d.plugin_id)
    && typeof d.parameter_id === 'string' && PARAM_ID_PATTERN.test(d.parameter_id)
    && typeof d.parameter_value === 'number' && Number.isFinite(d.parameter_value);
}

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
    // JSON.parse makes plain objects only, which the fast check relies on.
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainParameterFrame(value as Record<string, unknown>)) {
      return { ok: true, value: value as ClientMessage };
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
