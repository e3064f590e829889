/**
 * Live input through getUserMedia, for tracks whose source is `input`.
 * Voice-call processing (echo cancellation, noise suppression, automatic
 * gain) would wreck an instrument's sound, so all three are off.
 */
export const LIVE_INPUT_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
  channelCount: { ideal: 2 },
};

/** An open microphone / line input connected to a node. */
export class LiveInput {
  private readonly stream: MediaStream;
  private readonly node: MediaStreamAudioSourceNode;

  private constructor(stream: MediaStream, node: MediaStreamAudioSourceNode) {
    this.stream = stream;
    this.node = node;
  }

  /** Opens the default input (a permission prompt) and connects it to `target`'s input 0. */
  static async open(ctx: AudioContext, target: AudioNode, deviceId?: string): Promise<LiveInput> {
    const audio: MediaTrackConstraints = deviceId ? { ...LIVE_INPUT_CONSTRAINTS, deviceId: { exact: deviceId } } : LIVE_INPUT_CONSTRAINTS;
    const stream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
    const node = ctx.createMediaStreamSource(stream);
    node.connect(target, 0, 0);
    return new LiveInput(stream, node);
  }

  /** What the browser actually applied (echo cancellation and friends should read false). */
  settings(): MediaTrackSettings {
    return this.stream.getAudioTracks()[0]?.getSettings() ?? {};
  }

  /** Disconnects and releases the device (the browser's recording indicator goes off). */
  close(): void {
    this.node.disconnect();
    for (const t of this.stream.getTracks()) t.stop();
  }
}
