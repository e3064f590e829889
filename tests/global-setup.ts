import { buildCli } from '../scripts/build-cli.mjs';

/**
 * Global setup for vitest and Playwright: tests that spawn `outboard` run the
 * compiled CLI (build/cli/), so compile it first when a source is newer, as
 * `npm test` does through prepare. A no-op when it is fresh.
 */
export default function globalSetup(): void {
  buildCli();
}
