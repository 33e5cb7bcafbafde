// One lint setup for every package (`npm run lint`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only config modules read the environment (style.md: typed config, handed in).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read the environment in a config module only' }],
    },
  },
  {
    files: ['**/config.ts', '**/bin/**', '**/bench/**', '**/testing/**', '**/*.test.ts', '**/e2e/**', 'deploy/src/**', '**/vite.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
