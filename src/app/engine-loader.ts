import type { AudioEngineApi } from '../engine/types.ts';

let cached: Promise<AudioEngineApi> | null = null;

/**
 * The audio engine, created once on first use (Play, Export, Settings). The
 * engine module is its own lazily loaded chunk. Fails with a readable error
 * when it cannot load; the app stays usable without it.
 */
export function loadEngine(): Promise<AudioEngineApi> {
  if (cached) return cached;
  cached = import('../engine/audio-engine.ts').then((m) => m.createAudioEngine());
  cached.catch(() => (cached = null));
  return cached;
}
