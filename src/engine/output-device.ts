/**
 * Choosing the audio output device (`AudioContext.setSinkId`). Chromium has
 * it; where a browser lacks it the app says so and plays on the system's
 * default output.
 */

/** An output the user can pick. `id` '' is the system default. */
export interface OutputDevice {
  readonly id: string;
  readonly label: string;
}

/** The context API this needs, which TypeScript's DOM types may not declare yet. */
interface SinkContext {
  readonly sinkId?: string | object;
  setSinkId?(id: string): Promise<void>;
}

/** Whether this browser can send a context's output to a chosen device. */
export function canChooseOutput(): boolean {
  return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
}

/** The audio outputs, the system default first. Labels may be empty until the page has had a media permission. */
export async function listOutputs(): Promise<OutputDevice[]> {
  const devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  const outputs = devices
    .filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default' && d.deviceId !== '')
    .map((d, i) => ({ id: d.deviceId, label: d.label || `Output ${i + 1}` }));
  return [{ id: '', label: 'System default' }, ...outputs];
}

/** Sends the context's output to `id` ('' = system default); rejects with the browser's reason. */
export async function setOutput(ctx: AudioContext, id: string): Promise<void> {
  const sink = ctx as unknown as SinkContext;
  if (!sink.setSinkId) throw new Error('this browser cannot choose the output device');
  await sink.setSinkId(id);
}

/** The device the context plays on ('' = system default). */
export function currentOutput(ctx: AudioContext): string {
  const id = (ctx as unknown as SinkContext).sinkId;
  return typeof id === 'string' ? id : '';
}
