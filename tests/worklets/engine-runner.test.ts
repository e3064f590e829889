import { describe, expect, it } from 'vitest';
import { EngineRunner } from '../../worklets/engine-runner.ts';
import type { DspHost } from '../../worklets/dsp-host.ts';
import type { GraphCommand } from '../../wasm/host/index.ts';
import { ParamRing } from '../../worklets/shared/param-ring.ts';
import { MASTER_SLOT, MeterBlock } from '../../worklets/shared/meter-block.ts';
import { EventKind, TrackParam, eventKey } from '../../worklets/shared/event-keys.ts';

/** A stand-in engine: outputs its last param value as a DC level, and records calls. */
function fakeHost(): DspHost & { calls: string[]; failNext: boolean } {
  const out = [new Float32Array(128), new Float32Array(128)] as const;
  const inp = [new Float32Array(128), new Float32Array(128)] as const;
  const meters = new Float32Array(130);
  let level = 0;
  const host = {
    calls: [] as string[], failNext: false, blockFrames: 128, masterSlot: 64,
    process() {
      if (host.failNext) throw new Error('engine.wasm aborted at 1:1');
      out[0].fill(level + inp[0][0]!);
      out[1].fill(level + inp[1][0]!);
      meters[128] = level;
    },
    output: (c: 0 | 1) => out[c], input: (c: 0 | 1) => inp[c], meters: () => meters,
    setParam(t: number, p: number, i: number, v: number) { host.calls.push(`param ${t}/${p}/${i}=${v}`); level = v; },
    setTrackParam(t: number, f: number, v: number) { host.calls.push(`track ${t}/${f}=${v}`); },
    noteOn(t: number, n: number, v: number) { host.calls.push(`on ${t} ${n} ${v}`); },
    noteOff(t: number, n: number) { host.calls.push(`off ${t} ${n}`); },
    setPlaying(p: boolean) { host.calls.push(`playing ${p}`); host.playing = p; },
    seek(s: number) { host.calls.push(`seek ${s}`); },
    playing: false,
    step() { return host.playing ? 5 : -1; },
    limits: { maxTracks: 64, masterSlot: 64, maxPlugins: 16, maxSends: 8 },
    execute(c: GraphCommand) { host.calls.push(`command ${c.op}`); },
    setSample() {},
  };
  return host;
}

function setup() {
  const ring = ParamRing.create(64, true);
  const block = MeterBlock.create(true);
  const runner = new EngineRunner(ring, block, 48_000, () => 0);
  const host = fakeHost();
  runner.host = host;
  const left = new Float32Array(128);
  const right = new Float32Array(128);
  return { ring, block, runner, host, left, right };
}

describe('the worklet render loop', () => {
  it('publishes the step the transport is on after each quantum (the playhead), -1 when stopped', () => {
    const { ring, block, runner, left, right } = setup();
    runner.render(undefined, left, right);
    expect(block.step()).toBe(-1);
    ring.push(eventKey(EventKind.transport, 0, 0, 0), 1, block.counter());
    runner.render(undefined, left, right);
    expect(block.step()).toBe(5);
  });

  it('a seek written before the start is applied first, in the same quantum (a late host never plays from 0)', () => {
    const { ring, block, runner, host, left, right } = setup();
    ring.push(eventKey(EventKind.seek, 0, 0, 0), 2.5, block.counter());
    ring.push(eventKey(EventKind.transport, 0, 0, 0), 1, block.counter());
    runner.render(undefined, left, right);
    expect(host.calls).toEqual(['seek 2.5', 'playing true']);
  });

  it('applies every ring record before rendering the quantum that follows the write', () => {
    const { ring, block, runner, host, left, right } = setup();
    runner.render(undefined, left, right);
    ring.push(eventKey(EventKind.param, 2, 1, 3), 0.5, block.counter());
    ring.push(eventKey(EventKind.track, 2, 0, TrackParam.pan), -1, block.counter());
    ring.push(eventKey(EventKind.noteOn, 0, 0, 60), 0.8, block.counter());
    ring.push(eventKey(EventKind.transport, 0, 0, 0), 1, block.counter());
    runner.render(undefined, left, right);
    expect(host.calls).toEqual(['param 2/1/3=0.5', 'track 2/1=-1', 'on 0 60 0.800000011920929', 'playing true']);
    expect(left[0]).toBe(0.5); // the very quantum after the write carries the new value
    expect(block.paramLatency()).toEqual({ last: 0, worst: 0 });
    expect(block.counts().applied).toBe(4);
    expect(block.counter()).toBe(2);
    expect(block.peak(MASTER_SLOT)).toBe(0.5);
  });

  it('values riding the command stream behind graph commands are applied in order but leave the ring latency to ring records', () => {
    const { ring, block, runner, host, left, right } = setup();
    for (let i = 0; i < 6; i++) runner.render(undefined, left, right);
    // A page loading its session sends its first values with the graph, in a message that can sit in the
    // port for several quanta: that delay is the message's, not the ring's.
    runner.run([{ op: 'add_track', slot: 0 } as unknown as GraphCommand, { op: 'record', key: eventKey(EventKind.param, 0, 0, 1), value: 0.25 }]);
    expect(host.calls).toEqual(['command add_track', 'param 0/0/1=0.25']);
    expect(block.paramLatency()).toEqual({ last: -1, worst: 0 }); // no ring record yet
    ring.push(eventKey(EventKind.param, 0, 0, 1), 0.5, block.counter() - 1);
    runner.render(undefined, left, right);
    expect(block.paramLatency()).toEqual({ last: 1, worst: 1 });
    expect(block.counts().applied).toBe(2);
  });

  it('mixes live input into the engine input, mono to both sides', () => {
    const { runner, left, right } = setup();
    runner.render([new Float32Array(128).fill(0.25)], left, right);
    expect([left[5], right[5]]).toEqual([0.25, 0.25]);
  });

  it('an engine error turns the output silent instead of throwing out of process()', () => {
    const { runner, host, left, right } = setup();
    host.failNext = true;
    left.fill(1);
    expect(() => runner.render(undefined, left, right)).not.toThrow();
    expect(left.every((v) => v === 0)).toBe(true);
    expect(runner.error).toMatch(/aborted/);
  });

  it('renders silence until the engine is ready, and still counts quanta', () => {
    const block = MeterBlock.create(false);
    const runner = new EngineRunner(null, block, 48_000, () => 0);
    const left = new Float32Array(128).fill(1);
    runner.render(undefined, left, undefined);
    expect(left.every((v) => v === 0)).toBe(true);
    expect(block.counter()).toBe(1);
  });

  it('the port fallback applies a posted batch between quanta', () => {
    const block = MeterBlock.create(false);
    const runner = new EngineRunner(null, block, 48_000, () => 0);
    const host = fakeHost();
    runner.host = host;
    const batch = ParamRing.create(4, false);
    batch.push(eventKey(EventKind.param, 0, 0, 0), 0.25, 0);
    runner.applyRecords(batch.buffer as ArrayBuffer);
    const left = new Float32Array(128);
    runner.render(undefined, left, undefined);
    expect(left[0]).toBe(0.25);
    expect(block.counts().applied).toBe(1);
  });
});
