import { chromium } from 'playwright-core';
import http from 'node:http';
const srv = http.createServer((q, r) => { r.setHeader('content-type', 'text/html'); r.end('<div id=d style="width:400px;height:400px;touch-action:none;background:#ccc"></div>'); }).listen(0);
const port = srv.address().port;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', ...process.argv.slice(2)] });
const ctx = await b.newContext({ hasTouch: true, viewport: { width: 800, height: 600 } });
const p = await ctx.newPage();
await p.goto(`http://127.0.0.1:${port}/`);
await p.evaluate(() => {
  window.log = { move: [], raw: [], touch: [] };
  const d = document.getElementById('d');
  d.addEventListener('pointermove', (e) => window.log.move.push(performance.now() - e.timeStamp));
  d.addEventListener('pointerrawupdate', (e) => window.log.raw.push(performance.now() - e.timeStamp));
  d.addEventListener('touchmove', (e) => window.log.touch.push(performance.now() - e.timeStamp), { passive: true });
});
const cdp = await ctx.newCDPSession(p);
await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 100, y: 100, id: 1 }] });
for (let i = 0; i < 40; i++) { await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: 100, y: 100 + i * 3, id: 1 }] }); await new Promise(r => setTimeout(r, 40)); }
await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
await new Promise(r => setTimeout(r, 100));
const l = await p.evaluate(() => window.log);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return [s.length, s[s.length >> 1]?.toFixed(1), s[Math.floor(s.length * 0.9)]?.toFixed(1)]; };
console.log('move', med(l.move), 'raw', med(l.raw), 'touch', med(l.touch));
await b.close(); srv.close();
