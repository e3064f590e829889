import { css } from 'lit';

/** The shell's layout: a sticky header with transport and tabs, a centred main area. */
export const shellStyles = css`
  :host { display: block; min-height: 100vh; }
  .booting { display: grid; place-items: center; min-height: 100vh; color: var(--ob-dim); letter-spacing: .08em; text-transform: uppercase; }
  header { position: sticky; top: 0; z-index: 10; background: #12151bf2; backdrop-filter: blur(8px); border-bottom: 1px solid var(--ob-line); }
  .bar { display: flex; align-items: center; gap: 14px; padding: 8px 16px; flex-wrap: wrap; min-height: 52px; }
  .brand { display: inline-flex; align-items: center; gap: 8px; color: var(--ob-text); text-decoration: none; font-weight: 700; letter-spacing: .04em; }
  .logo { display: inline-flex; gap: 3px; align-items: flex-end; height: 18px; }
  .logo i { width: 4px; background: var(--ob-accent); border-radius: 2px; }
  .logo i:nth-child(1) { height: 10px; } .logo i:nth-child(2) { height: 18px; } .logo i:nth-child(3) { height: 13px; background: var(--ob-accent-2); }
  .session { color: var(--ob-dim); max-width: 28ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; border-left: 1px solid var(--ob-line); padding-left: 14px; }
  .status { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--ob-dim); background: #0b0d11; border: 1px solid var(--ob-line); border-radius: 999px; padding: 3px 10px; white-space: nowrap; }
  .status .dot { width: 7px; height: 7px; border-radius: 50%; background: #8791a3; }
  nav { display: flex; gap: 2px; padding: 0 12px; align-items: flex-end; flex-wrap: wrap; }
  nav a { color: var(--ob-dim); text-decoration: none; padding: 8px 12px 9px; border-bottom: 2px solid transparent; font-weight: 500; white-space: nowrap; }
  nav a:hover { color: var(--ob-text); }
  nav a[aria-current=page] { color: var(--ob-text); border-bottom-color: var(--ob-accent); }
  nav a.off { opacity: .4; cursor: default; }
  nav a:focus-visible, .brand:focus-visible { outline: 2px solid var(--ob-accent); outline-offset: -2px; border-radius: 4px; }
  nav .install { margin: 0 0 6px auto; }
  main { padding: 16px; max-width: 1480px; margin: 0 auto; }
  .notice { display: flex; align-items: center; gap: 10px; margin: 10px 16px 0; padding: 6px 6px 6px 12px; border-radius: 6px; background: #3a1d1b; border: 1px solid #7a3430; color: #ffcfc9; }
  .notice span { flex: 1; }
  .notice.learning { background: #2b2410; border-color: var(--ob-accent); color: var(--ob-text); }
  .learn[aria-pressed=true] { background: var(--ob-accent); color: #1b1300; border-color: var(--ob-accent); }
  .notice.warn { background: #3a2a0a; border-color: #7a5a12; color: #ffd58a; padding: 8px 12px; }
  @media (max-width: 760px) {
    .bar { gap: 8px 10px; padding: 8px 10px; }
    /* Brand, MIDI Learn and the status on one line, the session's name whole on the next, the transport under it. */
    .spacer { display: none; }
    .session { order: 3; flex: 1 1 100%; min-width: 0; max-width: none; border-left: 0; padding-left: 0; }
    ob-transport { order: 5; width: 100%; }
    /* Every tab on one line of a 390 px phone; a narrower screen scrolls the tabs, never the page. */
    nav { padding: 0 2px; gap: 0; flex-wrap: nowrap; overflow-x: auto; scrollbar-width: none; }
    nav a { padding: 8px 4px 9px; font-size: 12px; }
    main { padding: 10px; }
  }
`;
