// GraphiQL, bundled with its assets and served by the service (/graphiql), so it works with no network.
// It sends the key of the console's session (sessionStorage) as Bearer, or the one typed in its Headers tab;
// headers are never persisted by the browser.
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { getIntrospectionQuery } from 'graphql';
import 'graphiql/graphiql.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { KEY_STORAGE } from '../src/model/session';

const key = sessionStorage.getItem(KEY_STORAGE);
const headers = JSON.stringify({ Authorization: `Bearer ${key ?? '<paste your API key>'}` }, null, 2);
const http = createGraphiQLFetcher({ url: '/graphql' });

// The service limits query depth (12); the standard introspection query nests type references 9 deep
// (depth 15). Every type of this schema is at most [X!]! (three wrappers), so four levels say it all.
const typeRef = (levels: number): string => (levels === 0 ? 'kind name' : `kind name ofType { ${typeRef(levels - 1)} }`);
const STANDARD = getIntrospectionQuery();
const INTROSPECTION = `${STANDARD.slice(0, STANDARD.indexOf('fragment TypeRef'))}fragment TypeRef on __Type { ${typeRef(4)} }`;
const fetcher: Fetcher = (params, options) =>
  http(params.operationName === 'IntrospectionQuery' ? { ...params, query: INTROSPECTION } : params, options);

createRoot(document.getElementById('root') as HTMLElement).render(
  createElement(GraphiQL, { fetcher, defaultHeaders: headers, shouldPersistHeaders: false, defaultEditorToolsVisibility: 'headers' }),
);
