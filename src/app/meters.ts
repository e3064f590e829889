import type { AudioEngineApi, TrackLevel } from '../engine/types.ts';
import { SILENCE_DB } from '../engine/levels.ts';
import { Emitter } from './emitter.ts';
import { METERS_PER_SECOND, type MetersBroadcast, type MetersData } from '../protocol/messages.ts';

/** Levels older than this (ms, by this device's clock) have stopped coming: the meters fall to silence. */
export const STALE_MS = 500;

/** A clock every page on the machine shares (ms since the epoch, sub-millisecond): the meters bench compares stamps across pages. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();

const round = (db: number) => Math.round(Math.max(SILENCE_DB, db) * 10) / 10;

/** Levels as a METERS frame carries them: per track id, [peak, rms] in dBFS rounded to 0.1. */
export function metersData(levels: ReadonlyMap<string, TrackLevel>, step: number | null, at = sharedNow()): MetersData {
  const out: Record<string, [number, number]> = {};
  for (const [id, l] of levels) out[id] = [round(l.peak), round(l.rms)];
  return { at, step, levels: out };
}

/**
 * The newest levels an audio host elsewhere sent (METERS frames). A surface
 * has no engine of its own: its meters draw these at display rate. Emits
 * `levels` when a frame arrives, so a view draws only then (no frame loop
 * while nothing changes).
 */
export class RemoteMeters extends Emitter<{ levels: void }> {
  #levels: Map<string, TrackLevel> | null = null;
  #step: number | null = null;
  #receivedAt = 0;
  /** The host's read time of the newest levels (its `sharedNow()`), for the meters bench. */
  sentAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    super();
  }

  /** Keeps one frame's levels (the newest wins). */
  take(data: MetersBroadcast['data']): void {
    const levels = new Map<string, TrackLevel>();
    for (const [id, [peak, rms]] of Object.entries(data.levels)) levels.set(id, { peak, rms });
    this.#levels = levels;
    this.#step = data.step;
    this.#receivedAt = this.now();
    this.sentAt = data.at;
    this.emit('levels');
  }

  /** The newest levels (silence once none came lately: the host stopped or left), or null before any came. */
  levels(): ReadonlyMap<string, TrackLevel> | null {
    if (!this.#levels || this.now() - this.#receivedAt <= STALE_MS) return this.#levels;
    return new Map([...this.#levels.keys()].map((id) => [id, { peak: SILENCE_DB, rms: SILENCE_DB }]));
  }

  /** The audio host's pattern step, or null when it stopped (or its levels stopped coming). */
  step(): number | null {
    return this.#levels && this.now() - this.#receivedAt <= STALE_MS ? this.#step : null;
  }
}

/** The page's levels from elsewhere. */
export const remoteMeters = new RemoteMeters();

/** The playhead: this device's engine's step while it plays, else the audio host's (METERS), else none. */
export function currentStep(engine: AudioEngineApi | null): number | null {
  if (engine?.playing) return engine.step?.() ?? null;
  return remoteMeters.step();
}

/**
 * The levels to draw: this device's engine while it plays, else the newest
 * from an audio host elsewhere, else this engine's (falling to silence).
 */
export function currentLevels(engine: AudioEngineApi | null): ReadonlyMap<string, TrackLevel> | undefined {
  if (engine?.playing) return engine.levels();
  return remoteMeters.levels() ?? engine?.levels();
}

/**
 * Sends this device's levels {@link METERS_PER_SECOND} times a second while
 * its engine plays, and after it stops until they are silent (so surfaces
 * see the tail fall).
 */
export class MeterSender {
  #timer: ReturnType<typeof setInterval> | null = null;
  #sounding = false;

  constructor(
    private readonly engine: () => AudioEngineApi | null,
    private readonly send: (data: MetersData) => void,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => this.#tick(), 1000 / METERS_PER_SECOND);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    const engine = this.engine();
    if (!engine || (!engine.playing && !this.#sounding)) return;
    const levels = engine.levels();
    this.#sounding = [...levels.values()].some((l) => l.peak > SILENCE_DB);
    this.send(metersData(levels, engine.playing ? engine.step?.() ?? null : null));
  }
}
