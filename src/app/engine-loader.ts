import type { AudioEngineApi } from '../engine/types.ts';

type EngineModule = Record<string, unknown>;

// import.meta.glob keeps the engine in its own lazily loaded chunk, and keeps
// the build working while the engine module does not exist yet.
const modules = import.meta.glob<EngineModule>('../engine/audio-engine.ts');

let cached: Promise<AudioEngineApi> | null = null;

const isEngine = (v: unknown): v is AudioEngineApi =>
  typeof v === 'object' && v !== null && typeof (v as AudioEngineApi).play === 'function' && typeof (v as AudioEngineApi).setDocument === 'function';

/** Builds the engine from whatever the module exports: a factory, a class, or an instance. */
async function construct(mod: EngineModule): Promise<AudioEngineApi> {
  for (const name of ['createAudioEngine', 'createEngine', 'AudioEngine', 'default']) {
    const exp = mod[name];
    if (isEngine(exp)) return exp;
    if (typeof exp !== 'function') continue;
    try {
      const made: unknown = await (exp as () => unknown)();
      if (isEngine(made)) return made;
    } catch (error) {
      if (!(error instanceof TypeError && /class constructor/i.test(error.message))) throw error;
    }
    const made: unknown = new (exp as new () => unknown)();
    if (isEngine(made)) return made;
  }
  throw new Error('the audio engine module has no usable export');
}

/**
 * The audio engine, created once on first use (Play, Export, Settings). Fails
 * with a readable error when it cannot load; the app stays usable without it.
 */
export function loadEngine(): Promise<AudioEngineApi> {
  if (cached) return cached;
  const load = modules['../engine/audio-engine.ts'];
  cached = (load ? load().then(construct) : Promise.reject(new Error('the audio engine is not part of this build')));
  cached.catch(() => (cached = null));
  return cached;
}
