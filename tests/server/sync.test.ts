/**
 * Join and sync (SPEC §5) on a real relay: the story of a laptop and a tablet
 * in one session.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, param, seedSession, stored, token, useRelay, type Client } from './helpers.ts';

const relay = useRelay();

describe('joining', () => {
  it('an owner joining a missing session creates it: WELCOME, SNAPSHOT, SYNCED in that order', async () => {
    const c = await join(relay.current.ws, 'fresh', { token: await token('fresh', 'alice', 'owner') });
    expect(c.frames.map((f) => f.type)).toEqual(['WELCOME', 'SNAPSHOT', 'SYNCED']);
    expect(c.frames[0]).toEqual({ type: 'WELCOME', data: { session_id: 'fresh', user_id: 'alice', role: 'owner', seq: 0, max_messages_per_second: 100 } });
    expect((c.frames[1]?.data as { document: { id: string } }).document.id).toBe('fresh');
    c.close();
    expect((await stored(relay.current.url, 'fresh')).seq).toBe(0);
  });

  it('a token in the query string works too (browsers cannot set headers)', async () => {
    const c = await join(relay.current.ws, 'fresh', { token: await token('fresh', 'alice', 'owner'), query: true });
    c.close();
  });
});

describe('a laptop and a tablet in one session', () => {
  let laptop: Client;
  let tablet: Client;
  beforeAll(async () => {
    laptop = await seedSession(relay.current.ws, 'duo', 'laptop');
    tablet = await join(relay.current.ws, 'duo', { token: await token('duo', 'tablet', 'editor') });
  });
  afterAll(() => {
    laptop.close();
    tablet.close();
  });

  it('the tablet rides the cutoff: the laptop gets the op with changed_by from the token, the tablet only the ack', async () => {
    tablet.send(param('m_cut1', 'duo', 440, { user_id: 'forged-user' }));
    const ack = await tablet.answer('m_cut1');
    expect(ack).toEqual({ type: 'ack', id: 'm_cut1', seq: 3 });
    const seen = await laptop.next((f) => f.id === 'm_cut1');
    expect(seen).toMatchObject({ type: 'PLUGIN_PARAMETER', session_id: 'duo', seq: 3, data: { parameter_value: 440, changed_by: 'tablet' } });
    expect(typeof seen.hlc).toBe('string');
    expect(tablet.frames.some((f) => f.type === 'PLUGIN_PARAMETER' && f.id === 'm_cut1')).toBe(false);
  });

  it('a BATCH of four faders is one message: applied in order, acked once', async () => {
    const ops = ['cutoff', 'q', 'mode', 'cutoff'].map((p, i) => ({
      id: `b_${i}`, type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'p1', parameter_id: p, parameter_value: p === 'mode' ? 1 : p === 'q' ? 2 : 1000 + i },
    }));
    tablet.send({ id: 'm_batch', type: 'BATCH', session_id: 'duo', data: { ops } });
    expect(await tablet.answer('m_batch')).toMatchObject({ type: 'ack', seq: 4 });
    await laptop.next((f) => f.id === 'm_batch');
    const doc = (await stored(relay.current.url, 'duo')).document as { tracks: { chain: { params: Record<string, number> }[] }[] };
    expect(doc.tracks[0]?.chain[0]?.params).toMatchObject({ cutoff: 1003, q: 2, mode: 1 });
  });

  it('ephemeral values inside a gesture are fanned out but neither logged nor acked', async () => {
    const before = (await stored(relay.current.url, 'duo')).seq;
    tablet.send(param('m_eph', 'duo', 555, { ephemeral: true }));
    const seen = await laptop.next((f) => f.id === 'm_eph');
    expect(seen).toMatchObject({ ephemeral: true, data: { parameter_value: 555, changed_by: 'tablet' } });
    tablet.send(param('m_final', 'duo', 600));
    await tablet.answer('m_final');
    expect(tablet.frames.some((f) => f.id === 'm_eph')).toBe(false);
    expect((await stored(relay.current.url, 'duo')).seq).toBe(before + 1);
  });

  it('a tablet riding a knob and a fader sends one ephemeral BATCH per frame: fanned out, not logged; a structural op never skips the log', async () => {
    const before = (await stored(relay.current.url, 'duo')).seq;
    tablet.send({
      id: 'm_eph_batch', type: 'BATCH', session_id: 'duo', ephemeral: true,
      data: { ops: [
        { id: 'e1', type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: 700 } },
        { id: 'e2', type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { gain_db: -3 } } },
      ] },
    });
    expect(await laptop.next((f) => f.id === 'm_eph_batch')).toMatchObject({ ephemeral: true, type: 'BATCH' });
    tablet.send({ id: 'm_rename', type: 'UPDATE_TRACK', session_id: 'duo', ephemeral: true, data: { track_id: 't1', changes: { name: 'Renamed' } } });
    expect(await tablet.answer('m_rename')).toMatchObject({ type: 'ack', seq: before + 1 });
    expect(tablet.frames.some((f) => f.id === 'm_eph_batch')).toBe(false);
    const after = await stored(relay.current.url, 'duo');
    expect(after.seq).toBe(before + 1);
    expect((after.document as { tracks: { name: string; gain_db: number }[] }).tracks[0]).toMatchObject({ name: 'Renamed', gain_db: 0 });
  });

  it('a rejected op is answered with its code and changes nothing anywhere', async () => {
    const before = await stored(relay.current.url, 'duo');
    tablet.send({ id: 'm_bad', type: 'REMOVE_TRACK', session_id: 'duo', data: { track_id: 'nope' } });
    expect(await tablet.answer('m_bad')).toMatchObject({ type: 'error', id: 'm_bad', data: { code: 'TRACK_NOT_FOUND' } });
    expect(await stored(relay.current.url, 'duo')).toEqual(before);
    expect(laptop.frames.some((f) => f.id === 'm_bad')).toBe(false);
  });

  it('presence is shown to the others, and its leaving', async () => {
    tablet.send({ id: 'pr1', type: 'PRESENCE', session_id: 'duo', data: { name: 'Tab', touching: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' } } });
    const p = await laptop.next((f) => f.type === 'PRESENCE');
    expect(p.data).toMatchObject({ name: 'Tab', user_id: 'tablet', touching: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' } });
    const connection = (p.data as { connection_id: string }).connection_id;
    // A second tablet comes and goes: its leaving names its connection, and the first tablet is still listed.
    const other = await join(relay.current.ws, 'duo', { token: await token('duo', 'tablet2', 'editor') });
    other.send({ id: 'pr2', type: 'PRESENCE', session_id: 'duo', data: { name: 'Tab 2', touching: null } });
    const came = await laptop.next((f) => f.type === 'PRESENCE' && (f.data as { user_id?: string }).user_id === 'tablet2');
    other.close();
    const left = await laptop.next((f) => f.type === 'PRESENCE' && (f.data as { left?: boolean }).left === true);
    expect(left.data).toEqual({ user_id: 'tablet2', connection_id: (came.data as { connection_id: string }).connection_id, left: true });
    tablet.close();
    const tabletLeft = await laptop.next((f) => f.type === 'PRESENCE' && (f.data as { left?: boolean; user_id?: string }).left === true && (f.data as { user_id?: string }).user_id === 'tablet');
    expect(tabletLeft.data).toEqual({ user_id: 'tablet', connection_id: connection, left: true });
  });
});

describe('resume and convergence', () => {
  it('a member back from a tunnel resumes from since and gets exactly the ops it missed', async () => {
    const owner = await seedSession(relay.current.ws, 'tunnel');
    const away = await join(relay.current.ws, 'tunnel', { token: await token('tunnel', 'tab', 'editor') });
    const lastSeen = (away.frames.find((f) => f.type === 'SYNCED')?.seq ?? -1);
    away.close();
    await away.closed;
    for (let i = 0; i < 5; i++) owner.send(param(`miss_${i}`, 'tunnel', 100 + i));
    await owner.answer('miss_4');
    const back = await join(relay.current.ws, 'tunnel', { token: await token('tunnel', 'tab', 'editor'), since: lastSeen });
    const types = back.frames.map((f) => f.type);
    expect(types[0]).toBe('WELCOME');
    expect(types).not.toContain('SNAPSHOT');
    expect(back.frames.filter((f) => f.type === 'PLUGIN_PARAMETER').map((f) => f.id)).toEqual(['miss_0', 'miss_1', 'miss_2', 'miss_3', 'miss_4']);
    expect(back.frames.at(-1)).toEqual({ type: 'SYNCED', seq: lastSeen + 5 });
    owner.close();
    back.close();
  });

  it('two members editing concurrently converge to the relay\'s document', async () => {
    const a = await seedSession(relay.current.ws, 'conv', 'a');
    const b = await join(relay.current.ws, 'conv', { token: await token('conv', 'b', 'editor') });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      a.send(param(`a_${i}`, 'conv', 200 + i));
      b.send({ id: `b_${i}`, type: 'UPDATE_TRACK', session_id: 'conv', data: { track_id: 't1', changes: { gain_db: -i / 2 } } });
      ids.push(`a_${i}`, `b_${i}`);
    }
    await a.answer('a_19');
    await b.answer('b_19');
    const relayDoc = (await stored(relay.current.url, 'conv')).document;
    // Each rebuilds from a fresh snapshot and checks the relay applied both streams.
    const fresh = await join(relay.current.ws, 'conv', { token: await token('conv', 'c', 'viewer') });
    expect((fresh.frames.find((f) => f.type === 'SNAPSHOT')?.data as { document: unknown }).document).toEqual(relayDoc);
    const track = (relayDoc as { tracks: { gain_db: number; chain: { params: { cutoff: number } }[] }[] }).tracks[0];
    expect(track?.gain_db).toBe(-9.5);
    expect(track?.chain[0]?.params.cutoff).toBe(219);
    expect(a.frames.filter((f) => f.type === 'UPDATE_TRACK')).toHaveLength(20);
    expect(b.frames.filter((f) => f.type === 'PLUGIN_PARAMETER')).toHaveLength(20);
    for (const c of [a, b, fresh]) c.close();
  });
});

describe('token lifetime', () => {
  it('a socket whose token expires is closed with 4401', async () => {
    await seedSession(relay.current.ws, 'exp').then((c) => c.close());
    // `exp` is in whole seconds, so a 1 s token may have only a few ms left when minted: 3 s leaves the join at
    // least 2 s on a busy machine.
    const c = await join(relay.current.ws, 'exp', { token: await token('exp', 'shortlived', 'editor', 3) });
    expect((await c.closed).code).toBe(4401);
  });

  it('an AUTH frame with a fresh token before expiry keeps it open', async () => {
    const first = await token('exp', 'renewer', 'editor', 3);
    const c = await join(relay.current.ws, 'exp', { token: first });
    c.send({ id: 'auth1', type: 'AUTH', session_id: 'exp', data: { token: await token('exp', 'renewer', 'editor', 60) } });
    expect(await c.answer('auth1')).toMatchObject({ type: 'ack' });
    // Past the first token's expiry, whenever that falls: the socket now lives on the renewed one.
    await new Promise((r) => setTimeout(r, decodeJwt(first).exp! * 1000 - Date.now() + 300));
    c.send(param('after_renew', 'exp', 300));
    expect(await c.answer('after_renew')).toMatchObject({ type: 'ack' });
    c.close();
  });

  it('an AUTH frame cannot switch to another user or session, nor use a bad token', async () => {
    const c = await join(relay.current.ws, 'exp', { token: await token('exp', 'renewer', 'editor', 60) });
    c.send({ id: 'auth_other', type: 'AUTH', session_id: 'exp', data: { token: await token('exp', 'someone-else', 'owner', 60) } });
    expect(await c.answer('auth_other')).toMatchObject({ type: 'error', data: { code: 'FORBIDDEN' } });
    c.send({ id: 'auth_scope', type: 'AUTH', session_id: 'exp', data: { token: await token('elsewhere', 'renewer', 'owner', 60) } });
    expect(await c.answer('auth_scope')).toMatchObject({ type: 'error', data: { code: 'FORBIDDEN' } });
    c.send({ id: 'auth_bad', type: 'AUTH', session_id: 'exp', data: { token: 'x.y.z' } });
    expect(await c.answer('auth_bad')).toMatchObject({ type: 'error', data: { code: 'UNAUTHORIZED' } });
    c.close();
  });
});
