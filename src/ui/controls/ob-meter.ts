import { LitElement, css, html } from 'lit';

/** The meter's floor and ceiling, dBFS. */
export const METER_RANGE = { min: -60, max: 6 } as const;

const position = (db: number) => {
  const v = Math.min(METER_RANGE.max, Math.max(METER_RANGE.min, db));
  // Same curve as gain faders: more room near 0 dB.
  const x = (v - METER_RANGE.min) / (METER_RANGE.max - METER_RANGE.min);
  return x * x;
};

/**
 * `<ob-meter>`: a peak/RMS level meter, `role="meter"` with `aria-valuenow`
 * in dBFS. `setLevels()` is called at display rate and writes styles
 * directly (no re-render per frame).
 */
export class ObMeter extends LitElement {
  static override properties = { label: { type: String } };
  label = 'Level';
  #peak: number = METER_RANGE.min;
  #rms: number = METER_RANGE.min;

  /** Shows new levels (dBFS; -Infinity for silence). */
  setLevels(peak: number, rms: number): void {
    const p = Number.isFinite(peak) ? Math.max(METER_RANGE.min, Math.min(METER_RANGE.max, peak)) : METER_RANGE.min;
    const r = Number.isFinite(rms) ? Math.max(METER_RANGE.min, Math.min(METER_RANGE.max, rms)) : METER_RANGE.min;
    if (Math.abs(p - this.#peak) < 0.05 && Math.abs(r - this.#rms) < 0.05) return;
    this.#peak = p;
    this.#rms = r;
    const root = this.renderRoot as ShadowRoot | undefined;
    const el = root?.querySelector<HTMLElement>('.meter');
    if (!el) return;
    el.setAttribute('aria-valuenow', p.toFixed(1));
    el.setAttribute('aria-valuetext', p <= METER_RANGE.min ? 'silent' : `${p.toFixed(1)} dBFS`);
    el.style.setProperty('--peak', String(position(p)));
    el.style.setProperty('--rms', String(position(r)));
    el.classList.toggle('clip', p >= 0);
  }

  override render() {
    return html`<div class="meter" role="meter" aria-label=${this.label} aria-valuemin=${METER_RANGE.min}
      aria-valuemax=${METER_RANGE.max} aria-valuenow=${this.#peak.toFixed(1)} aria-valuetext="silent">
      <div class="rms"></div><div class="peak"></div><div class="zero"></div>
    </div>`;
  }

  static override styles = css`
    :host { display: block; width: 10px; height: 168px; }
    .meter { --peak: 0; --rms: 0; position: relative; width: 100%; height: 100%; background: #0b0d11; border: 1px solid var(--ob-line); border-radius: 3px; overflow: hidden; }
    .rms, .peak { position: absolute; left: 0; right: 0; bottom: 0; }
    .rms { height: calc(var(--rms) * 100%); background: linear-gradient(to top, #2fbf8f 0%, #2fbf8f 70%, #e7c53f 88%, #ff5f56 100%); background-size: 100% 168px; background-position: bottom; opacity: .9; }
    .peak { height: 2px; bottom: calc(var(--peak) * 100% - 2px); background: #dfe6ee; }
    .clip .peak { background: var(--ob-danger); }
    .zero { position: absolute; left: 0; right: 0; bottom: ${(((0 - METER_RANGE.min) / (METER_RANGE.max - METER_RANGE.min)) ** 2) * 100}%; height: 1px; background: #ffffff30; }
  `;
}

customElements.define('ob-meter', ObMeter);

declare global {
  interface HTMLElementTagNameMap {
    'ob-meter': ObMeter;
  }
}
