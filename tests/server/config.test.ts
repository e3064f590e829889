/**
 * The relay's settings as an operator writes them: a value the relay cannot
 * use is refused at start with a message naming the variable and what it
 * takes, never read as a default nor left to crash later with another
 * library's words.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { cleanup, join, startRelay, token } from './helpers.ts';

describe('loadConfig refuses what the relay cannot use, naming the variable', () => {
  it('a log level pino does not know', () => {
    expect(() => loadConfig({ OUTBOARD_LOG_LEVEL: 'loud' })).toThrow('OUTBOARD_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"');
    expect(loadConfig({ OUTBOARD_LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
  });

  it('a port past 65535', () => {
    expect(() => loadConfig({ PORT: '99999' })).toThrow('PORT must be an integer from 0 to 65535, got "99999"');
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('a limit written other than in decimal digits ("0x10" is not 16, "1e3" not 1000)', () => {
    for (const raw of ['0x10', '1e3', '10.0', '-5', 'ten']) {
      expect(() => loadConfig({ OUTBOARD_MAX_CONNECTIONS_PER_IP: raw })).toThrow(`OUTBOARD_MAX_CONNECTIONS_PER_IP must be an integer >= 1, got "${raw}"`);
    }
    expect(loadConfig({ OUTBOARD_MAX_CONNECTIONS_PER_IP: ' 25 ' }).maxConnectionsPerIp).toBe(25);
  });

  it('a JWKS or public URL that is not an http(s) URL', () => {
    expect(() => loadConfig({ OUTBOARD_JWKS_URL: 'idp.example/jwks.json' })).toThrow('OUTBOARD_JWKS_URL must be an http:// or https:// URL, got "idp.example/jwks.json"');
    expect(() => loadConfig({ OUTBOARD_PUBLIC_URL: 'outboard.example.org' })).toThrow('OUTBOARD_PUBLIC_URL must be an http:// or https:// URL, got "outboard.example.org"');
    expect(loadConfig({ OUTBOARD_PUBLIC_URL: 'https://outboard.example.org/' }).publicUrl).toBe('https://outboard.example.org/');
  });

  it('a trust-proxy switch that is neither on nor off', () => {
    expect(() => loadConfig({ OUTBOARD_TRUST_PROXY: 'maybe' })).toThrow(/^OUTBOARD_TRUST_PROXY must be one of 1, true, yes, on, 0, false, no, off \(or unset\), got "maybe"$/);
    expect(loadConfig({ OUTBOARD_TRUST_PROXY: 'on' }).trustProxy).toBe(true);
    expect(loadConfig({ OUTBOARD_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it('a channels Redis without the main one', () => {
    expect(() => loadConfig({ OUTBOARD_REDIS_CHANNELS_URL: 'redis://127.0.0.1:6380' })).toThrow('OUTBOARD_REDIS_CHANNELS_URL needs OUTBOARD_REDIS_URL');
    expect(loadConfig({ OUTBOARD_REDIS_URL: 'redis://127.0.0.1:6379', OUTBOARD_REDIS_CHANNELS_URL: 'redis://127.0.0.1:6380' }).redisChannelsUrl).toBe('redis://127.0.0.1:6380');
  });

  it('an allowed origin that is not an origin', () => {
    expect(() => loadConfig({ OUTBOARD_ALLOWED_ORIGINS: 'https://studio.example, studio.example' })).toThrow(/^OUTBOARD_ALLOWED_ORIGINS must be .* got "studio\.example"$/);
    expect(() => loadConfig({ OUTBOARD_ALLOWED_ORIGINS: 'https://studio.example/app' })).toThrow(/OUTBOARD_ALLOWED_ORIGINS/);
  });
});

describe('OUTBOARD_ALLOWED_ORIGINS written with a trailing slash or capitals', () => {
  it('lets that site open a socket, as the origin the browser sends', async () => {
    const t = await startRelay({ OUTBOARD_ALLOWED_ORIGINS: 'https://Studio.example/' });
    try {
      const jwt = await token('og', 'o', 'owner');
      (await join(t.ws, 'og', { token: jwt, headers: { Origin: 'https://studio.example' } })).close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });
});
