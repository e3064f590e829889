/**
 * A relay that cannot listen says why in the settings' words (HOST, PORT),
 * the way an operator starting a second node on a taken port reads it.
 */
import { describe, expect, it } from 'vitest';
import { cleanup, startRelay, tempDir } from './helpers.ts';

describe('a relay that cannot listen', () => {
  it('on a port another relay holds: says the port is taken and what to set', async () => {
    const first = await startRelay();
    const dir = tempDir();
    try {
      const port = new URL(first.url).port;
      await expect(startRelay({ PORT: port }, dir)).rejects.toThrow(`port ${port} on 127.0.0.1 is taken by another process (another relay?): stop it, or set PORT (or --port) to a free port`);
    } finally {
      await first.stop();
      cleanup(first.dataDir);
      cleanup(dir);
    }
  });

  it('on an address that is not this machine\'s: names HOST', async () => {
    const dir = tempDir();
    try {
      await expect(startRelay({ HOST: '192.0.2.1' }, dir)).rejects.toThrow('HOST 192.0.2.1 is not an address of this machine');
    } finally {
      cleanup(dir);
    }
  });
});
