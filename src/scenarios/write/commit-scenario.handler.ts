import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PopCommand, popDecider } from '../../inventory';
import { WorkloadCommand, WorkloadContext, workloadDecider } from '../../residency';
import { NotFoundError, RuleViolationError } from '../../kernel/domain.errors';
import { toApiError } from '../../platform/api/errors/to-api-error.util';
import { CommandEnvelope } from '../../platform/commands/command-envelope.types';
import { CommandExecutor, CommandItem, CommandOutcome } from '../../platform/commands/command-executor.service';
import { WrongExpectedRevisionError } from '../../platform/event-store/event-store.port';
import { scenarioDecider } from '../domain/scenario.decider';
import { scenarioStream } from '../domain/scenario.streams';
import { CommittableStep, ScenarioEvaluator, StepEvaluation } from '../read/scenario-evaluation.service';
import { ScenarioCommitResult, ScenarioStepResult } from './scenario-commit.types';

export class CommitScenarioCommand {
  constructor(
    readonly scenarioId: string,
    /** Of the ScenarioCommitted event; `expectedRevision` pins the scenario stream. */
    readonly envelope: CommandEnvelope,
  ) {}
}

/** Streams worked on at once. */
const CONCURRENT_STREAMS = 16;

/**
 * Commits a scenario (docs/planning-scenarios.md, "Committing"): re-evaluates the plan on the log as
 * it is now; if any step is rejected, records nothing and names each rejected step. Otherwise records
 * every step as the real command (commandId derived from scenario and step, `source: scenario`, the
 * committer as actor), one append per stream (`executeAll`), then marks the scenario COMMITTED. Steps
 * an interrupted commit already recorded are recognised by their commandId and answer `duplicate`, so
 * committing again completes it. Read your writes as for any mutation.
 */
@CommandHandler(CommitScenarioCommand)
export class CommitScenarioHandler implements ICommandHandler<CommitScenarioCommand, ScenarioCommitResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly evaluator: ScenarioEvaluator,
  ) {}

  async execute({ scenarioId, envelope }: CommitScenarioCommand): Promise<ScenarioCommitResult> {
    const streamId = scenarioStream(scenarioId);
    const dryRun = envelope.dryRun === true;
    const scenario = await this.evaluator.load(scenarioId);
    if (!scenario) throw new NotFoundError(`scenario ${scenarioId} does not exist`);
    if (scenario.status === 'DISCARDED') throw new RuleViolationError('SCENARIO_CLOSED', `scenario ${scenarioId} is DISCARDED: it cannot be committed`);
    if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== scenario.revision) {
      throw new WrongExpectedRevisionError(streamId, envelope.expectedRevision, scenario.revision);
    }
    const evaluation = await this.evaluator.evaluate(scenario);
    const answer = (committed: boolean, projected: boolean, results: ScenarioStepResult[]): ScenarioCommitResult => ({ scenarioId, committed, projected, dryRun, results });

    const rejected = evaluation.steps.filter((step) => step.outcome === 'REJECTED');
    if (rejected.length > 0) return answer(false, false, rejected.map(rejectedResult));
    if (dryRun) {
      return answer(false, false, evaluation.steps.map(({ stepId, recorded }) => ({ stepId, status: recorded ? 'duplicate' : 'accepted', code: null, rule: null, reason: null, eventIds: [] })));
    }

    const outcomes = await this.record(scenarioId, evaluation.planned, envelope);
    const results = evaluation.planned.map((step) => resultOf(step.stepId, outcomes.get(step.stepId) as CommandOutcome));
    const positions = [...outcomes.values()].flatMap((outcome) => ('result' in outcome ? [outcome.result.position] : []));
    let committed = results.every((result) => result.status !== 'rejected');
    if (committed && scenario.status === 'OPEN') {
      // Pinned to the revision evaluated: a step added meanwhile is not marked committed without being recorded.
      const mark = { type: 'CommitScenario' as const, data: { scenarioId }, effectiveAt: envelope.effectiveAt ?? new Date().toISOString() };
      try {
        const marked = await this.executor.execute(scenarioDecider, streamId, mark, { ...envelope, expectedRevision: scenario.revision });
        positions.push(marked.position);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) && !(error instanceof RuleViolationError)) throw error;
        // Changed meanwhile: committed by a concurrent commit (its steps are these and maybe more), or
        // given another step or discarded (then not committed: commit again).
        committed = (await this.evaluator.load(scenarioId))?.status === 'COMMITTED';
      }
    }
    const last = positions.reduce<string | null>((max, position) => (max === null || position > max ? position : max), null);
    const projected = last === null ? true : await this.executor.awaitProjections(last);
    return answer(committed, projected, results);
  }

  /**
   * Each stream's steps in plan order, in one append per stream, streams concurrently. Outcomes by
   * stepId. Every event a scenario records has the scenario's stream id as correlationId.
   */
  private async record(scenarioId: string, steps: CommittableStep[], envelope: CommandEnvelope): Promise<Map<string, CommandOutcome>> {
    const byStream = new Map<string, CommittableStep[]>();
    for (const step of steps) byStream.set(step.streamId, [...(byStream.get(step.streamId) ?? []), step]);
    const stepEnvelope = (step: CommittableStep): CommandEnvelope => ({
      principal: envelope.principal,
      source: 'scenario',
      commandId: step.commandId,
      effectiveAt: step.command.effectiveAt,
      correlationId: scenarioStream(scenarioId),
    });
    const outcomes = new Map<string, CommandOutcome>();
    await forEachBounded([...byStream.entries()], CONCURRENT_STREAMS, async ([streamId, group]) => {
      let done: CommandOutcome[];
      try {
        done = await this.appendGroup(streamId, group, stepEnvelope);
      } catch (error) {
        done = group.map(() => ({ error }));
      }
      group.forEach((step, i) => outcomes.set(step.stepId, done[i]));
    });
    return outcomes;
  }

  private appendGroup(streamId: string, group: CommittableStep[], envelopeOf: (step: CommittableStep) => CommandEnvelope): Promise<CommandOutcome[]> {
    if (group[0].target === 'pop') {
      const items = group.map((step): CommandItem<PopCommand> => ({ command: step.command as PopCommand, envelope: envelopeOf(step) }));
      return this.executor.executeAll(popDecider, streamId, items);
    }
    const items = group.map((step): CommandItem<WorkloadCommand, WorkloadContext> => ({
      command: step.command as WorkloadCommand,
      envelope: envelopeOf(step),
      context: step.context,
    }));
    return this.executor.executeAll(workloadDecider, streamId, items);
  }
}

function rejectedResult({ stepId, code, rule, reason }: StepEvaluation): ScenarioStepResult {
  return { stepId, status: 'rejected', code, rule, reason, eventIds: [] };
}

function resultOf(stepId: string, outcome: CommandOutcome): ScenarioStepResult {
  if ('result' in outcome) {
    return { stepId, status: outcome.result.duplicate ? 'duplicate' : 'accepted', code: null, rule: null, reason: null, eventIds: outcome.result.eventIds };
  }
  const error = toApiError(outcome.error);
  const rule = typeof error.extensions.rule === 'string' ? error.extensions.rule : null;
  return { stepId, status: 'rejected', code: error.code, rule, reason: error.message, eventIds: [] };
}

/** Runs `work` on every item with at most `limit` at once; `work` must not throw. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
