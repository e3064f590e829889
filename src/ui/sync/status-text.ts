import type { SyncStatus } from '../../sync/index.ts';

/**
 * The chip's words and its tooltip for a sync status (null: no relay for this
 * session). A session with no relay has nothing waiting for anything: it is
 * saved, and the chip says so without a count.
 */
export function statusText(status: SyncStatus | null): { text: string; title: string; tone: string } {
  const n = (count: number) => `${count} change${count === 1 ? '' : 's'} waiting`;
  if (!status) {
    return { text: 'Local · saved', title: 'This session is not shared: everything is saved on this device', tone: 'local' };
  }
  // A viewer is one whatever the connection: offline, the surface stays read-only and the chip says so.
  const view = status.role === 'viewer' ? ' · view only' : '';
  if (status.refusal?.code === 'UNAUTHORIZED') {
    // Past an invite's lifetime, or revoked: plainly, with what became of the edits.
    const kept = status.waiting ? `${status.waiting} change${status.waiting === 1 ? '' : 's'} kept here` : 'nothing lost';
    return { text: `Not connected · link ended · ${kept}`, title: status.refusal.message, tone: 'error' };
  }
  if (status.refusal) {
    return { text: `Not connected · ${status.refusal.code}`, title: status.refusal.message, tone: 'error' };
  }
  switch (status.state) {
    case 'synced':
      if (status.stuck) {
        return {
          text: `Stuck · ${status.stuck} change${status.stuck === 1 ? '' : 's'} not confirmed`,
          title: 'Connected, but the relay has not confirmed some changes for over 5 s: retrying over a fresh connection',
          tone: 'error',
        };
      }
      return status.waiting
        ? { text: `Syncing · ${n(status.waiting)}`, title: 'Connected: sending your changes', tone: 'busy' }
        : { text: `Synced${view}`, title: `Connected to the relay as ${status.userId} (${status.role})`, tone: 'ok' };
    case 'connecting':
      return { text: status.waiting ? `Connecting · ${n(status.waiting)}` : `Connecting…${view}`, title: 'Reaching the relay', tone: 'busy' };
    default:
      return {
        text: status.waiting ? `Offline · ${n(status.waiting)}` : `Offline · saved${view}`,
        title: 'The relay cannot be reached: changes are kept on this device and sync on reconnect',
        tone: 'offline',
      };
  }
}

/** Whether the chip offers "Retry now": the relay is not answering (offline, or changes stuck), and no refusal says retrying is useless. */
export function canRetry(status: SyncStatus | null): boolean {
  return status !== null && status.refusal === null && (status.state === 'offline' || status.stuck > 0);
}

/** Up to two initials of a name, for the presence list. */
export function initials(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}
