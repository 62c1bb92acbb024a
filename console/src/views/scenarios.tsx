import { gql } from '../api';
import type { ViewProps } from '../app';
import { Async } from '../components';
import { useLoad } from '../hooks';
import { bandwidth, instant, money, quantity } from '../model/format';
import { impactRows, type ImpactNode } from '../model/reports';
import { formatRoute, withParams } from '../model/route';

interface ScenarioNode {
  scenarioId: string; name: string; description: string | null; status: string; valid: boolean; createdBy: string; createdAt: string;
  steps: Array<{ stepId: string; index: number; mutation: string; popId: string | null; effectiveAt: string | null; outcome: string; rule: string | null; reason: string | null }>;
  impact: ImpactNode[];
}

const SIDE = 'space { freeU usedU } power { headroomKw allocatedKw } network { headroomMbps }';
const COST = 'converted { amount currency } monthlyRecurring { amount currency }';

export function ScenariosView({ route, asOf, navigate }: ViewProps) {
  const list = useLoad(() => gql<{ scenarios: { edges: Array<{ node: { scenarioId: string; name: string; status: string } }> } }>('{ scenarios(first: 200) { edges { node { scenarioId name status } } } }'), []);
  const scenarioId = route.params.scenarioId;
  return (
    <section aria-labelledby="scenarios-title">
      <h1 id="scenarios-title">Scenarios</h1>
      <Async loaded={list} empty={(v) => v.scenarios.edges.length === 0} emptyText="No scenarios yet: plans are made with createScenario and addScenarioSteps.">
        {({ scenarios }) => (
          <label>Scenario <select value={scenarioId ?? ''} onChange={(e) => navigate(withParams(route, { scenarioId: (e.target as HTMLSelectElement).value }))}>
            <option value="">choose…</option>{scenarios.edges.map(({ node }) => <option value={node.scenarioId}>{node.name} ({node.status})</option>)}</select></label>
        )}
      </Async>
      {scenarioId && <Scenario scenarioId={scenarioId} asOf={asOf} currency={route.params.currency ?? 'EUR'} />}
      {!scenarioId && <p class="muted">Pick a plan to see its steps and its impact at the console's date; <a href={formatRoute({ view: 'pop', params: {} })}>PoP views</a> show the recorded state.</p>}
    </section>
  );
}

function Scenario(props: { scenarioId: string; asOf: string | null; currency: string }) {
  const loaded = useLoad(
    () => gql<{ scenario: ScenarioNode | null }>(
      `query($id: ID!, $asOf: DateTime) { scenario(scenarioId: $id, asOf: $asOf) { scenarioId name description status valid createdBy createdAt
        steps { stepId index mutation popId effectiveAt outcome rule reason }
        impact { popId code before { ${SIDE} } after { ${SIDE} } costBefore { ${COST} } costAfter { ${COST} } } } }`,
      { id: props.scenarioId, asOf: props.asOf },
    ),
    [props.scenarioId, props.asOf],
  );
  const triple = (values: [number, number, number], format: (v: number) => string) => <><td class="num">{format(values[0])}</td><td class="num">{format(values[1])}</td><td class={`num delta ${values[2] < 0 ? 'down' : values[2] > 0 ? 'up' : ''}`}>{values[2] > 0 ? '+' : ''}{format(values[2])}</td></>;
  return (
    <Async loaded={loaded} empty={(v) => v.scenario === null} emptyText="No such scenario.">
      {({ scenario: s }) => s && (
        <>
          <h2>{s.name} <span class="badge">{s.status}</span> {s.valid ? <span class="badge status-ok">valid</span> : <span class="badge status-critical">has rejected steps</span>}</h2>
          <p class="muted">{s.description ?? ''} · by {s.createdBy} on {instant(s.createdAt)} · evaluated on the log as it is now; impact as of {props.asOf ? instant(props.asOf) : 'now'}</p>
          <h3>Steps</h3>
          <table class="steps-table"><thead><tr><th scope="col">#</th><th scope="col">Step</th><th scope="col">Mutation</th><th scope="col">PoP</th><th scope="col">Effective (UTC)</th><th scope="col">Outcome</th><th scope="col">Why</th></tr></thead>
            <tbody>{s.steps.map((step) => <tr data-outcome={step.outcome}><td>{step.index}</td><td>{step.stepId}</td><td>{step.mutation}</td><td>{step.popId ?? ''}</td><td>{instant(step.effectiveAt)}</td><td><span class={`badge ${step.outcome === 'ACCEPTED' ? 'status-ok' : 'status-critical'}`}>{step.outcome}</span></td><td>{step.rule ? `${step.rule}: ${step.reason ?? ''}` : ''}</td></tr>)}</tbody></table>
          <h3>Impact per PoP (before → after)</h3>
          <div class="table-wrap"><table class="impact-table"><thead><tr><th scope="col">PoP</th><th scope="col" class="num">Free U</th><th scope="col" class="num">after</th><th scope="col" class="num">Δ</th><th scope="col" class="num">Power headroom</th><th scope="col" class="num">after</th><th scope="col" class="num">Δ</th><th scope="col" class="num">Bandwidth headroom</th><th scope="col" class="num">after</th><th scope="col" class="num">Δ</th><th scope="col" class="num">Monthly cost</th><th scope="col" class="num">after</th></tr></thead>
            <tbody>{impactRows(s.impact).map((row, i) => (
              <tr data-pop-id={row.popId}><td>{row.code}</td>{triple(row.freeU, (v) => quantity(v, 'U', 0))}{triple(row.headroomKw, (v) => quantity(v, 'kW'))}{triple(row.headroomMbps, bandwidth)}
                <td class="num">{money(s.impact[i].costBefore?.monthlyRecurring)}</td><td class="num">{money(s.impact[i].costAfter?.monthlyRecurring)}</td></tr>
            ))}</tbody></table></div>
        </>
      )}
    </Async>
  );
}
