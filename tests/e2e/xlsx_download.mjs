// The "Tải Excel" buttons, on a 360 px phone: `hanoi` (province officer)
// taps the one under the units of an area on its home and gets this week's
// situation of Hà Nội as an .xlsx file (a zip whose workbook names the
// sheet "Tình hình tuần"); then every list page's button is tapped by a
// user who may see that list, each giving an .xlsx file of that list.
// The download is checked through the browser's own download, not
// refetched.
import { readFileSync } from 'node:fs';
import { api, assert, assertNoScriptErrors, dayVN, newPage, PHONE, rendered, run, signIn } from './harness.mjs';

async function download(page, what, sel = '#area-xlsx') {
	await page.waitForSelector(sel);
	const text = (await page.textContent(sel)).trim();
	assert(text === 'Tải Excel', `${what}: the button says '${text}'`);
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click(sel)]);
	const failure = await dl.failure();
	assert(failure === null, `${what}: download failed: ${failure}`);
	const bytes = readFileSync(await dl.path());
	assert(bytes.length > 1000 && bytes.subarray(0, 2).toString() === 'PK',
		`${what}: not an xlsx (zip) file, ${bytes.length} bytes`);
	return { name: dl.suggestedFilename(), bytes };
}

run('e2e.xlsx_download', async ({ base, browser, step }) => {
	await step('a province officer downloads the week\'s situation', async () => {
		const { page, errors } = await newPage(browser, { viewport: PHONE, context: { acceptDownloads: true } });
		await signIn(page, base, 'hanoi');
		await rendered(page);
		const href = await page.getAttribute('#area-xlsx', 'href');
		assert(/^\/api\/v1\/reports\/situation\.xlsx\?unit=01&week_end=\d{4}-\d{2}-\d{2}$/.test(href), href);
		const { name, bytes } = await download(page, 'hanoi');
		assert(/^tinh-hinh-01-\d{4}-\d{2}-\d{2}\.xlsx$/.test(name), `file name ${name}`);
		assert(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'no worksheet in the file');
		assertNoScriptErrors(errors);
		await page.context().close();
	});

	// page: a signed-in page; [url, button, API path the link must name, file name]
	const tapAll = async (page, errors, who, list) => {
		for (const [url, sel, path, file] of list) {
			await page.goto(base + url);
			await rendered(page);
			const href = await page.getAttribute(sel, 'href');
			assert(href && href.startsWith(path) && (path.endsWith('.xlsx') || /[?&]format=xlsx(&|$)/.test(href)),
				`${who} ${url} ${sel}: the link is ${href}`);
			const { name } = await download(page, `${who} ${url} ${sel}`, sel);
			assert(name === file, `${who} ${url} ${sel}: file name ${name}, expected ${file}`);
		}
		assertNoScriptErrors(errors);
	};
	const signedIn = async (user) => {
		const { page, errors } = await newPage(browser, { viewport: PHONE, context: { acceptDownloads: true } });
		await signIn(page, base, user);
		return { page, errors };
	};
	const must = async (page, method, path, body, status = 201) => {
		const r = await api(page, method, path, body);
		assert(r.status === status, `${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
		return r.json;
	};

	await step('a commune officer downloads follow-up, dashboard and duty lists', async () => {
		const { page, errors } = await signedIn('phucxa');
		const c = await must(page, 'POST', '/cases', { person: { full_name: 'Nguyễn Văn Tải', unit_code: '00001-001-0001' },
			detected_on: dayVN(-2), source: 'community', test_type: 'rt-pcr' });
		await must(page, 'POST', '/isolations', { person_id: c.person_id, kind: 'home', unit_code: '00001-001-0001',
			started_on: dayVN(-2), case_id: c.id });
		// A case nobody isolated yet: the follow-up page lists it to isolate.
		await must(page, 'POST', '/cases', { person: { full_name: 'Lê Văn Chưa', unit_code: '00001-001-0001' },
			detected_on: dayVN(-1), source: 'community', test_type: 'rt-pcr' });
		await must(page, 'POST', '/zones', { unit_code: '00001-001', reason: 'Ổ dịch thử tải', started_on: dayVN(-1) });
		const monday = dayVN(-((new Date(dayVN(0) + 'T00:00:00Z').getUTCDay() + 6) % 7));
		await must(page, 'PUT', '/units/00001/duty?week_start=' + monday, { shifts: [{ date: monday, from: '08:00',
			to: '17:00', name: 'Nguyễn Văn Trực', phone: '0987654321' }] }, 200);
		await tapAll(page, errors, 'phucxa', [
			['/followup?unit=00001', '#followup-xlsx', '/api/v1/isolations', 'cach-ly.xlsx'],
			['/followup?unit=00001', '#cases-xlsx', '/api/v1/cases', 'cases.xlsx'],
			['/dashboard?unit=00001', '#dash-cases-xlsx', '/api/v1/cases', 'cases.xlsx'],
			['/dashboard?unit=00001', '#dash-overdue-xlsx', '/api/v1/isolations', 'cach-ly.xlsx'],
			['/dashboard?unit=00001', '#dash-zones-xlsx', '/api/v1/zones', 'vung-phong-toa.xlsx'],
			['/dashboard?unit=00001', '#dash-weekly-xlsx', '/api/v1/units/00001/weekly', 'so-lieu-tuan.xlsx'],
			['/hotlines?unit=00001', '#duty-xlsx', '/api/v1/units/00001/duty', 'lich-truc.xlsx'],
		]);
		await page.context().close();
	});

	await step('a district officer downloads inspections, emulation, decisions and its tasks', async () => {
		const hanoi = await signedIn('hanoi');
		const d = await must(hanoi.page, 'POST', '/directives', { number: '09-CT/TU', issued_on: dayVN(-3), issuer: '01',
			title: 'Chỉ thị tải Excel', summary: 'Thử tải', tasks: [{ title: 'Báo cáo tuần', deadline: dayVN(5),
				assignees: { units: ['001'] } }] });
		await tapAll(hanoi.page, hanoi.errors, 'hanoi', [
			[`/directives/${d.id}`, '#progress-xlsx', `/api/v1/directives/${d.id}/progress`, 'tien-do-van-ban.xlsx']]);
		await hanoi.page.context().close();
		const { page, errors } = await signedIn('badinh');
		await must(page, 'POST', '/inspections', { title: 'Kiểm tra tải Excel', issuer: '001', period_from: dayVN(-5),
			period_to: dayVN(5), kind: 'surprise', template: 'commune_team', target: { unit_code: '00001' },
			team: [{ name: 'Nguyễn Văn Trưởng', role: 'Trưởng đoàn' }] });
		const m = await must(page, 'POST', '/emulation/movements', { name: 'Thi đua tải Excel', parent_code: '001',
			period_from: dayVN(-10), period_to: dayVN(20), indicators: [{ code: 'case_free_days', weight: 1 }] });
		await must(page, 'POST', '/decisions', { kind: 'reward', form: 'Giấy khen', number: '9/QĐ-UBND',
			person_name: 'Trần Thị Khen', unit_code: '00001', reason: 'Hoàn thành tốt', decided_on: dayVN(-1),
			issuer: '001', public: true });
		await tapAll(page, errors, 'badinh', [
			['/inspections', '#insp-xlsx', '/api/v1/inspections', 'kiem-tra.xlsx'],
			['/emulation', '#emu-xlsx', '/api/v1/emulation/movements', 'phong-trao-thi-dua.xlsx'],
			[`/emulation?id=${m.id}`, '#emu-ranking-xlsx', `/api/v1/emulation/movements/${m.id}/rankings`, 'xep-hang-thi-dua.xlsx'],
			['/tasks?unit=001', '#inbox-xlsx', '/api/v1/units/001/inbox', 'nhiem-vu-duoc-giao.xlsx'],
			['/rewards', '#rewards-xlsx', '/api/v1/public/decisions', 'khen-thuong-ky-luat.xlsx'],
		]);
		await page.context().close();
	});

	await step('anyone downloads the map\'s units and a commune\'s weeks', async () => {
		const { page, errors } = await newPage(browser, { viewport: PHONE, context: { acceptDownloads: true } });
		await tapAll(page, errors, 'anonymous', [
			['/?unit=01', '#map-xlsx', '/api/v1/levels.xlsx', 'cap-do-dich.xlsx'],
			['/?unit=00001', '#unit-weekly-xlsx', '/api/v1/units/00001/weekly', 'so-lieu-tuan.xlsx'],
		]);
		await page.context().close();
	});
});
