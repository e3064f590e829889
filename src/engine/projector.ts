import type { Remote } from 'comlink';
import type { SessionDocument } from '../protocol/session.ts';
import type { EngineRpc, SlotMap } from '../../worklets/shared/rpc.ts';
import { EventKind, TrackParam, eventKey } from '../../worklets/shared/event-keys.ts';
import { diffDocuments, type ParamChange, type TrackChange } from './document-diff.ts';
import type { ParamWriter } from './param-writer.ts';

const TRACK_FIELDS = { gain_db: TrackParam.gainDb, pan: TrackParam.pan, mute: TrackParam.mute } as const;

/**
 * Projects session documents onto the engine in the worklet. Value-only
 * changes (a knob, a fader) become ring records, applied at the next render
 * quantum; anything structural sends the whole document through comlink and
 * the worklet's session projection rebuilds only what changed.
 *
 * Structural updates are serialized and coalesced: while one is in flight,
 * later documents wait and only the newest is sent. Value changes that
 * arrive meanwhile ride along in that newest document (the slots they would
 * be addressed by may be about to move).
 */
export class Projector {
  /** Where the engine put each track and plugin; undefined before the first update lands. */
  slots: SlotMap | undefined;
  private readonly rpc: Remote<EngineRpc>;
  private readonly writer: ParamWriter;
  private doc: SessionDocument | undefined;
  private inFlight: Promise<void> | undefined;
  private queued: SessionDocument | undefined;
  private lastError: unknown;

  constructor(rpc: Remote<EngineRpc>, writer: ParamWriter) {
    this.rpc = rpc;
    this.writer = writer;
  }

  /** The document the engine is (or is about to be) playing. */
  get document(): SessionDocument | undefined {
    return this.doc;
  }

  /** Projects `next`; returns at once (structural work continues in the background, see `settled`). */
  set(next: SessionDocument): void {
    const delta = diffDocuments(this.doc, next);
    this.doc = next;
    if (delta.structural || this.inFlight || !this.slots) {
      this.queueStructural(next);
      return;
    }
    for (const change of delta.changes) this.write(change);
  }

  /** Resolves when every structural update sent so far has been applied; rejects with the last failure. */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.lastError !== undefined) {
      const error = this.lastError;
      this.lastError = undefined;
      throw error;
    }
  }

  private queueStructural(doc: SessionDocument): void {
    this.queued = doc;
    if (this.inFlight) return;
    this.inFlight = (async () => {
      while (this.queued) {
        const sending = this.queued;
        this.queued = undefined;
        try {
          this.slots = await this.rpc.setDocument(sending);
        } catch (error) {
          this.lastError = error;
        }
      }
      this.inFlight = undefined;
    })();
  }

  private write(change: ParamChange | TrackChange): void {
    const slots = this.slots;
    const track = slots?.tracks[change.track];
    if (slots === undefined || track === undefined) return;
    if (change.kind === 'track') {
      this.writer.write(eventKey(EventKind.track, track, 0, TRACK_FIELDS[change.field]), change.value);
      return;
    }
    const plugin = slots.plugins[change.plugin];
    if (plugin !== undefined) this.writer.write(eventKey(EventKind.param, track, plugin, change.index), change.value);
  }
}
