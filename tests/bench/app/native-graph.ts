import { REFERENCE_TRACKS } from './reference-session.ts';

/** Seconds of impulse response for each native reverb (a room-sized tail). */
const IR_SECONDS = 1.5;

/** A decaying stereo noise burst, the usual stand-in for a room's impulse response. */
function impulseResponse(ctx: BaseAudioContext, seconds: number): AudioBuffer {
  const frames = Math.round(seconds * ctx.sampleRate);
  const ir = ctx.createBuffer(2, frames, ctx.sampleRate);
  let seed = 1;
  for (let c = 0; c < 2; c++) {
    const data = ir.getChannelData(c);
    for (let i = 0; i < frames; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      data[i] = ((seed / 2 ** 32) * 2 - 1) * Math.exp((-6 * i) / frames);
    }
  }
  return ir;
}

/**
 * The reference session's chain from native Web Audio nodes: per track an
 * oscillator into four biquads (low shelf, two peaks, high shelf), a
 * DynamicsCompressorNode, a feedback delay (DelayNode, lowpass BiquadFilterNode
 * and gain in the loop, dry/wet mix), fader and pan, and two sends into
 * ConvolverNode reverbs; everything into a master gain. `withReverbs` false
 * leaves the convolvers out (to show what they cost).
 */
export function buildNativeGraph(ctx: BaseAudioContext, withReverbs = true): void {
  const master = new GainNode(ctx, { gain: 0.5 });
  master.connect(ctx.destination);
  const reverbs = [0, 1].map(() => {
    const conv = new ConvolverNode(ctx, { buffer: impulseResponse(ctx, IR_SECONDS), disableNormalization: false });
    conv.connect(master);
    return conv;
  });
  for (let i = 0; i < REFERENCE_TRACKS; i++) {
    const osc = new OscillatorNode(ctx, { type: 'sawtooth', frequency: 55 * 2 ** ((i * 7) % 36 / 12) });
    const bands = [
      new BiquadFilterNode(ctx, { type: 'lowshelf', frequency: 100, gain: 3 }),
      new BiquadFilterNode(ctx, { type: 'peaking', frequency: 500, Q: 1, gain: -4 }),
      new BiquadFilterNode(ctx, { type: 'peaking', frequency: 3000, Q: 1, gain: 2 }),
      new BiquadFilterNode(ctx, { type: 'highshelf', frequency: 8000, gain: -2 }),
    ];
    const comp = new DynamicsCompressorNode(ctx, { threshold: -24, ratio: 4, knee: 6, attack: 0.01, release: 0.1 });
    const delay = new DelayNode(ctx, { delayTime: 0.25 + 0.02 * i, maxDelayTime: 2 });
    const damp = new BiquadFilterNode(ctx, { type: 'lowpass', frequency: 8000 });
    const feedback = new GainNode(ctx, { gain: 0.4 });
    const wet = new GainNode(ctx, { gain: 0.25 });
    const dry = new GainNode(ctx, { gain: 0.75 });
    const fader = new GainNode(ctx, { gain: 0.25 });
    const pan = new StereoPannerNode(ctx, { pan: ((i % 5) - 2) / 3 });
    osc.connect(bands[0]!).connect(bands[1]!).connect(bands[2]!).connect(bands[3]!).connect(comp);
    comp.connect(dry).connect(fader);
    comp.connect(delay).connect(damp).connect(feedback).connect(delay);
    damp.connect(wet).connect(fader);
    fader.connect(pan).connect(master);
    if (withReverbs) {
      pan.connect(new GainNode(ctx, { gain: 0.25 })).connect(reverbs[0]!);
      pan.connect(new GainNode(ctx, { gain: 0.125 })).connect(reverbs[1]!);
    }
    osc.start();
  }
}
