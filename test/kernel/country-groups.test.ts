import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  COUNTRY_GROUPS,
  GROUP_NAMES,
  groupsOf,
  isGroupName,
  isMember,
  membersAt,
} from '../../src/kernel/country-groups.util';
import { isAssignedCountryCode } from '../../src/kernel/country-codes.util';

const TODAY = '2026-06-01';
const codes = (group: Parameters<typeof membersAt>[0], date: string) => membersAt(group, date).map((m) => m.country);

const EU_27 = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');

describe('country groups', () => {
  it('EU has the 27 current members, with Greece as GR', () => {
    assert.deepEqual(codes('EU', TODAY), EU_27);
    assert.ok(isMember('EU', 'GR', TODAY));
    assert.equal(isMember('EU', 'EL', TODAY), undefined);
  });

  it('EEA is the EU plus IS, LI, NO (30)', () => {
    assert.deepEqual(codes('EEA', TODAY), [...EU_27, 'IS', 'LI', 'NO'].sort());
    assert.equal(codes('EEA', TODAY).length, 30);
  });

  it('EU_ADEQUACY has 16 countries today, CA and US partial', () => {
    assert.deepEqual(codes('EU_ADEQUACY', TODAY), 'AD AR BR CA CH FO GB GG IL IM JE JP KR NZ US UY'.split(' '));
    assert.equal(isMember('EU_ADEQUACY', 'CA', TODAY)?.partial, 'commercial organisations under PIPEDA only');
    assert.equal(
      isMember('EU_ADEQUACY', 'US', TODAY)?.partial,
      'only organisations certified under the EU-US Data Privacy Framework',
    );
    assert.equal(isMember('EU_ADEQUACY', 'JP', TODAY)?.partial, undefined);
  });

  it('the UK leaves the EU and the EEA on exit day (exclusive end) and is adequate from 2021-06-28', () => {
    assert.deepEqual(groupsOf('GB', '2019-06-01'), ['EU', 'EEA']);
    assert.deepEqual(groupsOf('GB', '2020-01-31'), ['EU', 'EEA']);
    assert.deepEqual(groupsOf('GB', '2020-02-01'), []);
    assert.deepEqual(groupsOf('GB', '2021-01-01'), []);
    assert.deepEqual(groupsOf('GB', '2021-06-28'), ['EU_ADEQUACY']);
    assert.equal(isMember('EU', 'GB', '2019-06-01')?.to, '2020-02-01');
    assert.equal(codes('EU', '2019-06-01').length, 28);
  });

  it('Brazil is adequate from 2026-01-26', () => {
    assert.equal(isMember('EU_ADEQUACY', 'BR', '2026-01-25'), undefined);
    assert.equal(
      isMember('EU_ADEQUACY', 'BR', '2026-01-26')?.source,
      'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32026D0179',
    );
  });

  it('dates enlargements and the EEA accession of later EU members', () => {
    assert.equal(codes('EU', '1957-12-31').length, 0);
    assert.deepEqual(codes('EU', '1958-01-01'), ['BE', 'DE', 'FR', 'IT', 'LU', 'NL']);
    assert.equal(codes('EU', '2013-06-30').length, 27);
    assert.equal(codes('EU', '2013-07-01').length, 28);
    assert.deepEqual(groupsOf('BG', '2007-07-31'), ['EU']);
    assert.deepEqual(groupsOf('BG', '2007-08-01'), ['EU', 'EEA']);
    assert.deepEqual(groupsOf('HR', '2014-04-11'), ['EU']);
    assert.deepEqual(groupsOf('HR', '2014-04-12'), ['EU', 'EEA']);
    assert.deepEqual(groupsOf('LI', '1995-04-30'), []);
    assert.deepEqual(groupsOf('LI', '1995-05-01'), ['EEA']);
  });

  it('keeps the US adequacy history: Safe Harbor, Privacy Shield, Data Privacy Framework', () => {
    assert.match(isMember('EU_ADEQUACY', 'US', '2010-01-01')?.partial ?? '', /Safe Harbor/);
    assert.equal(isMember('EU_ADEQUACY', 'US', '2015-10-06'), undefined);
    assert.match(isMember('EU_ADEQUACY', 'US', '2018-01-01')?.partial ?? '', /Privacy Shield/);
    assert.equal(isMember('EU_ADEQUACY', 'US', '2020-07-16'), undefined);
    assert.equal(isMember('EU_ADEQUACY', 'US', '2023-07-09'), undefined);
    assert.ok(isMember('EU_ADEQUACY', 'US', '2023-07-10'));
  });

  it('every entry has an assigned code, an https source, a valid interval and no overlap', () => {
    for (const group of GROUP_NAMES) {
      const entries = COUNTRY_GROUPS[group];
      for (const member of entries) {
        assert.ok(isAssignedCountryCode(member.country), `${group} ${member.country}`);
        assert.match(member.source, /^https:\/\/\S+$/);
        assert.match(member.from, /^\d{4}-\d{2}-\d{2}$/);
        if (member.to !== undefined) assert.ok(member.from < member.to, `${group} ${member.country}`);
        for (const other of entries) {
          if (other === member || other.country !== member.country) continue;
          const disjoint =
            (member.to !== undefined && member.to <= other.from) || (other.to !== undefined && other.to <= member.from);
          assert.ok(disjoint, `${group} ${member.country} overlaps`);
        }
      }
    }
  });

  it('names groups and rejects malformed dates', () => {
    assert.deepEqual(GROUP_NAMES, ['EU', 'EEA', 'EU_ADEQUACY']);
    assert.equal(isGroupName('EEA'), true);
    assert.equal(isGroupName('toString'), false);
    assert.throws(() => membersAt('EU', '2026-01-26T00:00:00Z'), RangeError);
  });
});
