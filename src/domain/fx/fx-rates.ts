import { Decider, DomainCommand, DomainEvent } from '../shared/decider';
import { instantMs, isoOf } from '../shared/time';

/**
 * Exchange rates on the single stream `fx-rates`, effective-dated: `1 <currency> = toBase <base>`.
 * No rule beyond the input's shape, which the API validates; the stream needs no state.
 */

export interface ExchangeRate {
  currency: string;
  /** Decimal string. */
  toBase: string;
}

export interface SetExchangeRatesInput {
  base: string;
  rates: ExchangeRate[];
}

export type SetExchangeRates = DomainCommand<'SetExchangeRates', SetExchangeRatesInput>;
export type ExchangeRatesSet = DomainEvent<'ExchangeRatesSet', SetExchangeRatesInput>;

export type FxState = null;

export const fxDecider: Decider<SetExchangeRates, FxState, ExchangeRatesSet> = {
  decide: (command) => [
    {
      type: 'ExchangeRatesSet',
      data: { base: command.data.base, rates: command.data.rates.map(({ currency, toBase }) => ({ currency, toBase })) },
      effectiveAt: isoOf(instantMs(command.effectiveAt, 'effectiveAt')),
    },
  ],
  evolve: (state) => state,
  initialState: () => null,
};
