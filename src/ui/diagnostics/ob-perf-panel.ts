import { LitElement, css, html, type TemplateResult } from 'lit';
import type { AudioEngineApi } from '../../engine/types.ts';
import type { Hertz, Milliseconds, NormalRange } from '../../protocol/units.ts';
import { SLOW_MS } from '../../sync/index.ts';
import type { SessionController } from '../../app/session-controller.ts';
import type { SyncLink } from '../../app/sync-link.ts';
import { base } from '../styles.ts';
import { formatMs, formatPercent } from './format.ts';
import { REFRESH_MS, Ticker } from './ticker.ts';

/** Frames per Web Audio render quantum: the engine has 128 / sampleRate seconds for each. */
const RENDER_QUANTUM = 128;

/** The engine's figures for the panel. */
interface EngineFigures {
  readonly load: NormalRange;
  /** The highest one-second mean; null when the engine does not report it. */
  readonly loadPeak: NormalRange | null;
  readonly budgetMs: Milliseconds;
  readonly sampleRate: Hertz;
  readonly outputLatencyMs: Milliseconds;
  readonly baseLatencyMs: Milliseconds;
}

function engineFigures(engine: AudioEngineApi): EngineFigures {
  const info = engine.info();
  const stats = engine.stats?.();
  return {
    load: stats?.load ?? engine.load,
    loadPeak: stats?.loadPeak ?? null,
    budgetMs: (RENDER_QUANTUM / info.sampleRate) * 1000,
    sampleRate: info.sampleRate,
    outputLatencyMs: info.outputLatency * 1000,
    baseLatencyMs: info.baseLatency * 1000,
  };
}

/**
 * `<ob-perf-panel>`: round trips to the relay (send → ack: average, max,
 * slow ones), errors and reconnects, and the audio engine's load against its
 * render budget, sample rate and output latency; refreshed ~4 times a second
 * while shown.
 */
export class ObPerfPanel extends LitElement {
  static override properties = { link: { attribute: false }, ctl: { attribute: false } };
  link: SyncLink | null = null;
  ctl!: SessionController;
  readonly #ticker = new Ticker(this, REFRESH_MS, () => this.requestUpdate());

  /** One figure: a row whose header says what it is, so a screen reader reads them together. */
  #figure(name: string, value: string): TemplateResult {
    return html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`;
  }

  #engine(): TemplateResult {
    const engine = this.ctl?.engine;
    if (!engine) return html`<p class="muted">The audio engine starts on Play; its load shows here then.</p>`;
    const e = engineFigures(engine);
    return html`<table>
      <caption>Audio engine</caption>
      ${this.#figure('Engine load', `${formatPercent(e.load)} of the ${e.budgetMs.toFixed(2)} ms render budget`)}
      ${this.#figure('Engine load, peak', e.loadPeak === null ? '—' : formatPercent(e.loadPeak))}
      ${this.#figure('Sample rate', `${e.sampleRate} Hz`)}
      ${this.#figure('Output latency', `${formatMs(e.outputLatencyMs)} (base ${formatMs(e.baseLatencyMs)})`)}
    </table>`;
  }

  override render() {
    const rt = this.link?.diagnostics.roundTrips;
    return html`
      <h3>Performance</h3>
      <table>
        <caption>Relay (send → ack)</caption>
        ${this.#figure('Round trip, average', formatMs(rt?.avgMs ?? null))}
        ${this.#figure('Round trip, max', formatMs(rt?.maxMs ?? null))}
        ${this.#figure('Round trips measured', String(rt?.count ?? 0))}
        ${this.#figure(`Slow (over ${SLOW_MS} ms)`, String(rt?.slow ?? 0))}
        ${this.#figure('Errors', String(rt?.errors ?? 0))}
        ${this.#figure('Reconnects', String(rt?.reconnects ?? 0))}
      </table>
      ${this.#engine()}`;
  }

  static override styles = [base, css`
    :host { display: block; }
    h3 { margin-bottom: 10px; }
    table { border-collapse: collapse; width: 100%; margin: 0 0 12px; }
    caption { text-align: left; font-size: 12px; font-weight: 600; color: var(--ob-dim); padding-bottom: 4px; }
    th { width: 50%; text-align: left; font-weight: normal; color: var(--ob-dim); padding: 3px 14px 3px 0; }
    td { font-family: var(--ob-mono); font-size: 12px; overflow-wrap: anywhere; padding: 3px 0; }
  `];
}

customElements.define('ob-perf-panel', ObPerfPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ob-perf-panel': ObPerfPanel;
  }
}
