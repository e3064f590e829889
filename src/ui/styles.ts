import { css } from 'lit';

/** Shared look: buttons, panels, inputs, headings. Colours come from the CSS variables in index.html. */
export const base = css`
  :host { box-sizing: border-box; color: var(--ob-text); font: 13px/1.4 var(--ob-font); }
  *, *::before, *::after { box-sizing: inherit; }
  h2 { font-size: 13px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; color: var(--ob-dim); margin: 0 0 12px; }
  h3 { font-size: 14px; font-weight: 600; margin: 0; }
  button, select, input { font: inherit; color: inherit; }
  button {
    background: var(--ob-raised); border: 1px solid var(--ob-line); border-radius: 6px; padding: 6px 12px;
    min-height: 32px; cursor: pointer; white-space: nowrap; transition: background .12s, border-color .12s;
  }
  button:hover:not(:disabled) { background: #303644; border-color: #3c4352; }
  button:disabled, select:disabled { opacity: .45; cursor: default; }
  button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid var(--ob-accent); outline-offset: 1px; }
  button.primary { background: var(--ob-accent); color: #1b1300; border-color: var(--ob-accent); font-weight: 600; }
  button.primary:hover:not(:disabled) { background: #ffc04d; border-color: #ffc04d; }
  button.ghost { background: transparent; border-color: transparent; color: var(--ob-dim); }
  button.ghost:hover:not(:disabled) { color: var(--ob-text); background: var(--ob-raised); }
  button.danger:hover:not(:disabled) { border-color: var(--ob-danger); color: var(--ob-danger); }
  button.icon { padding: 4px 8px; min-width: 32px; }
  select, input[type=text], input[type=number], input:not([type]) {
    background: #0b0d11; border: 1px solid var(--ob-line); border-radius: 6px; padding: 6px 8px; min-height: 32px;
  }
  .panel { background: var(--ob-panel); border: 1px solid var(--ob-line); border-radius: var(--ob-radius); }
  .muted { color: var(--ob-dim); }
  .row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
  .spacer { flex: 1; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .empty { padding: 32px; text-align: center; color: var(--ob-dim); border: 1px dashed var(--ob-line); border-radius: var(--ob-radius); }
`;
