import type { SessionDocument, Track } from '../../src/protocol/session.ts';

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
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      data[i] = ((seed / 2 ** 32) * 2 - 1) * Math.exp((-6 * i) / frames);
    }
  }
  return ir;
}

const dbToGain = (db: number): number => 10 ** (db / 20);

/** A plugin's params in the document (the bench's session sets them all). */
function params(track: Track, type: string): Record<string, number> {
  return track.chain.find((p) => p.type === type)?.params ?? {};
}

/**
 * The reference session from native Web Audio nodes, with the same sources
 * and settings: per track a looping AudioBufferSourceNode into four biquads
 * (low shelf, two peaks, high shelf), a DynamicsCompressorNode, a feedback
 * delay (DelayNode, a lowpass BiquadFilterNode and gain in the loop, dry/wet
 * mix) and the fader, with post-fader sends into ConvolverNode reverbs on the
 * bus tracks; everything into the master. `withReverbs` false leaves the
 * convolvers out (to show what they cost).
 */
export function buildNativeGraph(ctx: BaseAudioContext, doc: SessionDocument, sources: [Float32Array, Float32Array][], withReverbs = true): void {
  const master = new GainNode(ctx, { gain: dbToGain(doc.master.gain_db) });
  master.connect(ctx.destination);
  const buses = new Map<string, AudioNode>();
  for (const bus of doc.tracks.filter((t) => t.source.kind === 'bus')) {
    if (!withReverbs) continue;
    const conv = new ConvolverNode(ctx, { buffer: impulseResponse(ctx, IR_SECONDS) });
    conv.connect(new GainNode(ctx, { gain: dbToGain(bus.gain_db) })).connect(master);
    buses.set(bus.id, conv);
  }
  doc.tracks.filter((t) => t.source.kind === 'file').forEach((track, i) => {
    const [l, r] = sources[i % sources.length]!;
    const buffer = ctx.createBuffer(2, l.length, ctx.sampleRate);
    buffer.copyToChannel(l as Float32Array<ArrayBuffer>, 0);
    buffer.copyToChannel(r as Float32Array<ArrayBuffer>, 1);
    const src = new AudioBufferSourceNode(ctx, { buffer, loop: true });
    const eq = params(track, 'eq');
    const bands = [
      new BiquadFilterNode(ctx, { type: 'lowshelf', frequency: eq.low_freq ?? 100, gain: eq.low_gain ?? 0 }),
      new BiquadFilterNode(ctx, { type: 'peaking', frequency: eq.mid1_freq ?? 500, Q: eq.mid1_q ?? 1, gain: eq.mid1_gain ?? 0 }),
      new BiquadFilterNode(ctx, { type: 'peaking', frequency: eq.mid2_freq ?? 3000, Q: eq.mid2_q ?? 1, gain: eq.mid2_gain ?? 0 }),
      new BiquadFilterNode(ctx, { type: 'highshelf', frequency: eq.high_freq ?? 8000, gain: eq.high_gain ?? 0 }),
    ];
    const c = params(track, 'compressor');
    const comp = new DynamicsCompressorNode(ctx, {
      threshold: c.threshold_db ?? -18, ratio: c.ratio ?? 4, knee: c.knee_db ?? 6,
      attack: (c.attack_ms ?? 10) / 1000, release: (c.release_ms ?? 100) / 1000,
    });
    const makeup = new GainNode(ctx, { gain: dbToGain(c.makeup_db ?? 0) });
    const d = params(track, 'delay');
    const delay = new DelayNode(ctx, { delayTime: (d.time_ms ?? 375) / 1000, maxDelayTime: 2 });
    const damp = new BiquadFilterNode(ctx, { type: 'lowpass', frequency: d.damping_hz ?? 8000 });
    const feedback = new GainNode(ctx, { gain: d.feedback ?? 0.35 });
    const wet = new GainNode(ctx, { gain: d.mix ?? 0.3 });
    const dry = new GainNode(ctx, { gain: 1 - (d.mix ?? 0.3) });
    const fader = new GainNode(ctx, { gain: dbToGain(track.gain_db) });
    src.connect(bands[0]!).connect(bands[1]!).connect(bands[2]!).connect(bands[3]!).connect(comp).connect(makeup);
    makeup.connect(dry).connect(fader);
    makeup.connect(delay).connect(damp).connect(feedback).connect(delay);
    damp.connect(wet).connect(fader);
    fader.connect(master);
    for (const send of track.sends) {
      const bus = buses.get(send.target);
      if (bus) fader.connect(new GainNode(ctx, { gain: dbToGain(send.gain_db) })).connect(bus);
    }
    src.start();
  });
}
