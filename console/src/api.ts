// The console's one way to the service: GraphQL (and the report endpoints) with the session's key as
// Bearer. A 401 forgets the key and brings the sign-in prompt back.
import { KEY_STORAGE } from './model/session';

export class SignInRequired extends Error {}

let onSignInRequired: () => void = () => undefined;
export const whenSignInRequired = (callback: () => void): void => {
  onSignInRequired = callback;
};

export const storedKey = (): string | null => sessionStorage.getItem(KEY_STORAGE);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY_STORAGE, key);

function refused(): never {
  sessionStorage.removeItem(KEY_STORAGE);
  onSignInRequired();
  throw new SignInRequired('Sign in again: the key was refused');
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${storedKey() ?? ''}` },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status === 401) refused();
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  return body.data as T;
}

/** GET with the key (the SVG drawings, the report downloads). */
export async function authorizedGet(url: string): Promise<Response> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${storedKey() ?? ''}` } });
  if (response.status === 401) refused();
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as { detail?: string; title?: string } | null;
    throw new Error(`${response.status}: ${problem?.detail ?? problem?.title ?? response.statusText}`);
  }
  return response;
}
