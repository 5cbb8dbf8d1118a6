// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused arguments named _x are intentional (Express signatures, exhaustive handlers).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // One typed contract between UI and core: anything else the UI needs is re-exported there.
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+server/(?!api/contract\\.ts$)', message: 'The renderer imports only server/api/contract.ts (re-export what it needs there).' }] },
      ],
    },
  },
  {
    // The call flow and TwiML are plain functions: no storage, no routes, no HTTP framework, nothing Node-only
    // (they also run as the always-on line on Twilio Functions).
    files: ['server/call-flow/**', 'server/twiml/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'The flow stays free of Node-only modules.' },
            { regex: '^express$', message: 'The flow knows nothing of HTTP; routes call it.' },
            { regex: '/(store|public|api|organiser|connection|twilio|always-on|rehearsal)/', message: 'The flow imports no store, routes or services: they call the flow and apply what it returns.' },
          ],
        },
      ],
    },
  },
);
