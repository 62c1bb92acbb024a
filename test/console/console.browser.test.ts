// The planning console end to end, in a real headless Chromium (Debian's package, driven by
// playwright-core; no browser is downloaded) against the service seeded with the demo network.
// Every request to a host other than the service fails the test. Screenshots: test-output/console/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { bandwidth, day, money, percent } from '../../console/src/model/format';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port';
import { NetworkGenerator } from '../../src/tools/seed/network-generator.seed';
import { parseSeedArgs } from '../../src/tools/seed/seed-args.util';
import { seedNetwork } from '../../src/tools/seed/seed-network.seed';
import { EventStoreSink } from '../../src/tools/seed/stream-sinks.seed';
import { waitForProjections } from '../support/service-client';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = resolve(__dirname, '..', '..', '..', 'test-output', 'console');
const POP = 'dub1';


describe('planning console in headless Chromium (docs/console.md, "Tests")', { timeout: 240_000 }, () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /**
   * Requests the pages tried to send anywhere but the service: aborted by the route below, or refused by
   * the pages' Content-Security-Policy before they leave (reported on the console).
   */
  const offHost: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH`);
    app = await startTestApp();
    const generator = new NetworkGenerator({ ...parseSeedArgs(['--demo']), provenance: { actor: 'seed', source: 'cli' } });
    await seedNetwork(generator, new EventStoreSink(app.app.get<EventStore>(EVENT_STORE), 1));
    assert.ok(await waitForProjections(app.url, KEYS.admin, 120_000), 'the read models catch up with the demo network');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-first-run', '--disable-dev-shm-usage'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === app.url) return route.continue();
      offHost.push(url.href);
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) offHost.push(message.text());
    });
    await mkdir(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const texts = (selector: string) => page.locator(selector).allInnerTexts();
  const signIn = async (key: string) => {
    await page.goto(`${app.url}/console`);
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${app.url}/console#/network`);
    await page.reload();
    await page.locator('input[type=password]').fill(key);
    await page.keyboard.press('Enter');
  };
  const noStrayRequests = () => {
    assert.deepEqual(offHost, [], 'requests to other hosts');
    assert.deepEqual(pageErrors, [], 'errors in the page');
  };

  it('refuses a wrong key with the prompt again; shows a viewer only the views its role may read', async () => {
    await signIn('ppl_not-a-key-0000000000000000000000');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /refused/);
    assert.equal(await page.locator('input[type=password]').count(), 1);
    await signIn(KEYS.viewer);
    await page.locator('nav[aria-label=Views]').waitFor();
    assert.deepEqual(await texts('nav[aria-label=Views] a'), ['Network', 'PoP', 'Find capacity', 'Cost', 'Scenarios']);
    await page.locator('.network-table tbody tr').first().waitFor();
    noStrayRequests();
  });

  it('network view: map and sortable table with the figures of the GraphQL answers, filters in the URL, phone width', async () => {
    await signIn(KEYS.admin);
    await page.locator('.network-table tbody tr').first().waitFor();
    const { data } = await app.gql(`{ pops(first: 500) { totalCount } findCapacity(need: {}) { popId space { utilizationPercent } power { utilizationPercent } network { utilizationPercent } }
      costSummary(groupBy: POP, currency: "EUR") { key converted { amount currency } } }`);
    assert.equal(await page.locator('.network-table tbody tr').count(), data.pops.totalCount);
    assert.equal(await page.locator('.map circle.pop-dot').count(), data.pops.totalCount);
    for (const capacity of data.findCapacity) {
      const row = page.locator(`.network-table tr[data-pop-id="${capacity.popId}"]`);
      assert.equal(await row.locator('[data-field=space]').innerText(), percent(capacity.space.utilizationPercent), capacity.popId);
      assert.equal(await row.locator('[data-field=power]').innerText(), percent(capacity.power.utilizationPercent), capacity.popId);
      assert.equal(await row.locator('[data-field=network]').innerText(), percent(capacity.network.utilizationPercent), capacity.popId);
      const cost = data.costSummary.find((group: any) => group.key === capacity.popId);
      assert.equal(await row.locator('[data-field=cost]').innerText(), money(cost?.converted ?? null), capacity.popId);
    }
    await shot('network');
    // Sorting by power, descending: one click ascending, a second descending; the URL keeps it.
    const header = page.getByRole('button', { name: 'Power used' });
    await header.click();
    await header.click();
    assert.match(page.url(), /sort=powerPercent&desc=1/);
    const expected = [...data.findCapacity].sort((a: any, b: any) => b.power.utilizationPercent - a.power.utilizationPercent).map((c: any) => percent(c.power.utilizationPercent));
    assert.deepEqual(await page.locator('.network-table tbody [data-field=power]').allInnerTexts(), expected);
    await page.locator('select').nth(2).selectOption('LIVE'); // Status
    const live = await app.gql('{ pops(first: 500, filter: { statuses: [LIVE] }) { totalCount } }');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.network-table tbody tr').length === n, live.data.pops.totalCount);
    assert.match(page.url(), /status=LIVE/);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('network-phone');
    assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'), 'no horizontal scroll of the page at phone width');
    await page.setViewportSize({ width: 1280, height: 800 });
    noStrayRequests();
  });

  it('PoP view: capacity cards, forecasts, circuits, cost and history equal the GraphQL answers', async () => {
    await page.goto(`${app.url}/console#/pop?popId=${POP}`);
    await page.locator('[data-card=space] [data-field=utilization]').waitFor();
    const { data } = await app.gql(`{ capacity(popId: "${POP}") { space { utilizationPercent } power { utilizationPercent } network { utilizationPercent byType { type circuits capacityMbps } } }
      cost(popId: "${POP}", currency: "EUR") { converted { amount currency } }
      capacityForecast(popId: "${POP}", resource: POWER_KW) { exhaustsOn }
      history(streamId: "pop-${POP}", first: 1) { totalCount } }`);
    for (const field of ['space', 'power', 'network'] as const) {
      assert.equal(await page.locator(`[data-card=${field}] [data-field=utilization]`).innerText(), percent(data.capacity[field].utilizationPercent));
    }
    await page.locator('[data-forecast=POWER_KW] canvas').first().waitFor();
    assert.equal(await page.locator('[data-forecast=POWER_KW] [data-field=exhaustsOn]').innerText(), day(data.capacityForecast.exhaustsOn));
    await page.locator('.history-table tbody tr').first().waitFor();
    assert.equal(await page.locator('.history-table tbody tr').count(), Math.min(50, data.history.totalCount), 'the latest 50 events');
    if (data.history.totalCount > 50) await page.getByRole('button', { name: `Show all ${data.history.totalCount} events` }).click();
    assert.equal(await page.locator('.history-table tbody tr').count(), data.history.totalCount);
    assert.match(await page.locator('.cost-table [data-field=monthly]').innerText(), new RegExp(`= ${money(data.cost.converted).replace(/[.+]/g, '\\$&')}$`));
    const circuits = await page.locator('h2:has-text("Circuits by type") + table tbody tr').allInnerTexts();
    assert.deepEqual(circuits, data.capacity.network.byType.map((t: any) => `${t.type}\t${t.circuits}\t${bandwidth(t.capacityMbps)}`));
    await shot('pop');
    noStrayRequests();
  });

  // Needs GET /pops/{popId}/racks/{rackId}/elevation.svg (docs/console.md, "Rack elevations").
  it('PoP view: moving the time slider with the keyboard redraws the rack elevations as they were', async () => {
    await page.goto(`${app.url}/console#/pop?popId=${POP}`);
    const devices = async () => {
      await page.locator('.elevation svg').first().waitFor({ timeout: 20_000 });
      return page.locator('.elevation [data-device-id]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-device-id')).sort());
    };
    const now = await devices();
    assert.ok(now.length > 0, 'devices drawn today');
    const slider = page.locator('.slider input[type=range]');
    const before = await page.locator('[data-field=elevation-at]').innerText();
    await slider.focus();
    for (let i = 0; i < 40; i += 1) await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((text) => (globalThis as any).document.querySelector('[data-field=elevation-at]')?.textContent !== text, before);
    const earlier = await devices();
    assert.notDeepEqual(earlier, now, 'fewer or other devices 40 changes earlier');
    assert.match(page.url(), /at=/);
    await shot('pop-earlier');
    noStrayRequests();
  });

  it('find capacity: the form asks findCapacity and lists its answer in its order', async () => {
    await page.goto(`${app.url}/console#/find`);
    await page.locator('input[name=spaceU]').fill('4');
    await page.locator('input[name=powerKw]').fill('2');
    await page.getByRole('button', { name: 'Find' }).click();
    const { data } = await app.gql('{ findCapacity(need: { spaceU: 4, powerKw: 2 }) { popId } }');
    if (data.findCapacity.length === 0) await page.locator('.state.empty').waitFor();
    else await page.locator('.find-table tbody tr').first().waitFor();
    assert.deepEqual(await page.locator('.find-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-pop-id'))), data.findCapacity.map((p: any) => p.popId));
    await shot('find');
    noStrayRequests();
  });

  it('residency view: the summary of the report, violations first, evidence, and the CSV download of the endpoint', async () => {
    await page.goto(`${app.url}/console#/residency`);
    await page.locator('[data-field=violations]').waitFor();
    const { data } = await app.gql('{ residencyReport { summary { compliant violations unassessed } rows { outcome } } }');
    assert.equal(await page.locator('[data-field=violations]').innerText(), String(data.residencyReport.summary.violations));
    assert.equal(await page.locator('[data-field=compliant]').innerText(), String(data.residencyReport.summary.compliant));
    const outcomes = await page.locator('.residency-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome')));
    assert.equal(outcomes.length, data.residencyReport.rows.length);
    const rank = { VIOLATION: 0, UNASSESSED: 1, COMPLIANT: 2 } as Record<string, number>;
    assert.deepEqual(outcomes, [...outcomes].sort((a, b) => rank[a as string] - rank[b as string]), 'violations first');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const path = await download.path();
    const saved = (await import('node:fs')).readFileSync(path, 'utf8');
    const direct = await (await fetch(`${app.url}/reports/residency.csv`, { headers: { authorization: `Bearer ${KEYS.admin}` } })).text();
    assert.equal(download.suggestedFilename(), 'residency.csv');
    assert.equal(saved, direct);
    assert.ok(saved.split('\n').length > data.residencyReport.rows.length, 'a header and a line per row');
    await shot('residency');
    noStrayRequests();
  });

  it('cost view: groups, amounts and total equal costSummary in the chosen currency', async () => {
    await page.goto(`${app.url}/console#/cost?groupBy=COUNTRY&currency=USD`);
    await page.locator('.cost-summary tbody tr').first().waitFor();
    const { data } = await app.gql('{ costSummary(groupBy: COUNTRY, currency: "USD") { key converted { amount currency } } }');
    for (const group of data.costSummary) {
      assert.equal(await page.locator(`.cost-summary tr[data-key="${group.key}"] [data-field=converted]`).innerText(), money(group.converted));
    }
    const cents = data.costSummary.reduce((total: number, group: any) => total + Math.round(Number(group.converted?.amount ?? 0) * 100), 0);
    assert.equal(await page.locator('.cost-summary [data-field=total]').innerText(), money({ amount: (cents / 100).toFixed(2), currency: 'USD' }));
    assert.equal(await page.locator('.cost-summary ~ * canvas, section canvas').count() > 0, true, 'a chart');
    await shot('cost');
    noStrayRequests();
  });

  it('scenarios view: a plan\'s steps with their outcomes and its before/after impact per PoP', async () => {
    const created = await app.gql('mutation { createScenario(input: { scenarioId: "console-plan", name: "Console plan" }) { streamId } }');
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const added = await app.gql(`mutation { addScenarioSteps(input: { scenarioId: "console-plan", steps: [
      { stepId: "s1", reserveCapacity: { popId: "${POP}", reservationId: "console-r1", resource: SPACE_U, amount: 2, from: "2020-01-01T00:00:00Z" } } ] }) { streamId } }`);
    assert.equal(added.errors, undefined, JSON.stringify(added.errors));
    await page.goto(`${app.url}/console#/scenarios?scenarioId=console-plan`);
    await page.locator('.impact-table tbody tr').first().waitFor();
    const { data } = await app.gql('{ scenario(scenarioId: "console-plan") { steps { stepId outcome } impact { popId before { space { freeU } } after { space { freeU } } } } }');
    assert.deepEqual(await page.locator('.steps-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome'))), data.scenario.steps.map((s: any) => s.outcome));
    const impact = data.scenario.impact[0];
    const cells = await page.locator(`.impact-table tr[data-pop-id="${impact.popId}"] td`).allInnerTexts();
    assert.deepEqual(cells.slice(1, 4), [`${impact.before.space.freeU} U`, `${impact.after.space.freeU} U`, `${impact.after.space.freeU - impact.before.space.freeU} U`]);
    await shot('scenarios');
    noStrayRequests();
  });

  it('GraphiQL works from the service alone, with the session\'s key, and loads the schema', async () => {
    const introspection = page.waitForResponse((response) => response.url().endsWith('/graphql') && (response.request().postData() ?? '').includes('IntrospectionQuery'));
    await page.goto(`${app.url}/graphiql`);
    const answer = await introspection;
    assert.equal(answer.status(), 200);
    assert.ok(((await answer.json()) as any).data.__schema.types.length > 50);
    await page.locator('.graphiql-container').waitFor();
    await shot('graphiql');
    noStrayRequests();
  });
});
