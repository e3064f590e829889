/**
 * A viewer socket of `bench surface`'s own in the session, in a worker thread
 * of the bench: it stamps when the relay fanned each gain value out. In the
 * bench's main thread the stamp waited for whatever that thread was doing
 * (answering Playwright while a key press was on its way, up to 16 ms late,
 * which read as the relay's time); here nothing else runs. Posts
 * `['durable', opId, at]` for a durable op and `['value', gainDb, at]` for
 * each in-gesture value, `at` on the clock `performance.timeOrigin + now()`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

type GainFrame = { id: string; type: string; ephemeral?: boolean; data: { changes?: { gain_db?: number }; ops?: { data: { changes?: { gain_db?: number } } }[] } };

const { url, token } = workerData as { url: string; token: string };
const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
ws.on('message', (data) => {
  const at = performance.timeOrigin + performance.now();
  const text = String(data);
  if (text.includes('"SYNCED"')) parentPort!.postMessage(['synced']);
  if (!text.includes('"gain_db"')) return;
  const frame = JSON.parse(text) as GainFrame;
  if (frame.ephemeral !== true) {
    parentPort!.postMessage(['durable', frame.id, at]);
    return;
  }
  for (const op of frame.type === 'BATCH' ? frame.data.ops ?? [] : [frame]) {
    const value = op.data.changes?.gain_db;
    if (value !== undefined) parentPort!.postMessage(['value', value, at]);
  }
});
ws.on('error', (error) => parentPort!.postMessage(['error', String(error)]));
