/** Where the console keeps the API key for the browser session (GraphiQL reads it too). */
export const KEY_STORAGE = 'pop-ledger.key';
