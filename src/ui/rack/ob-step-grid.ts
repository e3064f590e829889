import { LitElement, css, html } from 'lit';
import { DEFAULT_PATTERN } from '../../plugins/index.ts';
import type { Pattern, Track } from '../../protocol/session.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { op } from '../../app/op-builders.ts';
import { base } from '../styles.ts';
import { surface } from '../../app/surface-state.ts';
import { Watch } from '../watch.ts';
import { currentStep } from '../../app/meters.ts';

const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

/** "C3" for MIDI note 48 (middle C = C4 = 60). */
export function noteName(n: number): string {
  return `${NAMES[n % 12]}${Math.floor(n / 12) - 1}`;
}

/**
 * `<ob-step-grid>`: the synth's 16-step pattern. A step toggles on click;
 * Up/Down (Shift: octave) or the wheel change its note. A null pattern shows
 * (and plays) the default figure until the first edit.
 */
export class ObStepGrid extends LitElement {
  static override properties = { track: { attribute: false }, ctl: { attribute: false } };
  readonly #watch = new Watch(this, surface);
  track!: Track;
  ctl!: SessionController;
  #raf = 0;
  /** The step marked on the buttons (undefined: re-mark, a render may have reset their classes). */
  #shown: number | null | undefined = undefined;

  protected override updated(): void {
    this.#shown = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The playhead follows the engine's position (this device's, or the audio host's over METERS), never a UI timer.
    const tick = () => {
      this.#raf = requestAnimationFrame(tick);
      this.#playhead(currentStep(this.ctl?.engine ?? null));
    };
    this.#raf = requestAnimationFrame(tick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.#raf);
  }

  /** Marks the step being played (written straight to the buttons: no re-render per frame). */
  #playhead(step: number | null): void {
    if (step === this.#shown) return;
    this.#shown = step;
    this.renderRoot.querySelectorAll<HTMLElement>('.step').forEach((b, i) => {
      b.classList.toggle('now', i === step);
      if (i === step) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
    });
  }

  get #steps(): (number | null)[] {
    return [...(this.track.pattern ?? DEFAULT_PATTERN).steps];
  }

  #write(steps: (number | null)[] | null): void {
    const pattern: Pattern | null = steps ? { steps } : null;
    this.ctl.dispatch(op('UPDATE_TRACK', { track_id: this.track.id, changes: { pattern } }));
  }

  #toggle(i: number): void {
    const steps = this.#steps;
    const prev = steps.slice(0, i).reverse().find((n) => n !== null) ?? 48;
    steps[i] = steps[i] === null ? prev ?? 48 : null;
    this.#write(steps);
  }

  #shift(i: number, by: number): void {
    const steps = this.#steps;
    const n = steps[i];
    if (n === null || n === undefined) return;
    steps[i] = Math.min(127, Math.max(0, n + by));
    this.#write(steps);
  }

  #key(e: KeyboardEvent, i: number): void {
    const by = e.key === 'ArrowUp' ? 1 : e.key === 'ArrowDown' ? -1 : 0;
    if (!by) return;
    e.preventDefault();
    this.#shift(i, e.shiftKey ? by * 12 : by);
  }

  override render() {
    const steps = this.#steps;
    return html`
      <div class="row head">
        <h3>Pattern</h3><span class="muted">${this.track.pattern ? '16 steps' : 'default pattern'} · Up/Down changes a step's note</span>
        <span class="spacer"></span>
        <button class="ghost" ?disabled=${surface.readOnly || !this.track.pattern} @click=${() => this.#write(null)}>Reset pattern</button>
        <button class="ghost" ?disabled=${surface.readOnly} @click=${() => this.#write(steps.map(() => null))}>Clear</button>
      </div>
      <div class="grid" role="group" aria-label="16-step pattern">
        ${steps.map((n, i) => html`<button class="step ${i % 4 === 0 ? 'beat' : ''}" aria-pressed=${n === null ? 'false' : 'true'}
          aria-label=${`Step ${i + 1}${n === null ? ', rest' : `, ${noteName(n)}`}`}
          ?disabled=${surface.readOnly} @click=${() => this.#toggle(i)} @keydown=${(e: KeyboardEvent) => this.#key(e, i)}
          @wheel=${(e: WheelEvent) => { if (n !== null) { e.preventDefault(); this.#shift(i, e.deltaY < 0 ? 1 : -1); } }}>
          <span>${n === null ? '·' : noteName(n)}</span></button>`)}
      </div>`;
  }

  static override styles = [base, css`
    :host { display: block; }
    .head { margin-bottom: 8px; }
    .grid { display: grid; grid-template-columns: repeat(16, minmax(0, 1fr)); gap: 4px; }
    .step { padding: 0; min-height: 44px; font: 11px var(--ob-mono); color: var(--ob-dim); background: #12151b; }
    .step.beat { background: #171b23; border-color: #3a4150; }
    .step[aria-pressed=true] { background: #3b2a0c; border-color: var(--ob-accent); color: var(--ob-accent); }
    .step.now { box-shadow: inset 0 -4px 0 var(--ob-accent-2); }
    @media (max-width: 700px) { .grid { grid-template-columns: repeat(8, minmax(0, 1fr)); } }
  `];
}

customElements.define('ob-step-grid', ObStepGrid);

declare global {
  interface HTMLElementTagNameMap {
    'ob-step-grid': ObStepGrid;
  }
}
