import { LitElement, css, html, nothing } from 'lit';
import { midi } from '../../app/midi/midi-control.ts';
import { targetLabel } from '../../app/midi/targets.ts';
import {
  CC_MODES, isToggleTarget, sourceLabel, TAKEOVER_MODES, type CcMode, type MidiMapping, type TakeoverMode,
} from '../../protocol/midi-mapping.ts';
import { download, MAX_IMPORT_BYTES } from '../sessions/session-files.ts';
import { base } from '../styles.ts';
import { Watch } from '../watch.ts';

const MODE_LABELS: Record<CcMode, string> = {
  absolute: 'Knob / fader (7-bit)',
  absolute14: '14-bit pair (CC n + n+32)',
  'relative-twos': 'Encoder, two\'s complement (1 / 127)',
  'relative-offset': 'Encoder, offset 64 (65 / 63)',
  'relative-sign': 'Encoder, sign bit (1 / 65)',
};
const TAKEOVER_LABELS: Record<TakeoverMode, string> = { pickup: 'Pick-up', jump: 'Jump', scale: 'Scale' };

/**
 * `<ob-midi-card>` (in Settings): MIDI on/off and the connected inputs, every
 * controller's mappings (how each CC is read, its soft takeover, Unmap), and
 * the mapping file: Export JSON, Import JSON, Clear.
 */
export class ObMidiCard extends LitElement {
  static override properties = { _message: { state: true }, _error: { state: true } };
  _message = '';
  _error = '';
  readonly #watch = new Watch(this, midi);

  #export(): void {
    const book = midi.book;
    if (!book) return;
    download(new Blob([JSON.stringify(book.toFile(), null, 2)], { type: 'application/json' }), 'outboard-midi-mappings.json');
  }

  async #import(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    const book = midi.book;
    if (!file || !book) return;
    this._message = this._error = '';
    if (file.size > MAX_IMPORT_BYTES) {
      this._error = `${file.name} is larger than 8 MB; nothing was changed.`;
      return;
    }
    const result = await book.importText(await file.text());
    if (!result.ok) this._error = `${file.name}: ${result.error.message}. Nothing was changed.`;
    else this._message = `Imported ${result.value.reduce((n, c) => n + c.mappings.length, 0)} mappings for ${result.value.map((c) => c.name).join(', ') || 'no controller'}.`;
  }

  async #clear(): Promise<void> {
    await midi.book?.clear();
    this._error = '';
    this._message = 'Every MIDI mapping was removed.';
  }

  #mode(controller: string, m: MidiMapping, mode: CcMode): void {
    if (m.source.kind !== 'cc') return;
    if (mode === 'absolute14' && m.source.cc >= 32) {
      this._error = `A 14-bit pair has its MSB on CC 0-31; ${sourceLabel(m.source)} cannot be one.`;
      this.requestUpdate();
      return;
    }
    this._error = '';
    const source = { ...m.source, mode };
    void midi.book?.update(controller, m.id, (x) => ({ ...x, source }));
  }

  #row(controller: string, m: MidiMapping) {
    const label = sourceLabel(m.source);
    const what = targetLabel(midi.doc, m.target);
    const toggle = isToggleTarget(m.target);
    const absolute = m.source.kind === 'cc' && (m.source.mode === 'absolute' || m.source.mode === 'absolute14');
    return html`<tr>
      <td class="mono">${label}</td>
      <td>${what}</td>
      <td>${m.source.kind === 'cc' && !toggle
        ? html`<select aria-label=${`How ${label} is read`} @change=${(e: Event) => this.#mode(controller, m, (e.target as HTMLSelectElement).value as CcMode)}>
            ${CC_MODES.map((mode) => html`<option value=${mode} ?selected=${m.source.kind === 'cc' && m.source.mode === mode}>${MODE_LABELS[mode]}</option>`)}</select>`
        : html`<span class="muted">${toggle ? 'Press flips it' : '—'}</span>`}</td>
      <td>${absolute && !toggle
        ? html`<select aria-label=${`Soft takeover of ${label}`} @change=${(e: Event) => void midi.book?.update(controller, m.id, (x) => ({ ...x, takeover: (e.target as HTMLSelectElement).value as TakeoverMode }))}>
            ${TAKEOVER_MODES.map((t) => html`<option value=${t} ?selected=${m.takeover === t}>${TAKEOVER_LABELS[t]}</option>`)}</select>`
        : html`<span class="muted">—</span>`}</td>
      <td><button class="ghost danger" aria-label=${`Unmap ${label} from ${what}`} @click=${() => void midi.unmap(controller, m.id)}>Unmap</button></td>
    </tr>`;
  }

  override render() {
    const book = midi.book;
    const inputs = midi.inputs;
    const controllers = book?.controllers ?? [];
    return html`
      <h3>MIDI controllers</h3>
      <p class="muted small">Map knobs, faders, encoders and pads with <strong>MIDI Learn</strong> in the header: choose a control, move the hardware.
        Pick-up waits until a knob passes the value (a marker shows where it is); Jump takes it at once; Scale closes the gap as you turn.</p>
      ${!midi.supported ? html`<p class="muted">This browser has no Web MIDI (Safari does not offer it; Chrome, Edge and Firefox do, over HTTPS).</p>`
        : midi.enabled
        ? html`<p role="status">${inputs.length ? `Connected: ${inputs.join(', ')}` : 'MIDI is on; no controller is connected.'}</p>`
        : html`<p class="row"><span class="muted">MIDI is off.</span><button @click=${() => void midi.enable()}>Enable MIDI</button></p>`}
      ${midi.error ? html`<p class="error" role="alert">${midi.error}</p>` : nothing}
      ${controllers.length === 0 ? html`<p class="muted">No mappings yet.</p>` : nothing}
      ${controllers.map((c) => html`<section class="controller" aria-label=${`Mappings of ${c}`}>
        <h4>${c} ${inputs.includes(c) ? nothing : html`<span class="muted small">(not connected)</span>`}</h4>
        <table>
          <thead><tr><th>Control</th><th>Moves</th><th>Reads as</th><th>Takeover</th><th><span class="visually-hidden">Unmap</span></th></tr></thead>
          <tbody>${book!.mappings(c).map((m) => this.#row(c, m))}</tbody>
        </table></section>`)}
      ${book?.skipped.length ? html`<p class="error" role="alert">Unreadable stored mappings were skipped:
        ${book.skipped.map((s) => html`<code>${s.key}</code> (${s.reason}) `)}</p>` : nothing}
      <div class="row actions">
        <button @click=${() => this.#export()} ?disabled=${controllers.length === 0}>Export mappings</button>
        <label class="import"><input type="file" accept=".json,application/json" class="visually-hidden" aria-label="Import mappings"
          @change=${(e: Event) => void this.#import(e)} /><span class="btn" aria-hidden="true">Import mappings…</span></label>
        <button class="danger" @click=${() => void this.#clear()} ?disabled=${controllers.length === 0}>Clear mappings</button>
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${this._message ? html`<p role="status">${this._message}</p>` : nothing}`;
  }

  static override styles = [base, css`
    :host { display: block; }
    h3 { margin-bottom: 10px; }
    h4 { margin: 12px 0 6px; font-size: 13px; }
    .small { font-size: 12px; }
    .mono { font-family: var(--ob-mono); font-size: 12px; white-space: nowrap; }
    table { width: 100%; border-collapse: collapse; font-size: 12px; }
    th { text-align: left; color: var(--ob-dim); font-weight: 500; padding: 4px 6px; border-bottom: 1px solid var(--ob-line); }
    td { padding: 4px 6px; border-bottom: 1px solid #232833; vertical-align: middle; }
    select { max-width: 210px; font-size: 12px; }
    .controller { overflow-x: auto; }
    .actions { margin-top: 12px; }
    .import .btn { display: inline-block; background: var(--ob-raised); border: 1px solid var(--ob-line); border-radius: 6px; padding: 6px 12px; cursor: pointer; }
    .import:focus-within .btn { outline: 2px solid var(--ob-accent); }
    .error { color: #ffb4a8; }
  `];
}

customElements.define('ob-midi-card', ObMidiCard);

declare global {
  interface HTMLElementTagNameMap {
    'ob-midi-card': ObMidiCard;
  }
}
