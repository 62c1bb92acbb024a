import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { sequentialLatencies, summary } from './latency';

export interface ResidencyCsvMeasurement {
  ms: ReturnType<typeof summary>;
  rows: number;
  bytes: number;
  /** SHA-256 of the last download's bytes (first 12 hex digits): whether builds answer the same. */
  sha256: string;
  /** The service's resident memory before the first download, the most seen during them, and after. */
  rssMb: { before: number; max: number; after: number };
}

/**
 * GET /reports/residency.csv `runs` times after one warm-up, one at a time over one kept-alive
 * connection, each timed to its last byte (read and dropped chunk by chunk, as a client saving the
 * file would), while the service's resident memory is sampled every 10 ms.
 */
export async function measureResidencyCsv(url: string, secret: string, runs: number, serviceRssKb: () => number): Promise<ResidencyCsvMeasurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const endpoint = new URL('/reports/residency.csv', url);
  let rows = 0;
  let bytes = 0;
  let sha256 = '';
  const download = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(endpoint, { agent, headers: { authorization: `Bearer ${secret}` } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`residency.csv answered ${res.statusCode}`));
        }
        let lineBreaks = 0;
        let size = 0;
        const hash = createHash('sha256');
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          hash.update(chunk);
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lineBreaks += 1;
        });
        res.on('end', () => {
          // Generated values hold no line breaks: one per record, the header's included.
          rows = lineBreaks - 1;
          bytes = size;
          sha256 = hash.digest('hex').slice(0, 12);
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const kb = { before: 0, max: 0, after: 0 };
  const sampler = setInterval(() => (kb.max = Math.max(kb.max, serviceRssKb())), 10);
  try {
    await download(); // warm-up
    kb.before = serviceRssKb();
    kb.max = kb.before;
    const samples = await sequentialLatencies(runs, 0, download);
    kb.after = serviceRssKb();
    return { ms: summary(samples), rows, bytes, sha256, rssMb: { before: kb.before / 1024, max: kb.max / 1024, after: kb.after / 1024 } };
  } finally {
    clearInterval(sampler);
    agent.destroy();
  }
}
