/**
 * The app's entry: opens the local store, builds the session controller and
 * the shell, registers the service worker. Nothing here needs a network or
 * the relay; audio is loaded later, on the first Play.
 */
import { LocalStore } from './store/index.ts';
import { SessionController } from './app/session-controller.ts';
import { PresetLibrary } from './app/preset-library.ts';
import { AUDIO_ON_KEY, AudioSession } from './app/audio-session.ts';
import { currentLevels, MeterSender, remoteMeters } from './app/meters.ts';
import { PwaState } from './ui/pwa/pwa-state.ts';
import { SyncLink } from './app/sync-link.ts';
import { TabLink } from './app/tab-link.ts';
import { surface } from './app/surface-state.ts';
import { saveLinkCredentials, takeLinkCredentials, type WebSocketCtor } from './sync/index.ts';
import { midi } from './app/midi/midi-control.ts';
import { MappingBook } from './app/midi/mapping-book.ts';
import { WebMidiInputs } from './app/midi/web-midi.ts';
import './ui/shell/ob-app.ts';
import { LANDING_VIEW_KEY } from './ui/shell/routes.ts';
import { endOpenGestures } from './ui/controls/gesture.ts';

/** Hooks for tests and debugging: `await outboard.flush()` before reloading. */
declare global {
  interface Window {
    outboard?: {
      flush(): Promise<void>;
      readonly app: HTMLElement;
      /** The relay connection's status (null without a token for the open session). */
      sync(): unknown;
      /** Peak levels (dBFS) per track id, when the engine runs. */
      levels(): Record<string, number>;
      /** When the newest levels from an audio host elsewhere were read there (its shared clock, ms; 0: none yet). */
      metersSentAt(): number;
    };
  }
}

async function boot(): Promise<void> {
  // Before anything else: the token leaves the address bar (history, bookmarks, screenshots) at once.
  const link = takeLinkCredentials();
  const app = document.querySelector('ob-app') ?? document.body.appendChild(document.createElement('ob-app'));
  const pwa = new PwaState();
  pwa.start();
  let store: LocalStore;
  try {
    store = await LocalStore.open({
      onInterrupted: (why) => app.interrupted(why === 'blocking'
        ? 'Outboard was updated in another tab. Reload this tab to keep working.'
        : 'The browser closed the local database. Reload to keep working.'),
    });
  } catch (error) {
    // Shown by the shell: its shadow root would hide text put in the element itself.
    app.interrupted(error instanceof DOMException && error.name === 'VersionError'
      ? 'The sessions on this device were saved by a newer version of Outboard, and this one cannot open them. '
        + 'Nothing was changed: reload (online) to get the newer version.'
      : `Outboard could not open its local storage (${error instanceof Error ? error.message : String(error)}). `
        + 'Private browsing or disabled site data can cause this.');
    return;
  }
  const claims = link ? await saveLinkCredentials(store, link) : null;
  const ctl = await SessionController.create(store);
  // The user's hold on a control keeps remote values off its engine too; the release lands.
  surface.on('hold', (key) => ctl.hold(key));
  surface.on('release', (key) => ctl.release(key));
  const sync = new SyncLink(store, ctl, { base: location.origin, WebSocket: WebSocket as unknown as WebSocketCtor });
  const presets = new PresetLibrary(store, ctl);
  const tabs = new TabLink(ctl);
  const audio = new AudioSession(ctl);
  // A device opened from a control-surface invite starts with audio off (it drives the laptop's engine);
  // one opened from a collaborator's invite plays the session itself. After that the switch is the device's.
  if (link?.purpose) await store.setSetting(AUDIO_ON_KEY, link.purpose !== 'surface');
  // Its view too, on every later launch: the installed app opened from its home-screen icon has no view in its
  // address, and a surface should come back as a surface (the shell keeps the view in the address otherwise).
  if (link?.purpose) await store.setSetting(LANDING_VIEW_KEY, link.purpose === 'surface' ? 'surface' : 'mixer');
  const landing = (await store.getSetting(LANDING_VIEW_KEY)) === 'surface' ? 'surface' : 'mixer';
  await audio.loadSettings();
  sync.setAudio(audio.audioOn);
  audio.on('change', () => sync.setAudio(audio.audioOn));
  // Who else plays: nobody for a session without a relay; only a synced link knows (the relay lists the members before SYNCED).
  const hostsElsewhere = () => (!sync.status ? 0 : sync.status.state === 'synced' ? sync.members.filter((m) => m.audio).length : null);
  sync.on('change', () => audio.setHostsElsewhere(hostsElsewhere()));
  new MeterSender(() => (audio.audioOn ? ctl.engine : null), (data) => sync.sendMeters(data)).start();
  const book = new MappingBook(store);
  midi.connect({
    ctl, book,
    transport: { get playing() { return audio.playing; }, play: () => void audio.play(), stop: () => audio.stop() },
    input: new WebMidiInputs((input, data, timeStamp) => midi.handle(input, data, timeStamp), () => midi.refresh()),
  });
  await book.load();
  // Another tab's library or mappings are read again before this tab writes its copy back over them.
  presets.on('saved', () => tabs.stored('presets'));
  book.on('saved', () => tabs.stored('mappings'));
  tabs.on('stored', (what) => void (what === 'presets' ? presets.refresh() : book.load()));
  // MIDI starts by itself only where it was allowed before (no prompt at load); else from Learn or Settings.
  if (book.controllers.length > 0 && await WebMidiInputs.granted()) void midi.enable();
  // Leaving mid-gesture (a finger on a fader, a knob still turning): the final values go out durable.
  addEventListener('pagehide', () => {
    endOpenGestures();
    midi.settle();
  });
  app.replaceChildren();
  // An invite names its session; a session-scoped token without one opens that session too.
  const invite = link?.sessionId ?? (claims && claims.sid !== '*' ? claims.sid : null);
  app.parts = { store, ctl, presets, audio, pwa, sync, tabs, invite, landing };
  window.outboard = {
    flush: () => ctl.flush(),
    app,
    sync: () => sync.status,
    metersSentAt: () => remoteMeters.sentAt,
    levels: () => Object.fromEntries([...(currentLevels(ctl.engine) ?? new Map())].map(([id, l]) => [id, l.peak])),
  };
  await app.start();
  document.documentElement.dataset.ready = 'true';
}

void boot();
