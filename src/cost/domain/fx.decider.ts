import { Decider, DomainCommand, DomainEvent } from '../../kernel/decider.types';
import { instantMs, isoOf } from '../../kernel/time.util';

/**
 * Exchange rates on the single stream `fx-rates`, effective-dated: `1 <currency> = toBase <base>`.
 * No rule beyond the input's shape, which the API validates; the stream needs no state.
 */

export interface ExchangeRate {
  currency: string;
  /** Decimal string. */
  toBase: string;
}

export interface SetExchangeRatesData {
  base: string;
  rates: ExchangeRate[];
}

export type SetExchangeRates = DomainCommand<'SetExchangeRates', SetExchangeRatesData>;
export type ExchangeRatesSet = DomainEvent<'ExchangeRatesSet', SetExchangeRatesData>;

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
