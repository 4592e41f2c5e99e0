// Runs `npm ci` when web/node_modules is missing or older than
// package-lock.json (CMake calls this before build.mjs).  No dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const npmArg = process.argv.indexOf('--npm');
const npm = npmArg > 0 ? process.argv[npmArg + 1] : 'npm';
const lock = join(here, 'package-lock.json');
const installed = join(here, 'node_modules', '.package-lock.json');

const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
	console.log('web: npm ci (node_modules missing or older than package-lock.json)');
	execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'],
		{ cwd: here, stdio: 'inherit' });
}
