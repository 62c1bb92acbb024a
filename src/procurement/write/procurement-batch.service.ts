import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Principal } from '../../platform/api/auth/roles.types';
import { CommandItem, CommandOutcome } from '../../platform/commands/command-executor.service';
import { PROJECTION_WAITER, ProjectionWaiter } from '../../platform/commands/projection-waiter.port';
import { commandsOf } from '../../platform/commands/domain-command.factory';
import { mapBounded } from '../../platform/commands/map-bounded.util';
import { ApiError, FieldError } from '../../platform/api/errors/api-error.types';
import { toApiError } from '../../platform/api/errors/to-api-error.util';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { ExecutePopCommands, PopCommand } from '../../inventory';
import { LOGGER } from '../../platform/observability/logger.util';
import { BatchResult, RecordResult } from './procurement-batch.types';
import { checkRecord, ValidRecord } from './procurement-record.input';

const popCommands = commandsOf<PopCommand>();

/** PoPs whose records are retried one by one at once. */
const CONCURRENT_POPS = 16;
/** Failures of a PoP's whole append that say nothing about its records: each is tried again alone. */
const RETRIED_ALONE: ReadonlySet<string> = new Set(['INTERNAL_SERVER_ERROR', 'PAYLOAD_TOO_LARGE']);

interface Queued {
  index: number;
  record: ValidRecord;
}

/**
 * Turns a batch of procurement records into PoP commands (the webhook and the import CLI share it).
 * Each record is validated like its mutation and runs with a commandId derived from its externalId,
 * so a resent record is a duplicate that appends nothing. A PoP's records are decided in input order,
 * and every PoP's are appended together (one commit per batch, which is what makes month-end imports fast);
 * each still gets its own result, and one bad record never blocks the others. Read-your-writes is one
 * wait for the batch's last event, not one per record.
 */
@Injectable()
export class ProcurementBatchService {
  constructor(
    private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(PROJECTION_WAITER) private readonly projections?: ProjectionWaiter,
  ) {}

  /**
   * `dryRun` (the webhook's `?dryRun=true`, a procurement system's pre-flight check): every record is
   * validated and decided exactly the same way, a PoP's records in order each on the state the earlier
   * ones would leave, but nothing is recorded; each result's status says what would happen.
   */
  async process(
    records: readonly Record<string, unknown>[],
    principal: Principal,
    source: 'procurement' | 'import',
    options: { dryRun?: boolean } = {},
  ): Promise<BatchResult> {
    const dryRun = options.dryRun === true;
    const correlationId = randomUUID();
    const results: RecordResult[] = new Array(records.length);
    const queues = new Map<string, Queued[]>();
    const firstUse = new Map<string, Queued>();
    records.forEach((raw, index) => {
      const check = checkRecord(raw);
      if (!check.valid) {
        results[index] = rejectedInput(check.externalId, check.fields);
        return;
      }
      const { record } = check;
      const popId = record.input.popId;
      // The same externalId twice for one PoP is a duplicate the stream recognises; for two PoPs it is a mistake.
      const first = firstUse.get(record.externalId);
      if (first && first.record.input.popId !== popId) {
        const message = `externalId ${record.externalId} is already used by record ${first.index + 1} of this batch, for PoP ${first.record.input.popId}`;
        results[index] = rejectedInput(record.externalId, [{ field: 'externalId', message }]);
        return;
      }
      const queued = { index, record };
      if (!first) firstUse.set(record.externalId, queued);
      const queue = queues.get(popId) ?? [];
      queues.set(popId, queue);
      queue.push(queued);
    });
    const pops = [...queues.entries()].map(([popId, queue]) => ({ popId, queue, items: queue.map(({ record }) => this.toItem(record, principal, source, correlationId, dryRun)) }));
    const outcomes = await this.run(pops);
    let lastPosition: string | undefined;
    pops.forEach(({ queue }, p) => queue.forEach(({ index, record }, i) => {
      const outcome = outcomes[p][i];
      results[index] = resultOf(record.externalId, outcome);
      if ('result' in outcome && !dryRun && (lastPosition === undefined || outcome.result.position > lastPosition)) lastPosition = outcome.result.position;
      if ('error' in outcome && results[index].code === 'INTERNAL_SERVER_ERROR') {
        this.logger.error({ err: outcome.error, externalId: record.externalId }, 'procurement record failed');
      }
    }));
    if (dryRun) return { ...summarise(results, false), dryRun: true };
    return summarise(results, await this.waitForProjections(lastPosition));
  }

  private toItem(record: ValidRecord, principal: Principal, source: 'procurement' | 'import', correlationId: string, dryRun: boolean): CommandItem<PopCommand> {
    const item = popCommands.fromChecked(record.kind.command, record.input, principal, source, correlationId);
    if (dryRun) item.envelope.dryRun = true;
    return item;
  }

  /**
   * Every PoP's records in one write. When a PoP's append fails for a reason that is not a rule (say, a
   * value the database refuses, or more events than the event store takes in one append), its records
   * are tried again one by one, so only the bad one fails.
   */
  private async run(pops: { popId: string; items: CommandItem<PopCommand>[] }[]): Promise<CommandOutcome[][]> {
    const outcomes = await this.send(pops);
    await mapBounded(pops.map((pop, p) => ({ ...pop, outcomes: outcomes[p] })), CONCURRENT_POPS, async ({ popId, items, outcomes: own }) => {
      if (items.length === 1) return;
      for (const [i, outcome] of own.entries()) {
        if ('error' in outcome && RETRIED_ALONE.has(toApiError(outcome.error).code)) [[own[i]]] = await this.send([{ popId, items: [items[i]] }]);
      }
    });
    return outcomes;
  }

  private async send(pops: { popId: string; items: CommandItem<PopCommand>[] }[]): Promise<CommandOutcome[][]> {
    try {
      return await this.commands.execute(new ExecutePopCommands(pops.map(({ popId, items }) => ({ popId, items }))));
    } catch (error) {
      return pops.map(({ items }) => items.map(() => ({ error })));
    }
  }

  private async waitForProjections(position: string | undefined): Promise<boolean> {
    if (!this.projections) return false;
    if (position === undefined) return true;
    return this.projections.waitFor(position, this.config.READ_YOUR_WRITES_TIMEOUT_MS);
  }
}

function rejectedInput(externalId: string | null, fields: FieldError[]): RecordResult {
  return { externalId, status: 'rejected', code: 'BAD_USER_INPUT', reason: ApiError.badInput(fields, 'Invalid record').message, fields, eventIds: [] };
}

function resultOf(externalId: string, outcome: CommandOutcome): RecordResult {
  if ('result' in outcome) return { externalId, status: outcome.result.duplicate ? 'duplicate' : 'accepted', eventIds: outcome.result.eventIds };
  const error = toApiError(outcome.error);
  const { rule, fields } = error.extensions as { rule?: string; fields?: FieldError[] };
  return { externalId, status: 'rejected', code: error.code, ...(rule && { rule }), reason: error.message, ...(fields && { fields }), eventIds: [] };
}

function summarise(results: RecordResult[], projected: boolean): BatchResult {
  const count = (status: RecordResult['status']) => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), projected, results };
}
