// Browser test harness: a real `thichung` server with the demo data on a
// free loopback port (like tests/api/harness.py) and Debian's Chromium
// driven by playwright-core (never a downloaded browser).
//
// Environment (set by tests/CMakeLists.txt): THC_BIN, THC_DATA_DIR,
// THC_TEST_TMP, THC_E2E_SHOTS (screenshot folder), CHROMIUM (browser path),
// THC_TEST_KEEP=1 keeps the server's temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = dirname(dirname(here));
const require = createRequire(join(REPO, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const BIN = process.env.THC_BIN || join(REPO, 'build', 'thichung');
const DATA_DIR = process.env.THC_DATA_DIR || join(REPO, 'data');
const TMP = process.env.THC_TEST_TMP || '/tmp/thc-test';
export const SHOTS = process.env.THC_E2E_SHOTS || join(dirname(BIN), 'e2e-screenshots');
export const PASSWORD = 'demo2021';

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

export async function startServer() {
	mkdirSync(TMP, { recursive: true });
	const dir = mkdtempSync(join(TMP, 'e2e-'));
	const env = { ...process.env, THC_DATA_DIR: DATA_DIR };
	const db = join(dir, 'thc.db');
	const demo = spawnSync(BIN, ['demo', '--db', db], { env, encoding: 'utf8', timeout: 300000 });
	if (demo.status !== 0)
		throw new Error(`thichung demo failed (${demo.status}): ${demo.stderr}`);
	const port = await freePort();
	const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
		{ env, stdio: ['ignore', 'ignore', 'pipe'] });
	let log = '';
	proc.stderr.on('data', (d) => { log += d; });
	const base = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 20000;
	for (;;) {
		try {
			const r = await fetch(base + '/healthz');
			if (r.status === 200)
				break;
		} catch (e) { /* not yet */ }
		if (proc.exitCode !== null || Date.now() > deadline)
			throw new Error('thichung serve did not come up: ' + log.slice(-2000));
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		base, dir, log: () => log,
		async stop() {
			proc.kill('SIGTERM');
			const code = await new Promise((r) => {
				if (proc.exitCode !== null)
					return r(proc.exitCode);
				proc.on('exit', (c) => r(c));
				setTimeout(() => { proc.kill('SIGKILL'); r('killed'); }, 10000);
			});
			if (process.env.THC_TEST_KEEP !== '1')
				rmSync(dir, { recursive: true, force: true });
			if (code !== 0)
				throw new Error(`thichung serve exited with ${code}`);
		},
	};
}

export async function launchBrowser() {
	// playwright-core starts Chromium with a new empty --user-data-dir of its
	// own (a temporary folder it removes); it refuses the flag in args.
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	return {
		browser,
		async close() {
			await browser.close();
		},
	};
}

// A tiny runner: named steps, each counted; prints "N passed, N failed".
export async function run(name, fn) {
	let passed = 0, failed = 0;
	const step = async (title, f) => {
		const t0 = Date.now();
		try {
			await f();
			passed++;
			console.log(`ok   ${title} (${Date.now() - t0} ms)`);
		} catch (e) {
			failed++;
			console.log(`FAIL ${title}: ${e && e.stack ? e.stack : e}`);
			throw e;
		}
	};
	mkdirSync(SHOTS, { recursive: true });
	let srv = null, br = null;
	try {
		srv = await startServer();
		br = await launchBrowser();
		await fn({ base: srv.base, browser: br.browser, step });
	} catch (e) {
		if (!failed) {
			failed++;
			console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
		}
	} finally {
		if (br)
			await br.close().catch(() => {});
		if (srv)
			await srv.stop().catch((e) => { failed++; console.log('FAIL server stop: ' + e.message); });
	}
	console.log(`${name}: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

export function assert(cond, msg) {
	if (!cond)
		throw new Error('assertion failed: ' + msg);
}

export async function newPage(browser, opts = {}) {
	const ctx = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 900 },
		locale: opts.locale || 'vi-VN', ...opts.context });
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	return { ctx, page, errors };
}
