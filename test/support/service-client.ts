/** HTTP calls to a running service (separate process or in-process) as a client would make them. */

export interface GraphqlAnswer<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

export function bearer(secret: string | undefined): Record<string, string> {
  return secret === undefined ? {} : { authorization: `Bearer ${secret}` };
}

export async function graphql<T = Record<string, any>>(url: string, secret: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(secret) },
    body: JSON.stringify({ query, variables }),
  });
  return answerOf<T>(response.status, await response.text());
}

/** A GraphQL response body as an answer (a body that is not JSON becomes an error). */
export function answerOf<T = Record<string, any>>(status: number, text: string): GraphqlAnswer<T> {
  try {
    const body = JSON.parse(text) as { data?: T; errors?: GraphqlAnswer['errors'] };
    return { status, data: body.data ?? null, errors: body.errors };
  } catch {
    return { status, data: null, errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
}

/** The `<name>(input: $input)` mutation document with the CommandResult fields. */
export function mutationDocument(name: string, fields = 'streamId revision position eventIds duplicate projected'): string {
  return `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${fields} } }`;
}

/** Until every projection has processed the whole log (or `timeoutMs`); false on timeout. */
export async function waitForProjections(url: string, secret: string, timeoutMs = 600_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answer = await graphql<{ projectionStatus: Array<{ name: string; lagEvents: number; lastError: string | null }> }>(
      url,
      secret,
      '{ projectionStatus { name lagEvents lastError } }',
    );
    const statuses = answer.data?.projectionStatus;
    if (!statuses && answer.status === 400) throw new Error(`projectionStatus is not available: ${answer.errors?.[0]?.message}`);
    if (statuses) {
      const failed = statuses.find((s) => s.lastError);
      if (failed) throw new Error(`Projection ${failed.name} failed: ${failed.lastError}`);
      if (statuses.every((s) => s.lagEvents === 0)) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
