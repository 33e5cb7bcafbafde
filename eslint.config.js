// One lint setup for every package (`npm run lint`; deploy/test-all.sh runs it, so CI does).
import tseslint from 'typescript-eslint';

// One home for SQL (issue 10 §3): `analytics/` is the only package that writes SQL and runs it
// on a store; every other package calls an analytics function. Outside `analytics/` these fail:
//  - importing the SQL builders (`sql`, `trusted`, `ident`, `isIn`, `join`, `literal`,
//    `quoteString`, `empty`) from `@edu/analytics` or `@edu/analytics/clickhouse`;
//  - a template tagged `sql`, `trusted` or `ident`, however the tag came into scope
//    (sql`…`, x.sql`…`), and calling `trusted(…)` or `ident(…)`;
//  - `.query(…)` or `.exec(…)` called on a store: an object named `store` or `…Store`
//    (`store.query`, `testStore.exec`), or a `store` / `…Store` property (`this.store.query`,
//    `deps.store.exec`). The check is by name, as lint sees no types: name a Store `store`.
// Allowed everywhere: the typed inserts `store.insert(table, rows)` and
// `store.insertJsonLines(table, lines)` (a table name and rows, no SQL text: ingest's batch
// writer and dead letters, the tests' `storeEvents`), and `store.ping()` / `store.close()`.
// No file outside `analytics/` is exempt: not tests, benches or `streamer/src/alerts/`. What a
// test or bench reads back from a store is in `@edu/analytics/testing` (`inspect.ts`:
// storedIds, distinctIds, rowCount, storedDeadLetters, storedComments, userVersions, interceptQueries).
// Not covered: SQL as plain text handed to another program (ingest/bench/throughput.ts's raw
// ceiling pipes kcat into clickhouse-client on purpose, with no product code in the way).
const SQL_HOME =
  'SQL belongs in analytics/, the one package that knows ClickHouse: call or add a function there (tests: @edu/analytics/testing).';
const SQL_BUILDERS = ['sql', 'trusted', 'ident', 'isIn', 'join', 'literal', 'quoteString', 'empty'];
const STORE = '/^(store|.*Store)$/';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only config modules read the environment (style.md: typed config, handed in).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read the environment in a config module only' },
      ],
    },
  },
  {
    files: [
      '**/config.ts',
      '**/bin/**',
      '**/bench/**',
      '**/testing/**',
      '**/*.test.ts',
      '**/e2e/**',
      'deploy/src/**',
      '**/vite.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: ['analytics/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@edu/analytics', '@edu/analytics/clickhouse'].map((name) => ({
            name,
            importNames: SQL_BUILDERS,
            message: SQL_HOME,
          })),
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'TaggedTemplateExpression[tag.name=/^(sql|trusted|ident)$/]', message: `No SQL here. ${SQL_HOME}` },
        {
          selector: 'TaggedTemplateExpression[tag.property.name=/^(sql|trusted|ident)$/]',
          message: `No SQL here. ${SQL_HOME}`,
        },
        { selector: 'CallExpression[callee.name=/^(trusted|ident)$/]', message: `No SQL here. ${SQL_HOME}` },
        {
          selector: `CallExpression[callee.property.name=/^(query|exec)$/][callee.object.name=${STORE}]`,
          message: `No store queries here. ${SQL_HOME}`,
        },
        {
          selector: `CallExpression[callee.property.name=/^(query|exec)$/][callee.object.property.name=${STORE}]`,
          message: `No store queries here. ${SQL_HOME}`,
        },
      ],
    },
  },
);
