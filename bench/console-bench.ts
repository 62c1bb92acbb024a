import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { KEY_STORAGE } from '../console/src/model/session';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Runs in the page (a function, not a string: the console's policy forbids eval). */
const paintedAt = (): number | false => {
  const page = (globalThis as unknown as { document: { querySelector(selector: string): unknown } }).document;
  return page.querySelector('.network-table tbody tr') && page.querySelector('.map .pop-dot') ? performance.now() : false;
};
const dataAt = (): number => performance.getEntriesByName('console:network-data').at(-1)?.startTime ?? Number.NaN;

export interface NetworkViewTimes {
  /** ms from navigation start to the first frame with the map's dots and the table's rows, per load. */
  loads: number[];
  /** ms from navigation start to the arrival of the last GraphQL answer the view needs, per load. */
  data: number[];
  median: number;
  rows: number;
}

/**
 * The console's network view in headless Chromium, signed in (the key set in sessionStorage before the
 * page runs): `runs` loads after one warm-up load (the hashed assets are then in the browser's cache, as
 * for anyone who opened the console before). Each load is timed by the page itself, in the first
 * animation frame in which both the map's dots and the table's rows exist.
 */
export async function measureConsoleNetworkView(url: string, key: string, runs: number): Promise<NetworkViewTimes> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM} (apt-get install -y chromium)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(`sessionStorage.setItem(${JSON.stringify(KEY_STORAGE)}, ${JSON.stringify(key)})`);
    const page = await context.newPage();
    const load = async () => {
      // From a blank page each time: a second goto to the same URL would only change the hash.
      await page.goto('about:blank');
      await page.goto(`${url}/console#/network`);
      const handle = await page.waitForFunction(paintedAt, null, { polling: 'raf', timeout: 60_000 });
      return { painted: (await handle.jsonValue()) as number, data: await page.evaluate(dataAt) };
    };
    await load();
    const loads: number[] = [];
    const data: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const times = await load();
      loads.push(times.painted);
      data.push(times.data);
    }
    const rows = await page.locator('.map .pop-dot').count();
    const sorted = [...loads].sort((a, b) => a - b);
    return { loads, data, median: sorted[Math.floor(sorted.length / 2)], rows };
  } finally {
    await browser.close();
  }
}

/** The console's JavaScript (every .js asset of dist/web/console), gzipped at level 9, in KB. */
export async function consoleScriptKb(webDir: string): Promise<{ kb: number; files: number; rawKb: number }> {
  const dir = join(webDir, 'console', 'assets');
  const scripts = (await readdir(dir)).filter((file) => file.endsWith('.js'));
  if (scripts.length === 0) throw new Error(`no console script in ${dir}: run npm run build`);
  let gzipped = 0;
  let raw = 0;
  for (const file of scripts) {
    const bytes = await readFile(join(dir, file));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  return { kb: gzipped / 1024, files: scripts.length, rawKb: raw / 1024 };
}
