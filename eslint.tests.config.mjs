// Tests and scripts may use timers, process and console: an ordinary TypeScript config.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist', 'node_modules', 'test/e2e/.work'] },
	{
		files: ['**/*.ts', '**/*.mjs', '**/*.js'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: {
			globals: {
				process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
				setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly',
				URLSearchParams: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable',
				fetch: 'readonly', AbortController: 'readonly', setImmediate: 'readonly', structuredClone: 'readonly',
			},
		},
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
);
