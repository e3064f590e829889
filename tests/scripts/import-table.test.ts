import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crossings, docs, renderTable, violations } from '../../scripts/import-table.mjs';

const fixtures: string[] = [];

/** A throwaway source tree: path -> contents. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'outboard-imports-'));
  fixtures.push(root);
  for (const [path, code] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), code);
  }
  return root;
}

afterAll(() => fixtures.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('the import table in docs/architecture.md', () => {
  it('is the one the code produces (run `node scripts/import-table.mjs` after changing imports)', () => {
    const { committed, computed } = docs();
    expect(committed).toBe(computed);
  });

  it('shows no forbidden import in the code', () => {
    expect(violations(crossings())).toEqual([]);
  });

  it('catches protocol importing ui, server importing the browser side, and source importing tests', () => {
    const root = tree({
      'src/protocol/op.ts': "import { Fader } from '../ui/fader.ts';\nexport const x = Fader;\n",
      'src/ui/fader.ts': 'export const Fader = 1;\n',
      'src/engine/audio.ts': 'export class AudioEngine {}\n',
      'server/relay.ts': "import type { AudioEngine } from '../src/engine/audio.ts';\nexport type E = AudioEngine;\n",
      'server/cli/bench.ts': "export const load = () => import('../../tests/bench/dsp.ts');\n",
      'tests/bench/dsp.ts': 'export const run = 1;\n',
    });
    expect(violations(crossings(root))).toEqual([
      'server/cli/bench.ts imports tests/bench/dsp.ts: source imports nothing from tests/ or scripts/',
      'server/relay.ts imports src/engine/audio.ts: server/ imports nothing from the browser side',
      'src/protocol/op.ts imports src/ui/fader.ts: protocol/ and model/ import nothing from ui/, engine/ or server/',
    ]);
  });

  it('marks a layer that only borrows types, and lists multi-line and re-exported imports', () => {
    const root = tree({
      'src/protocol/ids.ts': 'export type Id = string;\nexport const ID = 1;\n',
      'src/plugins/catalog.ts': "import type { Id } from '../protocol/ids.ts';\nexport const c: Id = 'a';\n",
      'src/model/apply.ts': "import {\n  type Id,\n  ID,\n} from '../protocol/ids.ts';\nexport * from '../plugins/catalog.ts';\nexport const a: Id = String(ID);\n",
    });
    const table = renderTable(crossings(root));
    expect(table).toContain('| `src/plugins/` | `src/protocol` (types) |');
    expect(table).toContain('| `src/model/` | `src/protocol`, `src/plugins` |');
    expect(table).toContain('| `src/protocol/` | nothing |');
  });
});
