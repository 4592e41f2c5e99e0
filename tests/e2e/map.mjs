// The public level map in a real browser: first load (timed, printed),
// published dates, drill-down province → district → communes, Quảng Ninh's
// table fallback, language switch remembered, shareable URL, 360 px layout,
// the static files' caching and security headers.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, assertNoScriptErrors, mapDrawn, newPage, REPO, run, SHOTS } from './harness.mjs';

const counts = async (page) => page.$$eval('.legend .count', (els) =>
	Object.fromEntries(els.map((e) => [e.dataset.level, Number(e.textContent)])));

// The measures the legend lists for each level, against those of the API
// call the page makes for its view (/levels?date=&parent=), in Vietnamese.
async function checkMeasures(page) {
	await page.click('.measures summary');
	const q = new URL(page.url()).searchParams;
	const data = await page.evaluate(async (path) => (await fetch(path)).json(),
		'/api/v1/levels?' + new URLSearchParams({ date: q.get('date'), ...(q.get('unit') ? { parent: q.get('unit') } : {}) }));
	const want = data.legend.map((g) => ({ level: g.level, items: g.measures.map((m) => m.vi) }));
	assert(want.length === 4 && want.every((g) => g.items.length >= 4), 'the API lists measures for levels 1-4: ' +
		JSON.stringify(want));
	const shown = await page.$$eval('.measures > div', (divs) => divs.map((d) => ({
		level: Number(d.querySelector('.badge').className.match(/lv(\d)/)[1]),
		items: [...d.querySelectorAll('li')].map((li) => li.textContent.trim()),
	})));
	assert(JSON.stringify(shown) === JSON.stringify(want),
		`measures shown ${JSON.stringify(shown.map((g) => g.items.length))}, the API has ` +
		JSON.stringify(want.map((g) => g.items.length)));
}

run('e2e.map', async ({ base, browser, step }) => {
	await step('static files: CSP, caching, compression, SPA fallback', async () => {
		const idx = await fetch(base + '/', { headers: { 'Accept-Encoding': 'gzip' } });
		assert(idx.status === 200, 'index 200');
		const csp = idx.headers.get('content-security-policy') || '';
		assert(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), 'strict CSP: ' + csp);
		assert(idx.headers.get('cache-control') === 'no-cache', 'index no-cache');
		const html = await idx.text();
		assert(!/<script>/.test(html) && !/<script(?![^>]*src=)/.test(html), 'no inline script');
		const js = html.match(/src="(\/assets\/app-[^"]+\.js)"/)[1];
		const a = await fetch(base + js, { headers: { 'Accept-Encoding': 'gzip' } });
		assert(a.headers.get('cache-control') === 'public, max-age=31536000, immutable', 'immutable asset');
		assert(a.headers.get('vary') === 'Accept-Encoding', 'vary');
		const etag = a.headers.get('etag');
		const again = await fetch(base + js, { headers: { 'If-None-Match': etag } });
		assert(again.status === 304, '304 with If-None-Match, got ' + again.status);
		const deep = await fetch(base + '/dashboard?unit=01');
		assert(deep.status === 200 && /<div id="app">/.test(await deep.text()), 'SPA route serves index.html');
		const api404 = await fetch(base + '/api/v1/nothing');
		assert(api404.status === 404 && (await api404.json()).error.code === 'not_found', 'API 404 stays JSON');
	});

	const { page, errors } = await newPage(browser);
	await step('first page load and render (timed)', async () => {
		const t0 = Date.now();
		await page.goto(base + '/', { waitUntil: 'domcontentloaded' });
		await page.waitForFunction(() => document.querySelectorAll('.map path.leaflet-interactive').length >= 63 &&
			document.querySelectorAll('.legend .count').length === 5, null, { timeout: 30000 });
		const ms = Date.now() - t0;
		const nav = await page.evaluate(() => {
			const n = performance.getEntriesByType('navigation')[0];
			return { dcl: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
		});
		console.log(`TIMING public map first page on loopback: ${ms} ms to provinces drawn and legend ` +
			`(DOMContentLoaded ${nav.dcl} ms, load ${nav.load} ms)`);
		assert(await page.getAttribute('html', 'lang') === 'vi', 'Vietnamese by default');
		assert((await page.textContent('h1')).includes('Cấp độ dịch'), 'Vietnamese heading');
		const c = await counts(page);
		const total = c[1] + c[2] + c[3] + c[4] + c.none;
		assert(total === 63, '63 provinces counted, got ' + JSON.stringify(c));
		await mapDrawn(page);
		await page.screenshot({ path: join(SHOTS, 'map-today.png') });
	});

	await step('published date 22/01/2022: counts 33/24/6/0, date in the URL', async () => {
		await page.click('.quick a:has-text("22/01/2022")');
		await page.waitForURL(/date=2022-01-22/);
		await page.waitForFunction(() => document.querySelector('.asof')?.textContent.includes('22/01/2022'));
		await page.waitForFunction(() => document.querySelector('.legend .count[data-level="3"]')?.textContent === '6');
		const c = await counts(page);
		assert(c[1] === 33 && c[2] === 24 && c[3] === 6 && c[4] === 0, 'counts ' + JSON.stringify(c));
		// Hoàng Sa and Trường Sa are drawn with their provinces (bounds reach 112°E+, 8°N-).
		await mapDrawn(page);
		await page.screenshot({ path: join(SHOTS, 'map-2022-01-22.png') });
		// The README's picture is refreshed on request only, so test runs leave the tree clean.
		if (process.env.THC_UPDATE_SCREENSHOTS === '1') {
			mkdirSync(join(REPO, 'docs', 'screenshots'), { recursive: true });
			copyFileSync(join(SHOTS, 'map-2022-01-22.png'), join(REPO, 'docs', 'screenshots', 'map.png'));
		}
	});

	await step('typed date dd/mm/yyyy', async () => {
		await page.fill('#map-date', '24/10/2021');
		await page.click('.datepick button[type=submit]');
		await page.waitForURL(/date=2021-10-24/);
		await page.waitForFunction(() => document.querySelector('.legend .count[data-level="2"]')?.textContent === '41');
		await page.fill('#map-date', '31/02/2022');
		await page.click('.datepick button[type=submit]');
		await page.waitForSelector('#map-date-err');
		assert(/date=2021-10-24/.test(page.url()), 'a bad date does not navigate');
	});

	await step('clicking a province on the map drills down', async () => {
		await page.goto(base + '/?date=2022-01-22');
		await mapDrawn(page);
		// A point of the map where a province, not the sea, is on top.
		const at = await page.evaluate(() => {
			const r = document.querySelector('.map').getBoundingClientRect();
			for (let fy = 0.2; fy < 0.9; fy += 0.05)
				for (let fx = 0.2; fx < 0.9; fx += 0.05) {
					const x = r.left + r.width * fx, y = r.top + r.height * fy;
					if (document.elementFromPoint(x, y)?.matches('.map path.leaflet-interactive'))
						return { x, y };
				}
			return null;
		});
		assert(at, 'no province drawn on the map');
		await page.mouse.click(at.x, at.y);
		await page.waitForURL(/unit=\d\d(&|$)/);
	});

	await step('drill down: Hà Nội → Quận Ba Đình → communes', async () => {
		await page.goto(base + '/?date=2022-01-22');
		await page.click('.units a:has-text("Thành phố Hà Nội")');
		await page.waitForURL(/unit=01/);
		await page.waitForFunction(() => document.querySelectorAll('.map path.leaflet-interactive').length >= 25);
		await page.waitForSelector('.units a:has-text("Quận Ba Đình")');
		await mapDrawn(page);
		await page.screenshot({ path: join(SHOTS, 'map-province-01.png') });
		await page.click('.units a:has-text("Quận Ba Đình")');
		await page.waitForURL(/unit=001/);
		await page.waitForSelector('.units th:has-text("Phường Phúc Xá")');
		const n = await page.$$eval('.units tbody tr', (r) => r.length);
		assert(n === 14, 'Ba Đình has 14 communes, table shows ' + n);
		assert(await page.isVisible('.crumbs a:has-text("Thành phố Hà Nội")'), 'breadcrumb');
		await page.screenshot({ path: join(SHOTS, 'map-district-001.png'), fullPage: true });
		const share = await page.inputValue('#share-url');
		assert(share.includes('date=2022-01-22') && share.includes('unit=001'), 'shareable link ' + share);
		// The link opens the same view in a fresh page.
		const p2 = await page.context().newPage();
		await p2.goto(share);
		await p2.waitForSelector('.units th:has-text("Phường Phúc Xá")');
		await p2.close();
	});

	await step('Quảng Ninh: no district shapes, a table instead', async () => {
		await page.goto(base + '/?unit=22');
		await page.waitForSelector('.notice');
		assert((await page.textContent('.notice')).includes('Quảng Ninh'), 'notice names the province');
		await page.waitForSelector('.units a:has-text("Thành phố Hạ Long")');
		assert(await page.$('.map path.leaflet-interactive') === null, 'no map drawn');
	});

	await step('language switch to English, remembered, lang attribute', async () => {
		await page.goto(base + '/?date=2022-02-22');
		await page.waitForSelector('.legend .count');
		await page.click('button.lang');
		await page.waitForFunction(() => document.documentElement.lang === 'en');
		assert((await page.textContent('h1')).includes('COVID-19 epidemic levels'), 'English heading');
		assert(await page.isVisible('text=Very high risk'), 'legend in English (API names)');
		await page.reload();
		await page.waitForSelector('.legend .count');
		assert(await page.getAttribute('html', 'lang') === 'en', 'remembered after reload');
		await page.screenshot({ path: join(SHOTS, 'map-en.png') });
		await page.click('button.lang');
		await page.waitForFunction(() => document.documentElement.lang === 'vi');
	});

	await step('measures per level: every one the API gives, for the country and for a province', async () => {
		await checkMeasures(page);
		await page.goto(base + '/?date=2022-02-22&unit=01');
		await page.waitForSelector('.legend .count');
		await checkMeasures(page);
	});

	await step('360 px wide: no horizontal scrolling, keyboard reachable', async () => {
		const small = await newPage(browser, { viewport: { width: 360, height: 740 } });
		await small.page.goto(base + '/?date=2022-01-22');
		await small.page.waitForFunction(() => document.querySelectorAll('.map path.leaflet-interactive').length >= 63);
		const w = await small.page.evaluate(() => document.documentElement.scrollWidth);
		assert(w <= 361, 'page width at 360 px: ' + w);
		await small.page.screenshot({ path: join(SHOTS, 'map-360.png'), fullPage: true });
		await small.page.keyboard.press('Tab');
		const first = await small.page.evaluate(() => document.activeElement.className);
		assert(first.includes('skip'), 'first Tab reaches the skip link');
		await small.ctx.close();
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(errors);
	});
});
