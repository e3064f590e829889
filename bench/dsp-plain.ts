/**
 * The bench's baseline: the reference session's plugins (eq, compressor,
 * delay, Freeverb) written the straightforward way in plain TypeScript —
 * planar Float32Arrays, per-sample loops, Math.log10/Math.pow — so
 * `outboard bench dsp` can show what the WASM engine buys.
 */
import { peakingCoefficients, shelfCoefficients, type Coefficients } from './cookbook.ts';

const BLOCK = 128;

/** One stereo transposed direct form II biquad. */
class Biquad {
  private b0: number; private b1: number; private b2: number; private a1: number; private a2: number;
  private l1 = 0; private l2 = 0; private r1 = 0; private r2 = 0;
  constructor(c: Coefficients) {
    this.b0 = c.b0 / c.a0; this.b1 = c.b1 / c.a0; this.b2 = c.b2 / c.a0; this.a1 = c.a1 / c.a0; this.a2 = c.a2 / c.a0;
  }
  process(l: Float32Array, r: Float32Array): void {
    const { b0, b1, b2, a1, a2 } = this;
    let l1 = this.l1, l2 = this.l2, r1 = this.r1, r2 = this.r2;
    for (let i = 0; i < l.length; i++) {
      const x = l[i] as number;
      const y = b0 * x + l1;
      l1 = b1 * x - a1 * y + l2;
      l2 = b2 * x - a2 * y;
      l[i] = y;
      const xr = r[i] as number;
      const yr = b0 * xr + r1;
      r1 = b1 * xr - a1 * yr + r2;
      r2 = b2 * xr - a2 * yr;
      r[i] = yr;
    }
    this.l1 = l1; this.l2 = l2; this.r1 = r1; this.r2 = r2;
  }
}

/** Low shelf, two peaks, high shelf. */
export class PlainEq {
  private readonly bands: Biquad[];
  constructor(p: Record<string, number>, fs: number) {
    this.bands = [
      new Biquad(shelfCoefficients('low', p.low_freq ?? 100, p.low_gain ?? 0, fs)),
      new Biquad(peakingCoefficients(p.mid1_freq ?? 500, p.mid1_gain ?? 0, p.mid1_q ?? 1, fs)),
      new Biquad(peakingCoefficients(p.mid2_freq ?? 3000, p.mid2_gain ?? 0, p.mid2_q ?? 1, fs)),
      new Biquad(shelfCoefficients('high', p.high_freq ?? 8000, p.high_gain ?? 0, fs)),
    ];
  }
  process(l: Float32Array, r: Float32Array): void {
    for (const b of this.bands) b.process(l, r);
  }
}

/** Feed-forward soft-knee compressor, log-domain branching peak detector, stereo-linked. */
export class PlainCompressor {
  private y = 0;
  private readonly aA: number; private readonly aR: number;
  constructor(private readonly p: { threshold_db: number; ratio: number; attack_ms: number; release_ms: number; knee_db: number; makeup_db: number }, fs: number) {
    this.aA = Math.exp(-1 / (p.attack_ms * 0.001 * fs));
    this.aR = Math.exp(-1 / (p.release_ms * 0.001 * fs));
  }
  process(l: Float32Array, r: Float32Array): void {
    const { threshold_db: t, ratio, knee_db: w, makeup_db } = this.p;
    const { aA, aR } = this;
    let y = this.y;
    for (let i = 0; i < l.length; i++) {
      const peak = Math.max(Math.abs(l[i] as number), Math.abs(r[i] as number));
      const xg = peak < 1e-9 ? -180 : 20 * Math.log10(peak);
      const d = xg - t;
      let yg: number;
      if (2 * d < -w) yg = xg;
      else if (w > 0 && 2 * Math.abs(d) <= w) yg = xg + ((1 / ratio - 1) * (d + w / 2) ** 2) / (2 * w);
      else yg = t + d / ratio;
      const xl = xg - yg;
      y = xl > y ? aA * y + (1 - aA) * xl : aR * y + (1 - aR) * xl;
      const g = Math.pow(10, (makeup_db - y) / 20);
      l[i] = (l[i] as number) * g;
      r[i] = (r[i] as number) * g;
    }
    this.y = y;
  }
}

/** Stereo feedback delay, linear interpolation, one-pole lowpass in the loop. */
export class PlainDelay {
  private readonly left: Float32Array; private readonly right: Float32Array;
  private w = 0; private lpL = 0; private lpR = 0;
  private readonly d: number; private readonly c: number;
  constructor(private readonly p: { time_ms: number; feedback: number; mix: number; damping_hz: number }, fs: number) {
    this.left = new Float32Array(Math.ceil(2.1 * fs));
    this.right = new Float32Array(this.left.length);
    this.d = (p.time_ms / 1000) * fs;
    this.c = 1 - Math.exp((-2 * Math.PI * p.damping_hz) / fs);
  }
  process(l: Float32Array, r: Float32Array): void {
    const { left, right, c } = this;
    const { feedback, mix } = this.p;
    const size = left.length;
    const di = Math.floor(this.d), fr = this.d - di;
    let w = this.w, lpL = this.lpL, lpR = this.lpR;
    for (let i = 0; i < l.length; i++) {
      let r0 = w - di; if (r0 < 0) r0 += size;
      let r1 = r0 - 1; if (r1 < 0) r1 += size;
      const wl = (left[r0] as number) + ((left[r1] as number) - (left[r0] as number)) * fr;
      const wr = (right[r0] as number) + ((right[r1] as number) - (right[r0] as number)) * fr;
      lpL += (wl - lpL) * c;
      lpR += (wr - lpR) * c;
      const xl = l[i] as number, xr = r[i] as number;
      left[w] = xl + lpL * feedback;
      right[w] = xr + lpR * feedback;
      l[i] = xl + (wl - xl) * mix;
      r[i] = xr + (wr - xr) * mix;
      if (++w >= size) w = 0;
    }
    this.w = w; this.lpL = lpL; this.lpR = lpR;
  }
}

class Comb {
  private readonly buf: Float32Array; private i = 0; private store = 0;
  constructor(size: number) { this.buf = new Float32Array(size); }
  tick(x: number, fb: number, d1: number, d2: number): number {
    const out = this.buf[this.i] as number;
    this.store = out * d2 + this.store * d1;
    this.buf[this.i] = x + this.store * fb;
    if (++this.i >= this.buf.length) this.i = 0;
    return out;
  }
}

class Allpass {
  private readonly buf: Float32Array; private i = 0;
  constructor(size: number) { this.buf = new Float32Array(size); }
  tick(x: number): number {
    const b = this.buf[this.i] as number;
    this.buf[this.i] = x + b * 0.5;
    if (++this.i >= this.buf.length) this.i = 0;
    return b - x;
  }
}

/** Freeverb: 8 combs and 4 allpasses per channel. */
export class PlainReverb {
  private readonly combs: Comb[][]; private readonly allpasses: Allpass[][];
  private readonly fb: number; private readonly d1: number;
  constructor(private readonly p: { room_size: number; damping: number; width: number; mix: number }, fs: number) {
    const s = fs / 44100;
    const combs = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
    const aps = [556, 441, 341, 225];
    this.combs = [0, 23].map((o) => combs.map((c) => new Comb(Math.round((c + o) * s))));
    this.allpasses = [0, 23].map((o) => aps.map((a) => new Allpass(Math.round((a + o) * s))));
    this.fb = p.room_size * 0.28 + 0.7;
    this.d1 = p.damping * 0.4;
  }
  process(l: Float32Array, r: Float32Array): void {
    const { fb, d1 } = this;
    const d2 = 1 - d1;
    const [cl, cr] = this.combs as [Comb[], Comb[]];
    const [al, ar] = this.allpasses as [Allpass[], Allpass[]];
    const wet1 = this.p.width / 2 + 0.5, wet2 = (1 - this.p.width) / 2, mix = this.p.mix;
    for (let i = 0; i < l.length; i++) {
      const input = ((l[i] as number) + (r[i] as number)) * 0.015;
      let outL = 0, outR = 0;
      for (const c of cl) outL += c.tick(input, fb, d1, d2);
      for (const c of cr) outR += c.tick(input, fb, d1, d2);
      for (const a of al) outL = a.tick(outL);
      for (const a of ar) outR = a.tick(outR);
      const wl = outL * wet1 + outR * wet2, wr = outR * wet1 + outL * wet2;
      l[i] = (l[i] as number) + (wl - (l[i] as number)) * mix;
      r[i] = (r[i] as number) + (wr - (r[i] as number)) * mix;
    }
  }
}

/** One track of the reference session in plain TypeScript. */
interface PlainTrack {
  readonly source: [Float32Array, Float32Array];
  readonly eq: PlainEq; readonly comp: PlainCompressor; readonly delay: PlainDelay;
  readonly sendGain: number;
}

/** Per plugin type: the time spent, for ns per frame. */
export type PlainTimings = Record<'eq' | 'compressor' | 'delay' | 'reverb', number>;

/**
 * The reference session (SPEC §9) in plain TypeScript: `tracks` tracks of
 * eq + compressor + delay, each sending to two reverb buses, summed on a
 * master bus; 128-frame blocks like the engine.
 */
export class PlainSession {
  private readonly tracks: PlainTrack[];
  private readonly buses: PlainReverb[];
  private pos = 0;
  readonly timings: PlainTimings = { eq: 0, compressor: 0, delay: 0, reverb: 0 };
  private readonly l = new Float32Array(BLOCK); private readonly r = new Float32Array(BLOCK);
  private readonly busL: Float32Array[]; private readonly busR: Float32Array[];
  readonly outL = new Float32Array(BLOCK); readonly outR = new Float32Array(BLOCK);

  constructor(sources: [Float32Array, Float32Array][], plugins: ReferencePlugins, sendDb: number, fs: number, private readonly timed = false) {
    this.tracks = sources.map((source) => ({
      source,
      eq: new PlainEq(plugins.eq, fs),
      comp: new PlainCompressor(plugins.compressor, fs),
      delay: new PlainDelay(plugins.delay, fs),
      sendGain: 10 ** (sendDb / 20),
    }));
    this.buses = [new PlainReverb(plugins.reverb, fs), new PlainReverb({ ...plugins.reverb, room_size: 0.5 }, fs)];
    this.busL = this.buses.map(() => new Float32Array(BLOCK));
    this.busR = this.buses.map(() => new Float32Array(BLOCK));
  }

  /** Renders one block into outL/outR. */
  process(): void {
    const { l, r, outL, outR, busL, busR } = this;
    outL.fill(0); outR.fill(0);
    for (const b of busL) b.fill(0);
    for (const b of busR) b.fill(0);
    const clock = this.timed ? () => performance.now() : () => 0;
    for (const t of this.tracks) {
      const [sl, sr] = t.source;
      for (let i = 0; i < BLOCK; i++) {
        const k = (this.pos + i) % sl.length;
        l[i] = sl[k] as number;
        r[i] = sr[k] as number;
      }
      let t0 = clock();
      t.eq.process(l, r);
      let t1 = clock(); this.timings.eq += t1 - t0; t0 = t1;
      t.comp.process(l, r);
      t1 = clock(); this.timings.compressor += t1 - t0; t0 = t1;
      t.delay.process(l, r);
      t1 = clock(); this.timings.delay += t1 - t0;
      for (let i = 0; i < BLOCK; i++) {
        const x = l[i] as number, y = r[i] as number;
        outL[i] = (outL[i] as number) + x;
        outR[i] = (outR[i] as number) + y;
        for (let b = 0; b < busL.length; b++) {
          (busL[b] as Float32Array)[i] = ((busL[b] as Float32Array)[i] as number) + x * t.sendGain;
          (busR[b] as Float32Array)[i] = ((busR[b] as Float32Array)[i] as number) + y * t.sendGain;
        }
      }
    }
    this.buses.forEach((bus, b) => {
      const t0 = clock();
      bus.process(busL[b] as Float32Array, busR[b] as Float32Array);
      this.timings.reverb += clock() - t0;
      for (let i = 0; i < BLOCK; i++) {
        outL[i] = (outL[i] as number) + ((busL[b] as Float32Array)[i] as number);
        outR[i] = (outR[i] as number) + ((busR[b] as Float32Array)[i] as number);
      }
    });
    this.pos += BLOCK;
  }
}

/** The params of the reference session's plugins (catalog ids). */
export interface ReferencePlugins {
  eq: Record<string, number>;
  compressor: { threshold_db: number; ratio: number; attack_ms: number; release_ms: number; knee_db: number; makeup_db: number };
  delay: { time_ms: number; feedback: number; mix: number; damping_hz: number };
  reverb: { room_size: number; damping: number; width: number; mix: number };
}
