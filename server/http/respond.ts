/** Small HTTP helpers shared by the routes: JSON answers, error answers, bounded bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { outboardError, type ErrorCode, type OutboardError, type Result } from '../../src/protocol/errors.ts';

/** Headers on every answer: cross-origin isolation so the app gets SharedArrayBuffer (SPEC §6). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** The HTTP status of an error code. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'UNAUTHORIZED': return 401;
    case 'FORBIDDEN': return 403;
    case 'SESSION_NOT_FOUND': return 404;
    case 'RATE_LIMITED': return 429;
    case 'MESSAGE_TOO_LARGE': return 413;
    case 'INVALID_MESSAGE': return 400;
    case 'ENGINE_ERROR': return 503;
    default: return 422;
  }
}

/** Answers `body` as JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...ISOLATION_HEADERS, ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

/** Answers an error as `{code, message, field?}` with its status (or `status`); one that says when to come back (`retry_after_s`) also as `Retry-After`. */
export function sendError(res: ServerResponse, error: OutboardError, status = statusOf(error.code)): void {
  const retry = (error as { retry_after_s?: unknown }).retry_after_s;
  sendJson(res, status, error, typeof retry === 'number' ? { 'Retry-After': String(retry) } : {});
}

/** Reads a JSON body of at most `limit` bytes; never throws. `empty`: the value of a body with no bytes (else an error). */
export async function readJson(req: IncomingMessage, limit: number, empty?: unknown): Promise<Result<unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return { ok: false, error: outboardError('MESSAGE_TOO_LARGE', `body is larger than ${limit} bytes`) };
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) return { ok: false, error: outboardError('MESSAGE_TOO_LARGE', `body is larger than ${limit} bytes`) };
      chunks.push(chunk as Buffer);
    }
  } catch {
    return { ok: false, error: outboardError('INVALID_MESSAGE', 'body could not be read') };
  }
  if (size === 0 && empty !== undefined) return { ok: true, value: empty };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, error: outboardError('INVALID_MESSAGE', 'body is not valid JSON') };
  }
}

/** A typed error, for routes. */
export const err = (code: ErrorCode, message: string, field?: string): OutboardError => outboardError(code, message, field);
