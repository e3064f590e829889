import { describe, expect, it } from 'vitest';
import { MASTER_SLOT, MeterBlock } from '../../worklets/shared/meter-block.ts';
import { LoadMeter } from '../../worklets/load-meter.ts';
import { readLevels, SILENCE_DB } from '../../src/engine/levels.ts';
import type { EngineGraph } from '../../wasm/host/index.ts';

describe('meters and load, audio -> UI', () => {
  it('a level written by the worklet reads back in dBFS per track id', () => {
    const block = MeterBlock.create(true);
    block.setLevel(3, 0.5, 0.25);
    block.setLevel(MASTER_SLOT, 1, 0);
    block.publish(42);
    const slots = new Map([['drums', 3], ['master', MASTER_SLOT]]);
    const graph = { forEachSlot: (visit: (id: string, slot: number) => void) => slots.forEach((slot, id) => visit(id, slot)) } as unknown as EngineGraph;
    const levels = readLevels(block, graph);
    expect(levels.get('drums')!.peak).toBeCloseTo(-6.02, 2);
    expect(levels.get('drums')!.rms).toBeCloseTo(-12.04, 2);
    expect(levels.get('master')).toEqual({ peak: 0, rms: SILENCE_DB });
    expect(block.counter()).toBe(42);
  });

  it('a fallback copy carries the same numbers', () => {
    const worklet = MeterBlock.create(false);
    worklet.setLoad(0.2, 0.3);
    worklet.recordParamLatency(1);
    const ui = MeterBlock.create(false);
    ui.copyFrom((worklet.buffer as ArrayBuffer).slice(0));
    expect(ui.load()).toBeCloseTo(0.2);
    expect(ui.paramLatency()).toEqual({ last: 1, worst: 1 });
  });

  it('the dithered millisecond clock estimates the mean load', () => {
    // A true cost of 0.8 ms per quantum, read with a 1 ms clock at random phases.
    let t = 0;
    let phase = 0;
    const clock = () => Math.floor(t);
    const meter = new LoadMeter(128 / 48, 2000, 1, clock);
    for (let i = 0; i < 2000; i++) {
      phase = (phase + 0.377) % 1;
      t = 1000 + i * 3 + phase;
      meter.begin();
      t += 0.8;
      meter.end();
    }
    expect(meter.mean).toBeCloseTo(0.8 / (128 / 48), 1);
  });
});

describe('the load meter times one quantum in four', () => {
  it('still estimates the mean, from the sampled quanta', () => {
    let t = 0;
    let calls = 0;
    const clock = () => (calls++, Math.floor(t));
    const meter = new LoadMeter(128 / 48, 4000, 4, clock);
    for (let i = 0; i < 4000; i++) {
      t = 1000 + i * 3 + ((i * 0.377) % 1);
      meter.begin();
      t += 1.2;
      meter.end();
    }
    expect(calls).toBe(2000); // two readings on each of 1000 timed quanta
    expect(meter.mean).toBeCloseTo(1.2 / (128 / 48), 1);
  });
});
