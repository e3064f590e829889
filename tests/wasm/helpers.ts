import { readFile } from 'node:fs/promises';
import { buildWasm } from '../../scripts/build-wasm.mjs';
import { compileDocument } from '../../src/model/index.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { directProjection, EngineCore } from '../../wasm/host/index.ts';

let module: Promise<WebAssembly.Module> | null = null;

/** A fresh engine from the real engine.wasm, built first when missing or stale. */
export async function engine(sampleRate = 48000): Promise<EngineCore> {
  module ??= buildWasm().then(async (path: string) => WebAssembly.compile(await readFile(path)));
  return EngineCore.fromModule(await module, sampleRate);
}

/** Projects a whole document onto `core` the way `outboard render` does; returns the projection. */
export function project(core: EngineCore, doc: SessionDocument): ReturnType<typeof directProjection> {
  const projection = directProjection(core);
  projection.graph.load(compileDocument(doc));
  return projection;
}

/** An engine with one track fed by the live input and the given chain. */
export async function effectEngine(chain: { type: string; params?: Record<string, number> }[], sampleRate = 48000): Promise<EngineCore> {
  const core = await engine(sampleRate);
  core.setTrackActive(0, true);
  core.setTrackSource(0, 'input');
  chain.forEach((p, i) => core.insertPlugin(0, i, p.type, p.params ?? {}));
  return core;
}

/**
 * Runs `left`/`right` (right defaults to left) through the engine and returns
 * the output planes, `frames` long (zero input past the end of the signal).
 * `onBlock(index)` runs before each block, for mid-signal param changes.
 */
export function run(core: EngineCore, left: Float32Array, right: Float32Array = left, frames = left.length, onBlock?: (block: number) => void): [Float32Array, Float32Array] {
  const outL = new Float32Array(frames), outR = new Float32Array(frames);
  const b = core.blockSize;
  for (let start = 0, block = 0; start < frames; start += b, block++) {
    onBlock?.(block);
    const [inL, inR] = core.input;
    for (let i = 0; i < b; i++) {
      inL[i] = left[start + i] ?? 0;
      inR[i] = right[start + i] ?? 0;
    }
    core.process();
    const n = Math.min(b, frames - start);
    outL.set(core.output[0].subarray(0, n), start);
    outR.set(core.output[1].subarray(0, n), start);
  }
  return [outL, outR];
}

/** A unit impulse of `frames` samples. */
export function impulse(frames: number): Float32Array {
  const x = new Float32Array(frames);
  x[0] = 1;
  return x;
}

/** |X(f)| of a (finite) signal by direct evaluation of its DTFT at `f` Hz. */
export function dtftMagnitude(x: Float32Array, f: number, sampleRate: number): number {
  const w = (2 * Math.PI * f) / sampleRate;
  let re = 0, im = 0;
  // Rotating phasor in f64: accurate enough over 2^15 samples for 0.001 dB.
  const c = Math.cos(w), s = Math.sin(w);
  let pr = 1, pi = 0;
  for (let n = 0; n < x.length; n++) {
    const v = x[n] as number;
    re += v * pr;
    im -= v * pi;
    const t = pr * c - pi * s;
    pi = pr * s + pi * c;
    pr = t;
  }
  return Math.hypot(re, im);
}

/** `count` log-spaced frequencies from `lo` to `hi` Hz. */
export function logFrequencies(lo: number, hi: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => lo * (hi / lo) ** (i / (count - 1)));
}

export const db = (x: number): number => 20 * Math.log10(x);

export { noise } from '../../bench/signals.ts';

/** Power spectrum (|X[k]|^2, k < n/2) of x (length a power of two) under a 4-term Blackman-Harris window. */
export function powerSpectrum(x: Float32Array): Float64Array {
  const n = x.length;
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / (n - 1);
    re[i] = (x[i] as number) * (0.35875 - 0.48829 * Math.cos(t) + 0.14128 * Math.cos(2 * t) - 0.01168 * Math.cos(3 * t));
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k), wi = Math.sin(ang * k);
        const a = i + k, b = a + len / 2;
        const xr = (re[b] as number) * wr - (im[b] as number) * wi;
        const xi = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr;
        im[a] = (im[a] as number) + xi;
      }
    }
  }
  const out = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) out[k] = (re[k] as number) ** 2 + (im[k] as number) ** 2;
  return out;
}
