import { SqlQueryable } from '../../platform/database/sql-client.port';
import { ExchangeRatesSet } from '../domain/fx.decider';
import { RecordedEvent } from '../../platform/event-store/event-store.port';
import { Projection, TableNames } from '../../platform/projections/projection.port';

/**
 * Every recorded rate with its effective time and the position of its event (the "recorded" order
 * that breaks ties between sets effective at the same instant). FxConverter reads it by asOf, so a
 * back-dated set simply takes its place in history.
 */
export const fxRatesProjection: Projection = {
  name: 'fx-rates',
  eventTypes: ['ExchangeRatesSet'] satisfies ExchangeRatesSet['type'][],
  tables: ['rm_fx_rate'],

  createTables: (t) => `
    CREATE TABLE ${t('rm_fx_rate')} (
      position text COLLATE "C" NOT NULL,
      base text NOT NULL,
      currency text NOT NULL,
      to_base numeric NOT NULL,
      effective_at timestamptz NOT NULL,
      PRIMARY KEY (position, currency)
    )`,

  createIndexes: (t) => `
    CREATE INDEX ${t('rm_fx_rate')}_effective ON ${t('rm_fx_rate')} (effective_at, position);
    CREATE INDEX ${t('rm_fx_rate')}_currency ON ${t('rm_fx_rate')} (base, currency, effective_at, position)`,

  async handle(tx: SqlQueryable, events: RecordedEvent[], t: TableNames): Promise<void> {
    const rows = { position: [] as string[], base: [] as string[], currency: [] as string[], toBase: [] as string[], at: [] as string[] };
    for (const event of events) {
      const { data, position, metadata } = event;
      const { base, rates } = data as unknown as ExchangeRatesSet['data'];
      for (const { currency, toBase } of rates) {
        rows.position.push(position);
        rows.base.push(base);
        rows.currency.push(currency);
        rows.toBase.push(toBase);
        rows.at.push(metadata.effectiveAt);
      }
    }
    if (rows.position.length === 0) return;
    await tx.query(
      `INSERT INTO ${t('rm_fx_rate')} (position, base, currency, to_base, effective_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::timestamptz[])`,
      [rows.position, rows.base, rows.currency, rows.toBase, rows.at],
    );
  },
};
