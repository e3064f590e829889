// WatchDoc against a document source that changes through the real model
// (stampOp + apply), with a plain host: the controller only calls the
// host's addController and requestUpdate (the e2e spec
// tests/e2e/app-mixer-render.spec.ts counts real Lit updates in the app).
import { describe, expect, it } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Emitter } from '../../src/app/emitter.ts';
import { addTrackOps } from '../../src/app/op-builders.ts';
import { apply, createSession, HlcClock, stampOp } from '../../src/model/index.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { WatchDoc } from '../../src/ui/watch.ts';

/** An open session changed by ops, telling `change` as the session controller does. */
class Session extends Emitter<{ change: void }> {
  readonly clock = new HlcClock('n_test');
  #n = 0;
  constructor(public doc: SessionDocument | null) {
    super();
  }

  dispatch(op: Omit<AnyOp, 'id'> | AnyOp): void {
    const doc = this.doc!;
    const next = apply(doc, stampOp(doc, { id: `op_${++this.#n}`, ...op } as AnyOp, this.clock));
    expect(next.result.status).toBe('applied');
    this.doc = next.doc;
    this.emit('change');
  }

  replace(doc: SessionDocument | null): void {
    this.doc = doc;
    this.emit('change');
  }
}

/** A host that counts the updates asked of it. */
function host() {
  const controllers: ReactiveController[] = [];
  const h = {
    updates: 0,
    addController: (c: ReactiveController) => void controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => void h.updates++,
    updateComplete: Promise.resolve(true),
    connect: () => controllers.forEach((c) => c.hostConnected?.()),
    update: () => controllers.forEach((c) => c.hostUpdate?.()),
    disconnect: () => controllers.forEach((c) => c.hostDisconnected?.()),
  };
  return h as typeof h & ReactiveControllerHost;
}

let track = '';

function session(): Session {
  const s = new Session(createSession({ id: 'ses_watch', name: 'Watch' }));
  const added = addTrackOps('synth', 'A');
  for (const op of added.ops) s.dispatch(op);
  track = added.trackId;
  return s;
}

describe('WatchDoc', () => {
  it('re-renders the host when the picked field changes, and not for a fader move or another field', () => {
    const s = session();
    const h = host();
    new WatchDoc(h, () => s, (doc) => doc?.name);
    h.connect();
    s.dispatch({ type: 'UPDATE_TRACK', data: { track_id: track, changes: { gain_db: -6 } } });
    s.dispatch({ type: 'UPDATE_SESSION', data: { changes: { tempo_bpm: 100 } } });
    expect(h.updates).toBe(0);
    s.dispatch({ type: 'UPDATE_SESSION', data: { changes: { name: 'Renamed' } } });
    expect(h.updates).toBe(1);
    s.replace(null);
    expect(h.updates).toBe(2);
  });

  it('hands a view each new document through `then` instead of a re-render', () => {
    const s = session();
    const h = host();
    const seen: (SessionDocument | null)[] = [];
    new WatchDoc(h, () => s, (doc) => doc, (doc) => seen.push(doc));
    h.connect();
    s.dispatch({ type: 'UPDATE_TRACK', data: { track_id: track, changes: { gain_db: -3 } } });
    expect(seen).toEqual([s.doc]);
    expect(h.updates).toBe(0);
  });

  it('stops when the host leaves the page and catches up with what changed meanwhile when it comes back', () => {
    const s = session();
    const h = host();
    new WatchDoc(h, () => s, (doc) => doc?.tempo_bpm);
    h.connect();
    h.disconnect();
    s.dispatch({ type: 'UPDATE_SESSION', data: { changes: { tempo_bpm: 90 } } });
    expect(h.updates).toBe(0);
    h.connect();
    expect(h.updates).toBe(1);
    h.disconnect();
    h.connect();
    expect(h.updates).toBe(1);
  });

  it('follows a source set after the host connected, from its next update', () => {
    const s = session();
    const h = host();
    let source: Session | undefined;
    new WatchDoc(h, () => source, (doc) => doc?.name);
    h.connect();
    source = s;
    h.update();
    s.dispatch({ type: 'UPDATE_SESSION', data: { changes: { name: 'Later' } } });
    expect(h.updates).toBe(1);
  });
});
