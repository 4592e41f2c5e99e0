// Browser test harness: a real `thichung` server with the demo data on a
// free loopback port (like tests/api/harness.py) and Debian's Chromium
// driven by playwright-core (never a downloaded browser).
//
// Environment (set by tests/CMakeLists.txt): THC_BIN, THC_DATA_DIR,
// THC_TEST_TMP, THC_E2E_SHOTS (screenshot folder), CHROMIUM (browser path),
// THC_TEST_KEEP=1 keeps the server's temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
	const env = { ...process.env, THC_DATA_DIR: DATA_DIR,
		THC_SUPPORT_EXTRA: process.env.THC_SUPPORT_EXTRA || join(REPO, 'tests', 'fixtures', 'support') };
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
		await fn({ base: srv.base, browser: br.browser, step, db: join(srv.dir, 'thc.db') });
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
	// A failure keeps the server's own account of it (its last log lines).
	if (failed && srv)
		console.log(`server log (last 4000 bytes):\n${srv.log().slice(-4000)}`);
	console.log(`${name}: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

// Runs the thichung command line (as cron would: `feedback escalate`) on
// the test's database: { status, stdout, stderr }.
export function thichung(...args) {
	const env = { ...process.env, THC_DATA_DIR: DATA_DIR };
	return spawnSync(BIN, args, { env, encoding: 'utf8', timeout: 120000 });
}

export function assert(cond, msg) {
	if (!cond)
		throw new Error('assertion failed: ' + msg);
}

// A small phone: the data entry forms are driven at this width.
export const PHONE = { width: 360, height: 740 };

// A day in Việt Nam (UTC+7) as YYYY-MM-DD, `days` from today (negative: before).
export function dayVN(days = 0) {
	return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

// YYYY-MM-DD as the forms show and take it: dd/mm/yyyy.
export const dmy = (iso) => iso.split('-').reverse().join('/');

// Text in Vietnamese (not the English variant): it has Vietnamese letters.
export const VIETNAMESE = /[ăâđêôơưàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]/i;

// Signs `username` in through the login form and waits until the page knows
// the user (the footer names them).
export async function signIn(page, base, username) {
	await page.goto(base + '/login');
	await page.fill('input[name=username]', username);
	await page.fill('input[name=password]', PASSWORD);
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/api/v1/login') && r.request().method() === 'POST'),
		page.click('form button[type=submit]'),
	]);
	assert(resp.status() === 200, `sign-in of ${username}: ${resp.status()}`);
	await page.waitForSelector(`footer:has-text("${username}")`);
}

// The JSON API as the page's user (its session cookie, and the CSRF token
// for writes), the way the application calls it: { status, json }.
export async function api(page, method, path, body) {
	return page.evaluate(async ([method, path, body]) => {
		const headers = { Accept: 'application/json', 'Accept-Language': 'vi' };
		const m = document.cookie.match(/(?:^|; )thc_csrf=([^;]*)/);
		if (method !== 'GET' && m)
			headers['X-CSRF-Token'] = decodeURIComponent(m[1]);
		if (body !== undefined)
			headers['Content-Type'] = 'application/json';
		const r = await fetch('/api/v1' + path, { method, headers, cache: 'no-store',
			body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await r.text();
		let json = null;
		try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
		return { status: r.status, json };
	}, [method, path, body]);
}

// A record read back through the API has the values of `want` (a subset of
// its fields, compared as JSON).
export function assertRecord(got, want, what) {
	assert(got, `${what}: not found`);
	for (const [k, v] of Object.entries(want))
		assert(JSON.stringify(got[k]) === JSON.stringify(v),
			`${what}: ${k} is ${JSON.stringify(got[k])}, expected ${JSON.stringify(v)} (${JSON.stringify(got)})`);
}

// GET an API path that must answer 200; its JSON.
export async function apiGet(page, path) {
	const r = await api(page, 'GET', path);
	assert(r.status === 200, `GET ${path}: ${r.status} ${JSON.stringify(r.json)}`);
	return r.json;
}

// Opens a data entry form as a person does: "Nhập liệu" in the header, then
// the form's tab.  `form` is its name in the URL (case, zone_end, csv...).
export async function openForm(page, form) {
	if (!new URL(page.url()).pathname.startsWith('/entry'))
		await page.click('header nav a[href="/entry"]');
	await page.click(`.tabs a[href$="form=${form}"]`);
	await page.waitForSelector(`#form-${form.replace('_', '-')} button[type=submit]`);
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `the ${form} form is wider than the screen: ${w} px`);
}

// Types `values` ({ name: text }) into the controls of #formId as a person
// does: text typed in, an option chosen, a box ticked (true).
export async function fillForm(page, formId, values) {
	for (const [name, value] of Object.entries(values)) {
		const sel = `#${formId} [name="${name}"]`;
		const kind = await page.$eval(sel, (e) => (e.type === 'checkbox' ? 'checkbox' : e.tagName.toLowerCase()));
		if (kind === 'select')
			await page.selectOption(sel, String(value));
		else if (kind === 'checkbox')
			await page.setChecked(sel, value === true);
		else
			await page.fill(sel, String(value));
		await pickerSettled(page, sel, value);
	}
}

// A unit field (the unit picker) has looked up what was typed in it: the
// unit named, the names found, or none; its line keeps its place meanwhile.
export async function pickerSettled(page, sel, value) {
	// Other pickers (cases, people, rule sets) keep what is typed as it is.
	if (!await page.$eval(sel, (e) => e.getAttribute('role') === 'combobox' &&
		!!e.closest('.unitpick')?.hasAttribute('data-state')))
		return;
	await page.waitForFunction(([s, v]) => {
		const box = document.querySelector(s)?.closest('.unitpick');
		return box && box.dataset.for === v.trim() && box.dataset.state !== 'resolving';
	}, [sel, String(value)]);
}

// Submits #formId and waits for its own request (method, path ending in
// `path`) and for the form to show the answer.  A success must leave a
// .success line and no error in the form.  Returns { status, json }.
export async function submitAndWait(page, formId, path, method = 'POST') {
	const form = '#' + formId;
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === method &&
			new URL(r.url()).pathname.endsWith('/api/v1' + path)),
		page.click(`${form} button[type=submit]`),
	]);
	const json = await resp.json().catch(() => null);
	// The button is disabled from the click until the answer is shown.
	await page.waitForSelector(`${form} button[type=submit]:enabled`);
	if (resp.ok()) {
		await page.waitForSelector(`${form} .success`);
		const err = await page.$(`${form} .error, ${form} .field-error`);
		assert(!err, `${formId}: an error left after ${resp.status()}: ` + (err ? await err.textContent() : ''));
	}
	return { status: resp.status(), json };
}

// The server's refusal `res` shown at the field `name` of #formId, and only
// there: the .field.has-error wrapper around that control, aria-invalid, the
// message (the server's own, in Vietnamese) tied by aria-describedby, and
// the focus moved to it.
export async function expectFieldError(page, formId, name, res, status = 422) {
	const form = '#' + formId;
	assert(res.status === status, `${formId}: ${status} expected, got ${res.status} ${JSON.stringify(res.json)}`);
	const marked = await page.$$eval(`${form} .field.has-error`, (els) =>
		els.map((e) => e.querySelector('input, select, textarea')?.name));
	assert(marked.length === 1 && marked[0] === name, `${formId}: the error at ${name}, marked: ${marked}`);
	const control = `${form} .field.has-error [name="${name}"]`;
	assert(await page.getAttribute(control, 'aria-invalid') === 'true', `${name} aria-invalid`);
	const msg = (await page.textContent(`${form} .field.has-error .field-error`)).trim();
	assert(msg === atField(res.json.error.message), `${name}: shown "${msg}", the server said "${res.json.error.message}"`);
	assert(VIETNAMESE.test(msg), `${name}: the message is not in Vietnamese: ${msg}`);
	const errId = await page.getAttribute(`${form} .field.has-error .field-error`, 'id');
	assert((await page.getAttribute(control, 'aria-describedby') || '').split(' ').includes(errId),
		`${name}: aria-describedby names the message`);
	const focused = await page.waitForFunction(([f, n]) => document.activeElement?.name === n &&
		document.activeElement.closest('form')?.id === f, [formId, name], { timeout: 5000 }).catch(() => null);
	assert(focused, `${formId}: the focus did not move to ${name}`);
}

// Waits until the page has drawn what it loads: no "loading" left in the
// main part, every chart has its canvas, the web fonts are in.
export async function rendered(page) {
	await page.waitForFunction(() => {
		const main = document.querySelector('main');
		return main && !main.querySelector('[role=status].loading') &&
			![...main.querySelectorAll('[role=status]')].some((e) => /^(Đang tải…|Loading…)$/.test(e.textContent.trim())) &&
			[...main.querySelectorAll('.chart')].every((c) => c.querySelector('canvas'));
	});
	await page.evaluate(() => document.fonts.ready.then(() => true));
}

// Waits until the level map shows the legend's counts (as many shapes of
// each colour as the legend counts at a level) and no zoom or pan is under
// way, then for the fonts.
export async function mapDrawn(page) {
	await page.waitForFunction(() => {
		const counts = [...document.querySelectorAll('.legend .count')].map((e) => Number(e.textContent))
			.filter((n) => n > 0).sort((a, b) => a - b);
		const fills = {};
		for (const p of document.querySelectorAll('.map path.leaflet-interactive'))
			fills[p.getAttribute('fill')] = (fills[p.getAttribute('fill')] || 0) + 1;
		const drawn = Object.values(fills).sort((a, b) => a - b);
		return counts.length > 0 && JSON.stringify(counts) === JSON.stringify(drawn) &&
			!document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim');
	});
	await page.evaluate(() => document.fonts.ready.then(() => true));
}

// The page's script errors, but for the console's note of each 4xx answer
// (the refusals a test provokes on purpose).
export function assertNoScriptErrors(errors) {
	const real = errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
	assert(real.length === 0, 'console errors: ' + real.join('\n'));
}

// axe-core's check of the page as it is (or of `include`, a selector):
// the serious and critical violations, none expected.  A map's tiles and
// shapes (drawn by Leaflet) are left out: they are pictures, their
// content is the table below them.
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export async function assertAccessible(page, what, include) {
	await page.evaluate(AXE);
	const found = await page.evaluate(async (inc) => {
		const r = await window.axe.run({ include: [inc || 'body'], exclude: [['.leaflet-pane']] },
			{ resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
		return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
			.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
	}, include || null);
	assert(found.length === 0, `${what}: accessibility violations:\n  ` + found.join('\n  '));
}

// Submits #formId from the keyboard: Tab from the last field until the
// submit button has the focus, then Enter (the request, as submitAndWait).
export async function submitByKeyboard(page, formId, path, method = 'POST') {
	const btn = `#${formId} button[type=submit]`;
	let reached = false;
	for (let i = 0; i < 40 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.$eval(btn, (b) => b === document.activeElement);
	}
	assert(reached, `${formId}: the submit button is not reached by Tab`);
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith('/api/v1' + path)),
		page.keyboard.press('Enter'),
	]);
	return { status: resp.status(), json: await resp.json().catch(() => null) };
}

// A new context and its page.  The service worker (/sw.js) is blocked
// unless a test asks for it (opts.serviceWorkers: 'allow'): playwright's
// page.route and network events do not see what a worker answers.
export async function newPage(browser, opts = {}) {
	const ctx = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 900 },
		locale: opts.locale || 'vi-VN', serviceWorkers: opts.serviceWorkers || 'block', ...opts.context });
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	return { ctx, page, errors };
}

// A server message as a form shows it at its field: without the "trường
// 'name': " the label above already says, dates dd/mm/yyyy.
export function atField(message) {
	const m = message.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1').replace(/YYYY-MM-DD/g, 'dd/mm/yyyy')
		.replace(/^(?:mục|item) \d+: (?=(?:trường|field) ')/, '').replace(/^(?:trường|field) '[A-Za-z0-9_.\[\]]+': /, '');
	return m.charAt(0).toUpperCase() + m.slice(1);
}

// The keys of the interface's strings (web/src/i18n.js), so that one shown
// untranslated is found even when it is a plain word ("save").
const I18N_KEYS = [...new Set([...readFileSync(join(REPO, 'web', 'src', 'i18n.js'), 'utf8')
	.matchAll(/^\t\t([a-z][a-z0-9_]*): '/gm)].map((m) => m[1]))];

// Visible text a person reads on the page (text, placeholders, labels for
// screen readers) with an ISO date (YYYY-MM-DD), an internal field path
// (person.unit_code, items[0]), a snake_case name or an i18n key shown as
// it is: the offending pieces, none expected.  <code> is left out: it shows
// CSV column names on purpose.
export async function badTexts(page) {
	return page.evaluate((keys) => {
		const iso = /\b\d{4}-\d{2}-\d{2}\b/;
		const path = /\b(?:person|items?|groups?)(?:\[\d+\])?\.[a-z_]+|\[\d+\]|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;
		const keySet = new Set(keys);
		const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
		const bad = [];
		const check = (text, where) => {
			const s = (text || '').trim();
			if (!s)
				return;
			if (iso.test(s) || path.test(s) || keySet.has(s))
				bad.push(`${where}: ${s.slice(0, 160)}`);
		};
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const el = n.parentElement;
			if (!el || el.closest('code, script, style, noscript') || !visible(el))
				continue;
			check(n.textContent, el.tagName.toLowerCase());
		}
		for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title]'))
			if (visible(el))
				for (const a of ['placeholder', 'aria-label', 'title'])
					check(el.getAttribute(a), `${el.tagName.toLowerCase()}[${a}]`);
		return bad;
	}, I18N_KEYS);
}

export async function assertCleanText(page, what) {
	const bad = await badTexts(page);
	assert(bad.length === 0, `${what}: text a person should not read:\n  ` + bad.join('\n  '));
}

// The service worker (of a page opened with serviceWorkers: 'allow') is
// active and controls the page: from then on the shell opens offline.
export async function workerReady(page) {
	await page.evaluate(async () => {
		const reg = await navigator.serviceWorker.ready;
		const w = reg.active;
		if (w.state !== 'activated')
			await new Promise((r) => w.addEventListener('statechange', () => w.state === 'activated' && r()));
		if (!navigator.serviceWorker.controller)
			await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
	});
}
