/**
 * Named country groups with dated membership, so that a residency report can be re-evaluated at any
 * past or planned date (Brazil's adequacy from 2026-01-26, the UK leaving the EU on 2020-02-01).
 *
 * Conventions:
 * - Dates are calendar days `YYYY-MM-DD`. A member is present on `date` when `from <= date < to`:
 *   `to` is exclusive, the first day the country is no longer a member (absent: still a member).
 * - `EU` includes its predecessors (EEC/EC) from 1958-01-01.
 * - `EEA` uses each state's date of joining the EEA Agreement (in force 1994-01-01; for later EU members
 *   the date the EEA Enlargement Agreement applied, provisionally, which is later than EU accession for
 *   BG, RO and HR). The UK stops being a member of both EU and EEA on exit day, 2020-02-01, although EU
 *   law still applied to it during the transition period to 2020-12-31.
 * - `EU_ADEQUACY` uses the date of the Commission's adequacy decision (GDPR Art. 45, or Directive
 *   95/46/EC Art. 25(6) for decisions kept in force by GDPR Art. 45(9)). `partial` says which transfers
 *   the decision covers when it does not cover all of them.
 */

import { compareText } from './compare-text.util';

export type GroupName = 'EU' | 'EEA' | 'EU_ADEQUACY';

export interface Member {
  /** ISO 3166-1 alpha-2 (Greece is GR, not Eurostat's EL). */
  country: string;
  from: string;
  /** Exclusive end date. */
  to?: string;
  /** Why membership covers only some transfers (e.g. only certified organisations). */
  partial?: string;
  source: string;
}

const euCountryPage = (slug: string) =>
  `https://european-union.europa.eu/principles-countries-history/eu-countries/${slug}_en`;
const eurLex = (celex: string) => `https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:${celex}`;

const UK_WITHDRAWAL_AGREEMENT = eurLex('12020W/TXT');
const UK_EXIT_DAY = '2020-02-01';
const EEA_AGREEMENT = eurLex('21994A0103(01)');
const EEA_ENLARGEMENT = 'https://www.efta.int/legal-texts/eea-enlargement';
const EC_ADEQUACY_PAGE =
  'https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en';

const EU: readonly Member[] = [
  { country: 'BE', from: '1958-01-01', source: euCountryPage('belgium') },
  { country: 'DE', from: '1958-01-01', source: euCountryPage('germany') },
  { country: 'FR', from: '1958-01-01', source: euCountryPage('france') },
  { country: 'IT', from: '1958-01-01', source: euCountryPage('italy') },
  { country: 'LU', from: '1958-01-01', source: euCountryPage('luxembourg') },
  { country: 'NL', from: '1958-01-01', source: euCountryPage('netherlands') },
  { country: 'DK', from: '1973-01-01', source: euCountryPage('denmark') },
  { country: 'IE', from: '1973-01-01', source: euCountryPage('ireland') },
  { country: 'GB', from: '1973-01-01', to: UK_EXIT_DAY, source: UK_WITHDRAWAL_AGREEMENT },
  { country: 'GR', from: '1981-01-01', source: euCountryPage('greece') },
  { country: 'ES', from: '1986-01-01', source: euCountryPage('spain') },
  { country: 'PT', from: '1986-01-01', source: euCountryPage('portugal') },
  { country: 'AT', from: '1995-01-01', source: euCountryPage('austria') },
  { country: 'FI', from: '1995-01-01', source: euCountryPage('finland') },
  { country: 'SE', from: '1995-01-01', source: euCountryPage('sweden') },
  { country: 'CY', from: '2004-05-01', source: euCountryPage('cyprus') },
  { country: 'CZ', from: '2004-05-01', source: euCountryPage('czechia') },
  { country: 'EE', from: '2004-05-01', source: euCountryPage('estonia') },
  { country: 'HU', from: '2004-05-01', source: euCountryPage('hungary') },
  { country: 'LV', from: '2004-05-01', source: euCountryPage('latvia') },
  { country: 'LT', from: '2004-05-01', source: euCountryPage('lithuania') },
  { country: 'MT', from: '2004-05-01', source: euCountryPage('malta') },
  { country: 'PL', from: '2004-05-01', source: euCountryPage('poland') },
  { country: 'SK', from: '2004-05-01', source: euCountryPage('slovakia') },
  { country: 'SI', from: '2004-05-01', source: euCountryPage('slovenia') },
  { country: 'BG', from: '2007-01-01', source: euCountryPage('bulgaria') },
  { country: 'RO', from: '2007-01-01', source: euCountryPage('romania') },
  { country: 'HR', from: '2013-07-01', source: euCountryPage('croatia') },
];

const EEA: readonly Member[] = [
  ...['BE', 'DE', 'FR', 'IT', 'LU', 'NL', 'DK', 'IE', 'GR', 'ES', 'PT', 'AT', 'FI', 'SE', 'IS', 'NO'].map(
    (country): Member => ({ country, from: '1994-01-01', source: EEA_AGREEMENT }),
  ),
  { country: 'GB', from: '1994-01-01', to: UK_EXIT_DAY, source: UK_WITHDRAWAL_AGREEMENT },
  { country: 'LI', from: '1995-05-01', source: 'https://www.efta.int/legal-texts/eea' },
  ...['CY', 'CZ', 'EE', 'HU', 'LV', 'LT', 'MT', 'PL', 'SK', 'SI'].map(
    (country): Member => ({ country, from: '2004-05-01', source: EEA_ENLARGEMENT }),
  ),
  { country: 'BG', from: '2007-08-01', source: EEA_ENLARGEMENT },
  { country: 'RO', from: '2007-08-01', source: EEA_ENLARGEMENT },
  { country: 'HR', from: '2014-04-12', source: eurLex('22014A0611(01)') },
];

const EU_ADEQUACY: readonly Member[] = [
  { country: 'CH', from: '2000-07-26', source: eurLex('32000D0518') },
  {
    country: 'CA',
    from: '2001-12-20',
    partial: 'commercial organisations under PIPEDA only',
    source: eurLex('32002D0002'),
  },
  { country: 'AR', from: '2003-06-30', source: eurLex('32003D0490') },
  { country: 'GG', from: '2003-11-21', source: eurLex('32003D0821') },
  { country: 'IM', from: '2004-04-28', source: eurLex('32004D0411') },
  { country: 'JE', from: '2008-05-08', source: eurLex('32008D0393') },
  { country: 'FO', from: '2010-03-05', source: eurLex('32010D0146') },
  { country: 'AD', from: '2010-10-19', source: eurLex('32010D0625') },
  { country: 'IL', from: '2011-01-31', source: eurLex('32011D0061') },
  { country: 'UY', from: '2012-08-21', source: eurLex('32012D0484') },
  { country: 'NZ', from: '2012-12-19', source: eurLex('32013D0065') },
  { country: 'JP', from: '2019-01-23', source: eurLex('32019D0419') },
  // Decision (EU) 2021/1772; renewed on 2025-12-19 until 2031-12-27 (sunset clause).
  { country: 'GB', from: '2021-06-28', to: '2031-12-28', source: EC_ADEQUACY_PAGE },
  { country: 'KR', from: '2021-12-17', source: eurLex('32022D0254') },
  // Safe Harbor and Privacy Shield ended when the CJEU invalidated them (C-362/14, C-311/18).
  {
    country: 'US',
    from: '2000-07-26',
    to: '2015-10-06',
    partial: 'only organisations certified under the Safe Harbor principles',
    source: eurLex('32000D0520'),
  },
  {
    country: 'US',
    from: '2016-07-12',
    to: '2020-07-16',
    partial: 'only organisations certified under the EU-US Privacy Shield',
    source: eurLex('32016D1250'),
  },
  {
    country: 'US',
    from: '2023-07-10',
    partial: 'only organisations certified under the EU-US Data Privacy Framework',
    source: eurLex('32023D1795'),
  },
  { country: 'BR', from: '2026-01-26', source: eurLex('32026D0179') },
];

export const COUNTRY_GROUPS: Readonly<Record<GroupName, readonly Member[]>> = { EU, EEA, EU_ADEQUACY };

export const GROUP_NAMES = Object.keys(COUNTRY_GROUPS) as readonly GroupName[];

export function isGroupName(name: string): name is GroupName {
  return Object.hasOwn(COUNTRY_GROUPS, name);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(date: string): void {
  if (!DAY.test(date)) throw new RangeError(`expected a date YYYY-MM-DD, got "${date}"`);
}

const isPresent = (member: Member, date: string) =>
  member.from <= date && (member.to === undefined || date < member.to);

/** Members of `group` on `date` (YYYY-MM-DD), sorted by country code. */
export function membersAt(group: GroupName, date: string): Member[] {
  checkDay(date);
  return COUNTRY_GROUPS[group]
    .filter((member) => isPresent(member, date))
    .sort((a, b) => compareText(a.country, b.country));
}

/** The membership entry that makes `country` a member of `group` on `date`, if any. */
export function isMember(group: GroupName, country: string, date: string): Member | undefined {
  checkDay(date);
  return COUNTRY_GROUPS[group].find((member) => member.country === country && isPresent(member, date));
}

/** Groups `country` belongs to on `date`, in `GROUP_NAMES` order. */
export function groupsOf(country: string, date: string): GroupName[] {
  return GROUP_NAMES.filter((group) => isMember(group, country, date) !== undefined);
}
