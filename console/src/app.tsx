// The console's shell: sign-in, the role's views, the date control (asOf) and hash routing.
import { useEffect, useState } from 'preact/hooks';
import { gql, SignInRequired, storedKey, storeKey, whenSignInRequired } from './api';
import { VIEWS, viewsFor, type RoleName } from './model/access';
import { asOfInstant, formatRoute, parseRoute, withParams, type Route } from './model/route';
import { CostView } from './views/cost';
import { FindView } from './views/find';
import { NetworkView } from './views/network';
import { PopView } from './views/pop';
import { ResidencyView } from './views/residency';
import { ScenariosView } from './views/scenarios';

export interface Caller {
  name: string;
  role: RoleName;
}

export interface ViewProps {
  route: Route;
  /** Instant the view shows (ISO, UTC); null: now. */
  asOf: string | null;
  caller: Caller;
  navigate: (route: Route) => void;
}

const useRoute = (): [Route, (route: Route) => void] => {
  const [route, setRoute] = useState(parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return [route, (next) => (location.hash = formatRoute(next))];
};

export function App() {
  const [route, navigate] = useRoute();
  const [caller, setCaller] = useState<Caller | null>(null);
  const [signIn, setSignIn] = useState<{ open: boolean; error?: string }>({ open: storedKey() === null });
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => whenSignInRequired(() => {
    setCaller(null);
    setSignIn({ open: true, error: 'The key was refused (expired, revoked or mistyped). Paste it again.' });
  }), []);
  useEffect(() => {
    if (signIn.open || caller) return;
    // A refused key reopens the prompt (whenSignInRequired); any other failure is shown with a retry.
    gql<{ me: Caller }>('{ me { name role } }').then(({ me }) => setCaller(me), (error: Error) => error instanceof SignInRequired || setFailure(error.message));
  }, [signIn.open, caller, attempt]);

  if (signIn.open) {
    return <SignIn error={signIn.error} onKey={(key) => { storeKey(key); setSignIn({ open: false }); }} />;
  }
  if (failure) {
    const retry = () => {
      setFailure(null);
      setAttempt(attempt + 1);
    };
    return <p class="state error" role="alert">Could not reach the service: {failure} <button type="button" onClick={retry}>Retry</button></p>;
  }
  if (!caller) return <p class="state loading" role="status">Signing in…</p>;

  const allowed = viewsFor(caller.role);
  const view = allowed.includes(route.view) ? route.view : 'network';
  const asOfParam = route.params.asOf ?? '';
  const asOf = asOfInstant(asOfParam);
  const props: ViewProps = { route: { ...route, view }, asOf, caller, navigate };
  return (
    <div class="shell">
      <header>
        <strong class="brand">PoP Ledger</strong>
        <nav aria-label="Views">
          {VIEWS.filter((v) => allowed.includes(v.name)).map((v) => (
            <a href={formatRoute({ view: v.name, params: asOfParam ? { asOf: asOfParam } : {} })} aria-current={v.name === view ? 'page' : undefined}>{v.title}</a>
          ))}
        </nav>
        <label class="as-of">
          As of (UTC){' '}
          <input type="date" value={asOfParam} onChange={(event) => navigate(withParams(route, { asOf: (event.target as HTMLInputElement).value }))} />
          {asOfParam && <button type="button" onClick={() => navigate(withParams(route, { asOf: '' }))}>Now</button>}
        </label>
        <span class="caller" title="Signed in with this key">{caller.name} ({caller.role.toLowerCase()})</span>
      </header>
      <main id="main">
        {view === 'network' && <NetworkView {...props} />}
        {view === 'pop' && <PopView {...props} />}
        {view === 'find' && <FindView {...props} />}
        {view === 'residency' && <ResidencyView {...props} />}
        {view === 'cost' && <CostView {...props} />}
        {view === 'scenarios' && <ScenariosView {...props} />}
      </main>
    </div>
  );
}

function SignIn(props: { error?: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <form class="sign-in" onSubmit={(event) => { event.preventDefault(); if (key.trim()) props.onKey(key.trim()); }}>
      <h1>PoP Ledger console</h1>
      <label>
        API key
        <input type="password" autoFocus autoComplete="off" value={key} onInput={(event) => setKey((event.target as HTMLInputElement).value)} placeholder="ppl_…" />
      </label>
      <p class="hint">Kept for this browser tab only (sessionStorage) and sent as a Bearer token.</p>
      {props.error && <p class="state error" role="alert">{props.error}</p>}
      <button type="submit">Sign in</button>
    </form>
  );
}
