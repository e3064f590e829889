import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import { EngineFeed } from '../../src/engine/engine-feed.ts';
import { ParamWriter } from '../../src/engine/param-writer.ts';
import { compileDocument } from '../../src/model/index.ts';
import { SessionDocumentSchema } from '../../src/protocol/session.ts';
import { createDspHost } from '../../worklets/wasm-dsp-host.ts';
import { EngineRunner } from '../../worklets/engine-runner.ts';
import { ParamRing } from '../../worklets/shared/param-ring.ts';
import { MeterBlock } from '../../worklets/shared/meter-block.ts';
import type { EngineCommand, EngineRpc } from '../../worklets/shared/rpc.ts';

const WASM = fileURLToPath(new URL('../../wasm/engine.wasm', import.meta.url));

/**
 * The main thread's feed in front of the worklet's real render loop and
 * engine.wasm, in Node. The one stand-in is the port between them (there is
 * no AudioWorklet in Node): a queue of comlink messages this test delivers
 * when it chooses, so a message can be held back across render quanta, as a
 * busy audio thread would.
 */
async function rig() {
  const host = await createDspHost((await readFile(WASM)).buffer as ArrayBuffer, 48_000);
  const calls: string[] = [];
  const spied = Object.assign(Object.create(host) as typeof host, {
    execute: (c: Parameters<typeof host.execute>[0]) => { calls.push(c.op); host.execute(c); },
    setParam: (t: number, p: number, i: number, v: number) => { calls.push(`param ${t}/${p}/${i}=${v}`); host.setParam(t, p, i, v); },
  });
  const ring = ParamRing.create(64, true);
  const block = MeterBlock.create(true);
  const runner = new EngineRunner(ring, block, 48_000, () => 0);
  runner.host = spied;
  const port: { commands: readonly EngineCommand[]; done: () => void }[] = [];
  const rpc = {
    run: (commands: readonly EngineCommand[]) => new Promise<void>((done) => void port.push({ commands, done })),
  } as unknown as Remote<EngineRpc>;
  const feed = new EngineFeed(rpc, host.limits, new ParamWriter(ring, () => block.counter()));
  const deliver = async () => {
    for (let m = port.shift(); m; m = port.shift()) {
      runner.run(m.commands);
      m.done();
    }
    await feed.settled();
  };
  const left = new Float32Array(128);
  const quantum = () => runner.render(undefined, left, undefined);
  return { feed, ring, calls, deliver, quantum };
}

const doc = SessionDocumentSchema.parse({
  format: 'outboard.session/1', id: 's', name: 's',
  tracks: [{ id: 't', name: 'T', source: { kind: 'input' }, chain: [{ id: 'a', type: 'gain' }, { id: 'b', type: 'gain' }] }],
});

describe('values and structure reach the engine in the order they were made', () => {
  it('a knob turned right after a plugin is inserted in front of it lands on that knob, after the insert', async () => {
    const { feed, ring, calls, deliver, quantum } = await rig();
    feed.load(compileDocument(doc));
    await deliver();
    calls.length = 0;
    // Insert x at the front: a moves from position 0 to 1. The message is still on its way...
    feed.apply([{ kind: 'plugin-added', track: 't', plugin: { id: 'x', type: 'gain', bypass: false, params: {} }, index: 0 }]);
    // ... when the user turns a's gain. Through the ring it would reach position 1 (b) before the insert lands.
    feed.apply([{ kind: 'param', track: 't', plugin: 'a', param: 'gain_db', value: -12 }]);
    expect(ring.available()).toBe(0);
    quantum();
    expect(calls).toEqual([]);
    await deliver();
    expect(calls).toEqual(['insert', 'param 0/1/0=-12']);
    // Nothing in flight: the next turn goes through the ring, applied at the next quantum.
    calls.length = 0;
    feed.apply([{ kind: 'param', track: 't', plugin: 'a', param: 'gain_db', value: -6 }]);
    expect(ring.available()).toBe(1);
    quantum();
    expect(calls).toEqual(['param 0/1/0=-6']);
  });

  it('a knob turned just before a plugin is removed lands before the removal, where it was aimed', async () => {
    const { feed, calls, deliver } = await rig();
    feed.load(compileDocument(doc));
    await deliver();
    calls.length = 0;
    // b's knob goes into the ring; the removal of a (b moves to position 0) follows as a command.
    feed.apply([{ kind: 'param', track: 't', plugin: 'b', param: 'gain_db', value: -3 }]);
    feed.apply([{ kind: 'plugin-removed', track: 't', plugin: 'a' }]);
    // The message arrives before the next quantum drained the ring: the runner drains it first.
    await deliver();
    expect(calls).toEqual(['param 0/1/0=-3', 'remove']);
  });
});
