import type { ArchiveEntry } from '@guichet/contracts';
import { tree } from './deposit-detail.component';

const entry = (path: string, directory = false): ArchiveEntry => ({ path, directory, size: 1, compressedSize: 1, modifiedAt: null, warnings: [] });

describe('archive tree', () => {
  it('indents entries under their folders, folders first, and shows the folders an archive only implies', () => {
    const rows = tree([
      entry('scripts/migration.sh'),
      entry('lisez-moi.txt'),
      entry('docs/', true),
      entry('docs/installation.txt'),
      entry('docs/images/logo.png'),
    ]);
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.name}${r.entry.directory ? '/' : ''}`)).toEqual([
      'docs/',
      '  images/',
      '    logo.png',
      '  installation.txt',
      'scripts/',
      '  migration.sh',
      'lisez-moi.txt',
    ]);
  });
});
