import { MeterBlock } from '../../worklets/shared/meter-block.ts';
import type { FallbackMessage } from '../../worklets/shared/rpc.ts';
import type { RecordPoster } from './param-writer.ts';

/**
 * The port fallback for pages without cross-origin isolation (no
 * SharedArrayBuffer): ring records go to the worklet as messages, and a copy
 * of the worklet's status block comes back when asked (once per frame).
 * The worklet answers from its message handler, never from process().
 */
export class FallbackChannel implements RecordPoster {
  /** The UI's copy of the worklet's status block, refreshed by `requestMeters`. */
  readonly block = MeterBlock.create(false);
  private readonly port: MessagePort;
  private asked = false;

  /** @param port our end of a MessageChannel whose other end went to the worklet */
  constructor(port: MessagePort) {
    this.port = port;
    port.onmessage = (event: MessageEvent<FallbackMessage>) => {
      if (event.data.type !== 'meters') return;
      this.block.copyFrom(event.data.buffer);
      this.asked = false;
    };
  }

  /** RecordPoster: ships a batch of ring records (transferred, not copied). */
  post(records: ArrayBuffer, count: number): void {
    this.port.postMessage({ type: 'events', buffer: records, count } satisfies FallbackMessage, [records]);
  }

  /** Asks for a fresh copy of the status block, unless one is already on its way. */
  requestMeters(): void {
    if (this.asked) return;
    this.asked = true;
    this.port.postMessage({ type: 'meters?' } satisfies FallbackMessage);
  }

  close(): void {
    this.port.close();
  }
}
