/**
 * The relay's logger. Tokens must never reach a log line (SPEC §7): the
 * Authorization header and any `token` field are redacted, and URLs are only
 * ever logged through {@link safeUrl}, which drops `?token=`.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** A pino logger with token redaction. `destination` is for tests. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'outboard-relay' },
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A URL path safe to log: the query's `token` value replaced. */
export function safeUrl(url: string | undefined): string {
  if (!url) return '';
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
