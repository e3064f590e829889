import type { SyncStatus } from '../../sync/index.ts';

/** The chip's words and its tooltip for a sync status (null: no relay for this session). */
export function statusText(status: SyncStatus | null, localWaiting: number): { text: string; title: string; tone: string } {
  const n = (count: number) => `${count} change${count === 1 ? '' : 's'} waiting`;
  if (!status) {
    return {
      text: localWaiting ? `Local · ${n(localWaiting)}` : 'Local · saved',
      title: 'Sync is not connected: everything is saved on this device',
      tone: 'local',
    };
  }
  const view = status.role === 'viewer' ? ' · view only' : '';
  if (status.refusal) {
    return { text: `Not connected · ${status.refusal.code}`, title: status.refusal.message, tone: 'error' };
  }
  switch (status.state) {
    case 'synced':
      return status.waiting
        ? { text: `Syncing · ${n(status.waiting)}`, title: 'Connected: sending your changes', tone: 'busy' }
        : { text: `Synced${view}`, title: `Connected to the relay as ${status.userId} (${status.role})`, tone: 'ok' };
    case 'connecting':
      return { text: status.waiting ? `Connecting · ${n(status.waiting)}` : `Connecting…`, title: 'Reaching the relay', tone: 'busy' };
    default:
      return {
        text: status.waiting ? `Offline · ${n(status.waiting)}` : 'Offline · saved',
        title: 'The relay cannot be reached: changes are kept on this device and sync on reconnect',
        tone: 'offline',
      };
  }
}

/** Up to two initials of a name, for the presence list. */
export function initials(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}
