/**
 * Outboard's library API for Node scripts: `import { processFiles, renderSweep } from 'outboard'`.
 * The same engine, worker pool and atomic writes as `outboard process IN... --out-dir`
 * and `outboard render SESSION DIR --vary ...`, without the progress line: pass
 * `onFile` to follow along, and an `AbortSignal` to stop (no partial file is left).
 */
export { processFiles, type ProcessFilesOptions } from './cli/process-batch.ts';
export { renderSweep, type ManifestRow, type RenderSweepOptions, type SweepReport } from './cli/render-sweep.ts';
export { BatchRefused, type BatchOptions, type BatchReport, type FileReport } from './cli/batch.ts';
export type { Variant } from './cli/sweep.ts';
export { UsageError } from './cli/command.ts';
