import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'data/**', 'scripts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Tests read loosely typed GraphQL answers.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Domains and the kernel are pure: no framework, transport or database (docs/architecture.md, "Dependency rules").
    files: ['src/*/domain/**/*.ts', 'src/kernel/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: ['@nestjs/*', 'graphql', 'mercurius', 'fastify', 'pg', '@electric-sql/*', '@eventstore/*', '**/platform/**', '**/app/**', '**/tools/**'],
      }],
    },
  },
);
