import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * No class over 400 lines (issue "One house": a class that long holds more than one job). ESLint has a rule for a
 * function's length (max-lines-per-function) and a file's (max-lines), none for a class's: this is that rule.
 */
const maxClassLines = {
  meta: {
    type: 'suggestion',
    schema: [{ type: 'integer', minimum: 1 }],
    messages: { long: 'class {{name}} is {{lines}} lines (at most {{max}}): give one of its jobs a module of its own' },
  },
  create(context) {
    const max = context.options[0] ?? 400;
    const check = (node) => {
      const lines = node.loc.end.line - node.loc.start.line + 1;
      if (lines > max)
        context.report({ node, messageId: 'long', data: { name: node.id?.name ?? '(anonymous)', lines, max } });
    };
    return { ClassDeclaration: check, ClassExpression: check };
  },
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', '.cache', 'public', 'bench/results', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // React code only: Playwright fixtures also call a function named `use`.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The shape the house keeps (issue "One house"): no function over 150 lines, no class over 400.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    plugins: { hushcart: { rules: { 'max-class-lines': maxClassLines } } },
    rules: {
      'max-lines-per-function': ['error', { max: 150 }],
      'hushcart/max-class-lines': ['error', 400],
    },
  },
  {
    files: ['e2e/**/*.ts', 'bench/**/*.ts', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['scripts/**/*.{js,mjs}', '*.config.{js,ts}', '.dependency-cruiser.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
