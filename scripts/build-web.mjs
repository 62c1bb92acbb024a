// Builds the browser pages the service serves itself (docs/console.md, "Build"): the planning console
// (/console) and the GraphiQL IDE (/graphiql). esbuild bundles each entry with every dependency, so
// nothing is fetched from another host; asset names carry a content hash (the service caches them
// for a year) and each page's index.html, written here, names them. Output: dist/web/<page>/.
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'web');

const PAGES = [
  { name: 'console', entry: 'console/src/main.tsx', title: 'PoP Ledger console', jsx: 'preact' },
  { name: 'graphiql', entry: 'console/graphiql/main.ts', title: 'PoP Ledger GraphiQL' },
];

async function buildPage(page) {
  const outdir = join(OUT, page.name, 'assets');
  await rm(join(OUT, page.name), { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: [join(ROOT, page.entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
    jsx: 'automatic',
    jsxImportSource: page.jsx,
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const styles = outputs.filter((file) => file.endsWith('.css'));
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${page.title}</title>`,
    ...styles.map((file) => `<link rel="stylesheet" href="/${page.name}/assets/${file}">`),
    `<script type="module" src="/${page.name}/assets/${script}"></script>`,
    '</head>',
    '<body><div id="root"></div></body>',
    '</html>',
    '',
  ].join('\n');
  await writeFile(join(OUT, page.name, 'index.html'), html);
}

for (const page of PAGES) await buildPage(page);
