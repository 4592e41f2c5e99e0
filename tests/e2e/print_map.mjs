// Paper, and the levels of the map.
//  - The public map printed (print media, and a PDF): no header, navigation,
//    buttons or date form; the date, the legend and the table shown; table
//    rows never cut across pages.  The same for an official's dashboard.
//  - /?unit=CODE for a province, a district and a commune: each shown level
//    says since when, an old one is flagged; a commune's name leads to its
//    page.
// axe-core checks each page printed here (the map, a commune page, the
// dashboard); e2e.a11y checks the homes and the forms.
import {
	apiGet, assert, assertAccessible, assertNoScriptErrors, dmy, mapDrawn, newPage, rendered, run, signIn,
} from './harness.mjs';

const DATE = '2022-01-22';

// What print media shows of each selector: { selector: shown }.
async function printed(page, selectors) {
	await page.emulateMedia({ media: 'print' });
	const shown = await page.evaluate((sels) => Object.fromEntries(sels.map((s) => [s,
		[...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')])), selectors);
	const rows = await page.evaluate(() => [...document.querySelectorAll('main tbody tr')].slice(0, 5)
		.map((tr) => getComputedStyle(tr).breakInside));
	await page.emulateMedia({ media: 'screen' });
	return { shown, rows };
}

function expectShown(what, got, want) {
	for (const [sel, on] of Object.entries(want))
		assert(got.shown[sel] === on, `${what} printed: ${sel} ${on ? 'hidden' : 'shown'}`);
	assert(got.rows.length > 0 && got.rows.every((b) => b === 'avoid'), `${what}: table rows may be cut: ${got.rows}`);
}

run('e2e.print_map', async ({ base, browser, step }) => {
	const pub = await newPage(browser);
	const off = await newPage(browser);
	const page = pub.page;

	await step('the map printed: date, legend and table; no navigation, buttons or forms; a PDF', async () => {
		await page.goto(base + `/?date=${DATE}`);
		await mapDrawn(page);
		await assertAccessible(page, 'the public map');
		const got = await printed(page, ['header.top', 'header nav', '.datepick', '.share', 'main button:not(.sort)', '.xlsx',
			'.asof', '.legend', '.legend .count', '.map', 'main table', '.printed-on']);
		expectShown('map', got, { 'header.top': false, 'header nav': false, '.datepick': false, '.share': false,
			'main button:not(.sort)': false, '.xlsx': false, '.asof': true, '.legend': true, '.legend .count': true, '.map': true,
			'main table': true, '.printed-on': true });
		assert((await page.textContent('.asof')).includes(dmy(DATE)), 'the date on paper');
		const pdf = await page.pdf({ format: 'A4', printBackground: true });
		assert(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 20000, 'a PDF of ' + pdf.length + ' bytes');
	});

	await step('/?unit= for a province, a district and a commune; when each level was decided; old ones flagged', async () => {
		// Two published levels of Ba Đình's communes (hanoi): one of long ago, one recent.
		await signIn(off.page, base, 'hanoi');
		const up = await off.page.evaluate(async (csv) => {
			const token = decodeURIComponent(document.cookie.match(/(?:^|; )thc_csrf=([^;]*)/)[1]);
			const r = await fetch('/api/v1/levels/import', { method: 'POST', body: csv,
				headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': token, Accept: 'application/json' } });
			return [r.status, await r.text()];
		}, 'date,unit_code,level\n2022-01-10,00004,2\n2022-03-10,00006,3\n');
		assert(up[0] === 200, 'levels import: ' + up);
		await page.goto(base + '/?unit=01&date=2022-03-15');
		await page.waitForSelector('main table tbody tr');
		assert((await page.textContent('h1')).includes('Hà Nội'), 'province named');
		await page.goto(base + '/?unit=001&date=2022-03-15');
		await page.waitForSelector('main table tbody tr');
		assert((await page.textContent('h1')).includes('Ba Đình'), 'district named');
		const items = (await apiGet(page, '/levels?parent=001&date=2022-03-15')).items;
		const decided = items.filter((i) => i.level && i.effective_from);
		assert(decided.length > 0, 'no level decided in Ba Đình in the demo');
		const rows = await page.$$eval('main table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
		for (const it of decided) {
			const r = rows.find((x) => x[1] === it.code);
			const age = Math.round((Date.parse('2022-03-15') - Date.parse(it.effective_from)) / 86400e3);
			assert(r && r[3] === dmy(it.effective_from), `${it.code}: decided ${dmy(it.effective_from)}: ` + JSON.stringify(r));
			assert(r[4].includes(String(age)) && (age > 14) === /cũ/.test(r[4]), `${it.code}: ${age} days, flagged if old: ${r[4]}`);
		}
		assert(decided.some((i) => i.code === '00006') && decided.some((i) => i.code === '00004'), 'both shown');
		await page.waitForSelector('#map-old');
		const first = items[0];
		await page.click(`main table tbody tr th a:has-text("${first.name}")`);
		await page.waitForURL((u) => u.searchParams.get('unit') === first.code);
		await page.waitForSelector('#unit-level');
		assert((await page.textContent('h1')).includes(first.name), 'the commune page');
		await assertAccessible(page, 'a commune page');
		await page.goto(base + '/?unit=00001');
		await page.waitForSelector('#unit-level');
		assert((await page.textContent('h1')).includes('Phúc Xá'), 'a commune by its code');
	});

	await step('the dashboard printed: its date, cards and tables; no navigation or buttons', async () => {
		const p = off.page;
		await signIn(p, base, 'badinh');
		await p.goto(base + '/dashboard?unit=00001');
		await rendered(p);
		await p.waitForSelector('#case-count');
		await assertAccessible(p, 'the dashboard');
		const got = await printed(p, ['header.top', 'header nav', '.print-btn', 'main .xlsx', '.printed-on', '.card', 'main table', '#h-weekly']);
		expectShown('dashboard', got, { 'header.top': false, 'header nav': false, '.print-btn': false, 'main .xlsx': false,
			'.printed-on': true, '.card': true, 'main table': true, '#h-weekly': true });
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(pub.errors);
		assertNoScriptErrors(off.errors);
	});
});
