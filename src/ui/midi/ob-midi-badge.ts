import { LitElement, css, html, nothing } from 'lit';
import { midi } from '../../app/midi/midi-control.ts';
import { targetLabel } from '../../app/midi/targets.ts';
import { sourceLabel } from '../../protocol/midi-mapping.ts';
import { Watch } from '../watch.ts';

/**
 * `<ob-midi-badge>`: beside a control, the hardware control mapped to it
 * ("CC 74") with an Unmap button; "MIDI…" while learn mode waits for
 * hardware for it. Nothing when the control is neither mapped nor chosen.
 */
export class ObMidiBadge extends LitElement {
  static override properties = { targetKey: { attribute: 'target-key' } };
  /** The control's `midiTargetKey`. */
  targetKey = '';
  readonly #watch = new Watch(this, midi);

  override render() {
    if (!this.targetKey) return nothing;
    if (midi.isSelected(this.targetKey)) return html`<span class="badge waiting">MIDI…</span>`;
    const found = midi.mappingFor(this.targetKey);
    if (!found) return nothing;
    const label = sourceLabel(found.mapping.source);
    const what = targetLabel(midi.doc, found.mapping.target);
    return html`<span class="badge" title=${`${label} on ${found.controller}`}>${label}<button type="button"
      aria-label=${`Unmap ${label} from ${what}`} title="Unmap" @pointerdown=${(e: Event) => e.stopPropagation()}
      @click=${() => void midi.unmap(found.controller, found.mapping.id)}>✕</button></span>`;
  }

  static override styles = css`
    :host { display: inline-flex; }
    .badge { display: inline-flex; align-items: center; gap: 2px; font: 10px/16px var(--ob-mono); color: #0b1a12; background: var(--ob-accent-2);
      border-radius: 8px; padding: 0 0 0 6px; white-space: nowrap; }
    .badge.waiting { background: var(--ob-accent); color: #1b1300; padding: 0 6px; }
    button { font: inherit; border: 0; background: transparent; color: inherit; cursor: pointer; padding: 0 5px; border-radius: 8px; min-height: 16px; }
    button:hover { background: #0003; }
    button:focus-visible { outline: 2px solid var(--ob-text); }
  `;
}

customElements.define('ob-midi-badge', ObMidiBadge);

declare global {
  interface HTMLElementTagNameMap {
    'ob-midi-badge': ObMidiBadge;
  }
}
