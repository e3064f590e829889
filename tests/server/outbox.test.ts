/**
 * Backpressure (SPEC §5): a tablet on bad Wi-Fi whose socket is backed up
 * gets the newest value per parameter, in seq order, never an unbounded queue.
 */
import { describe, expect, it } from 'vitest';
import { Outbox, type Sink } from '../../server/session/outbox.ts';

class SlowSink implements Sink {
  bufferedAmount = 0;
  readonly sent: string[] = [];
  send(text: string): void {
    this.sent.push(text);
  }
}

const value = (param: string, v: number, hlc: string) => ({ text: `${param}=${v}`, key: `t1/p1/${param}`, hlc });
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('a backed-up receiver', () => {
  it('sends straight through while the socket keeps up', () => {
    const sink = new SlowSink();
    const box = new Outbox(sink, 1000, 10, 1e6, () => undefined);
    box.push(value('cutoff', 1, 'a'));
    box.push(value('cutoff', 2, 'b'));
    expect(sink.sent).toEqual(['cutoff=1', 'cutoff=2']);
  });

  it('keeps only the newest value per parameter, and structural ops in order, while backed up', async () => {
    const sink = new SlowSink();
    const box = new Outbox(sink, 1000, 100, 1e6, () => undefined);
    sink.bufferedAmount = 5000;
    for (let i = 0; i < 60; i++) box.push(value('cutoff', i, `h${String(i).padStart(3, '0')}`));
    box.push({ text: 'ADD_PLUGIN' });
    box.push(value('q', 1, 'h100'));
    box.push(value('cutoff', 99, 'h101'));
    // A late value with an older clock never replaces a newer one.
    box.push(value('q', 0, 'h050'));
    expect(box.size).toBe(3);
    sink.bufferedAmount = 0;
    await settle();
    expect(sink.sent).toEqual(['ADD_PLUGIN', 'q=1', 'cutoff=99']);
    expect(box.coalesced).toBe(60);
  });

  it('is bounded: a receiver too far behind is dropped (it resumes with since)', () => {
    const sink = new SlowSink();
    let dropped = 0;
    const box = new Outbox(sink, 1000, 5, 1e6, () => dropped++);
    sink.bufferedAmount = 5000;
    for (let i = 0; i < 10; i++) box.push({ text: `op${i}` });
    expect(dropped).toBe(1);
    expect(box.size).toBe(0);
  });

  it('is bounded in bytes too: a few huge frames are enough to drop it', () => {
    const sink = new SlowSink();
    let dropped = 0;
    const box = new Outbox(sink, 1000, 1000, 100_000, () => dropped++);
    sink.bufferedAmount = 5000;
    for (let i = 0; i < 3; i++) box.push({ text: 'x'.repeat(40_000) });
    expect(dropped).toBe(1);
  });
});
