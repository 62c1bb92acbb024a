import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/platform/config/app.config';
import { SERVICE_LAUNCHER } from '../support/service-process';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';

/** The repository root, from <root>/dist/test/app. */
const ROOT = resolve(__dirname, '..', '..', '..');
const COMPOSE = join(ROOT, 'docker-compose.yml');
/** The Compose Specification's JSON schema, vendored (its source and version: test/support/README.md). */
const COMPOSE_SCHEMA = join(ROOT, 'test', 'support', 'compose-spec.schema.json');

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null>;
}

function compose(): { services: Record<string, ComposeService> } {
  return parseYaml(readFileSync(COMPOSE, 'utf8')) as { services: Record<string, ComposeService> };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

describe('docker-compose.yml', () => {
  test('is a valid Compose file: the Compose Specification schema accepts it (and refuses a broken copy)', () => {
    // The schema declares draft-07 as https://json-schema.org/draft-07/schema, a spelling Ajv does not register;
    // draft-07 is Ajv's own dialect, so it reads the schema without the declaration. strict: false lets it pass
    // over `deprecated`, an annotation of later drafts that the schema uses.
    const { $schema, ...schema } = JSON.parse(readFileSync(COMPOSE_SCHEMA, 'utf8')) as { $schema: string };
    assert.equal($schema, 'https://json-schema.org/draft-07/schema');
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const file = compose();
    assert.equal(validate(file), true, JSON.stringify(validate.errors));
    const broken = structuredClone(file) as { services: Record<string, Record<string, unknown>> };
    broken.services.app.imagee = 'typo';
    broken.services.postgres.ports = 5432;
    assert.equal(validate(broken), false);
    assert.deepEqual(
      new Set(validate.errors?.map((error) => `${error.instancePath} ${error.message}`)),
      new Set(['/services/app must NOT have additional properties', '/services/postgres/ports must be array']),
    );
  });

  test('pins the EventStoreDB image, states its MaxAppendSize and gives the service the same limit', () => {
    const { services } = compose();
    const { eventstore, app } = services;
    assert.match(eventstore.image ?? '', /^docker\.eventstore\.com\/eventstore\/eventstoredb-ee:24\.10(\.\d+)?$/);
    for (const { image } of Object.values(services)) if (image) assert.doesNotMatch(image, /:latest$|^[^:]+$/, `${image} is pinned`);
    const env = eventstore.environment ?? {};
    assert.equal(env.EVENTSTORE_MAX_APPEND_SIZE, '1048576');
    assert.equal(app.environment?.EVENTSTORE_MAX_APPEND_BYTES, env.EVENTSTORE_MAX_APPEND_SIZE);
    assert.deepEqual(Object.keys(env).filter((name) => /ATOM_PUB/.test(name)), [], 'no AtomPub');
    // The service's own configuration contract accepts its environment.
    const config = loadConfig(Object.fromEntries(Object.entries(app.environment ?? {}).map(([name, value]) => [name, String(value)])));
    assert.deepEqual([config.EVENT_STORE, config.EVENTSTORE_MAX_APPEND_BYTES], ['esdb', 1_048_576]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  test('builds the dist the tests run: its build command gives dist/src byte for byte, and the image runs dist/src/main.js', () => {
    assert.doesNotMatch(dockerfile, /^COPY\s+test\b/m, 'no tests in the image');
    const build = /^RUN npx swc (.+)$/m.exec(dockerfile);
    assert.ok(build, 'the build stage compiles with swc');
    const args = build[1].split(/\s+/);
    assert.deepEqual(args.slice(args.indexOf('-d'), args.indexOf('-d') + 2), ['-d', 'dist']);
    // The same command into a scratch directory next to dist (dist-* is ignored by git and ESLint).
    const scratch = join(ROOT, `dist-dockerfile-check-${process.pid}`);
    try {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'swc'), args.map((arg, i) => (args[i - 1] === '-d' ? relative(ROOT, scratch) : arg)), { cwd: ROOT, stdio: 'pipe' });
      const built = filesUnder(join(scratch, 'src'));
      assert.ok(built.length > 100, `${built.length} files built`);
      for (const file of built) {
        const tested = join(ROOT, 'dist', relative(scratch, file));
        assert.ok(existsSync(tested), `${relative(scratch, file)} is in the tests' dist too`);
        assert.ok(readFileSync(file).equals(readFileSync(tested)), `${relative(scratch, file)} is the same in both`);
      }
      assert.ok(built.includes(join(scratch, 'src', 'main.js')));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    assert.match(dockerfile, /^COPY --from=build \/app\/dist\/src \.\/dist\/src$/m);
    // The image, `npm start` and the tests' and bench's service processes run main.js through scripts/service.sh (its Node flags).
    assert.match(dockerfile, /^CMD \["sh", "scripts\/service\.sh", "dist\/src\/main\.js"\]$/m);
    assert.match(dockerfile, /^COPY scripts\/service\.sh \.\/scripts\/service\.sh$/m);
    assert.equal(relative(ROOT, SERVICE_LAUNCHER), join('scripts', 'service.sh'));
    // package.json's start script runs the same file.
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(scripts.build, /^swc src test bench console\/src\/model -d dist -q && node scripts\/build-web\.mjs$/);
    // The pages the service serves (/console, /graphiql) are built by the same script and copied into the image.
    assert.match(dockerfile, /^RUN node scripts\/build-web\.mjs$/m);
    assert.match(dockerfile, /^COPY --from=build \/app\/dist\/web \.\/dist\/web$/m);
    assert.match(scripts.start, / sh scripts\/service\.sh dist\/src\/main\.js$/);
  });

  test('.dockerignore keeps the context to what the Dockerfile copies', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    for (const name of ['.git', 'node_modules', 'dist', 'data', 'test', 'bench']) assert.ok(ignored.includes(name), `${name} is ignored`);
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(/\s+/));
    assert.deepEqual(copied, ['package.json', 'package-lock.json', '.swcrc', 'src', 'console', 'scripts/build-web.mjs', 'package.json', 'package-lock.json', 'scripts/service.sh']);
    for (const name of copied) assert.equal(ignored.includes(name), false, `${name} is in the context`);
  });
});
