// The CSV import screen (/import) and a long list a page at a time.
//  - hanoi (province officer) opens it from the header; every kind's
//    template downloads as UTF-8 with a BOM (header and one example row)
//    and, sent back as it is, is stored;
//  - a file without rows, or none, is refused at the file field and nothing
//    is sent; a file whose third line is wrong is refused with a table
//    (line 3, the column in words, the message in Vietnamese) and no row of
//    it is stored; the file corrected, sent from the keyboard, stores its
//    105 cases and says so;
//  - a file whose units are unknown (three), out of hanoi's scope (one: told
//    as unknown) and with a case twice: all five lines in the table, in
//    order, and nothing stored;
//  - a long file sent over a slow link: the percent sent grows, then
//    "đang kiểm tra" until the answer;
//  - the commune's dashboard lists those cases 100 at a time: "show more"
//    adds the rest, the columns sort, the Excel file stays;
//  - a health worker has no "published levels" kind; a citizen no import.
import { readFileSync } from 'node:fs';
import {
	apiGet, assert, assertAccessible, assertNoScriptErrors, newPage, run, signIn, submitByKeyboard, VIETNAMESE,
} from './harness.mjs';

const KINDS = {
	cases: { path: '/cases/import', header: 'external_id,full_name,id_number,birth_year,sex,unit_code,phone,detected_on,source,' +
		'test_type,severity,needs_oxygen,care_place,outcome,outcome_on', ok: /Đã nhập xong 1 dòng: 1 ca mới/ },
	indicators: { path: '/levels/indicators', header: 'unit_code,week_end,population,cases_week,cases_prev_week,' +
		'oxygen_cases_week,deaths_week,vax1_18plus_pct,vaxfull_elderly_pct,vaxfull_pct,vaxfull_highrisk_pct,capacity_met,capacity',
	ok: /Đã lưu 1 dòng/ },
	vaccination: { path: '/vaccination/import', header: 'unit_code,week_end,age_group,population,dose1,full_dose,booster', ok: /Đã lưu 1 dòng/ },
	capacity: { path: '/capacity/import', header: 'unit_code,week_end,capacity_met,capacity,beds_free,icu_beds_free,oxygen_ready,mobile_teams',
		ok: /Đã lưu 1 dòng/ },
	levels: { path: '/levels/import', header: 'date,unit_code,level,unit_name,listed,source', ok: /Đã đọc 1 dòng, lưu 1 cấp độ mới/ },
};

const UNIT = '00004';     // Trúc Bạch, in Hà Nội
const row = (i, birth = 1960 + (i % 40)) => `TB-${String(i).padStart(4, '0')},Người thử ${i},,${birth},${i % 2 ? 'male' : 'female'},` +
	`${UNIT},,2022-01-${String(10 + (i % 15)).padStart(2, '0')},community,rt-pcr,,0,,,`;
const CASES_HEADER = KINDS.cases.header;
const GOOD = [CASES_HEADER, ...Array.from({ length: 105 }, (_, i) => row(i + 1))].join('\r\n') + '\r\n';
// Line 3 (the second case) has its year of birth in words, line 51 (the
// 50th) a year to come.
const BAD = GOOD.replace(row(2), row(2, 'một chín tám mươi')).replace(row(50), row(50, '2090'));

async function casesOf(page) {
	return (await apiGet(page, `/cases?unit=${UNIT}&limit=1000`)).items.filter((c) => /^TB-/.test(c.external_id || ''));
}

// Chooses `text` as the file of the import form.
async function choose(page, name, text) {
	await page.setInputFiles('#imp-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
	await page.waitForSelector(`#imp-file-hint:has-text("${name}")`);
}

async function send(page, path) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1' + path),
		page.click('#form-import button[type=submit]'),
	]);
	await page.waitForSelector('#form-import button[type=submit]:enabled');
	return { status: resp.status(), json: await resp.json().catch(() => null) };
}

run('e2e.import', async ({ base, browser, step }) => {
	const { page, errors } = await newPage(browser, { context: { acceptDownloads: true } });
	let posts = 0;
	page.on('request', (r) => { if (r.method() === 'POST' && /\/import$|\/levels\/indicators$/.test(r.url())) posts++; });

	await step('hanoi opens the import screen from the header; it passes the accessibility check', async () => {
		await signIn(page, base, 'hanoi');
		await page.click('header nav a[href="/import"]');
		await page.waitForSelector('#form-import');
		const kinds = await page.$$eval('#imp-kind option', (os) => os.map((o) => o.value));
		assert(kinds.join() === 'cases,indicators,vaccination,capacity,levels', 'kinds: ' + kinds);
		await assertAccessible(page, 'import screen');
	});

	await step('every template: UTF-8 with a BOM, header and one example row; sent back as it is, stored', async () => {
		for (const [kind, k] of Object.entries(KINDS)) {
			await page.selectOption('#imp-kind', kind);
			await page.waitForSelector(`#imp-template[download="mau-${kind}.csv"]`);
			const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#imp-template')]);
			const bytes = readFileSync(await dl.path());
			assert(bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF, `${kind}: no BOM`);
			const lines = bytes.toString('utf8').slice(1).split('\r\n');
			assert(lines.length === 3 && lines[2] === '' && lines[0] === k.header, `${kind} template: ` + JSON.stringify(lines));
			await choose(page, `mau-${kind}.csv`, bytes);
			const res = await send(page, k.path);
			assert(res.status === 200 || res.status === 201, `${kind} template refused: ` + JSON.stringify(res));
			const done = await page.textContent('#import-done');
			assert(k.ok.test(done), `${kind}: summary "${done}"`);
		}
	});

	await step('no file, or a file without rows: refused at the file field, nothing sent', async () => {
		await page.reload();
		await page.waitForSelector('#form-import');
		const before = posts;
		await page.click('#form-import button[type=submit]');
		await page.waitForSelector('#imp-file-err');
		assert(/Chưa chọn tệp/.test(await page.textContent('#imp-file-err')), 'no file: ' + await page.textContent('#imp-file-err'));
		assert(await page.evaluate(() => document.activeElement.id) === 'imp-file', 'focus at the file');
		await choose(page, 'trong.csv', CASES_HEADER + '\r\n');
		await page.click('#form-import button[type=submit]');
		await page.waitForSelector('#imp-file-err:has-text("không có dòng dữ liệu")');
		assert(await page.getAttribute('#imp-file', 'aria-invalid') === 'true', 'file marked');
		assert(posts === before, 'a request was sent');
	});

	await step('a file with a bad third line: a table of line, column and message; no row stored', async () => {
		const before = (await casesOf(page)).length;
		await choose(page, 'ca-benh-sai.csv', BAD);
		assert(/105 dòng dữ liệu/.test(await page.textContent('#imp-file-hint')), 'rows counted');
		const res = await send(page, '/cases/import');
		assert(res.status === 422, 'refused: ' + JSON.stringify(res));
		const cells = await page.$$eval('#import-errors tbody tr', (trs) => trs.map((tr) =>
			[...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
		// Every bad line at once, not only the first.
		assert(cells.length === 2 && cells[0][0] === '3' && cells[0][1] === 'Năm sinh' &&
			cells[1][0] === '51' && cells[1][1] === 'Năm sinh', 'error rows: ' + JSON.stringify(cells));
		for (const c of cells)
			assert(VIETNAMESE.test(c[2]) && !/dòng|cột|birth_year/.test(c[2]), 'message: ' + c[2]);
		assert(/không dòng nào được lưu/.test(await page.textContent('#imp-file-err')), 'said at the field');
		assert((await casesOf(page)).length === before, 'a refused file stored cases');
		await assertAccessible(page, 'import refused');
	});

	await step('units unknown or out of scope, a case twice: all five lines in the table, nothing stored', async () => {
		const before = (await casesOf(page)).length;
		const lines = [row(201), row(202).replace(`,${UNIT},`, ',99991,'), row(203).replace(`,${UNIT},`, ',26734,'),
			row(204).replace(`,${UNIT},`, ',99992,'), row(205), row(201).replace('2022-01-', '2022-02-'),
			row(206).replace(`,${UNIT},`, ',99993,')];
		await choose(page, 'ca-benh-don-vi.csv', [CASES_HEADER, ...lines].join('\r\n') + '\r\n');
		const res = await send(page, '/cases/import');
		assert(res.status === 422, 'refused: ' + JSON.stringify(res));
		const cells = await page.$$eval('#import-errors tbody tr', (trs) => trs.map((tr) =>
			[...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
		assert(JSON.stringify(cells.map((c) => [c[0], c[1]])) === JSON.stringify([['3', 'Mã đơn vị'], ['4', 'Mã đơn vị'],
			['5', 'Mã đơn vị'], ['7', 'Mã ca của đơn vị'], ['8', 'Mã đơn vị']]), 'error rows: ' + JSON.stringify(cells));
		assert(cells[1][2].includes('26734') && !/Hồ Chí Minh|Bến Nghé/.test(cells[1][2]), 'out of scope told as unknown: ' + cells[1][2]);
		assert(/dòng 2\b/.test(cells[3][2]), 'the first line of the case named: ' + cells[3][2]);
		assert((await casesOf(page)).length === before, 'a refused file stored cases');
	});

	await step('a long file over a slow link: the percent sent, then "checking" until the answer', async () => {
		const long = [CASES_HEADER, ...Array.from({ length: 3000 }, (_, i) => row(1000 + i).replace(/^TB-/, 'UP-')),
			row(9999).replace(`,${UNIT},`, ',99994,')].join('\r\n') + '\r\n';
		await choose(page, 'ca-benh-dai.csv', long);
		// Every state the progress line shows, as it shows it.
		await page.evaluate(() => {
			window.__progress = [];
			new MutationObserver(() => {
				const p = document.querySelector('#imp-progress');
				const s = p ? p.textContent.trim() + '|' + (p.querySelector('progress').getAttribute('value') ?? '') : '';
				if (s && window.__progress[window.__progress.length - 1] !== s)
					window.__progress.push(s);
			}).observe(document.querySelector('#form-import'), { subtree: true, childList: true, characterData: true, attributes: true });
		});
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20,
			downloadThroughput: -1, uploadThroughput: Math.ceil(long.length / 3) });   // about 3 s
		const res = await send(page, '/cases/import');
		await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
		await cdp.detach();
		assert(res.status === 422 && res.json.error.errors.length === 1 && res.json.error.errors[0].line === 3002,
			'refused at its last line: ' + JSON.stringify(res.json));
		const seen = await page.evaluate(() => window.__progress);
		const pct = seen.map((s) => /^Đang gửi tệp: (\d+)%\|(\d+)$/.exec(s)).filter(Boolean).map((m) => [Number(m[1]), Number(m[2])]);
		const checking = seen.findIndex((s) => /đang kiểm tra/.test(s));
		assert(pct.some(([p]) => p > 0 && p < 100), 'a percent between 0 and 100: ' + JSON.stringify(seen));
		assert(pct.every(([p, v], i) => p === v && (i === 0 || p >= pct[i - 1][0])), 'percent grows, bar and words agree: ' + JSON.stringify(seen));
		assert(checking > 0 && seen.slice(checking + 1).every((s) => /đang kiểm tra/.test(s)) && /\|$/.test(seen[checking]),
			'"checking" after the upload, without a percent: ' + JSON.stringify(seen));
		assert(!(await page.$('#imp-progress')), 'progress gone with the answer');
	});

	await step('the corrected file sent from the keyboard: 105 cases stored and counted', async () => {
		await choose(page, 'ca-benh.csv', GOOD);
		await page.focus('#imp-file');
		const res = await submitByKeyboard(page, 'form-import', '/cases/import');
		assert(res.status === 200 && res.json.inserted === 105, 'import: ' + JSON.stringify(res));
		await page.waitForSelector('#import-done');
		assert(/105 dòng: 105 ca mới, 0 ca cập nhật/.test(await page.textContent('#import-done')), 'summary');
		const got = await casesOf(page);
		assert(got.length === 105, 'stored: ' + got.length);
		const c2 = got.find((c) => c.external_id === 'TB-0002');
		assert(c2 && c2.detected_on === '2022-01-12' && c2.unit_code === UNIT, 'TB-0002 read back: ' + JSON.stringify(c2));
	});

	await step('the dashboard lists them a page at a time, sorts them, keeps the Excel file', async () => {
		await page.goto(base + `/dashboard?unit=${UNIT}`);
		await page.waitForSelector('#dash-cases-more');
		const total = (await casesOf(page)).length + 0;
		const shown = () => page.$$eval('#h-cases ~ * tbody tr, #h-cases ~ .table-wrap tbody tr', (r) => r.length);
		assert(await shown() === 100, 'first page: ' + await shown());
		await page.click('#dash-cases-more');
		await page.waitForFunction(() => !document.querySelector('#dash-cases-more'));
		const all = (await apiGet(page, `/cases?unit=${UNIT}&limit=1000`)).items.length;
		assert(all >= total && await shown() === all, `all shown: ${await shown()} of ${all}`);
		assert(/Đang xem/.test(await page.textContent('.more')), 'count said');
		await page.click('#h-cases ~ .table-wrap th button:has-text("Họ tên")');
		const names = await page.$$eval('#h-cases ~ .table-wrap tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
		const sorted = names.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		assert(JSON.stringify(names) === JSON.stringify(sorted), 'sorted by name');
		assert(await page.getAttribute('#dash-cases-xlsx', 'href') === `/api/v1/cases?unit=${UNIT}&format=xlsx`, 'Excel link');
	});

	await step('a health worker imports no published levels; a citizen has no import', async () => {
		await signIn(page, base, 'ytephucxa');
		await page.goto(base + '/import');
		await page.waitForSelector('#imp-kind');
		const kinds = await page.$$eval('#imp-kind option', (os) => os.map((o) => o.value));
		assert(!kinds.includes('levels') && kinds.includes('cases'), 'kinds: ' + kinds);
		await signIn(page, base, 'nguoidan');
		assert(!(await page.$('header nav a[href="/import"]')), 'a citizen is offered the import');
		await page.goto(base + '/import');
		await page.waitForSelector('main .error[role=alert]');
	});

	await step('no script errors', async () => assertNoScriptErrors(errors));
});
