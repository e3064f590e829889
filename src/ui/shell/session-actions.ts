import type { SessionDocument } from '../../protocol/session.ts';
import type { LocalStore } from '../../store/index.ts';
import { duplicateSession, exportSession, importSessionFile, UNTITLED_SESSION } from '../sessions/session-files.ts';
import type { SessionActionEvent } from '../sessions/ob-sessions-view.ts';
import type { SessionController } from '../../app/session-controller.ts';
import { op } from '../../app/op-builders.ts';

/** A problem said in the user's words, with the technical reason on demand. */
export interface Problem {
  readonly text: string;
  readonly details?: string;
}

/** What an action asks the app to do next. */
export type ActionOutcome = { open?: SessionDocument; closed?: boolean; deleted?: string; error?: Problem } | void;

/** Carries out a sessions-list action against the store and the controller. */
export async function runSessionAction(e: SessionActionEvent, store: LocalStore, ctl: SessionController): Promise<ActionOutcome> {
  const id = e.id ?? '';
  const load = async () => {
    const got = await ctl.read(id);
    if (!got.ok) throw new Error(got.error.message);
    return got.value;
  };
  switch (e.action) {
    case 'create':
      return { open: await ctl.createSession(e.name ?? UNTITLED_SESSION) };
    case 'open':
      await ctl.flush();
      return { open: id === ctl.doc?.id ? ctl.doc : await load() };
    case 'rename': {
      const name = (e.name ?? '').slice(0, 200);
      if (ctl.doc?.id === id) ctl.dispatch(op('UPDATE_SESSION', { changes: { name } }));
      else await store.putSession({ ...(await load()), name });
      await ctl.flush();
      return;
    }
    case 'duplicate': {
      await ctl.flush();
      const doc = await load();
      await store.putSession(duplicateSession(doc, `${doc.name} (copy)`));
      return;
    }
    case 'delete': {
      const doc = await load().catch(() => null);
      if (!confirm(`Delete "${doc?.name ?? id}" from this device? This cannot be undone.`)) return;
      await store.deleteSession(id);
      if (ctl.doc?.id === id) {
        ctl.load(null);
        return { closed: true, deleted: id };
      }
      return { deleted: id };
    }
    case 'export':
      await ctl.flush();
      exportSession(await load());
      return;
    case 'import': {
      if (!e.file) return;
      const got = await importSessionFile(e.file);
      if (!got.ok) {
        const text = got.error.code === 'MESSAGE_TOO_LARGE'
          ? `${e.file.name} is too large to be an Outboard session.`
          : got.error.newerFormat !== undefined
            ? `${e.file.name} was saved by a newer version of Outboard (${got.error.newerFormat}): update Outboard on this device to open it.`
            : got.error.field === undefined || got.error.field === 'format'
              ? `${e.file.name} is not an Outboard session.`
              : `${e.file.name} is an Outboard session that cannot be opened: its "${got.error.field}" is not valid (a damaged file, or one from a newer version).`;
        return { error: { text, details: got.error.message } };
      }
      // Any record under that id, even one this version cannot read (a newer version's), is kept: the file gets a new id.
      const existing = await store.getSession(got.value.id);
      const taken = existing.ok || existing.error.code !== 'SESSION_NOT_FOUND';
      const doc = taken ? duplicateSession(got.value, got.value.name) : got.value;
      await store.putSession(doc);
      return { open: doc };
    }
  }
}
