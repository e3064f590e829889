import { Emitter } from './emitter.ts';
import type { AudioEngineApi } from '../engine/types.ts';
import type { EngineChange } from '../model/index.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { loadEngine } from './engine-loader.ts';
import { op } from './op-builders.ts';
import type { SessionController } from './session-controller.ts';
import { transportPosition } from './transport-clock.ts';

/** Settings key of this device's chosen output device ('' or absent: the system default). */
const OUTPUT_KEY = 'audio_output';
/** Settings key of "Audio on this device" (absent: on). */
export const AUDIO_ON_KEY = 'audio_on';

/** Seconds of a WAV export: four bars of the 16-step pattern at the session tempo. */
export function exportSeconds(doc: SessionDocument, bars = 4): number {
  return Math.min(600, (bars * 4 * 60) / doc.tempo_bpm);
}

/** Whether an engine change puts a file source on a track (whose sample the engine may lack). */
const needsSample = (c: EngineChange): boolean =>
  (c.kind === 'source' && c.source.kind === 'file') || (c.kind === 'track' && c.track.source.kind === 'file');

/**
 * The app's side of audio: creates the engine on first use (from a user
 * gesture), hands it the document and the samples the document uses, and
 * reports failures as messages instead of breaking the app.
 *
 * Play and Stop are shared session state (`UPDATE_SESSION {playing,
 * started_at}`): this class dispatches them, and follows the document, so Play
 * on a tablet starts the laptop's engine the moment the op is applied there,
 * and every device with audio on plays at the position `started_at` gives
 * (also one that turns audio on while the session plays). A device with
 * "Audio on this device" off never creates an engine (nor an AudioContext).
 */
export class AudioSession extends Emitter<{ change: void }> {
  error = '';
  #samples = new Set<string>();
  #audioOn = true;
  /** Other members with audio on (from presence; null while not connected: unknown, so nothing is claimed). */
  #hostsElsewhere: number | null = null;

  constructor(private readonly ctl: SessionController) {
    super();
    ctl.on('change', ({ whole, changes }) => {
      // Only a new document or a file source can need a sample: a fader move walks no tracks (nor computes anything without an engine).
      if (this.ctl.engine && (whole || changes().some(needsSample))) void this.#syncSamples();
      this.#follow();
    });
  }

  get engine(): AudioEngineApi | null {
    return this.ctl.engine;
  }

  /** The shared transport: whether the session plays (on whichever devices have audio on). */
  get playing(): boolean {
    return this.ctl.doc?.playing === true;
  }

  /** "Audio on this device". */
  get audioOn(): boolean {
    return this.#audioOn;
  }

  /** Whether any device (this one or another member's) has audio on; true while that is not known. */
  get anyAudio(): boolean {
    return this.#audioOn || this.#hostsElsewhere === null || this.#hostsElsewhere > 0;
  }

  /** Reads this device's remembered switch (absent: on). */
  async loadSettings(): Promise<void> {
    this.#audioOn = (await this.ctl.store.getSetting(AUDIO_ON_KEY)) !== false;
    this.emit('change');
  }

  /**
   * Turns "Audio on this device" on or off (remembered on this device); off silences the engine at once.
   * Listeners (the views, presence to the other devices) hear of it once it is saved: a page reloaded
   * as soon as another device shows the change still has it (a reload aborts a write in flight).
   */
  async setAudioOn(on: boolean): Promise<void> {
    if (on === this.#audioOn) return;
    this.#audioOn = on;
    this.#unavailable = false;
    if (!on) this.ctl.engine?.stop();
    await this.ctl.store.setSetting(AUDIO_ON_KEY, on);
    this.emit('change');
    if (on) this.#follow();
  }

  /** How many other members have audio on (from presence), or null while not connected. */
  setHostsElsewhere(count: number | null): void {
    if (count === this.#hostsElsewhere) return;
    this.#hostsElsewhere = count;
    this.emit('change');
  }

  /** Brings this device's engine in line with the shared transport. */
  #follow(): void {
    const engine = this.ctl.engine;
    if (!this.playing) {
      if (engine?.playing) {
        engine.stop();
        this.emit('change');
      }
      return;
    }
    if (this.#audioOn && !engine?.playing && !this.#unavailable) void this.#start();
    // A Play that won over this device's own (two pressed at once) moves the transport to the winner's position.
    else if (engine?.playing && this.ctl.doc?.started_at !== this.#startedAt) this.#seek(engine);
  }

  /** The `started_at` this device's engine plays from. */
  #startedAt: number | undefined;

  #seek(engine: AudioEngineApi): void {
    this.#startedAt = this.ctl.doc?.started_at;
    engine.seek?.(transportPosition(this.ctl.doc));
  }

  #starting = false;
  /** Audio could not start here: the transport is not retried on every change, only from this device's Play. */
  #unavailable = false;

  async #start(): Promise<void> {
    if (this.#starting) return;
    this.#starting = true;
    const engine = await this.ensure();
    this.#starting = false;
    if (!engine) this.#unavailable = true;
    // The transport may have stopped (or audio been switched off) while the engine was loading.
    if (!engine || !this.playing || !this.#audioOn || engine.playing) return;
    try {
      this.#startedAt = this.ctl.doc?.started_at;
      // Asked as the engine starts (after it loaded): a host that joins late starts where the others are.
      await engine.play(() => transportPosition(this.ctl.doc));
      if (!this.playing) engine.stop();
      else if (this.ctl.doc?.started_at !== this.#startedAt) this.#seek(engine);
    } catch (error) {
      this.#setError(`Could not start playback: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.emit('change');
  }

  /** The engine, created and resumed; null (with `error` set) when audio is unavailable, null when audio is off here. */
  async ensure(): Promise<AudioEngineApi | null> {
    if (!this.#audioOn) return null;
    try {
      // Cleared before the engine attaches, which starts loading the samples: a file that cannot be decoded says so.
      this.#setError('');
      const fresh = !this.ctl.engine;
      const engine = this.ctl.engine ?? (await loadEngine());
      if (fresh) this.ctl.attachEngine(engine);
      await engine.resume();
      await this.#syncSamples();
      if (fresh) await this.#applyOutput(engine);
      return engine;
    } catch (error) {
      this.#setError(`Audio is unavailable: ${error instanceof Error ? error.message : String(error)}. Editing still works.`);
      return null;
    }
  }

  /** Play for the whole session; this device's engine starts from the applied op (see `#follow`). */
  async play(): Promise<void> {
    // Created inside the user's gesture, as browsers require for audio.
    this.#unavailable = false;
    if (this.#audioOn) await this.ensure();
    this.#transport(true);
  }

  /** Stop for the whole session. */
  stop(): void {
    this.#transport(false);
  }

  #transport(playing: boolean): void {
    if (this.ctl.doc && this.ctl.doc.playing !== playing) {
      // Play says when the transport was at 0, so every audio host computes the same position on its own clock.
      this.ctl.dispatch(op('UPDATE_SESSION', { changes: playing ? { playing, started_at: Date.now() } : { playing } }));
    }
    this.#follow();
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
    if (doc && !this.#audioOn) {
      this.#setError('Turn on "Audio on this device" to export a WAV here.');
      return null;
    }
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
      // A sample that failed is tried again on the next sync (the next Play), which says why again.
      if (!rec) {
        this.#samples.delete(id);
        this.#setError(`The audio file for "${t.name}" is not on this device.`);
        continue;
      }
      try {
        const decoded = await engine.decode(rec.bytes.slice(0));
        await engine.setSample(id, decoded.channels, decoded.sampleRate);
      } catch (error) {
        this.#samples.delete(id);
        this.#setError(`Could not decode ${rec.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  #setError(message: string): void {
    this.error = message;
    this.emit('change');
  }
}
