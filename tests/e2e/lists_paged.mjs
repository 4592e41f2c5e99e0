// Long lists on a phone (360 px wide), sorted and paged by the server:
//  - phucxa's businesses (more than a page of 100): the name header sorts
//    both ways (aria-sort), the workers header with the keyboard (Enter,
//    the focus kept on it), "Xem thêm" continues the same order, and the
//    CSV and Excel links carry the sort;
//  - the follow-up list (more than a page of 50): low SpO2 first, then
//    overdue, "Xem thêm" for the next page in the server's order, the state
//    filter (low SpO2 only) and the Excel link with it;
//  - the dashboard's zones (more than a page of 50): "Xem thêm", the status
//    filter (ended) and the Excel link with it.
// Every row shown is compared with the API's answer for the same query.
import { apiGet, assert, assertCleanText, dayVN, newPage, PHONE, rendered, run, signIn } from './harness.mjs';

// Many writes in one go, from the signed-in page (each must succeed).
async function bulk(page, calls) {
	const bad = await page.evaluate(async (calls) => {
		const m = document.cookie.match(/(?:^|; )thc_csrf=([^;]*)/);
		const headers = { Accept: 'application/json', 'Content-Type': 'application/json',
			'X-CSRF-Token': m ? decodeURIComponent(m[1]) : '' };
		const out = [];
		for (const [path, body] of calls) {
			const r = await fetch('/api/v1' + path, { method: 'POST', headers, body: JSON.stringify(body) });
			out.push(r.ok ? await r.json() : { error: r.status + ' ' + (await r.text()) });
		}
		return out;
	}, calls);
	const err = bad.find((x) => x.error);
	assert(!err, 'fixture write: ' + (err && err.error));
	return bad;
}

const ids = (sel) => (page) => page.$$eval(sel, (rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
const bizRows = ids('#biz-list tbody tr');
const cards = ids('.iso-list .iso-card');

async function narrow(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

async function sameIds(page, got, path, what) {
	const want = (await apiGet(page, path)).items.map((x) => x.id);
	assert(JSON.stringify(got) === JSON.stringify(want.slice(0, got.length)) && got.length === want.length,
		`${what}: shown ${got.slice(0, 8)}… (${got.length}), the API ${want.slice(0, 8)}… (${want.length})`);
}

run('e2e.lists_paged', async ({ base, browser, step }) => {
	const { page } = await newPage(browser, { viewport: PHONE });
	const stamp = String(Date.now() % 100000).padStart(5, '0');

	await step('fixtures: 105 businesses, 55 isolations (one low SpO2), 52 zones in Phúc Xá', async () => {
		await signIn(page, base, 'phucxa');
		await bulk(page, Array.from({ length: 105 }, (_, i) => ['/businesses', {
			tax_code: '03' + stamp + String(i).padStart(3, '0'), name: `Cơ sở ${String.fromCharCode(65 + (i % 26))} ${i % 7}`,
			sector: 'Dịch vụ', unit_code: '00001', address: 'Phố Phúc Xá', workers: (i * 37) % 90 }]));
		const people = await bulk(page, Array.from({ length: 55 }, (_, i) => ['/tests', {
			person: { full_name: `Người theo dõi ${i}`, id_number: '0011' + stamp + String(i).padStart(3, '0'),
				unit_code: '00001-001-0001' }, taken_on: dayVN(-3), test_type: 'rt-pcr', result: 'negative' }]));
		const isos = await bulk(page, people.map((p, i) => ['/isolations', { person_id: p.person_id, kind: 'home',
			unit_code: '00001-001-0001', started_on: dayVN(-(i % 9) - 2) }]));
		await bulk(page, [[`/isolations/${isos[40].id}/checkins`, { spo2: 91 }],
			...isos.slice(0, 30).map((x) => [`/isolations/${x.id}/checkins`, { spo2: 98 }])]);
		await bulk(page, Array.from({ length: 52 }, (_, i) => ['/zones', { unit_code: '00001-001',
			reason: `Ổ dịch số ${i}`, started_on: dayVN(-(i % 5) - 1) }]));
	});

	await step('businesses: the name header sorts both ways, workers with the keyboard, more in the same order', async () => {
		await page.click('header nav a[href="/business"]');
		await page.waitForSelector('#biz-list tbody tr');
		assert(await page.getAttribute('#biz-sort-name', 'aria-sort') === 'ascending', 'by name at first');
		assert(await page.getAttribute('#biz-sort-workers', 'aria-sort') === 'none', 'not by workers');
		await sameIds(page, await bizRows(page), '/businesses?unit=00001&sort=name&order=asc&limit=100', 'by name');
		await page.click('#biz-sort-name button');
		await page.waitForSelector('#biz-sort-name[aria-sort=descending]');
		await page.waitForSelector('#biz-list tbody tr');
		await sameIds(page, await bizRows(page), '/businesses?unit=00001&sort=name&order=desc&limit=100', 'by name, down');
		// The keyboard: Tab to the header's button, Enter; the focus stays on it.
		await page.focus('#biz-sort-workers button');
		await page.keyboard.press('Enter');
		await page.waitForSelector('#biz-sort-workers[aria-sort=descending]');
		await page.waitForSelector('#biz-list tbody tr');
		assert(await page.getAttribute('#biz-sort-name', 'aria-sort') === 'none', 'name no longer the order');
		await page.waitForFunction(() => document.activeElement?.closest('th')?.id === 'biz-sort-workers');
		await sameIds(page, await bizRows(page), '/businesses?unit=00001&sort=workers&order=desc&limit=100', 'by workers');
		assert((await bizRows(page)).length === 100, 'a page of 100');
		await page.click('#biz-more');
		await page.waitForFunction(() => document.querySelectorAll('#biz-list tbody tr').length > 100);
		await sameIds(page, await bizRows(page), '/businesses?unit=00001&sort=workers&order=desc&limit=500', 'with more');
		for (const id of ['#biz-csv', '#biz-xlsx']) {
			const href = new URL(await page.getAttribute(id, 'href'), base);
			assert(href.searchParams.get('sort') === 'workers' && href.searchParams.get('order') === 'desc', id + ': ' + href);
		}
		await narrow(page, 'the businesses list');
		await assertCleanText(page, 'businesses sorted');
	});

	await step('follow-up: low SpO2 first, a page of 50, more in the server\'s order, the state filter', async () => {
		await page.goto(base + '/followup?unit=00001');
		await page.waitForSelector('.iso-list .iso-card');
		const first = await cards(page);
		assert(first.length === 50, 'a page of 50: ' + first.length);
		assert(await page.$('.iso-list > li:first-child .flag.low'), 'low SpO2 first');
		await sameIds(page, first, '/isolations?unit=00001&sort=urgent&limit=50', 'the first page');
		const counts = (await apiGet(page, '/isolations?unit=00001&limit=1')).counts;
		assert((await page.textContent('#followup-counts')).includes(`${counts.active} người đang cách ly`), 'the counts');
		await page.click('#followup-more');
		await page.waitForFunction(() => document.querySelectorAll('.iso-list .iso-card').length > 50);
		await sameIds(page, await cards(page), '/isolations?unit=00001&sort=urgent&limit=100', 'with more');
		await narrow(page, 'the follow-up list');
		await page.selectOption('#followup-filters select[name=state]', 'low_spo2');
		await page.waitForFunction(() => document.querySelectorAll('.iso-list .iso-card').length > 0 &&
			[...document.querySelectorAll('.iso-list .iso-card')].every((c) => c.querySelector('.flag.low')));
		await sameIds(page, await cards(page), '/isolations?unit=00001&state=low_spo2&sort=urgent&limit=50', 'low SpO2 only');
		const href = new URL(await page.getAttribute('#followup-xlsx', 'href'), base);
		assert(href.searchParams.get('state') === 'low_spo2' && href.searchParams.get('sort') === 'urgent', 'the file: ' + href);
		await assertCleanText(page, 'follow-up paged');
	});

	await step('dashboard: the zones a page of 50, more, the status filter and its file', async () => {
		await page.goto(base + '/dashboard?unit=00001');
		await page.waitForSelector('#dash-zones tbody tr');
		await rendered(page);
		const rows = () => page.$$eval('#dash-zones tbody tr', (r) => r.map((x) => Number(x.cells[0].textContent.slice(1))));
		const today = dayVN(0);
		assert((await rows()).length === 50, 'a page of 50');
		await sameIds(page, await rows(), `/zones?unit=00001&active_on=${today}&limit=50`, 'the zones');
		await page.click('#dash-zones-more');
		await page.waitForFunction(() => document.querySelectorAll('#dash-zones tbody tr').length > 50);
		await sameIds(page, await rows(), `/zones?unit=00001&active_on=${today}&limit=500`, 'the zones with more');
		await page.selectOption('select[name=zone_status]', 'ended');
		await page.waitForFunction(() => new URL(document.getElementById('dash-zones-xlsx')?.href || location.href)
			.searchParams.get('status') === 'ended');
		await sameIds(page, await rows(), `/zones?unit=00001&active_on=${today}&status=ended&limit=50`, 'ended zones');
		await narrow(page, 'the dashboard');
	});
});
