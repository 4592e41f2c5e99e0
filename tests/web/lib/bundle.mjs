// A module of web/src bundled as the application is (./constants.js is the
// build's generated one, THC_WEB_CONSTANTS) and imported under node, for
// the web application's checks without a browser (tests/web/*.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
const require = createRequire(join(repo, 'web', 'package.json'));
const { build } = require('esbuild');

// name: a file of web/src ('i18n.js'); platform: esbuild's ('neutral': no
// package of node_modules; 'node': preact and the others resolved).
export async function importBundled(name, platform = 'neutral') {
	const constants = process.env.THC_WEB_CONSTANTS;
	if (!constants)
		throw new Error('THC_WEB_CONSTANTS (the generated constants.js) is not set');
	const dir = mkdtempSync(join(process.env.THC_TEST_TMP || tmpdir(), 'web-'));
	try {
		const out = join(dir, name.replace(/\.js$/, '.mjs'));
		await build({
			entryPoints: [join(repo, 'web', 'src', name)], bundle: true, format: 'esm',
			platform, outfile: out, logLevel: 'error',
			plugins: [{ name: 'constants', setup(b) {
				b.onResolve({ filter: /^\.\/constants\.js$/ }, () => ({ path: resolve(constants) }));
			} }],
		});
		return await import(pathToFileURL(out));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
