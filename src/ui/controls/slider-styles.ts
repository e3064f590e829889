import { css } from 'lit';

/** Looks of `<ob-slider>`: knob, vertical fader, horizontal bar, and the value readout. */
export const sliderStyles = css`
    :host { display: inline-flex; flex-direction: column; align-items: center; gap: 4px; min-width: 64px; user-select: none; -webkit-user-select: none; }
    :host([disabled]) { opacity: .45; }
    .label { font-size: 11px; color: var(--ob-dim); letter-spacing: .02em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
    .control { touch-action: none; cursor: ns-resize; outline: none; border-radius: 50%; }
    :host([variant=hbar]) .control { cursor: ew-resize; border-radius: 4px; width: 100%; }
    :host([variant=vfader]) .control { border-radius: 6px; }
    .control:focus-visible { box-shadow: 0 0 0 2px var(--ob-accent); }
    .control.remote { box-shadow: 0 0 0 2px var(--ob-remote, #5cc8ff); }
    .control[aria-readonly=true] { cursor: default; }
    .control.learning { cursor: pointer; outline: 1px dashed var(--ob-accent); outline-offset: 2px; }
    .control.chosen { outline: 2px solid var(--ob-accent); }
    .knob .ghost { fill: none; stroke: var(--ob-accent-2); stroke-width: 1.6; }
    .bar .ghost { position: absolute; background: var(--ob-accent-2); opacity: .9; }
    :host([variant=hbar]) .bar .ghost { top: -3px; bottom: -3px; width: 2px; transform: translateX(-50%); }
    :host([variant=vfader]) .bar .ghost { left: -8px; right: -8px; height: 2px; transform: translateY(50%); }
    .knob { width: 52px; height: 52px; display: block; }
    .knob .track { fill: none; stroke: #343a47; stroke-width: 3.5; stroke-linecap: round; }
    .knob .fill { fill: none; stroke: var(--ob-accent); stroke-width: 3.5; stroke-linecap: round; }
    .knob .cap { fill: url(#cap); stroke: #0b0d11; stroke-width: 1; }
    .control:hover .knob .cap, .control:focus-visible .knob .cap { stroke: #4a5263; }
    .knob .pointer { stroke: var(--ob-text); stroke-width: 2.2; stroke-linecap: round; }
    .bar { position: relative; background: #0b0d11; border: 1px solid var(--ob-line); border-radius: 4px; }
    :host([variant=hbar]) .bar { height: 10px; width: 100%; margin: 6px 0; }
    :host([variant=vfader]) .bar { width: 10px; height: 168px; margin: 0 22px; }
    .bar .fill { position: absolute; background: var(--ob-accent); opacity: .55; border-radius: 3px; }
    :host([variant=hbar]) .bar .fill { top: 0; bottom: 0; }
    :host([variant=vfader]) .bar .fill { left: 0; right: 0; }
    .thumb { position: absolute; background: linear-gradient(#3a404d, #2a2f39); border: 1px solid #545b6a; border-radius: 4px; box-shadow: 0 2px 4px #0008; }
    :host([variant=hbar]) .thumb { top: -6px; width: 12px; height: 20px; transform: translateX(-50%); }
    :host([variant=vfader]) .thumb { left: -16px; width: 40px; height: 20px; transform: translateY(50%); }
    :host([variant=vfader]) .thumb::after { content: ''; position: absolute; left: 6px; right: 6px; top: 9px; height: 2px; background: var(--ob-accent); border-radius: 1px; }
    .readout { font: 11px/1.2 var(--ob-mono); color: var(--ob-text); background: #0b0d11; border: 1px solid var(--ob-line); border-radius: 4px; padding: 3px 4px; width: 72px; text-align: center; box-sizing: border-box; }
    button.readout { cursor: text; }
    .readout:focus-visible { outline: 2px solid var(--ob-accent); outline-offset: 1px; }
    .readout[aria-invalid=true] { border-color: #ff7a6b; }
    /* [touch]: the Surface view's finger-sized controls (every target at least 44 px). */
    :host([touch]) .label { font-size: 13px; }
    :host([touch]) .readout { font-size: 13px; min-height: 44px; width: 88px; }
    :host([touch][variant=vfader]) .bar { height: var(--ob-fader-height, 200px); width: 14px; margin: 0 30px; }
    :host([touch][variant=vfader]) .thumb { left: -22px; width: 56px; height: 28px; }
    :host([touch][variant=hbar]) .bar { height: 14px; margin: 15px 0; }
    :host([touch][variant=hbar]) .thumb { top: -10px; width: 20px; height: 32px; }
    .refusal { font-size: 11px; line-height: 1.3; color: #ffb4a8; max-width: 140px; text-align: center; white-space: normal; }
  `;
