// Copies the SVG icons and the node codex files next to the compiled files, where n8n looks for them.
const { src, dest, parallel, task } = require('gulp');

function copyNodeAssets() {
	return src('nodes/**/*.{png,svg,node.json}', { encoding: false }).pipe(dest('dist/nodes'));
}

function copyCredentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials'));
}

task('build:icons', parallel(copyNodeAssets, copyCredentialAssets));
