import { addPowerFeed, installDevice, installRack, removeDevice, removePowerFeed, removeRack } from './racks.decide';
import { connectCarrier, disconnectCarrier } from './carriers.decide';
import { leaseSite, registerPop, terminateLease, transition } from './lifecycle.decide';
import { releaseReservation, reserveCapacity } from './reservations.decide';
import { PopCommand } from './pop.commands';
import { PopEvent } from './pop.events';
import { requirePop } from './pop.guards';
import { PopState } from './pop.state';

/**
 * Decides a PoP command against the stream's state, without mutating it. Throws NotFoundError
 * for a PoP that does not exist, RuleViolationError for a broken rule, InvalidInputError for
 * inconsistent input.
 */
export function decidePop(command: PopCommand, state: PopState): PopEvent[] {
  if (command.type === 'RegisterPop') return registerPop(command, state);
  const pop = requirePop(state, command.data.popId);
  switch (command.type) {
    case 'LeaseSite':
      return leaseSite(command, pop);
    case 'TerminateLease':
      return terminateLease(command, pop);
    case 'StartBuildOut':
    case 'ActivatePop':
    case 'StartDecommission':
    case 'ClosePop':
      return transition(command, pop);
    case 'InstallRack':
      return installRack(command, pop);
    case 'RemoveRack':
      return removeRack(command, pop);
    case 'AddPowerFeed':
      return addPowerFeed(command, pop);
    case 'RemovePowerFeed':
      return removePowerFeed(command, pop);
    case 'InstallDevice':
      return installDevice(command, pop);
    case 'RemoveDevice':
      return removeDevice(command, pop);
    case 'ConnectCarrier':
      return connectCarrier(command, pop);
    case 'DisconnectCarrier':
      return disconnectCarrier(command, pop);
    case 'ReserveCapacity':
      return reserveCapacity(command, pop);
    case 'ReleaseReservation':
      return releaseReservation(command, pop);
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled PoP command ${(unhandled as PopCommand).type}`);
    }
  }
}
