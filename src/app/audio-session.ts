import { Emitter } from './emitter.ts';
import type { AudioEngineApi } from '../engine/types.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { loadEngine } from './engine-loader.ts';
import type { SessionController } from './session-controller.ts';

/** Settings key of this device's chosen output device ('' or absent: the system default). */
const OUTPUT_KEY = 'audio_output';

/** Seconds of a WAV export: four bars of the 16-step pattern at the session tempo. */
export function exportSeconds(doc: SessionDocument, bars = 4): number {
  return Math.min(600, (bars * 4 * 60) / doc.tempo_bpm);
}

/**
 * The app's side of audio: creates the engine on first use (from a user
 * gesture), hands it the document and the samples the document uses, and
 * reports failures as messages instead of breaking the app.
 */
export class AudioSession extends Emitter<{ change: void }> {
  error = '';
  #samples = new Set<string>();

  constructor(private readonly ctl: SessionController) {
    super();
    ctl.on('change', () => void this.#syncSamples());
  }

  get engine(): AudioEngineApi | null {
    return this.ctl.engine;
  }

  get playing(): boolean {
    return this.ctl.engine?.playing ?? false;
  }

  /** The engine, created and resumed; null (with `error` set) when audio is unavailable. */
  async ensure(): Promise<AudioEngineApi | null> {
    try {
      const fresh = !this.ctl.engine;
      const engine = this.ctl.engine ?? (await loadEngine());
      if (fresh) this.ctl.attachEngine(engine);
      await engine.resume();
      await this.#syncSamples();
      this.#setError('');
      if (fresh) await this.#applyOutput(engine);
      return engine;
    } catch (error) {
      this.#setError(`Audio is unavailable: ${error instanceof Error ? error.message : String(error)}. Editing still works.`);
      return null;
    }
  }

  async play(): Promise<void> {
    const engine = await this.ensure();
    if (!engine) return;
    try {
      await engine.play();
    } catch (error) {
      this.#setError(`Could not start playback: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.emit('change');
  }

  stop(): void {
    this.ctl.engine?.stop();
    this.emit('change');
  }

  /** This device's chosen output device ('' = the system default). */
  async output(): Promise<string> {
    const id = await this.ctl.store.getSetting(OUTPUT_KEY);
    return typeof id === 'string' ? id : '';
  }

  /** Plays on output `id` from now on, on this device (remembered); answers whether the engine took it. */
  async chooseOutput(id: string): Promise<boolean> {
    await this.ctl.store.setSetting(OUTPUT_KEY, id);
    const engine = this.ctl.engine;
    return engine ? this.#applyOutput(engine) : true;
  }

  async #applyOutput(engine: AudioEngineApi): Promise<boolean> {
    const id = await this.output();
    if (!engine.setOutputDevice || (id === '' && engine.info().outputDevice === '')) return true;
    try {
      await engine.setOutputDevice(id);
      return true;
    } catch (error) {
      this.#setError(`The chosen output device is not available (${error instanceof Error ? error.message : String(error)}); playing on the system default.`);
      return false;
    }
  }

  /** Renders the open session offline to a WAV blob. */
  async exportWav(onProgress: (f: number) => void): Promise<Blob | null> {
    const doc = this.ctl.doc;
    const engine = doc ? await this.ensure() : null;
    if (!doc || !engine) return null;
    return engine.exportWav(doc, exportSeconds(doc), onProgress);
  }

  /** Decodes and hands over every file sample the document uses that the engine lacks. */
  async #syncSamples(): Promise<void> {
    const engine = this.ctl.engine;
    const doc = this.ctl.doc;
    if (!engine || !doc) return;
    for (const t of doc.tracks) {
      if (t.source.kind !== 'file' || this.#samples.has(t.source.sample_id)) continue;
      const id = t.source.sample_id;
      this.#samples.add(id);
      const rec = await this.ctl.store.getSample(id);
      if (!rec) {
        this.#setError(`The audio file for "${t.name}" is not on this device.`);
        continue;
      }
      try {
        const decoded = await engine.decode(rec.bytes.slice(0));
        await engine.setSample(id, decoded.channels, decoded.sampleRate);
      } catch (error) {
        this.#setError(`Could not decode ${rec.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  #setError(message: string): void {
    this.error = message;
    this.emit('change');
  }
}
