import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../src/platform/api/errors/api-error.types';
import { FxConverter } from '../../../src/cost/read/fx-converter.reader';
import { addTo, CurrencyTotals, Decimal, formatAmount, moneyList } from '../../../src/cost/domain/decimal.math';

describe('money', () => {
  test('formats half-even to 4 decimals, trimming trailing zeros down to 2', () => {
    const cases: Array<[string, string]> = [
      ['1250.5', '1250.50'],
      ['0.12345', '0.1234'],
      ['0.12355', '0.1236'],
      ['0.123451', '0.1235'],
      ['100', '100.00'],
      ['1.234', '1.234'],
      ['0.00004', '0.00'],
      ['123456789012345.6789', '123456789012345.6789'],
    ];
    for (const [input, expected] of cases) assert.equal(formatAmount(new Decimal(input)), expected, input);
  });

  test('sums per currency exactly, sorted by code, zero totals left out', () => {
    const totals: CurrencyTotals = new Map();
    addTo(totals, 'USD', '0.1');
    addTo(totals, 'EUR', '1000.0001');
    addTo(totals, 'USD', '0.2');
    addTo(totals, 'GBP', '0');
    addTo(totals, 'CHF', '0.0001');
    assert.deepEqual(moneyList(totals), [
      { amount: '0.0001', currency: 'CHF' },
      { amount: '1000.0001', currency: 'EUR' },
      { amount: '0.30', currency: 'USD' },
    ]);
  });
});

describe('FxConverter', () => {
  const fx = new FxConverter('2027-01-01T00:00:00.000Z', 'EUR', new Map([['USD', new Decimal('0.9')], ['GBP', new Decimal('1.2')], ['CHF', new Decimal('3')]]));
  const totals = (entries: Record<string, string>): CurrencyTotals => new Map(Object.entries(entries).map(([c, a]) => [c, new Decimal(a)]));
  const convert = (entries: Record<string, string>, to: string) => formatAmount(fx.total(totals(entries), to));

  test('converts through the base: Σ amount × toBase(from), divided once by toBase(to)', () => {
    assert.equal(convert({ USD: '100' }, 'EUR'), '90.00');
    assert.equal(convert({ EUR: '100' }, 'GBP'), '83.3333');
    assert.equal(convert({ USD: '100' }, 'GBP'), '75.00');
    assert.equal(convert({ USD: '100', EUR: '10' }, 'GBP'), '83.3333');
    assert.equal(convert({ USD: '100', GBP: '10' }, 'GBP'), '85.00');
    // One rounding at the end: 0.00045 EUR / 3 is exactly 0.00015, a tie rounded half-even (also 0.00025).
    assert.equal(convert({ EUR: '0.00045' }, 'CHF'), '0.0002');
    assert.equal(convert({ EUR: '0.00075' }, 'CHF'), '0.0002');
  });

  test('amounts already in the target need no rate, not even one for the target', () => {
    assert.equal(convert({ JPY: '7.25' }, 'JPY'), '7.25');
    assert.equal(convert({}, 'JPY'), '0.00');
  });

  test('a missing rate is BAD_USER_INPUT on currency naming the pair and the instant', () => {
    const missing = (entries: Record<string, string>, to: string, message: string) =>
      assert.throws(
        () => fx.total(totals(entries), to),
        (error: ApiError) => {
          assert.equal(error.code, 'BAD_USER_INPUT');
          assert.deepEqual(error.extensions.fields, [{ field: 'currency', message }]);
          return true;
        },
      );
    missing({ USD: '1', JPY: '1' }, 'EUR', 'no exchange rate for JPY to EUR at 2027-01-01T00:00:00.000Z');
    missing({ USD: '1', JPY: '1' }, 'SEK', 'no exchange rate for JPY to SEK at 2027-01-01T00:00:00.000Z');
    missing({ USD: '1' }, 'SEK', 'no exchange rate for USD to SEK at 2027-01-01T00:00:00.000Z');
  });
});
