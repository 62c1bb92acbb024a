import { Principal } from '../../platform/api/auth/roles.types';
import { createApp } from '../../app/app.factory';
import { ConfigError, loadConfig } from '../../platform/config/app.config';
import { BatchResult, ProcurementBatchService, SIGNATURE_HEADER, signBody } from '../../procurement';
import { UsageError } from './import-args.util';

/** Where the import sends its batches: the same batch service, in this process or behind the webhook. */
export interface BatchSender {
  send(records: Record<string, unknown>[]): Promise<BatchResult>;
  close(): Promise<void>;
}

const IMPORT_PRINCIPAL: Principal = { name: 'import', role: 'procurement' };

/** Boots the service's application context from the environment (docs/api.md, "Configuration") without serving HTTP. */
export async function inProcessSender(env: NodeJS.ProcessEnv = process.env): Promise<BatchSender> {
  let config;
  try {
    // The service's logs would bury the progress bar; LOG_LEVEL still wins when set.
    config = loadConfig({ LOG_LEVEL: 'error', ...env });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const app = await createApp(config, (line) => process.stderr.write(`${line}\n`));
  const service = app.get(ProcurementBatchService);
  return {
    send: (records) => service.process(records, IMPORT_PRINCIPAL, 'import'),
    close: () => app.close(),
  };
}

/** Posts batches to a running service; signs them when PROCUREMENT_WEBHOOK_SECRET is set here too. */
export function httpSender(url: string, key: string, secret?: string): BatchSender {
  const endpoint = new URL('/integrations/procurement/records', url).toString();
  return {
    async send(records) {
      const body = JSON.stringify({ records });
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
      if (secret) headers[SIGNATURE_HEADER] = signBody(body, secret);
      let response: Response;
      try {
        response = await fetch(endpoint, { method: 'POST', headers, body });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new UsageError(`cannot reach ${endpoint}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
      }
      const answer = (await response.json().catch(() => undefined)) as (BatchResult & { code?: string; detail?: string }) | undefined;
      if (response.status !== 200 || !answer) {
        throw new UsageError(`${endpoint} answered ${response.status}${answer?.code ? ` ${answer.code}` : ''}${answer?.detail ? `: ${answer.detail}` : ''}`);
      }
      return answer;
    },
    close: async () => undefined,
  };
}
