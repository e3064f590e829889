import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { migratePresetRecord, migrateSessionRecord } from '../../src/store/migrations.ts';
import { RECORD_VERSION } from '../../src/store/schema.ts';

const doc = { format: 'outboard.session/1', id: 'ses_a', name: 'A', tracks: [] };

describe('session record migrations', () => {
  it('brings a first-release record {id, title, document, modified} to the current shape', () => {
    const out = migrateSessionRecord({ id: 'ses_a', title: 'Old', document: doc, modified: '2025-01-02T03:04:05.000Z' });
    expect(out).toEqual({
      ok: true, changed: true,
      record: { id: 'ses_a', name: 'Old', doc, updated_at: Date.parse('2025-01-02T03:04:05.000Z'), record_version: RECORD_VERSION },
    });
  });

  it('is idempotent: migrating a migrated record changes nothing', () => {
    const once = migrateSessionRecord({ id: 'ses_a', title: 'Old', document: doc, modified: 'not a date' });
    if (!once.ok) throw new Error(once.reason);
    const twice = migrateSessionRecord(once.record);
    expect(twice).toEqual({ ok: true, changed: false, record: once.record });
  });

  it('skips corrupt, foreign and newer records with a reason, never throws', () => {
    expect(migrateSessionRecord(null)).toEqual({ ok: false, reason: 'not an object' });
    expect(migrateSessionRecord({ id: 'x', document: 'nope' })).toMatchObject({ ok: false, reason: /without a document/ });
    expect(migrateSessionRecord({ title: 'no id', document: doc })).toMatchObject({ ok: false, reason: 'missing id' });
    expect(migrateSessionRecord({ id: 'x', record_version: 99, doc })).toMatchObject({ ok: false, reason: /newer version/ });
    expect(migrateSessionRecord({ id: 'x', record_version: RECORD_VERSION, name: 1, doc })).toMatchObject({ ok: false });
    fc.assert(fc.property(fc.anything(), (v) => {
      const r = migrateSessionRecord(v);
      return r.ok ? typeof r.record.id === 'string' : typeof r.reason === 'string';
    }));
  });
});

describe('preset records', () => {
  it('accepts a well-formed preset and refuses non-numeric params', () => {
    const p = { id: 'pre_a', name: 'A', plugin_type: 'eq', params: { low_gain: 3 }, updated_at: 1, record_version: 2 };
    expect(migratePresetRecord(p)).toMatchObject({ ok: true, changed: false });
    expect(migratePresetRecord({ ...p, params: { low_gain: 'loud' } })).toMatchObject({ ok: false });
    expect(migratePresetRecord([])).toMatchObject({ ok: false });
  });
});
