import { LitElement, html, svg, nothing, type PropertyValues } from 'lit';
import { ParamEvent } from '../events.ts';
import { sliderStyles } from './slider-styles.ts';
import { DragGesture, FINE_FACTOR, type DragAxis } from './gesture.ts';
import { parseTyped } from './scale.ts';
import { fromPosition, snap, toPosition, type Range, type Scale } from '../../app/control-scale.ts';
import { surface } from '../../app/surface-state.ts';
import { midi } from '../../app/midi/midi-control.ts';
import { targetFromControlKey } from '../../app/midi/targets.ts';
import '../midi/ob-midi-badge.ts';
import { Watch } from '../watch.ts';

/** Looks: a rotary knob, a vertical fader, or a horizontal bar (pan, sends). */
export type SliderVariant = 'knob' | 'vfader' | 'hbar';

const KEY_STEPS = 100;
const PAGE_STEPS = 10;

/**
 * `<ob-slider>`: one parameter control, following the ARIA slider pattern.
 * `aria-valuenow` is in the param's own unit, `aria-valuetext` carries the
 * unit. Relative drags with pointer capture, fine adjust (Shift/Ctrl, second
 * finger, 10x), double-click/double-tap resets, wheel, keyboard
 * (arrows, PageUp/PageDown, Home/End), and a typed-entry readout.
 * Dispatches {@link ParamEvent}. While the user holds it, new `value`s from
 * outside wait and the latest lands on release. In MIDI learn mode a tap (or
 * Enter) chooses it for mapping instead; a mapped control shows its badge,
 * and a ghost marker where the hardware knob is until it picks the value up.
 */
export class ObSlider extends LitElement {
  static override properties = {
    label: { type: String },
    context: { type: String },
    value: { type: Number },
    min: { type: Number },
    max: { type: Number },
    defaultValue: { type: Number, attribute: 'default-value' },
    unit: { type: String },
    scale: { type: String },
    step: { type: Number },
    choices: { attribute: false },
    variant: { type: String, reflect: true },
    format: { attribute: false },
    disabled: { type: Boolean, reflect: true },
    control: { type: String },
    _local: { state: true },
    _hold: { state: true },
    _editing: { state: true },
    _error: { state: true },
  };

  label = '';
  /** Prefix for the accessible name ("EQ" makes "EQ Low Gain"); the visible label stays short. */
  context = '';
  value = 0;
  min = 0;
  max = 1;
  defaultValue = 0;
  unit = '';
  scale: Scale = 'linear';
  step: number | undefined = undefined;
  choices: readonly string[] | undefined = undefined;
  variant: SliderVariant = 'knob';
  format: ((value: number) => string) | undefined = undefined;
  disabled = false;
  /** Which control this is for presence (`track/plugin/param`, `track//gain_db`); empty: not shared. */
  control = '';
  /** The value while the user holds the control (outside values wait). */
  _local: number | null = null;
  /**
   * The value shown while a pointer holds the control but has not moved it:
   * values from elsewhere wait under the finger, and on release the latest
   * one shows (nothing is sent for a touch that changed nothing).
   */
  _hold: number | null = null;
  _editing = false;
  /** Why the typed value was refused (shown beside it until it is corrected or the edit is cancelled). */
  _error = '';
  readonly #midi = new Watch(this, midi);

  #gesture = new DragGesture({
    position: () => toPosition(this.#range, this.#shown),
    move: (p) => this.#set(fromPosition(this.#range, p), false),
    end: () => this.#commit(),
    reset: () => this.#reset(),
  }, (): DragAxis => (this.variant === 'hbar' ? 'horizontal' : 'vertical'));

  /** Stops following the surface and the MIDI ghosts (while on the page). */
  #off: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#off = [
      surface.on('change', () => {
        if (this.#locked) this.#letGo();
        this.requestUpdate();
      }),
      midi.on('ghost', (key) => key === this.control && this.requestUpdate()),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#off.forEach((off) => off());
    this.#off = [];
  }

  /** No input at all: disabled, or a read-only (viewer) surface. */
  get #locked(): boolean {
    return this.disabled || surface.readOnly;
  }

  get #range(): Range {
    return { min: this.min, max: this.max, scale: this.scale, step: this.choices ? 1 : this.step };
  }

  get #name(): string {
    return this.context ? `${this.context} ${this.label}` : this.label;
  }

  get #shown(): number {
    return this._local ?? this._hold ?? this.value;
  }

  #text(v: number): string {
    return this.format ? this.format(v) : this.choices?.[Math.round(v)] ?? `${v}${this.unit ? ` ${this.unit}` : ''}`;
  }

  #set(v: number, final: boolean): void {
    const value = snap(this.#range, v);
    if (!final) this._local = value;
    this.dispatchEvent(new ParamEvent(value, final));
  }

  #commit(): void {
    const v = this._local;
    if (v !== null) this.dispatchEvent(new ParamEvent(v, true));
    this.#letGo();
  }

  #reset(): void {
    this.dispatchEvent(new ParamEvent(snap(this.#range, this.defaultValue), true));
    this.#letGo();
  }

  /** The control is no longer held: outside values show again, and reach the engine (after the final value, if any). */
  #letGo(): void {
    const held = this._hold !== null || this._local !== null;
    this._local = this._hold = null;
    if (held) surface.release(this.control);
  }

  /** In MIDI learn mode, chooses this control for the next hardware message; true when it did. */
  #learn(): boolean {
    if (!midi.learning || this.#locked) return false;
    const target = targetFromControlKey(this.control);
    if (target) midi.select(target);
    return target !== null;
  }

  #down(e: PointerEvent): void {
    if (this.#locked) return;
    if (this.#learn()) {
      e.preventDefault();
      return;
    }
    const g = this.#gesture;
    const first = !g.active;
    g.down(e);
    if (first && g.active) {
      this._hold = this.value;
      surface.hold(this.control);
    }
  }

  /** Moves by `positions` hundredths of the travel; a move too small to leave the step moves one step. */
  #nudge(positions: number): void {
    const r = this.#range;
    if (this.choices) {
      this.#set(this.value + Math.sign(positions), true);
      return;
    }
    const target = fromPosition(r, toPosition(r, this.value) + positions / KEY_STEPS);
    const step = this.step ?? 0;
    this.#set(target === this.value && step ? this.value + Math.sign(positions) * step : target, true);
  }

  #onKey(e: KeyboardEvent): void {
    if (this.#locked) return;
    if ((e.key === 'Enter' || e.key === ' ') && this.#learn()) {
      e.preventDefault();
      return;
    }
    const fine = e.shiftKey || e.ctrlKey || e.metaKey ? 1 / FINE_FACTOR : 1;
    const keys: Record<string, () => void> = {
      ArrowUp: () => this.#nudge(fine), ArrowRight: () => this.#nudge(fine),
      ArrowDown: () => this.#nudge(-fine), ArrowLeft: () => this.#nudge(-fine),
      PageUp: () => this.#nudge(PAGE_STEPS), PageDown: () => this.#nudge(-PAGE_STEPS),
      Home: () => this.#set(this.min, true), End: () => this.#set(this.max, true),
      Enter: () => this.#startEdit(), Delete: () => this.#reset(), Backspace: () => this.#reset(),
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  }

  #onWheel(e: WheelEvent): void {
    if (this.#locked || e.deltaY === 0) return;
    e.preventDefault();
    const fine = e.shiftKey || e.ctrlKey || e.metaKey ? 1 / FINE_FACTOR : 1;
    this.#nudge((e.deltaY < 0 ? 1 : -1) * fine);
  }

  /** The typed box's text when it opened: a value arriving from elsewhere while the user types must not replace what they typed. */
  #editFrom = '';

  #startEdit(): void {
    if (this.#locked) return;
    this.#editFrom = this.#text(this.#shown);
    this._editing = true;
    this._error = '';
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector('input');
      input?.focus();
      input?.select();
    });
  }

  #endEdit(e: Event, apply: boolean): void {
    if (!this._editing) return;
    const input = e.target as HTMLInputElement;
    if (apply) {
      const refusal = this.#refusal(input.value);
      if (refusal) {
        // Said next to the value, and the box stays open (focused after Enter) so the user can correct it.
        this._error = refusal;
        if (e.type !== 'blur') input.select();
        return;
      }
      this.#set(parseTyped(input.value, this.unit, this.choices)!, true);
    }
    this._editing = false;
    this._error = '';
    if (e.type !== 'blur') void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[role=slider]')?.focus());
  }

  /** Why `text` cannot be this control's value, or '' when it can. */
  #refusal(text: string): string {
    const v = parseTyped(text, this.unit, this.choices);
    // The bounds as plain numbers in the unit: a fader's formatted floor reads "-inf dB".
    const bound = (v: number) => `${Number(v.toPrecision(6))}${this.unit ? ` ${this.unit}` : ''}`;
    const allowed = this.choices ? `one of ${this.choices.join(', ')}` : `${bound(this.min)} to ${bound(this.max)}`;
    if (v === undefined) return `"${text.trim()}" is not a value here: type ${allowed}`;
    const eps = (this.max - this.min) * 1e-9;
    if (v < this.min - eps || v > this.max + eps) return `Out of range: ${allowed}`;
    // A session file with 1.5 here is refused (model checkParam), so typing it is too, rather than rounding to a neighbour.
    if (this.#range.step === 1 && !Number.isInteger(v)) return `"${text.trim()}" is not a whole number: type ${this.choices ? allowed : `a whole number from ${allowed}`}`;
    return '';
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('disabled') && this.disabled) this.#letGo();
  }

  override render() {
    const v = this.#shown;
    const pos = toPosition(this.#range, v);
    const text = this.#text(v);
    const bipolar = this.min < 0 && this.max > 0 && this.scale !== 'fader';
    const zero = bipolar ? toPosition(this.#range, 0) : 0;
    const g = this.#gesture;
    const readOnly = surface.readOnly && !this.disabled;
    // Another member moving this control: a ring in their colour and their name, the accessible name unchanged.
    const other = this.control ? surface.touchedBy(this.control) : undefined;
    const learning = midi.learning && !this.#locked && this.control !== '';
    const chosen = learning && midi.isSelected(this.control);
    const ghost = this.control ? midi.ghost(this.control) : null;
    return html`
      <div class="label" aria-hidden="true">${this.label}</div>
      <div class="control ${other ? 'remote' : ''} ${learning ? 'learning' : ''} ${chosen ? 'chosen' : ''}" role="slider" tabindex=${this.disabled ? -1 : 0}
        style=${other ? `--ob-remote:${other.color}` : ''} title=${other ? `${other.name} is moving ${this.#name}` : nothing}
        aria-description=${other ? `${other.name} is moving this`
          : ghost !== null ? `MIDI control at ${Math.round(ghost * 100)}%: move it past the value to take over` : nothing} aria-readonly=${readOnly ? 'true' : nothing}
        aria-label=${this.#name} aria-valuemin=${this.min} aria-valuemax=${this.max}
        aria-valuenow=${Number(v.toPrecision(6))} aria-valuetext=${text} aria-orientation=${this.variant === 'hbar' ? 'horizontal' : 'vertical'}
        aria-disabled=${this.disabled ? 'true' : 'false'}
        @pointerdown=${(e: PointerEvent) => this.#down(e)} @pointermove=${(e: PointerEvent) => g.move(e)} @pointerrawupdate=${(e: PointerEvent) => g.move(e)}
        @pointerup=${(e: PointerEvent) => g.up(e)} @pointercancel=${(e: PointerEvent) => g.up(e)}
        @lostpointercapture=${(e: PointerEvent) => g.active && g.up(e)}
        @dblclick=${() => !this.#locked && this.#reset()} @keydown=${this.#onKey} @wheel=${this.#onWheel}>
        ${this.variant === 'knob' ? this.#knob(pos, zero, ghost) : this.#bar(pos, zero, ghost)}
      </div>
      ${this._editing
        ? html`<input class="readout" aria-label=${`${this.#name} value`} .value=${this.#editFrom}
            aria-invalid=${this._error ? 'true' : 'false'} aria-describedby=${this._error ? 'refusal' : nothing}
            @input=${() => (this._error = '')}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') this.#endEdit(e, true); if (e.key === 'Escape') this.#endEdit(e, false); }}
            @blur=${(e: Event) => this.#endEdit(e, true)} />
          ${this._error ? html`<span id="refusal" class="refusal" role="alert">${this._error}</span>` : nothing}`
        : html`<button class="readout" type="button" tabindex="-1" aria-label=${`Type a value for ${this.#name}`} title="Type a value (Enter on the control)"
            ?disabled=${this.#locked} @click=${() => this.#startEdit()}>${text}</button>`}
      <ob-midi-badge target-key=${this.control}></ob-midi-badge>`;
  }

  #knob(pos: number, zero: number, ghost: number | null) {
    const a = (p: number) => (-135 + p * 270) * (Math.PI / 180);
    const pt = (p: number, r: number) => `${20 + r * Math.sin(a(p))} ${20 - r * Math.cos(a(p))}`;
    const arc = (from: number, to: number, r: number) => {
      const [s, e] = from <= to ? [from, to] : [to, from];
      return `M ${pt(s, r)} A ${r} ${r} 0 ${(e - s) * 270 > 180 ? 1 : 0} 1 ${pt(e, r)}`;
    };
    return html`<svg viewBox="0 0 40 40" class="knob" aria-hidden="true">
      ${svg`<defs><linearGradient id="cap" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#353b48" /><stop offset="1" stop-color="#22262f" /></linearGradient></defs>
      <path d=${arc(0, 1, 16)} class="track" />
      ${Math.abs(pos - zero) > 0.001 ? svg`<path d=${arc(zero, pos, 16)} class="fill" />` : nothing}
      <circle cx="20" cy="20" r="11.5" class="cap" />
      ${ghost !== null ? svg`<circle class="ghost" cx=${20 + 16 * Math.sin(a(ghost))} cy=${20 - 16 * Math.cos(a(ghost))} r="2.6" />` : nothing}
      <line x1=${20 + 5 * Math.sin(a(pos))} y1=${20 - 5 * Math.cos(a(pos))} x2=${20 + 11 * Math.sin(a(pos))} y2=${20 - 11 * Math.cos(a(pos))} class="pointer" />`}
    </svg>`;
  }

  #bar(pos: number, zero: number, ghost: number | null) {
    const [lo, hi] = pos < zero ? [pos, zero] : [zero, pos];
    const style = this.variant === 'hbar'
      ? `left:${lo * 100}%;width:${(hi - lo) * 100}%`
      : `bottom:${lo * 100}%;height:${(hi - lo) * 100}%`;
    const thumb = this.variant === 'hbar' ? `left:${pos * 100}%` : `bottom:${pos * 100}%`;
    const marker = ghost === null ? nothing
      : html`<div class="ghost" style=${this.variant === 'hbar' ? `left:${ghost * 100}%` : `bottom:${ghost * 100}%`}></div>`;
    return html`<div class="bar" aria-hidden="true"><div class="fill" style=${style}></div>${marker}<div class="thumb" style=${thumb}></div></div>`;
  }

  static override styles = sliderStyles;
}

customElements.define('ob-slider', ObSlider);

declare global {
  interface HTMLElementTagNameMap {
    'ob-slider': ObSlider;
  }
}
