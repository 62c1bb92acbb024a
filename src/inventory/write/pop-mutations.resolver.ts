import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { CommandResult } from '../../platform/commands/command-result.types';
import { commandsOf, DomainCommandAndEnvelope } from '../../platform/commands/domain-command.factory';
import { PopCommand } from '../domain/pop.commands';
import { ConnectCarrierInput, DisconnectCarrierInput } from './carrier.input';
import { InstallDeviceInput, RemoveDeviceInput } from './device.input';
import { LeaseSiteInput, TerminateLeaseInput } from './lease.input';
import { ActivatePopInput, ClosePopInput, RegisterPopInput, StartBuildOutInput, StartDecommissionInput } from './pop-lifecycle.input';
import { AddPowerFeedInput, InstallRackInput, RemovePowerFeedInput, RemoveRackInput } from './rack.input';
import { ReleaseReservationInput, ReserveCapacityInput } from './reservation.input';
import { ExecutePopCommand } from './execute-pop-command.handler';

const popCommands = commandsOf<PopCommand>();

/** Inventory mutations (docs/domain.md, "Inventory rules"; docs/api.md, "GraphQL overview"): one line each from input to the PoP's stream. */
@Resolver()
@Access('inventoryWrite')
export class PopMutationsResolver {
  constructor(private readonly commands: CommandBus) {}

  private send({ command, envelope }: DomainCommandAndEnvelope<PopCommand>): Promise<CommandResult> {
    return this.commands.execute(new ExecutePopCommand(command, envelope));
  }

  @Mutation(() => CommandResult)
  registerPop(@Args('input') input: RegisterPopInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('RegisterPop', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  leaseSite(@Args('input') input: LeaseSiteInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('LeaseSite', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  terminateLease(@Args('input') input: TerminateLeaseInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('TerminateLease', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  startBuildOut(@Args('input') input: StartBuildOutInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('StartBuildOut', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  activatePop(@Args('input') input: ActivatePopInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('ActivatePop', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  startDecommission(@Args('input') input: StartDecommissionInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('StartDecommission', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  closePop(@Args('input') input: ClosePopInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('ClosePop', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  installRack(@Args('input') input: InstallRackInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('InstallRack', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  removeRack(@Args('input') input: RemoveRackInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('RemoveRack', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  addPowerFeed(@Args('input') input: AddPowerFeedInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('AddPowerFeed', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  removePowerFeed(@Args('input') input: RemovePowerFeedInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('RemovePowerFeed', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  installDevice(@Args('input') input: InstallDeviceInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('InstallDevice', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  removeDevice(@Args('input') input: RemoveDeviceInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('RemoveDevice', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  connectCarrier(@Args('input') input: ConnectCarrierInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('ConnectCarrier', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  disconnectCarrier(@Args('input') input: DisconnectCarrierInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('DisconnectCarrier', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  reserveCapacity(@Args('input') input: ReserveCapacityInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('ReserveCapacity', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  releaseReservation(@Args('input') input: ReleaseReservationInput, @CurrentPrincipal() p: Principal) {
    return this.send(popCommands.from('ReleaseReservation', input, p, 'graphql'));
  }
}
