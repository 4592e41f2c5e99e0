// Every string of the interface exists in both languages: a key in one
// dictionary only would show its name to the other language's readers.
// The module is bundled with the build's generated constants (as the
// application is) and imported.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(dirname(here));
const require = createRequire(join(repo, 'web', 'package.json'));
const { build } = require('esbuild');
const constants = process.env.THC_WEB_CONSTANTS;
if (!constants)
	throw new Error('THC_WEB_CONSTANTS (the generated constants.js) is not set');

const dir = mkdtempSync(join(process.env.THC_TEST_TMP || tmpdir(), 'i18n-'));
try {
	const out = join(dir, 'i18n.mjs');
	await build({
		entryPoints: [join(repo, 'web', 'src', 'i18n.js')], bundle: true, format: 'esm',
		platform: 'neutral', outfile: out, logLevel: 'error',
		plugins: [{ name: 'constants', setup(b) {
			b.onResolve({ filter: /^\.\/constants\.js$/ }, () => ({ path: resolve(constants) }));
		} }],
	});
	const { STRINGS } = await import(pathToFileURL(out));
	const problems = [];
	for (const [a, b] of [['vi', 'en'], ['en', 'vi']])
		for (const k of Object.keys(STRINGS[a]))
			if (!(k in STRINGS[b]))
				problems.push(`'${k}' is in ${a} but not in ${b}`);
	for (const lang of ['vi', 'en'])
		for (const [k, v] of Object.entries(STRINGS[lang]))
			if (typeof v !== 'string' || v.trim() === '')
				problems.push(`'${k}' is empty in ${lang}`);
	if (problems.length) {
		console.error(problems.join('\n'));
		process.exit(1);
	}
	console.log(`i18n: ${Object.keys(STRINGS.vi).length} keys, both languages`);
} finally {
	rmSync(dir, { recursive: true, force: true });
}
