import { graphql } from './service-client';

const MONEY = '{ amount currency }';

/** Every capacity and cost figure of a PoP at `asOf`, as clients read them. */
const POP_FIGURES = `query($popId: ID!, $asOf: DateTime) {
  capacity(popId: $popId, asOf: $asOf) {
    popId code countryCode status asOf overall
    space { totalU usedU reservedU freeU utilizationPercent status racks { rackId totalU usedU freeU provisionedKw usableKw allocatedKw } }
    power { provisionedKw usableKw allocatedKw reservedKw headroomKw utilizationPercent redundant status }
    network { capacityMbps reservedMbps headroomMbps utilizationPercent status byType { type capacityMbps circuits } }
  }
  cost(popId: $popId, asOf: $asOf, currency: "EUR") {
    popId asOf monthlyRecurring ${MONEY} byCategory { category monthlyRecurring ${MONEY} } oneOff ${MONEY}
    converted ${MONEY} costPerUsableKw ${MONEY} costPerU ${MONEY} costPerMbps ${MONEY}
  }
}`;

/** The capacity and cost answers for every PoP in `popIds` at one instant (to compare read models before and after a rebuild). */
export async function readModelSnapshot(url: string, secret: string, popIds: readonly string[], asOf: string): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  for (const popId of popIds) {
    const answer = await graphql(url, secret, POP_FIGURES, { popId, asOf });
    if (answer.errors?.length) throw new Error(`${popId}: ${JSON.stringify(answer.errors).slice(0, 400)}`);
    snapshot[popId] = answer.data;
  }
  return snapshot;
}

/** Rebuilds every projection through the API and answers how many events it replayed. */
export async function rebuildProjections(url: string, adminSecret: string): Promise<number> {
  const answer = await graphql<{ rebuildProjections: { events: number } }>(url, adminSecret, 'mutation { rebuildProjections { events } }');
  if (!answer.data) throw new Error(`rebuildProjections: ${JSON.stringify(answer.errors)}`);
  return answer.data.rebuildProjections.events;
}
