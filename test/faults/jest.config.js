// Jest for the fault suite only (npm run test:faults): the root config leaves test/faults out of
// the default `npm test`, so the suite runs once, through scripts/faults.mjs.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	rootDir: '../..',
	roots: ['<rootDir>/test/faults'],
	testPathIgnorePatterns: ['/node_modules/'],
};
