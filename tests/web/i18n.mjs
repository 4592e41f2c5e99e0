// Every string of the interface exists in both languages: a key in one
// dictionary only would show its name to the other language's readers.
// The module is bundled with the build's generated constants (as the
// application is) and imported.
import { importBundled } from './lib/bundle.mjs';

const { STRINGS } = await importBundled('i18n.js');
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
