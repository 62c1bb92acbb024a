import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { popDecider, popStream } from '../../inventory';
import { ApiError, FieldError } from '../../platform/api/errors/api-error.types';
import { CommandEnvelope } from '../../platform/commands/command-envelope.types';
import { CommandExecutor } from '../../platform/commands/command-executor.service';
import { CommandResult } from '../../platform/commands/command-result.types';
import { AddScenarioSteps, ScenarioCommand } from '../domain/scenario.commands';
import { scenarioDecider } from '../domain/scenario.decider';
import { scenarioStream } from '../domain/scenario.streams';
import { needsExistingPop } from '../domain/step-mutations.rules';

/** A scenario command on its way to the `scenario-<scenarioId>` stream. */
export class ExecuteScenarioCommand {
  constructor(
    readonly command: ScenarioCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** At most this many unknown-PoP fields are listed in one error. */
const MAX_REPORTED = 20;

@CommandHandler(ExecuteScenarioCommand)
export class ExecuteScenarioCommandHandler implements ICommandHandler<ExecuteScenarioCommand, CommandResult> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ command, envelope }: ExecuteScenarioCommand): Promise<CommandResult> {
    if (command.type === 'AddScenarioSteps') await this.checkPops(command);
    return this.executor.execute(scenarioDecider, scenarioStream(command.data.scenarioId), command, envelope);
  }

  /**
   * Every PoP a step names exists: recorded, or registered by an earlier step of the plan
   * (BAD_USER_INPUT otherwise, naming each step's popId field). Left to the decider when the scenario
   * is unknown or closed, so that those answer NOT_FOUND and SCENARIO_CLOSED.
   */
  private async checkPops({ data: { scenarioId, steps } }: AddScenarioSteps): Promise<void> {
    const registered = await this.executor.inspect(scenarioDecider, scenarioStream(scenarioId), ({ state }) =>
      state?.status === 'OPEN' ? state.steps.filter((step) => step.mutation === 'registerPop').map((step) => step.input.popId as string) : null,
    );
    if (registered === null) return;
    const planned = new Set(registered);
    const references: { index: number; mutation: string; popId: string }[] = [];
    steps.forEach(({ mutation, input }, index) => {
      if (mutation === 'registerPop') planned.add(input.popId as string);
      else if (needsExistingPop(mutation) && typeof input.popId === 'string' && !planned.has(input.popId)) references.push({ index, mutation, popId: input.popId });
    });
    const popIds = [...new Set(references.map((reference) => reference.popId))];
    const known = await Promise.all(popIds.map((popId) => this.executor.inspect(popDecider, popStream(popId), ({ state }) => state !== null)));
    const missing = new Set(popIds.filter((_, i) => !known[i]));
    const fields: FieldError[] = references
      .filter(({ popId }) => missing.has(popId))
      .map(({ index, mutation, popId }) => ({
        field: `steps.${index}.${mutation}.popId`,
        message: `PoP ${popId} does not exist: record it first, or register it in an earlier step of scenario ${scenarioId}`,
      }));
    if (fields.length > 0) throw ApiError.badInput(fields.slice(0, MAX_REPORTED), 'Unknown PoP in a step');
  }
}
