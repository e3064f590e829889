/**
 * The floor for the relay benchmark: a bare `ws` broadcast server — every
 * text frame goes to every other client, nothing else. Run in its own
 * process, like the relay: `node build/cli/bench/relay-floor.js PORT` (compiled with the CLI).
 */
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
const clients = new Set<WebSocket>();
wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('close', () => clients.delete(ws));
  ws.on('message', (data, isBinary) => {
    // ws's README broadcast idiom: forward the received bytes as they are.
    for (const c of clients) if (c !== ws) c.send(data, { binary: isBinary });
  });
});
wss.on('listening', () => process.stdout.write('floor listening\n'));
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
