// The public level map in a real browser: first load (timed, printed),
// published dates, drill-down province → district → communes, Quảng Ninh's
// table fallback, language switch remembered, shareable URL, 360 px layout,
// the static files' caching and security headers.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, newPage, REPO, run, SHOTS } from './harness.mjs';

const counts = async (page) => page.$$eval('.legend .count', (els) =>
	Object.fromEntries(els.map((e) => [e.dataset.level, Number(e.textContent)])));

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
		await page.waitForTimeout(300);
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
		await page.waitForFunction(() => document.querySelectorAll('.map path.leaflet-interactive').length >= 63);
		const box = await page.locator('.map').boundingBox();
		// Click polygons from the map's centre outwards until one navigates.
		let ok = false;
		for (const [dx, dy] of [[0.35, 0.3], [0.3, 0.2], [0.4, 0.5], [0.5, 0.6], [0.25, 0.15]]) {
			await page.mouse.click(box.x + box.width * dx, box.y + box.height * dy);
			await page.waitForTimeout(200);
			if (/unit=\d\d(&|$)/.test(page.url())) { ok = true; break; }
		}
		assert(ok, 'a click on a province opens it: ' + page.url());
	});

	await step('drill down: Hà Nội → Quận Ba Đình → communes', async () => {
		await page.goto(base + '/?date=2022-01-22');
		await page.click('.units a:has-text("Thành phố Hà Nội")');
		await page.waitForURL(/unit=01/);
		await page.waitForFunction(() => document.querySelectorAll('.map path.leaflet-interactive').length >= 25);
		await page.waitForSelector('.units a:has-text("Quận Ba Đình")');
		await page.waitForTimeout(300);
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

	await step('measures per level from the legend', async () => {
		await page.click('.measures summary');
		const n = await page.$$eval('.measures li, .measures .nodata', (e) => e.length);
		assert(n >= 4, 'measures listed');
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
		const real = errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
		assert(real.length === 0, 'console errors: ' + real.join('\n'));
	});
});
