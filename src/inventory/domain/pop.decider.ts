import { Decider } from '../../kernel/decider.types';
import { PopCommand } from './pop.commands';
import { decidePop } from './pop.decide';
import { PopEvent } from './pop.events';
import { evolvePop } from './pop.evolve';
import { initialPopState, PopState } from './pop.state';

/** The PoP aggregate (stream `pop-<popId>`). `evolve` updates the state in place. */
export const popDecider: Decider<PopCommand, PopState, PopEvent> = {
  decide: decidePop,
  evolve: evolvePop,
  initialState: initialPopState,
};
