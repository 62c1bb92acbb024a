import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { CommandResult } from '../commands/command-result';
import { toDomainCommand } from '../commands/to-domain-command';
import { PopCommand } from '../domain/pop/pop.commands';
import { CommandInput } from '../graphql/inputs/command.input';
import { ConnectCarrierInput, DisconnectCarrierInput } from './inputs/carrier.inputs';
import { InstallDeviceInput, RemoveDeviceInput } from './inputs/device.inputs';
import { LeaseSiteInput, TerminateLeaseInput } from './inputs/lease.inputs';
import { ActivatePopInput, ClosePopInput, RegisterPopInput, StartBuildOutInput, StartDecommissionInput } from './inputs/pop-lifecycle.inputs';
import { AddPowerFeedInput, InstallRackInput, RemovePowerFeedInput, RemoveRackInput } from './inputs/rack.inputs';
import { ReleaseReservationInput, ReserveCapacityInput } from './inputs/reservation.inputs';
import { ExecutePopCommand } from './execute-pop-command';

/** Inventory mutations (DESIGN sections 4 and 8): one line each from input to the PoP's stream. */
@Resolver()
@Access('inventoryWrite')
export class PopResolver {
  constructor(private readonly commands: CommandBus) {}

  private send(type: PopCommand['type'], input: CommandInput, principal: Principal): Promise<CommandResult> {
    const { command, envelope } = toDomainCommand(type, input, principal, 'graphql');
    return this.commands.execute(new ExecutePopCommand(command as PopCommand, envelope));
  }

  @Mutation(() => CommandResult)
  registerPop(@Args('input') input: RegisterPopInput, @CurrentPrincipal() p: Principal) {
    return this.send('RegisterPop', input, p);
  }

  @Mutation(() => CommandResult)
  leaseSite(@Args('input') input: LeaseSiteInput, @CurrentPrincipal() p: Principal) {
    return this.send('LeaseSite', input, p);
  }

  @Mutation(() => CommandResult)
  terminateLease(@Args('input') input: TerminateLeaseInput, @CurrentPrincipal() p: Principal) {
    return this.send('TerminateLease', input, p);
  }

  @Mutation(() => CommandResult)
  startBuildOut(@Args('input') input: StartBuildOutInput, @CurrentPrincipal() p: Principal) {
    return this.send('StartBuildOut', input, p);
  }

  @Mutation(() => CommandResult)
  activatePop(@Args('input') input: ActivatePopInput, @CurrentPrincipal() p: Principal) {
    return this.send('ActivatePop', input, p);
  }

  @Mutation(() => CommandResult)
  startDecommission(@Args('input') input: StartDecommissionInput, @CurrentPrincipal() p: Principal) {
    return this.send('StartDecommission', input, p);
  }

  @Mutation(() => CommandResult)
  closePop(@Args('input') input: ClosePopInput, @CurrentPrincipal() p: Principal) {
    return this.send('ClosePop', input, p);
  }

  @Mutation(() => CommandResult)
  installRack(@Args('input') input: InstallRackInput, @CurrentPrincipal() p: Principal) {
    return this.send('InstallRack', input, p);
  }

  @Mutation(() => CommandResult)
  removeRack(@Args('input') input: RemoveRackInput, @CurrentPrincipal() p: Principal) {
    return this.send('RemoveRack', input, p);
  }

  @Mutation(() => CommandResult)
  addPowerFeed(@Args('input') input: AddPowerFeedInput, @CurrentPrincipal() p: Principal) {
    return this.send('AddPowerFeed', input, p);
  }

  @Mutation(() => CommandResult)
  removePowerFeed(@Args('input') input: RemovePowerFeedInput, @CurrentPrincipal() p: Principal) {
    return this.send('RemovePowerFeed', input, p);
  }

  @Mutation(() => CommandResult)
  installDevice(@Args('input') input: InstallDeviceInput, @CurrentPrincipal() p: Principal) {
    return this.send('InstallDevice', input, p);
  }

  @Mutation(() => CommandResult)
  removeDevice(@Args('input') input: RemoveDeviceInput, @CurrentPrincipal() p: Principal) {
    return this.send('RemoveDevice', input, p);
  }

  @Mutation(() => CommandResult)
  connectCarrier(@Args('input') input: ConnectCarrierInput, @CurrentPrincipal() p: Principal) {
    return this.send('ConnectCarrier', input, p);
  }

  @Mutation(() => CommandResult)
  disconnectCarrier(@Args('input') input: DisconnectCarrierInput, @CurrentPrincipal() p: Principal) {
    return this.send('DisconnectCarrier', input, p);
  }

  @Mutation(() => CommandResult)
  reserveCapacity(@Args('input') input: ReserveCapacityInput, @CurrentPrincipal() p: Principal) {
    return this.send('ReserveCapacity', input, p);
  }

  @Mutation(() => CommandResult)
  releaseReservation(@Args('input') input: ReleaseReservationInput, @CurrentPrincipal() p: Principal) {
    return this.send('ReleaseReservation', input, p);
  }
}
