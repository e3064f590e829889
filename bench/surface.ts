/**
 * `outboard bench surface`: tablet input -> laptop engine over loopback
 * (issue 11: target p99 < 20 ms). A relay serves the built app; in Chromium a
 * laptop page (audio on, playing a synth track) and a tablet page (a surface
 * invite, audio off) open the same session. The tablet's real key presses
 * move a gain fader; each keydown's `timeStamp` and the moment the laptop's
 * worklet has applied the value are put on one clock both pages share
 * (`performance.timeOrigin + …`). The worklet has no clock of its own in
 * Chromium (no `performance` in AudioWorkletGlobalScope), so "applied" is
 * stamped by a worker spinning on the status block's applied counter after
 * the ring write (off the laptop's main thread, which goes on with its next
 * socket task); a viewer socket of the bench's own stamps the relay's fan-out
 * in between. Then the
 * other way: the laptop's levels (read from its engine's status block and
 * stamped) to the animation frame on the tablet that draws them. A drag is
 * measured twice: moves 40 ms apart (the page idles between them) and 16 ms
 * apart, as a touchscreen reports a sliding finger.
 *
 * How the finger is made matters. CDP's `Input.dispatchTouchEvent` stamps a
 * touch when the command arrives, then holds it until the renderer has drawn a
 * frame (`InsertVisualStateCallback`, "so that new listeners see it") before it
 * forwards it: up to a frame (15 ms at p50 on a page that repaints) that no
 * real finger waits for, counted as the page's input pipeline. So the drag's
 * moves are real touch events made by the browser's touch emulator (DevTools'
 * device mode: `Emulation.setEmitTouchEventsForMouse`) from mouse input, which
 * CDP forwards at once; they enter the browser's touch pipeline as a
 * touchscreen's do, stamped when the browser takes them. The old injection is
 * kept in one row, for comparison with earlier runs. A real finger's stamp is
 * the OS's, earlier still by the digitizer and the OS, which no page can
 * shorten.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { chromium, type Page } from 'playwright-core';
import { mintToken } from '../server/auth/tokens.ts';
import { AUDIO_DEVICES, useAudioDevice, type AudioDevice } from './app/audio-device.ts';
import { BENCH_LAUNCH_ARGS, chromiumPath } from './chromium.mjs';
import { SECRET, sleep, startServer, stopServer } from './relay.ts';
import { percentile } from './stats.ts';
import { printTable } from './table.ts';

/** How long a key is held and the gap to the next press, and the gap between a slow drag's moves (ms): a hand nudging a fader. */
const GAP_MS = 40;
/** Gaps between a sweeping finger's moves (ms): a touchscreen reports a moving finger at least at 60 Hz. */
const FINGER_MS = 16;

/** `received`: when the socket's message event that carried the value was made (shared clock); `op`: that frame's op id. */
type Applied = { op: string; value: number; received: number; written: number; applied: number; changed: boolean };
/** One in-gesture value on the tablet: the touch move's event time, when its handler ran, and when it went on the wire (shared clock). */
type Move = { input: number; handled: number; sent: number };
type AppWindow = Window & { __applied: () => Applied[]; __inputs: number[]; __keyHandled: number[]; __keySent: [string, number][]; __moves: [number, Move][] };

const ready = (page: Page) => page.waitForSelector('html[data-ready=true]', { state: 'attached', timeout: 30_000 });
const synced = (page: Page) => page.getByRole('status').filter({ hasText: /^Synced/ }).waitFor({ timeout: 30_000 });

/**
 * Records, on the laptop, when each gain value reached the engine's ring and
 * when the worklet had applied it. The worklet has no clock, so "applied" is
 * when a worker of the bench's, spinning on the status block's applied
 * counter (shared memory), sees it move after the write. The spin runs off
 * the page's main thread: there it held the laptop's next socket task behind
 * it (up to 10 ms a value on the fake device), which the relay hop then
 * counted. Two writes within one audio callback are both stamped when the
 * first is applied (values come 16 ms apart or more here).
 */
function instrumentLaptop(): void {
  const w = window as unknown as AppWindow;
  const parts = (document.querySelector('ob-app') as unknown as { parts: { ctl: { engine: {
    applyChanges(c: readonly { kind: string; field?: string }[]): void;
  } } } }).parts;
  const engine = parts.ctl.engine;
  const status = (engine as unknown as { link?: { block?: { buffer?: unknown } } }).link?.block?.buffer;
  if (!(status instanceof SharedArrayBuffer)) throw new Error("the laptop's engine has no shared status block: is the page cross-origin isolated?");
  // The status block's count of ring records applied (worklets/shared/meter-block.ts: bytes 20..23).
  const applied = new Int32Array(status, 20, 1);
  const SLOTS = 4096;
  const shared = new SharedArrayBuffer(8 + SLOTS * 12);
  const posted = new Int32Array(shared, 0, 1);
  const befores = new Int32Array(shared, 8, SLOTS);
  const times = new Float64Array(shared, 8 + SLOTS * 4, SLOTS);
  const watcher = `onmessage = ({ data: [status, shared, slots] }) => {
    const applied = new Int32Array(status, 20, 1);
    const posted = new Int32Array(shared, 0, 1);
    const befores = new Int32Array(shared, 8, slots);
    const times = new Float64Array(shared, 8 + slots * 4, slots);
    for (let done = 0; ; ) {
      Atomics.wait(posted, 0, done);
      for (const until = Atomics.load(posted, 0); done < until; done++) {
        const before = befores[done % slots];
        const start = performance.now();
        while (Atomics.load(applied, 0) === before && performance.now() - start < 100) {}
        times[done % slots] = Atomics.load(applied, 0) === before ? NaN : performance.timeOrigin + performance.now();
      }
    }
  };`;
  new Worker(URL.createObjectURL(new Blob([watcher], { type: 'text/javascript' }))).postMessage([status, shared, SLOTS]);
  const writes: { op: string; value: number; received: number; written: number; slot: number }[] = [];
  w.__applied = () => writes.splice(0).map((x) => ({ ...x, applied: times[x.slot]!, changed: !Number.isNaN(times[x.slot]!) }));
  const apply = engine.applyChanges.bind(engine);
  engine.applyChanges = (changes) => {
    const before = Atomics.load(applied, 0);
    // The socket's message event being handled (window.event: the app handles it synchronously, in its task).
    const event = window.event instanceof MessageEvent ? window.event : undefined;
    const message = event ? performance.timeOrigin + event.timeStamp : NaN;
    apply(changes);
    const gain = changes.find((c) => c.kind === 'track-value' && c.field === 'gain_db') as { value: number } | undefined;
    if (!gain) return;
    const written = performance.timeOrigin + performance.now();
    const n = Atomics.load(posted, 0);
    befores[n % SLOTS] = before;
    times[n % SLOTS] = NaN;
    const op = typeof event?.data === 'string' ? /"id":"([^"]+)"/.exec(event.data)?.[1] ?? '' : '';
    writes.push({ op, value: gain.value, received: message, written, slot: n % SLOTS });
    Atomics.store(posted, 0, n + 1);
    Atomics.notify(posted, 0);
  };
}

/** Records, on the tablet, each key press's event time on the shared clock. */
function instrumentTablet(): void {
  const w = window as unknown as AppWindow;
  w.__inputs = [];
  w.__keyHandled = [];
  w.__keySent = [];
  w.__moves = [];
  addEventListener('keydown', (e) => {
    w.__inputs.push(performance.timeOrigin + e.timeStamp);
    w.__keyHandled.push(performance.timeOrigin + performance.now());
  }, { capture: true });
  // A drag: the value each touch move made, with that move's time (the gesture sends the newest value per frame).
  const parts = (document.querySelector('ob-app') as unknown as { parts: { ctl: { dispatch(op: { type: string; data: { changes?: { gain_db?: number } } }, o?: { ephemeral?: boolean }): unknown } } }).parts;
  // The move being handled (window.event is not set for a control inside a shadow root): captured on the way down.
  let move = 0;
  // The slider follows pointerrawupdate where the page has it (it comes first), else pointermove: both carry the move's time.
  for (const type of ['pointerrawupdate', 'pointermove']) addEventListener(type, (e) => (move = performance.timeOrigin + e.timeStamp), { capture: true });
  const waiting = new Map<number, Move>();
  const dispatch = parts.ctl.dispatch.bind(parts.ctl);
  parts.ctl.dispatch = (op, o) => {
    const value = op.data.changes?.gain_db;
    if (o?.ephemeral && value !== undefined && move > 0) {
      const m = { input: move, handled: performance.timeOrigin + performance.now(), sent: NaN };
      waiting.set(value, m);
      w.__moves.push([value, m]);
    }
    return dispatch(op, o);
  };
  // When each value left on the socket: an in-gesture frame carries one op or a BATCH of them.
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data) {
    // A key press's durable op (alone: one press in flight at a time) on the wire.
    if (typeof data === 'string' && data.startsWith('{"id"') && data.includes('"gain_db"') && !data.includes('"ephemeral":true')) {
      w.__keySent.push([(JSON.parse(data) as { id: string }).id, performance.timeOrigin + performance.now()]);
    }
    if (typeof data === 'string' && waiting.size > 0 && data.includes('"ephemeral":true')) {
      const at = performance.timeOrigin + performance.now();
      const frame = JSON.parse(data) as { type: string; data: { changes?: { gain_db?: number }; ops?: { data: { changes?: { gain_db?: number } } }[] } };
      for (const op of frame.type === 'BATCH' ? frame.data.ops ?? [] : [frame]) {
        const value = op.data.changes?.gain_db;
        const m = value === undefined ? undefined : waiting.get(value);
        if (m) m.sent = at;
        if (value !== undefined) waiting.delete(value);
      }
    }
    return send.call(this, data);
  };
}

/**
 * Where `page`'s shared clock (`performance.timeOrigin + performance.now()`)
 * stands against this process's: the reading of the round trip to the page
 * that took least time, with half that time as its uncertainty.
 */
async function clockOffset(page: Page): Promise<{ offset: number; within: number }> {
  const here = () => performance.timeOrigin + performance.now();
  let best = { offset: NaN, within: Infinity };
  for (let i = 0; i < 30; i++) {
    const before = here();
    const there = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = here();
    if ((after - before) / 2 < best.within) best = { offset: there - (before + after) / 2, within: (after - before) / 2 };
  }
  return best;
}

/**
 * A viewer socket of the bench's own in the session (bench/relay-observer.ts,
 * in a worker thread): when the relay fanned each gain value out, on this
 * process's clock. In-gesture values by value (within a drag each is unique,
 * the first fan-out counts), durable ops (the key presses) by op id. The relay
 * delivers to the laptop first, so this is at or after the laptop's frame
 * left. It splits the relay hop into the relay's part and the laptop's wait
 * for its socket task.
 */
async function observeRelay(port: number, sessionId: string): Promise<{ relayed: Map<number, number>; durable: Map<string, number>; close(): Promise<void> }> {
  const token = await mintToken(SECRET, { user: 'bench-observer', session: sessionId, role: 'viewer', ttlSeconds: 3600 });
  const worker = new Worker(new URL('./relay-observer.js', import.meta.url), { workerData: { url: `ws://127.0.0.1:${port}/ws?session=${sessionId}`, token } });
  const relayed = new Map<number, number>();
  const durable = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', ([kind, key, at]: [string, string | number, number]) => {
      if (kind === 'synced') resolve();
      else if (kind === 'error') reject(new Error(`the bench's viewer socket: ${key}`));
      else if (kind === 'durable') durable.set(key as string, at);
      else if (!relayed.has(key as number)) relayed.set(key as number, at);
    });
  });
  return { relayed, durable, close: async () => void (await worker.terminate()) };
}

/**
 * Runs the suite on each audio device of the laptop; `--quick` takes 60
 * samples instead of 300, `--low-latency` runs only on the device the
 * targets are read on.
 */
export async function run(args: string[]): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing; build the app (`npm run build`) first');
  const samples = args.includes('--quick') ? 60 : 300;
  const devices = args.includes('--low-latency') ? AUDIO_DEVICES.filter((d) => d.frames !== null) : AUDIO_DEVICES;
  for (const device of devices) await runOn(device, samples);
}

/** One run: a fresh relay and browser, the laptop's AudioContext on `device`. */
async function runOn(device: AudioDevice, samples: number): Promise<void> {
  const relay = await startServer('relay');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: BENCH_LAUNCH_ARGS });
  try {
    const base = `http://127.0.0.1:${relay.port}`;
    const laptop = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await useAudioDevice(laptop, device);
    await laptop.goto(`${base}/?token=${await mintToken(SECRET, { user: 'admin', session: '*', role: 'admin' })}`);
    await ready(laptop);
    await laptop.getByRole('link', { name: 'Sessions', exact: true }).click();
    await laptop.getByRole('textbox', { name: 'New session name' }).fill('Surface bench');
    await laptop.getByRole('button', { name: 'New session' }).click();
    await laptop.getByRole('button', { name: '+ Synth track' }).click();
    await synced(laptop);
    await laptop.getByRole('button', { name: 'Play', exact: true }).click();
    await laptop.waitForFunction(() => (document.querySelector('ob-app') as unknown as { parts: { ctl: { engine: { playing: boolean } | null } } }).parts.ctl.engine?.playing === true);
    const sessionId = await laptop.evaluate(() => (document.querySelector('ob-app') as unknown as { parts: { ctl: { doc: { id: string } } } }).parts.ctl.doc.id);
    const owner = await mintToken(SECRET, { user: 'admin', session: sessionId, role: 'owner' });
    const res = await fetch(`${base}/api/sessions/${sessionId}/invites`, { method: 'POST', headers: { Authorization: `Bearer ${owner}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ purpose: 'surface' }) });
    const { url } = (await res.json()) as { url: string };

    const tablet = await (await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true })).newPage();
    await tablet.goto(url);
    await ready(tablet);
    await synced(tablet);
    await laptop.evaluate(instrumentLaptop);
    await tablet.evaluate(instrumentTablet);
    // The stages join stamps taken in two pages (two renderer processes) and this process: check that their clocks agree.
    const [tabletClock, laptopClock] = [await clockOffset(tablet), await clockOffset(laptop)];
    const observer = await observeRelay(relay.port, sessionId);
    const fader = tablet.getByRole('slider', { name: 'Synth 1 Gain', exact: true });
    await fader.focus();
    for (let i = 0; i < samples; i++) {
      // Down then up: every press changes the value, and the fader stays in its range. One press in flight at a
      // time, and alone: the key is let go GAP_MS after it went down, as a finger holds a key (a tenth of a second
      // or so), and the next goes down GAP_MS later. Playwright's press() lets go at once: the keyup's trip (CDP,
      // the browser, the tablet's renderer) then ran beside the op's, on the same two cores.
      const key = i % 2 === 0 ? 'PageDown' : 'PageUp';
      await tablet.keyboard.down(key);
      await sleep(GAP_MS);
      await tablet.keyboard.up(key);
      await sleep(GAP_MS);
    }
    await sleep(500);
    const keyInputs = await tablet.evaluate(() => (window as unknown as AppWindow).__inputs);
    const keySent = await tablet.evaluate(() => (window as unknown as AppWindow).__keySent);
    const keyHandled = await tablet.evaluate(() => (window as unknown as AppWindow).__keyHandled);
    const keyApplied = await laptop.evaluate(() => (window as unknown as AppWindow).__applied());
    if (keyApplied.length !== keyInputs.length) throw new Error(`${keyInputs.length} key presses on the tablet, ${keyApplied.length} values applied on the laptop`);
    if (keySent.length !== keyInputs.length) throw new Error(`${keyInputs.length} key presses on the tablet, ${keySent.length} sent`);
    // Each press's stamps, joined by its op's id (the tablet sent it, the relay fanned it out, the laptop applied it).
    const appliedById = new Map(keyApplied.map((a) => [a.op, a]));
    const keys = keySent.map(([id, sent], i) => {
      const a = appliedById.get(id);
      const relayed = observer.durable.get(id);
      if (!a || relayed === undefined) throw new Error(`key press ${i} (op ${id}) was not both fanned out and applied on the laptop`);
      return { input: keyInputs[i]!, handled: keyHandled[i]!, sent, relayed: relayed + tabletClock.offset, relayedLaptop: relayed + laptopClock.offset, ...a };
    });
    // A finger dragging the fader: touch moves `gap` ms apart, each an in-gesture value (ephemeral: no commit on the way).
    const box = (await fader.boundingBox())!;
    const cdp = await tablet.context().newCDPSession(tablet);
    const x = box.x + box.width / 2;
    // A finger, through the browser's touch emulator: each mouse event becomes a touch event at once. CDP answers
    // an emulated event only once it is acked as a mouse event, which never comes: so the answers are not awaited.
    await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: true, configuration: 'mobile' });
    const finger = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', y: number) =>
      void cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons: type === 'mouseReleased' ? 0 : 1, clickCount: 1 }).catch(() => undefined);
    /** CDP's own touch injection (waits for a renderer frame before each touch): the earlier runs' finger. */
    const cdpTouch = async (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', y: number) => {
      const kind = ({ mousePressed: 'touchStart', mouseMoved: 'touchMove', mouseReleased: 'touchEnd' } as const)[type];
      await cdp.send('Input.dispatchTouchEvent', { type: kind, touchPoints: type === 'mouseReleased' ? [] : [{ x, y, id: 1 }] });
    };
    const dragWith = async (gap: number, strokes: number, touch: typeof finger | typeof cdpTouch = finger) => {
      const drag = { pipeline: [] as number[], app: [] as number[], wire: [] as number[], toRelay: [] as number[], fromRelay: [] as number[], laptop: [] as number[], worklet: [] as number[], total: [] as number[] };
      for (let stroke = 0; stroke < strokes; stroke++) {
        // One drag at a time, joined by value: within a drag the values only move one way, so each is unique.
        await tablet.evaluate(() => void ((window as unknown as AppWindow).__moves = []));
        await laptop.evaluate(() => void (window as unknown as AppWindow).__applied());
        observer.relayed.clear();
        const y0 = box.y + box.height * 0.2;
        const y = (i: number) => y0 + i * 3 * (stroke % 2 === 0 ? 1 : -1) + (stroke % 2 === 0 ? 0 : 120);
        await touch('mousePressed', y(0));
        await sleep(gap);
        for (let i = 1; i <= 40; i++) {
          await touch('mouseMoved', y(i));
          await sleep(gap);
        }
        await touch('mouseReleased', y(40));
        await sleep(300);
        const moves = new Map(await tablet.evaluate(() => (window as unknown as AppWindow).__moves));
        for (const a of await laptop.evaluate(() => (window as unknown as AppWindow).__applied())) {
          const m = moves.get(a.value);
          if (!a.changed || m === undefined || !Number.isFinite(m.sent)) continue;
          drag.pipeline.push(m.handled - m.input);
          drag.app.push(m.sent - m.handled);
          drag.wire.push(a.written - m.sent);
          drag.laptop.push(a.written - a.received);
          const relayed = observer.relayed.get(a.value);
          if (relayed !== undefined) {
            drag.toRelay.push(relayed + tabletClock.offset - m.sent);
            drag.fromRelay.push(a.received - (relayed + laptopClock.offset));
          }
          drag.worklet.push(a.applied - a.written);
          drag.total.push(a.applied - m.input);
        }
      }
      return drag;
    };
    const drag = await dragWith(GAP_MS, Math.ceil(samples / 40));
    // A finger sliding on without pauses: the digitizer reports a move every frame, so the slider repaints every frame.
    const sweep = await dragWith(FINGER_MS, Math.ceil(samples / 40));
    await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: false });
    const cdpSweep = await dragWith(FINGER_MS, Math.ceil(samples / 40), cdpTouch);
    // Levels: the laptop reads its engine's levels (and stamps them); the tablet's next animation frame draws them.
    const meterAges = await tablet.evaluate((ms) => new Promise<number[]>((resolve) => {
      const ages: number[] = [];
      const outboard = (window as unknown as { outboard: { metersSentAt(): number } }).outboard;
      let last = outboard.metersSentAt();
      const end = performance.now() + ms;
      const frame = () => {
        const sent = outboard.metersSentAt();
        if (sent !== last) ages.push(performance.timeOrigin + performance.now() - sent);
        last = sent;
        if (performance.now() < end) requestAnimationFrame(frame);
        else resolve(ages);
      };
      requestAnimationFrame(frame);
    }), samples * 20);
    await observer.close();
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const row = (what: string, xs: number[]) => { const s = sorted(xs); return [what, percentile(s, 50), percentile(s, 99), s.at(-1) ?? NaN]; };
    /** The stage rows of one finger's moves (the drag's, the sweep's), the first row titled `first`. */
    const fingerRows = (name: string, first: string, f: typeof drag) => [
      row(first, f.pipeline),
      row(`${name}: handler -> on the tablet's socket (the gesture stream)`, f.app),
      row(`${name}: tablet socket -> laptop ring write (relay fan-out, the laptop's op path)`, f.wire),
      row(`${name}, of which tablet socket -> the relay's fan-out (a viewer socket of the bench's receives it)`, f.toRelay),
      row(`${name}, of which the relay's fan-out -> the laptop's socket message task runs`, f.fromRelay),
      row(`${name}, of which the laptop: socket message event -> ring write`, f.laptop),
      row(`${name}: ring write -> worklet applied`, f.worklet),
      row(`${name} total: tablet touch move -> laptop worklet applied`, f.total),
    ];
    printTable(`Tablet -> laptop over loopback through the relay, the laptop on ${device.name}: ${samples} key presses on the tablet's gain fader (each held ${GAP_MS} ms, ${GAP_MS} ms between them; durable ops: relay commit, fan-out, the laptop's op path, the engine ring), the laptop playing; one clock both pages share; target p99 < 20 ms; machine load average ${loadavg()[0]!.toFixed(2)}`,
      ['stage', 'p50 ms', 'p99 ms', 'max ms'],
      [
        row('tablet keydown event time -> its handler (Chromium\'s input pipeline)', keys.map((k) => k.handled - k.input)),
        row('tablet keydown handler -> on the tablet\'s socket (op path, outbox, sender)', keys.map((k) => k.sent - k.handled)),
        row('tablet socket -> laptop ring write (relay commit, fan-out, the laptop\'s op path)', keys.map((k) => k.written - k.sent)),
        row('of which tablet socket -> the relay\'s fan-out (after its commit; a viewer socket of the bench\'s receives it)', keys.map((k) => k.relayed - k.sent)),
        row('of which the relay\'s fan-out -> the laptop\'s socket message task runs', keys.map((k) => k.received - k.relayedLaptop)),
        row('of which the laptop: socket message event -> ring write', keys.map((k) => k.written - k.received)),
        row('ring write -> worklet applied (status block, watched by a worker)', keys.map((k) => k.applied - k.written)),
        row('total: tablet input event -> laptop worklet applied', keys.map((k) => k.applied - k.input)),
        ...fingerRows('drag', `drag (in-gesture values, moves ${GAP_MS} ms apart, ${drag.total.length} values): touch move event time -> the slider's handler (Chromium's input pipeline)`, drag),
        ...fingerRows('sweep', `sweep (moves ${FINGER_MS} ms apart, ${sweep.total.length} values): touch move event time -> the slider's handler`, sweep),
        row(`sweep with CDP's Input.dispatchTouchEvent (earlier runs' finger: each touch waits for a renderer frame, ${cdpSweep.total.length} values): touch move -> handler`, cdpSweep.pipeline),
        row('sweep with CDP\'s touch injection: total', cdpSweep.total),
        row(`meters: laptop engine levels read -> tablet frame drawing them (${meterAges.length} frames)`, meterAges),
      ]);
    // Where the tail is: the slowest presses (the p99 and above), stage by stage.
    const slowest = [...keys].sort((a, b) => (b.applied - b.input) - (a.applied - a.input)).slice(0, Math.max(3, Math.ceil(keys.length / 50)));
    printTable(`The ${slowest.length} slowest key presses, stage by stage (ms)`,
      ['total', 'input', 'tablet op path', 'to relay fan-out', 'to laptop task', 'laptop op path', 'worklet'],
      slowest.map((k) => [k.applied - k.input, k.handled - k.input, k.sent - k.handled, k.relayed - k.sent, k.received - k.relayedLaptop, k.written - k.received, k.applied - k.written]));
    console.log(`The shared clock: the tablet's reads ${(tabletClock.offset - laptopClock.offset).toFixed(2)} ms ahead of the laptop's (± ${(tabletClock.within + laptopClock.within).toFixed(2)} ms).`);
  } finally {
    await browser.close();
    await stopServer(relay);
  }
}
