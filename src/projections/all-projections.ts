import { Projection } from './projection';

/** Every read model of the service, in the order they are reported. */
export function allProjections(): Projection[] {
  return [];
}
