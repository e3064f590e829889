import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDspHost } from '../../worklets/wasm-dsp-host.ts';
import { EngineRunner } from '../../worklets/engine-runner.ts';
import { ParamRing } from '../../worklets/shared/param-ring.ts';
import { MeterBlock } from '../../worklets/shared/meter-block.ts';
import { EventKind, eventKey } from '../../worklets/shared/event-keys.ts';
import { SessionDocumentSchema } from '../../src/protocol/session.ts';
import { compileDocument } from '../../src/model/index.ts';
import { EngineGraph } from '../../wasm/host/index.ts';
import { hostSink } from '../../worklets/dsp-host.ts';
import type { Remote } from 'comlink';
import type { EngineRpc } from '../../worklets/shared/rpc.ts';
import { EngineFeed } from '../../src/engine/engine-feed.ts';
import { ParamWriter } from '../../src/engine/param-writer.ts';

const WASM = fileURLToPath(new URL('../../wasm/engine.wasm', import.meta.url));

describe('the render loop allocates nothing (V8, as in Chromium)', () => {
  it('50,000 quanta of the real engine, with a knob moving every quantum, leave the JS heap where it was', async () => {
    const host = await createDspHost((await readFile(WASM)).buffer as ArrayBuffer, 48_000);
    new EngineGraph(host.limits, hostSink(host)).load(compileDocument(SessionDocumentSchema.parse({
      format: 'outboard.session/1', id: 's', name: 's',
      tracks: [{ id: 'a', name: 'A', chain: [{ id: 'syn', type: 'synth' }, { id: 'eq', type: 'eq' }, { id: 'dly', type: 'delay' }] }],
    })));
    const ring = ParamRing.create(256, true);
    const block = MeterBlock.create(true);
    // A Smi clock: Date.now()'s boxed result is the loop's one known allocation
    // (one quantum in four, see load-meter.ts); everything else must be zero.
    const runner = new EngineRunner(ring, block, 48_000, () => 0);
    runner.host = host;
    host.setPlaying(true);
    const left = new Float32Array(128);
    const right = new Float32Array(128);
    const input = [new Float32Array(128), new Float32Array(128)];
    const key = eventKey(EventKind.param, 0, 1, 1);
    const quantum = (i: number) => {
      ring.push(key, (i % 24) - 12, block.counter());
      runner.render(input, left, right);
    };
    for (let i = 0; i < 20_000; i++) quantum(i); // warm up: let the JIT settle
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 50_000; i++) quantum(i);
      rounds.push(process.memoryUsage().heapUsed - before);
    }
    expect(runner.error).toBeNull();
    // A single 16-byte object per quantum would be 800 kB a round. The median
    // round ignores one disturbed by a concurrent sweep of earlier garbage.
    const median = rounds.sort((a, b) => a - b)[1]!;
    expect(median).toBeLessThan(64 * 1024);
  });

  it('a fader and a knob ridden through the main thread\'s feed into the ring allocate a few bytes a move, not the document', async () => {
    const doc = SessionDocumentSchema.parse({
      format: 'outboard.session/1', id: 's', name: 's',
      tracks: Array.from({ length: 16 }, (_, t) => ({ id: `t${t}`, name: `T${t}`, chain: [{ id: `eq${t}`, type: 'eq' }, { id: `c${t}`, type: 'compressor' }] })),
    });
    const ring = ParamRing.create(256, true);
    // Only the load's graph commands go this way; the fader's values go into the ring. (No worklet in Node: nothing runs them.)
    const rpc = { run: async () => undefined } as unknown as Remote<EngineRpc>;
    const feed = new EngineFeed(rpc, { maxTracks: 64, masterSlot: 64, maxPlugins: 16, maxSends: 8 }, new ParamWriter(ring, () => 0));
    feed.load(compileDocument(doc));
    await feed.settled();
    // The changes an op yields are made by the model; here they are made up front, to weigh the engine's part alone.
    const moves = Array.from({ length: 48 }, (_, i) => [{ kind: 'track-value', track: 't7', field: 'gain_db', value: -i / 4 }] as const);
    const knob = Array.from({ length: 48 }, (_, i) => [{ kind: 'param', track: 't9', plugin: 'eq9', param: 'mid1_gain', value: i / 4 - 6 }] as const);
    const sink = { onEvent: () => undefined };
    const move = (i: number) => {
      feed.apply(moves[i % 48]!);
      feed.apply(knob[i % 48]!);
      if (ring.available() > 128) ring.drain(sink);
    };
    for (let i = 0; i < 20_000; i++) move(i);
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 10_000; i++) move(i);
      rounds.push(process.memoryUsage().heapUsed - before);
    }
    // A clamped knob value crossing a call boundary is boxed (16-32 bytes); the
    // document (JSON of 16 tracks, a copy of its tracks) would be kilobytes a move.
    const median = rounds.sort((a, b) => a - b)[1]!;
    expect(median / 20_000).toBeLessThan(100);
  });
});
