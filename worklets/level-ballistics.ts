/**
 * Meter ballistics, applied in the worklet to the engine's per-block levels
 * so the UI, which samples at display rate (every ~6 quanta), still sees
 * every peak: a peak holds and falls at 20 dB/s; RMS is averaged over ~300 ms.
 * Allocation-free: state lives in two preallocated arrays.
 */
export class LevelBallistics {
  private readonly peaks: Float32Array;
  private readonly meanSquares: Float32Array;
  private readonly fall: number;
  private readonly rmsCoeff: number;

  /**
   * @param slots meter slots
   * @param sampleRate the context rate
   * @param blockFrames frames per block (128)
   */
  constructor(slots: number, sampleRate: number, blockFrames: number) {
    this.peaks = new Float32Array(slots);
    this.meanSquares = new Float32Array(slots);
    const blockSeconds = blockFrames / sampleRate;
    this.fall = Math.pow(10, (-20 * blockSeconds) / 20);
    this.rmsCoeff = 1 - Math.exp(-blockSeconds / 0.3);
  }

  /** Feeds one block's levels for a slot; returns nothing, read with peak()/rms(). */
  update(slot: number, blockPeak: number, blockRms: number): void {
    const held = this.peaks[slot]! * this.fall;
    this.peaks[slot] = blockPeak > held ? blockPeak : held;
    const ms = this.meanSquares[slot]!;
    this.meanSquares[slot] = ms + this.rmsCoeff * (blockRms * blockRms - ms);
  }

  /** Held peak (linear). */
  peak(slot: number): number {
    return this.peaks[slot]!;
  }

  /** Averaged RMS (linear). */
  rms(slot: number): number {
    return Math.sqrt(this.meanSquares[slot]!);
  }

  /** Clears every slot (transport stop, document reload). */
  reset(): void {
    this.peaks.fill(0);
    this.meanSquares.fill(0);
  }
}
