import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

let emptyCluster: Promise<Blob> | undefined;

/**
 * A dump of a new, empty PGlite cluster, for tests to load instead of initialising one: initdb inside
 * WebAssembly costs about 6.7 s of CPU, loading the dump under 1 s. The first test process that needs it makes
 * it into os.tmpdir(), named after the PGlite version (the only thing an empty cluster depends on), written
 * under a name of its own and renamed into place, so a concurrent process reads either no file or a whole one;
 * every later process of the run, and of later runs, loads that file. Without it (a fresh machine) it is made.
 */
export function emptyPgliteCluster(): Promise<Blob> {
  emptyCluster ??= (async () => {
    const file = await emptyPgliteClusterFile();
    const stored = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stored) return new Blob([stored]);
    const dump = await dumpNewCluster();
    const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
    return dump;
  })();
  return emptyCluster;
}

/** Where emptyPgliteCluster() keeps its dump. */
export async function emptyPgliteClusterFile(): Promise<string> {
  // The package exports no package.json; it sits next to dist/, where the entry point is.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return join(tmpdir(), `pop-ledger-pglite-${version}-empty.tar`);
}

async function dumpNewCluster(): Promise<Blob> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  try {
    return await db.dumpDataDir('none');
  } finally {
    await db.close();
  }
}
