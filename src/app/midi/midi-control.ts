import { Emitter } from '../emitter.ts';
import type { MidiStatus } from '../../engine/types.ts';
import { newId } from '../../protocol/ids.ts';
import {
  isToggleTarget, midiTargetKey, sourceKey, sourceLabel, type MidiMapping, type MidiSource, type MidiTarget,
} from '../../protocol/midi-mapping.ts';
import type { Op } from '../../protocol/ops.ts';
import type { SessionDocument } from '../../protocol/session.ts';
import { fromPosition, snap, toPosition } from '../control-scale.ts';
import type { SessionController } from '../session-controller.ts';
import type { MappingBook } from './mapping-book.ts';
import { decodeMidi, type MidiEvent } from './message.ts';
import { SourceReader, sourceMatches } from './source-reader.ts';
import { Takeover } from './takeover.ts';
import { resolveTarget, targetLabel } from './targets.ts';

/**
 * A knob has no "release": its gesture ends when it stops sending for this
 * long; then the last value is dispatched durable (the ones before were
 * ephemeral, like a fader's drag).
 */
export const GESTURE_END_MS = 250;
/** One endless-encoder tick moves the control by this share of its travel (a 7-bit knob's resolution). */
export const RELATIVE_STEP = 1 / 128;

/** Play/Stop as the app has it today: a local action of the audio session (there is no transport op yet). */
export interface TransportPort {
  readonly playing: boolean;
  play(): void;
  stop(): void;
}

/** Where MIDI comes from: the Web MIDI inputs, or a test's stand-in. */
export interface MidiInputPort {
  readonly supported: boolean;
  readonly enabled: boolean;
  readonly inputs: string[];
  enable(): Promise<MidiStatus>;
}

/** What a MidiControl works with; given once the app has built them. */
export interface MidiControlParts {
  readonly ctl: Pick<SessionController, 'doc' | 'dispatch' | 'on'>;
  readonly book: MappingBook;
  readonly transport: TransportPort;
  readonly input?: MidiInputPort;
}

interface Runtime {
  readonly reader: SourceReader;
  readonly takeover: Takeover;
}

interface Gesture {
  timer: ReturnType<typeof setTimeout>;
  op: Op;
}

/**
 * MIDI learn and the binding of hardware messages to controls. Every change
 * a mapped knob makes is an op through `SessionController.dispatch`, the
 * same path as a finger: on the audio host it reaches the engine, on a
 * surface it goes through the relay. Values inside a knob's movement are
 * ephemeral; the last one is durable. One instance per page (`midi`); the UI
 * reads its learn state, badges and ghosts and listens for `change` (and a
 * control for `ghost` events with its key).
 */
export class MidiControl extends Emitter<{ change: void; ghost: string }> {
  /** Learn mode: choosing a control, then moving hardware, maps it; stays on for the next control. */
  learning = false;
  /** The control waiting for a hardware message, in learn mode. */
  selected: MidiTarget | null = null;
  /** What learn mode last did, for the learn banner. */
  status = '';
  /** Why MIDI is not available, when it was asked for and refused. */
  error = '';
  #parts: MidiControlParts | null = null;
  #runtime = new WeakMap<MidiMapping, Runtime>();
  #ghosts = new Map<string, number>();
  #gestures = new Map<string, Gesture>();
  #lastLearned: { controller: string; mapping: MidiMapping } | null = null;
  #off: (() => void)[] = [];

  /** Hands over the app's parts (main.ts; tests make their own instance). */
  connect(parts: MidiControlParts): void {
    this.#off.forEach((off) => off());
    this.#parts = parts;
    this.#off = [
      parts.book.on('change', () => this.refresh()),
      // A knob still turning when the musician opens the next song: its resting value belongs to this song, not the next.
      parts.ctl.on('leaving', () => this.settle()),
    ];
    this.refresh();
  }

  /** The mapping book (null before `connect`). */
  get book(): MappingBook | null {
    return this.#parts?.book ?? null;
  }

  /** The open session (for labels). */
  get doc(): SessionDocument | null {
    return this.#parts?.ctl.doc ?? null;
  }

  /** The connected input names (empty before MIDI is enabled). */
  get inputs(): string[] {
    return this.#parts?.input?.inputs ?? [];
  }

  /** True where this browser has Web MIDI (the Learn button shows only there). */
  get supported(): boolean {
    return this.#parts?.input?.supported ?? false;
  }

  get enabled(): boolean {
    return this.#parts?.input?.enabled ?? false;
  }

  /** Asks for MIDI access (from a user gesture: the Learn button, the MIDI panel). */
  async enable(): Promise<MidiStatus> {
    const input = this.#parts?.input;
    const status: MidiStatus = input ? await input.enable() : { available: false, inputs: [], reason: 'no MIDI input on this page' };
    this.error = status.available ? '' : `MIDI is unavailable: ${status.reason ?? 'no Web MIDI'}`;
    this.refresh();
    return status;
  }

  /** Turns learn mode on (asking for MIDI access) or off. */
  async setLearning(on: boolean): Promise<void> {
    this.learning = on;
    this.selected = null;
    this.#lastLearned = null;
    this.status = on ? 'Choose a control, then move a knob or press a pad on your controller.' : '';
    this.refresh();
    if (on && !this.enabled) await this.enable();
  }

  /** In learn mode: the control the next hardware message maps to. */
  select(target: MidiTarget): void {
    if (!this.learning) return;
    this.selected = target;
    this.status = `Move a knob, fader or pad for ${targetLabel(this.#parts?.ctl.doc ?? null, target)}.`;
    this.refresh();
  }

  /** True when learn mode waits for hardware for this target key (see `midiTargetKey`). */
  isSelected(key: string): boolean {
    return this.selected !== null && midiTargetKey(this.selected) === key;
  }

  /** The mapping (and its controller) of a target key, for the badge; the first one when several controllers map it. */
  mappingFor(key: string): { controller: string; mapping: MidiMapping } | undefined {
    return this.#parts?.book.forTarget(key);
  }

  /** Where the hardware of a target is while it has not picked the value up (0..1 of the travel), else null. */
  ghost(key: string): number | null {
    return this.#ghosts.get(key) ?? null;
  }

  /** Removes a mapping (the badge's Unmap, the MIDI panel). */
  async unmap(controller: string, id: string): Promise<void> {
    this.#endGesture(id);
    for (const e of this.#parts?.book.mappings(controller) ?? []) if (e.id === id) this.#setGhost(midiTargetKey(e.target), null);
    await this.#parts?.book.remove(controller, id);
  }

  /** One MIDI message from an input; `timeStamp` is the event's (ms, `performance.now()` clock). */
  handle(controller: string, data: Uint8Array, timeStamp: number): void {
    const parts = this.#parts;
    const event = decodeMidi(data);
    if (!parts || !event) return;
    if (this.learning && this.#learn(parts, controller, event)) return;
    for (const m of parts.book.mappings(controller)) if (sourceMatches(m.source, event)) this.#drive(parts, m, event, timeStamp);
  }

  /** Dispatches every knob's last value durable now (tests; leaving the page). */
  settle(): void {
    for (const id of [...this.#gestures.keys()]) this.#endGesture(id);
  }

  /** Learn mode's share of a message; true when it used it. */
  #learn(parts: MidiControlParts, controller: string, event: MidiEvent): boolean {
    const last = this.#lastLearned;
    // The LSB of a 14-bit pair whose MSB was just learned: the pair becomes one 14-bit mapping.
    if (last && last.controller === controller && event.kind === 'cc' && last.mapping.source.kind === 'cc'
      && last.mapping.source.mode === 'absolute' && last.mapping.source.cc < 32
      && event.channel === last.mapping.source.channel && event.cc === last.mapping.source.cc + 32) {
      const source: MidiSource = { ...last.mapping.source, mode: 'absolute14' };
      const mapping: MidiMapping = { ...last.mapping, source };
      this.#lastLearned = { controller, mapping };
      void parts.book.put(controller, mapping);
      this.status = `${sourceLabel(source)} (14-bit) → ${targetLabel(parts.ctl.doc, mapping.target)}. Choose the next control, or press Learn to finish.`;
      this.refresh();
      return true;
    }
    const target = this.selected;
    if (!target) return false;
    if (event.kind === 'note' && !event.on) return true;
    if (event.kind === 'note' && !isToggleTarget(target)) {
      this.status = 'A note or pad can flip a toggle (mute, solo, bypass, Play/Stop); for this control move a knob or fader.';
      this.refresh();
      return true;
    }
    const source: MidiSource = event.kind === 'cc'
      ? { kind: 'cc', channel: event.channel, cc: event.cc, mode: 'absolute' }
      : { kind: 'note', channel: event.channel, note: event.note };
    const mapping: MidiMapping = { id: newId('midi'), source, target, takeover: 'pickup' };
    // One hardware control moves one control: learning it again takes it from the control it moved (a knob
    // bumped while choosing the next control does this), so the musician is told which one lost it.
    const taken = parts.book.mappings(controller).find((m) => sourceKey(m.source) === sourceKey(source) && midiTargetKey(m.target) !== midiTargetKey(target));
    this.selected = null;
    this.#lastLearned = { controller, mapping };
    void parts.book.put(controller, mapping);
    const was = taken ? ` ${targetLabel(parts.ctl.doc, taken.target)} is no longer mapped to it.` : '';
    this.status = `${sourceLabel(source)} → ${targetLabel(parts.ctl.doc, target)}.${was} Choose the next control, or press Learn to finish.`;
    this.refresh();
    return true;
  }

  #drive(parts: MidiControlParts, m: MidiMapping, event: MidiEvent, timeStamp: number): void {
    const doc = parts.ctl.doc;
    const resolved = doc ? resolveTarget(doc, m.target) : null;
    if (!resolved) return;
    const rt = this.#runtimeOf(m, resolved.kind !== 'range');
    const reading = rt.reader.read(event);
    if (!reading) return;
    if (resolved.kind === 'transport') {
      if (reading.kind === 'press') {
        if (parts.transport.playing) parts.transport.stop();
        else parts.transport.play();
      }
      return;
    }
    if (resolved.kind === 'toggle') {
      if (reading.kind === 'press') parts.ctl.dispatch(resolved.flip());
      return;
    }
    const { range, value: now } = resolved;
    const current = toPosition(range, now);
    let value: number;
    if (reading.kind === 'absolute') {
      const next = rt.takeover.move(current, reading.position, timeStamp);
      this.#setGhost(midiTargetKey(m.target), rt.takeover.ghost);
      if (next === null) return;
      value = fromPosition(range, next);
    } else if (reading.kind === 'relative') {
      value = fromPosition(range, current + reading.steps * RELATIVE_STEP);
      // A tick too small to leave a stepped control's step moves it one step.
      if (value === now && range.step) value = snap(range, now + Math.sign(reading.steps) * range.step);
    } else {
      return;
    }
    if (value === now) return;
    const op = resolved.set(value);
    parts.ctl.dispatch(op, { ephemeral: true });
    this.#gestureGoesOn(m.id, op);
  }

  #runtimeOf(m: MidiMapping, toggle: boolean): Runtime {
    let rt = this.#runtime.get(m);
    if (!rt) {
      rt = { reader: new SourceReader(m.source, toggle), takeover: new Takeover(m.takeover) };
      this.#runtime.set(m, rt);
    }
    return rt;
  }

  #gestureGoesOn(id: string, op: Op): void {
    const g = this.#gestures.get(id);
    if (g) clearTimeout(g.timer);
    this.#gestures.set(id, { op, timer: setTimeout(() => this.#endGesture(id), GESTURE_END_MS) });
  }

  #endGesture(id: string): void {
    const g = this.#gestures.get(id);
    if (!g) return;
    clearTimeout(g.timer);
    this.#gestures.delete(id);
    // The same value again, durable: a new op id, so the relay logs and acks it.
    this.#parts?.ctl.dispatch({ ...g.op, id: newId('op') } as Op);
  }

  /** A ghost moves on every ignored message: only its own control hears of it (a `ghost` event naming its key), not every view. */
  #setGhost(key: string, ghost: number | null): void {
    const before = this.#ghosts.get(key) ?? null;
    if (ghost === null) this.#ghosts.delete(key);
    else this.#ghosts.set(key, ghost);
    if (before !== ghost) this.emit('ghost', key);
  }

  /** Tells the UI to redraw (inputs plugged in or out). */
  refresh(): void {
    this.emit('change');
  }
}

/** The page's MIDI control (connected in main.ts). */
export const midi = new MidiControl();
