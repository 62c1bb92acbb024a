/**
 * Dependency rules (docs/architecture.md, "Dependency rules"): dependencies point one way, from the
 * composition root (src/app) and the tools to the features, from the features to the platform and
 * the kernel, and never back.
 */
const FEATURES = '(inventory|residency|cost|procurement|access|scenarios|outbound)';
const PURE_LIBRARIES = 'node_modules/(decimal\\.js|i18n-iso-countries)/';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        "A feature's domain imports only its own domain, the kernel, another feature's *.events / *.enums files and pure data libraries: no NestJS, GraphQL, SQL, event store or other layer",
      from: { path: `^src/${FEATURES}/domain/` },
      to: {
        pathNot: ['^src/$1/domain/', '^src/kernel/', `^src/${FEATURES}/domain/[^/]+\\.(events|enums)\\.ts$`, PURE_LIBRARIES],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'kernel-is-pure',
      severity: 'error',
      comment: 'The kernel imports nothing else in src and no framework',
      from: { path: '^src/kernel/' },
      to: { pathNot: ['^src/kernel/', PURE_LIBRARIES], dependencyTypesNot: ['core'] },
    },
    {
      name: 'platform-knows-no-feature',
      severity: 'error',
      comment: 'The platform imports no feature, and neither the composition root nor the tools',
      from: { path: '^src/platform/' },
      to: { path: [`^src/${FEATURES}/`, '^src/app/', '^src/tools/'] },
    },
    {
      name: 'features-meet-through-index',
      severity: 'error',
      comment: "Outside a feature, only its index.ts is imported (a domain may also use another feature's events and enums, see domain-is-pure)",
      from: { path: '^src/([^/]+)/', pathNot: `^src/${FEATURES}/domain/` },
      to: { path: `^src/${FEATURES}/(?!index\\.ts$)`, pathNot: '^src/$1/' },
    },
    {
      name: 'read-never-imports-write',
      severity: 'error',
      comment: "A feature's read side answers from read models; it never reaches into its write side",
      from: { path: `^src/${FEATURES}/read/` },
      to: { path: '^src/$1/write/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src' },
      // Type-only cycles vanish at run time; value cycles break module initialisation.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
