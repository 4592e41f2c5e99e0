// The installable application that opens offline (web/src/pwa.js, the
// service worker web/src/sw.js written by web/build.mjs): the first visit
// within its budget, the worker in control, a valid manifest; with no
// network the shell, the map with the levels seen online and the forms'
// code; ten check-ins of a community team on a thin line; no personal answer
// ever kept, and nothing but the shell after signing out; a new build
// offered by a banner and applied only when asked.
//
// The browser talks to the server through a loopback proxy of this test,
// which counts the bytes on the wire both ways (headers included, what the
// page and its worker send and receive), can cut the network, and can
// answer /sw.js with a changed worker (a new build).
import net from 'node:net';
import { api, apiGet, assert, dayVN, mapDrawn, newPage, PHONE, run, signIn, workerReady } from './harness.mjs';

const KB = 1024;

function wire(target) {
	const up = new URL(target);
	const live = new Set();
	const st = { sent: 0, received: 0, cut: false, swap: null, log: [] };
	const server = net.createServer((c) => {
		if (st.cut) {
			c.destroy();
			return;
		}
		const s = net.connect(Number(up.port), up.hostname);
		live.add(c);
		live.add(s);
		const end = () => {
			c.destroy();
			s.destroy();
			live.delete(c);
			live.delete(s);
		};
		for (const x of [c, s]) {
			x.on('close', end);
			x.on('error', end);
		}
		let cur = null;   // the request under way on this connection: its line and bytes
		c.on('data', (d) => {
			st.sent += d.length;
			const line = /^[A-Z]+ \S+/.exec(d.toString('latin1', 0, 200));
			if (line)
				st.log.push(cur = { line: line[0], bytes: 0 });
			if (cur)
				cur.bytes += d.length;
			// A new build: this proxy answers /sw.js itself (HTTP/1.1 without
			// pipelining: the connection's earlier answer is complete).
			if (st.swap && d.toString('latin1', 0, 12).startsWith('GET /sw.js ')) {
				const head = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/javascript; charset=utf-8\r\n' +
					`Cache-Control: no-cache\r\nContent-Length: ${st.swap.length}\r\n\r\n`, 'latin1');
				st.received += head.length + st.swap.length;
				c.write(Buffer.concat([head, st.swap]));
				return;
			}
			s.write(d);
		});
		s.on('data', (d) => {
			st.received += d.length;
			if (cur)
				cur.bytes += d.length;
			c.write(d);
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
		base: `http://127.0.0.1:${server.address().port}`,
		bytes: () => st.sent + st.received,
		reset() {
			st.sent = st.received = 0;
			st.log = [];
		},
		// Where the bytes went since the last reset: [{ line, bytes }].
		requests: () => st.log.slice(),
		setCut(on) {
			st.cut = on;
			if (on)
				for (const x of live)
					x.destroy();
		},
		swapWorker(body) {
			st.swap = body;
		},
		close: () => new Promise((r) => {
			for (const x of live)
				x.destroy();
			server.close(r);
		}),
	})));
}

const kb = (n) => (n / KB).toFixed(1) + ' KB';

// The size a PNG file says it has (IHDR).
const pngSize = (bytes) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];

// Every cache of the origin: { name: [{ url, cacheControl }] }.
const cached = (page) => page.evaluate(async () => {
	const out = {};
	for (const name of await caches.keys()) {
		const c = await caches.open(name);
		out[name] = [];
		for (const req of await c.keys()) {
			const res = await c.match(req);
			out[name].push({ url: new URL(req.url).pathname + new URL(req.url).search,
				cacheControl: res.headers.get('Cache-Control') || '' });
		}
	}
	return out;
});

// The worker is active (so its shell is kept whole: it is fetched before
// the worker activates) and controls the page.
// Waits until `cond` (an async function of the page, given `arg`) holds,
// looking again every 100 ms (waitForFunction does not wait for a promise);
// false after 15 s.
async function until(page, cond, arg) {
	return page.evaluate(`(async () => {
		const cond = ${cond.toString()};
		for (const end = Date.now() + 15000; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
			if (await cond(${JSON.stringify(arg)}))
				return true;
		return false;
	})()`);
}

// What no cache may ever hold: answers about people or the signed-in user.
const PERSONAL = /^\/api\/v1\/(me|login|logout|cases|people|persons|isolations|contacts|tests|feedback\/(queue|\d)|support\/(applications|track)|users|audit|search)/;

run('pwa', async ({ base, browser, step }) => {
	const net0 = await wire(base);
	const B = net0.base;
	const phone = await newPage(browser, { viewport: PHONE, serviceWorkers: 'allow' });
	const { page, ctx } = phone;
	let legendOnline = null, shellName = null;

	await step('first visit: the start page within 150 KB on the wire, then the worker in control', async () => {
		// The installed application's start page (start_url); the worker
		// registers only after the load event, so the figure is the page's.
		net0.reset();
		await page.goto(B + '/home', { waitUntil: 'load' });
		const atLoad = net0.bytes();
		console.log(`     first visit of /home, bytes on the wire until load: ${kb(atLoad)}`);
		assert(atLoad <= 150 * KB, `the first visit took ${kb(atLoad)} before load (≤ 150 KB)`);
		await page.waitForSelector('main a[href="/login"]');
		await workerReady(page);
		net0.reset();
		await page.click('header nav a[href="/"]');
		await mapDrawn(page);
		console.log(`     then the level map (boundaries, levels): ${kb(net0.bytes())}`);
		legendOnline = await page.$$eval('.legend .count', (els) => els.map((e) => e.textContent));
		// Seen on the map: the boundaries and the public levels, kept as drawn.
		assert(await until(page, async () => {
			const has = async (name, prefix) => (await caches.has(name)) &&
				(await (await caches.open(name)).keys()).some((r) => new URL(r.url).pathname.startsWith(prefix));
			return await has('thc-geo', '/geo/provinces-') && await has('thc-public', '/api/v1/levels');
		}), 'the boundaries and the levels seen are kept');
		const caches0 = await cached(page);
		shellName = Object.keys(caches0).find((k) => k.startsWith('thc-shell-'));
		const shell = caches0[shellName].map((e) => e.url);
		const sw = await (await fetch(B + '/sw.js')).text();
		const list = JSON.parse(/(\["\/assets\/[^\]]*\])/.exec(sw)[1]);
		for (const u of list)
			assert(shell.includes(u), `the shell keeps ${u}`);
		assert(shell.includes('/index.html') && shell.includes('/manifest.webmanifest'), 'index.html and the manifest kept');
		assert(list.some((u) => /^\/assets\/entry-.*\.js$/.test(u)) && list.some((u) => /^\/assets\/followup-.*\.js$/.test(u)),
			'the forms\' chunks are in the shell');
		assert(!shell.some((u) => u.startsWith('/geo/') || u.startsWith('/api/')), 'the shell holds files only');
		assert((caches0['thc-geo'] || []).some((e) => e.url.startsWith('/geo/provinces-')), 'the province boundaries kept: ' + JSON.stringify(caches0['thc-geo']));
		assert((caches0['thc-public'] || []).some((e) => e.url.startsWith('/api/v1/levels')), 'the public levels kept');
	});

	await step('the manifest, its icons, the worker and the page\'s links', async () => {
		const r = await fetch(B + '/manifest.webmanifest');
		assert(r.status === 200 && r.headers.get('content-type').startsWith('application/manifest+json'), 'manifest type');
		const m = await r.json();
		for (const [k, v] of Object.entries({ name: 'thichung — Chống dịch cơ sở', short_name: 'thichung', lang: 'vi',
			start_url: '/home', scope: '/', display: 'standalone', theme_color: '#0b5394', background_color: '#ffffff' }))
			assert(m[k] === v, `manifest ${k}: ${m[k]}`);
		assert(/[ơưạếộ]/.test(m.description), 'a description in Vietnamese: ' + m.description);
		const want = [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']];
		for (const [sizes, purpose] of want) {
			const ic = m.icons.find((i) => i.sizes === sizes && i.purpose === purpose);
			assert(ic && ic.type === 'image/png', `an icon ${sizes} ${purpose}`);
			const res = await fetch(new URL(ic.src, B));
			const bytes = Buffer.from(await res.arrayBuffer());
			assert(res.status === 200 && res.headers.get('content-type') === 'image/png', `${ic.src}: ${res.status}`);
			assert(pngSize(bytes).join('x') === sizes, `${ic.src} is ${pngSize(bytes).join('x')}`);
		}
		const sw = await fetch(B + '/sw.js');
		assert(sw.headers.get('cache-control') === 'no-cache' && sw.headers.get('content-type').startsWith('text/javascript'),
			'sw.js: no-cache, a script');
		const csp = sw.headers.get('content-security-policy');
		assert(csp.includes("worker-src 'self'") && csp.includes("manifest-src 'self'"), 'the CSP names the worker and manifest');
		const head = await page.evaluate(() => ({
			manifest: document.querySelector('link[rel=manifest]')?.getAttribute('href'),
			theme: document.querySelector('meta[name=theme-color]')?.content,
			apple: document.querySelector('link[rel=apple-touch-icon]')?.getAttribute('href'),
		}));
		assert(head.manifest === '/manifest.webmanifest' && head.theme === m.theme_color, 'the page links: ' + JSON.stringify(head));
		const apple = await fetch(new URL(head.apple, B));
		assert(apple.status === 200 && pngSize(Buffer.from(await apple.arrayBuffer())).join('x') === '180x180', 'apple-touch-icon');
	});

	await step('offline: the shell, the map with the levels seen online, the forms\' code', async () => {
		net0.setCut(true);
		await ctx.setOffline(true);
		await page.reload();
		await page.waitForSelector('header.top nav a[href="/"]');
		await mapDrawn(page);
		const legend = await page.$$eval('.legend .count', (els) => els.map((e) => e.textContent));
		assert(JSON.stringify(legend) === JSON.stringify(legendOnline), `the levels seen online: ${legend} / ${legendOnline}`);
		for (const path of ['/home', '/entry?form=checkin', '/followup']) {
			await page.goto(B + path);
			await page.waitForSelector('header.top nav');
			const main = (await page.textContent('main')).trim();
			assert(main.length > 0, `${path}: a blank page offline`);
		}
		// Each page's code opens with no network (the forms load after the first page).
		const chunks = (await cached(page))[shellName].map((e) => e.url).filter((u) => /^\/assets\/(entry|home|followup)-/.test(u));
		assert(chunks.length === 3, 'the chunks of three pages: ' + chunks);
		const loaded = await page.evaluate((us) => Promise.all(us.map((u) => import(u).then((m) => Object.keys(m).length))), chunks);
		assert(loaded.every((n) => n > 0), 'the chunks load offline: ' + loaded);
		await ctx.setOffline(false);
		net0.setCut(false);
	});

	// Ten isolations of the team's hamlet, opened by the commune's health worker.
	const setup = await newPage(browser);
	await signIn(setup.page, base, 'ytephucxa');
	const isoIds = [];
	for (let i = 0; i < 10; i++) {
		const c = await api(setup.page, 'POST', '/cases', { person: { full_name: `Người thử ${i + 1}`, birth_year: 1970 + i,
			unit_code: '00001-001-0001' }, detected_on: dayVN(-1), source: 'community', test_type: 'antigen' });
		assert(c.status === 201, 'case: ' + JSON.stringify(c.json));
		const iso = await api(setup.page, 'POST', '/isolations', { person_id: c.json.person_id, case_id: c.json.id, kind: 'home',
			unit_code: '00001-001-0001', started_on: dayVN(-1) });
		assert(iso.status === 201, 'isolation: ' + JSON.stringify(iso.json));
		isoIds.push(iso.json.id);
	}

	await step('todan1 on a thin line: reopen /followup and send ten check-ins, the shell from the worker, the bytes counted', async () => {
		await signIn(page, B, 'todan1');
		await workerReady(page);
		net0.reset();
		await page.goto(B + '/followup');
		await page.waitForSelector('#followup-list');
		for (const id of isoIds) {
			const card = `.iso-card[data-id="${id}"]`;
			await page.click(`${card} button.checkin-open`);
			await page.fill(`#checkin-${id} input[name=spo2]`, '97');
			// The check-in: the counts move on the page, nothing read again.
			const [resp] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/isolations/${id}/checkins`),
				page.click(`#checkin-${id} button[type=submit]`),
			]);
			assert(resp.status() === 201, `check-in ${id}: ${resp.status()}`);
			await page.waitForSelector(`${card} .checkin-done`);
		}
		const total = net0.bytes();
		const reqs = net0.requests();
		console.log(reqs.map((e) => `${String(e.bytes).padStart(8)} ${e.line}`).join('\n'));
		for (const id of isoIds)
			assert((await apiGet(setup.page, `/isolations/${id}/checkins`)).items.length === 1, `check-in of ${id} stored`);
		// The shell costs nothing: the worker answers the page and its code.
		const shellReqs = reqs.filter((e) => /^GET \/(assets|geo)\/|^GET \/(index\.html|manifest\.webmanifest|followup)\b/.test(e.line));
		assert(shellReqs.length === 0, 'the shell fetched again: ' + shellReqs.map((e) => e.line));
		const count = (re) => reqs.filter((e) => re.test(e.line)).length;
		assert(count(/^GET \/api\/v1\/me$/) === 1, '/me read once');
		assert(count(/^GET \/api\/v1\/isolations\?.*limit=50/) === 1, 'the list read once');
		assert(count(/^POST \/api\/v1\/isolations\/\d+\/checkins$/) === 10, 'ten check-ins sent');
		// What the worker itself adds: the browser's checks for a new build
		// (one after a navigation, and after its own events), nothing else.
		const own = reqs.filter((e) => !e.line.includes(' /api/'));
		assert(own.every((e) => e.line === 'GET /sw.js') && own.length <= 3, 'the worker\'s own requests: ' + own.map((e) => e.line));
		// A check-in is its POST alone (~1.3 KB, mostly the browser's request
		// headers, which HTTP/1.1 does not compress); the list comes gzipped.
		assert(count(/limit=1$/) === 0, 'the counts are not read again after a check-in');
		const perCheckin = reqs.filter((e) => /checkins$/.test(e.line)).reduce((n, e) => n + e.bytes, 0) / 10;
		console.log(`     reopen /followup and ten check-ins: ${kb(total)} on the wire (requests and answers); ` +
			`a check-in ${kb(perCheckin)}`);
		assert(perCheckin <= 1.6 * KB, `a check-in took ${kb(perCheckin)} on the wire (≤ 1.6 KB)`);
		assert(total < 20 * KB, `reopening and ten check-ins took ${kb(total)} (< 20 KB)`);
	});

	await step('no cache holds a personal answer; signing out leaves only the shell', async () => {
		const all = await cached(page);
		const apiUrls = Object.values(all).flat().filter((e) => e.url.startsWith('/api/'));
		for (const e of apiUrls) {
			assert(!PERSONAL.test(e.url), 'a personal answer kept: ' + e.url);
			assert(/\bpublic\b/.test(e.cacheControl), `kept without being public: ${e.url} (${e.cacheControl})`);
		}
		assert(!Object.entries(all).some(([k, v]) => k.startsWith('thc-shell-') && v.some((e) => e.url.startsWith('/api/'))),
			'the shell holds no answer');
		// What this user's session left (marked), then signing out: it all
		// goes but the shell; the map shown after it keeps only its own
		// public answers again.
		const shellCount = all[shellName].length;
		await page.evaluate(() => Promise.all(['thc-public', 'thc-geo'].map((n) => caches.open(n)
			.then((c) => c.put('/api/v1/units/seen-before', new Response('{}', { headers: { 'Cache-Control': 'public' } }))))));
		await page.click('header nav button.linkish');
		await page.waitForSelector('header nav a[href="/login"]');
		assert(await until(page, async () => {
			for (const name of await caches.keys())
				if (await (await caches.open(name)).match('/api/v1/units/seen-before'))
					return false;
			return true;
		}), 'what was kept before signing out is still there: ' + JSON.stringify(await cached(page)));
		const after = await cached(page);
		assert(after[shellName] && after[shellName].length === shellCount, 'the shell kept whole');
		for (const [name, entries] of Object.entries(after))
			if (name !== shellName)
				for (const e of entries)
					assert(/\bpublic\b/.test(e.cacheControl) || e.url.startsWith('/geo/'), `after signing out, ${name} holds ${e.url}`);
		assert(!Object.keys(after).some((k) => k.startsWith('thc-shell-') && k !== shellName), 'no other shell');
	});

	await step('a new build: the banner offers it, nothing reloads until "Tải lại"', async () => {
		const sw = Buffer.from(await (await fetch(base + '/sw.js')).text() + '\n// a new build\n');
		net0.swapWorker(sw);
		await page.goto(B + '/feedback');
		await page.fill('textarea[name=description]', 'đang gõ dở');
		await page.evaluate(() => { window.__stillHere = true; });
		await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
		await page.waitForSelector('#pwa-update[role=status]', { timeout: 20000 });
		const text = await page.textContent('#pwa-update');
		assert(text.includes('Đã có phiên bản mới') && text.includes('Tải lại'), 'the banner: ' + text);
		assert(await page.evaluate(() => window.__stillHere === true), 'the page reloaded on its own');
		await Promise.all([
			page.waitForEvent('framenavigated'),
			page.click('#pwa-update button.primary'),
		]);
		await page.waitForSelector('header.top nav');
		assert(await page.evaluate(() => window.__stillHere === undefined), 'the page reloaded after "Tải lại"');
		const reg = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => ({
			waiting: !!r.waiting, active: r.active && r.active.state })));
		assert(!reg.waiting && reg.active === 'activated', 'the new worker took over: ' + JSON.stringify(reg));
		assert(!await page.$('#pwa-update'), 'no banner after the update');
		net0.swapWorker(null);
	});

	await net0.close();
});
