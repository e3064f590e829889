import type { MidiStatus } from '../../engine/types.ts';

/** Receives every MIDI message: the input's name, the bytes, and the event's timestamp (ms, `performance.now()` clock). */
export type MidiMessageHandler = (input: string, data: Uint8Array, timeStamp: number) => void;

/**
 * Every connected MIDI input (and ones plugged in later), through the
 * standard Web MIDI API only. It listens with `addEventListener`, so the
 * engine's keyboard input (which sets `onmidimessage` on its own access)
 * keeps playing the synth beside it.
 */
export class WebMidiInputs {
  #access: MIDIAccess | null = null;
  #attached = new WeakSet<MIDIInput>();
  #listener = (e: Event) => {
    const event = e as MIDIMessageEvent;
    const input = event.currentTarget as MIDIInput;
    if (event.data) this.onMessage(input.name ?? input.id, event.data, event.timeStamp);
  };

  constructor(private readonly onMessage: MidiMessageHandler, private readonly onChange: () => void = () => undefined) {}

  /** True where the browser has Web MIDI (not Safari; not an insecure context). */
  get supported(): boolean {
    return typeof navigator !== 'undefined' && 'requestMIDIAccess' in navigator;
  }

  /** True once access was granted. */
  get enabled(): boolean {
    return this.#access !== null;
  }

  /** Names of the connected inputs. */
  get inputs(): string[] {
    return this.#access ? [...this.#access.inputs.values()].map((i) => i.name ?? i.id) : [];
  }

  /** Asks for MIDI access (a permission prompt in some browsers) and listens to every input. */
  async enable(): Promise<MidiStatus> {
    if (!this.supported) {
      return { available: false, inputs: [], reason: 'this browser has no Web MIDI' };
    }
    if (!this.#access) {
      try {
        this.#access = await navigator.requestMIDIAccess({ sysex: false });
      } catch (error) {
        return { available: false, inputs: [], reason: error instanceof Error ? error.message : String(error) };
      }
      this.#access.addEventListener('statechange', () => {
        this.#attach();
        this.onChange();
      });
    }
    this.#attach();
    this.onChange();
    return { available: true, inputs: this.inputs };
  }

  /** Answers whether MIDI was granted before, so it can start without a prompt. */
  static async granted(): Promise<boolean> {
    try {
      return (await navigator.permissions?.query({ name: 'midi' as PermissionName }))?.state === 'granted';
    } catch {
      return false;
    }
  }

  #attach(): void {
    for (const input of this.#access?.inputs.values() ?? []) {
      if (this.#attached.has(input)) continue;
      this.#attached.add(input);
      input.addEventListener('midimessage', this.#listener);
    }
  }
}
