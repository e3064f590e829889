/**
 * Links another device can open. A relay reached as 127.0.0.1 mints links
 * to 127.0.0.1, which a tablet cannot reach; when the relay listens on a LAN
 * address too, the same link on each of those is offered instead.
 */
import { networkInterfaces } from 'node:os';
import { isLoopbackUrl } from '../../src/protocol/invites.ts';
import type { RelayConfig } from '../config.ts';

/** `http://ADDRESS:PORT` for each non-loopback IPv4 address the relay listens on. */
export function lanBases(config: Pick<RelayConfig, 'host'>, port: number): string[] {
  const wildcard = config.host === '0.0.0.0' || config.host === '::' || config.host === '';
  if (!wildcard) return isLoopbackUrl(`http://${config.host.includes(':') ? `[${config.host}]` : config.host}`) ? [] : [`http://${config.host}:${port}`];
  return Object.values(networkInterfaces()).flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a.address}:${port}`);
}
