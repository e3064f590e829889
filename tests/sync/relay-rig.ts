/**
 * The sync tests' rig: a real relay per test (restartable on its port and
 * data), the devices a test makes on it (stopped after the test), and the
 * relay's copy of a session.
 */
import { afterEach, beforeEach } from 'vitest';
import { Device } from '../../bench/sync-device.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { cleanup, startRelay, tempDir, token, type TestRelay } from '../server/helpers.ts';

/** What a test reads and drives; `relay` and `dataDir` change when it restarts the relay. */
export interface RelayRig {
  relay: TestRelay;
  dataDir: string;
  readonly devices: Device[];
  /** A device, stopped after the test. */
  device(name: string, doc?: SessionDocument | null): Device;
  /** Stops the relay and starts a new one on the same port; `fresh` gives it an empty data dir (a relay that lost everything). */
  restart(whileDown?: () => void | Promise<void>, fresh?: boolean): Promise<void>;
  /** The relay's copy of a session, read as a viewer. */
  doc(sessionId: string): Promise<{ seq: number; document: SessionDocument }>;
}

/** Registers the rig's per-test setup and teardown; `env` overrides relay settings. */
export function useRelayRig(env: Record<string, string> = {}): RelayRig {
  const rig: RelayRig = {
    relay: undefined as unknown as TestRelay,
    dataDir: '',
    devices: [],
    device(name, doc = null) {
      const d = new Device(name, doc);
      rig.devices.push(d);
      return d;
    },
    async restart(whileDown = () => undefined, fresh = false) {
      const port = new URL(rig.relay.url).port;
      await rig.relay.stop();
      await whileDown();
      if (fresh) {
        cleanup(rig.dataDir);
        rig.dataDir = tempDir();
      }
      rig.relay = await startRelay({ ...env, PORT: port }, rig.dataDir);
    },
    async doc(sessionId) {
      const res = await fetch(`${rig.relay.url}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${await token(sessionId, 'probe', 'viewer')}` } });
      return (await res.json()) as { seq: number; document: SessionDocument };
    },
  };
  beforeEach(async () => {
    rig.dataDir = tempDir();
    rig.relay = await startRelay(env, rig.dataDir);
  });
  afterEach(async () => {
    for (const d of rig.devices.splice(0)) d.stop();
    await rig.relay.stop();
    cleanup(rig.dataDir);
  });
  return rig;
}
