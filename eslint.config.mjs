// n8n's community-node rules for the shipped code, set up as @n8n/node-cli does for a package
// that is not verified for n8n Cloud (package.json "strict": false).
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	globalIgnores(['dist', 'node_modules', 'test', 'scripts', '*.js', '*.mjs']),
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, community, importPlugin.configs['flat/recommended']],
		rules: { 'prefer-spread': 'off', 'no-console': 'error' },
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
	},
	{
		files: ['package.json'],
		extends: [community],
		rules: {
			...n8nNodesBase.configs.community.rules,
			// package.json has no email or homepage because the project has none yet (a made-up one would
			// be published). npm run test:package still runs n8n's scanner with both rules and reports
			// them; with --release (the release workflow) a missing author email fails.
			'@n8n/community-nodes/valid-author': 'off',
			'@n8n/community-nodes/require-homepage': 'off',
		},
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	// The engine (engine/) is plain TypeScript: no n8n package, and nothing from the glue that uses
	// it (credentials/, nodes/). Credentials and nodes import the engine, never the reverse.
	{
		files: ['engine/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['n8n-workflow', 'n8n-workflow/*', 'n8n-core', 'n8n-core/*', 'n8n', 'n8n/*', '@n8n/*'], message: 'The engine does not use n8n; n8n-specific code belongs in credentials/common/ or nodes/.' },
						{ group: ['**/credentials', '**/credentials/**', '**/nodes', '**/nodes/**'], message: 'The engine does not import the glue; pass what it needs in (transport, clock, wording).' },
					],
				},
			],
			'import-x/no-restricted-paths': [
				'error',
				{
					zones: [
						{ target: './engine', from: './credentials', message: 'The engine does not import credential code.' },
						{ target: './engine', from: './nodes', message: 'The engine does not import node code.' },
					],
				},
			],
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
