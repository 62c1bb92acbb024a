/** Layer rules: the domain depends on nothing but itself and plain data libraries. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain must not import NestJS, GraphQL, SQL drivers, the event store or other layers',
      from: { path: '^src/domain' },
      to: {
        pathNot: ['^src/domain', 'node_modules/(decimal\\.js|i18n-iso-countries)/'],
        dependencyTypesNot: ['core'],
      },
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
