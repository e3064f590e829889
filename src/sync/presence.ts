import { targetKey, type ControlKey } from '../protocol/controls.ts';
import type { PresenceData } from '../protocol/messages.ts';

/** One other member connected to the session. */
export interface Member {
  readonly connectionId: string;
  readonly userId: string;
  readonly name: string;
  readonly color: string;
  /** What they are moving, or null. */
  readonly touching: ControlKey | null;
  /** Whether that device plays the session ("Audio on this device"). */
  readonly audio: boolean;
}

const PALETTE = ['#e8a33d', '#5cc8ff', '#b48cff', '#5ee3a1', '#ff7a90', '#f5d76e'];

/** A stable colour per user, so the same bandmate keeps the same ring. */
export function colorFor(userId: string): string {
  let h = 0;
  for (const c of userId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** Who else is here, from PRESENCE broadcasts (one entry per connection). */
export class Roster {
  readonly #members = new Map<string, Member>();

  /** Applies one broadcast; answers true when something changed. */
  update(data: PresenceData & { user_id: string; connection_id: string; left?: boolean | undefined }): boolean {
    if (data.left) return this.#members.delete(data.connection_id);
    this.#members.set(data.connection_id, {
      connectionId: data.connection_id,
      userId: data.user_id,
      name: data.name ?? data.user_id,
      color: data.color ?? colorFor(data.user_id),
      touching: data.touching ? targetKey(data.touching) : null,
      audio: data.audio === true,
    });
    return true;
  }

  /** Everyone, in arrival order. */
  get members(): Member[] {
    return [...this.#members.values()];
  }

  /** The member moving a control, if any. */
  touching(key: ControlKey): Member | undefined {
    return this.members.find((m) => m.touching === key);
  }

  clear(): void {
    this.#members.clear();
  }
}
