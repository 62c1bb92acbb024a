// GraphiQL, bundled with its assets and served by the service (/graphiql), so it works with no network.
// It sends the key of the console's session (sessionStorage) as Bearer, or the one typed in its Headers tab;
// headers are never persisted by the browser.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { KEY_STORAGE } from '../src/model/session';

const key = sessionStorage.getItem(KEY_STORAGE);
const headers = JSON.stringify({ Authorization: `Bearer ${key ?? '<paste your API key>'}` }, null, 2);
const fetcher = createGraphiQLFetcher({ url: '/graphql' });

createRoot(document.getElementById('root') as HTMLElement).render(
  createElement(GraphiQL, { fetcher, defaultHeaders: headers, shouldPersistHeaders: false, defaultEditorToolsVisibility: 'headers' }),
);
