import { Agent, request } from 'node:http';
import { answerOf, type GraphqlAnswer } from '../test/support/service-client';

/**
 * A lean GraphQL client for latency measurements: node:http over one kept-alive connection. The
 * tests' `graphql` helper uses fetch, whose own CPU cost per request (about 2 ms here, as much as
 * the service's) would be measured as the service's latency.
 */
export class GraphqlClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly endpoint: URL;

  constructor(
    url: string,
    private readonly secret: string,
  ) {
    this.endpoint = new URL('/graphql', url);
  }

  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer<T>> {
    const body = JSON.stringify({ query, variables });
    return new Promise((resolve, reject) => {
      const req = request(
        this.endpoint,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${this.secret}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(answerOf<T>(res.statusCode ?? 0, Buffer.concat(chunks).toString())));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
