// The compiled test files that reach a database or an event store: CI's run against the PostgreSQL server takes
// these alone, since the embedded run before it has already run the rest (pure domain, kernel and API tests)
// and a server cannot change their outcome. A file reaches storage when it names one of the test supports that
// start storage or the service, or a database or store setting (test/support/README.md).
// Argument: the folder of compiled tests (dist/test; .ci/run passes its build copy's).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const STORAGE = /test-app|test-databases|service-storage|service-process|storage-store|test-event-store|postgres-activity|read-model|statement-spy|DATABASE_URL|postgres|pglite|PGlite|app\.factory/;

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const tests = files(process.argv[2] ?? 'dist/test').filter((file) => file.endsWith('.test.js') && !file.includes('/reliability/')).sort();
console.log(tests.filter((file) => STORAGE.test(readFileSync(file, 'utf8'))).join('\n'));
