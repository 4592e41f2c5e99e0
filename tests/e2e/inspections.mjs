// Inspections, rewards and emulation on a phone (360 px wide), on the demo data.
//  - badinh (district officer) plans a COVID safety inspection of a business
//    in Phúc Xá (a tax code of 9 digits refused at its field), records the
//    findings item by item (a failed item without a note refused at that
//    note), concludes with a follow-up action (a deadline before the
//    conclusion refused at it) and records a public reward that follows;
//  - phucxa (the inspected commune) then sees it and reports the action done;
//  - anyone reads the reward on the public page, dated dd/mm/yyyy, with
//    nothing but the name, the unit, the decision, the reason and the date;
//  - badinh launches an emulation movement (a weight over 100 refused at its
//    field) and reads the ranking of Ba Đình's communes and its chart.
// Every page is checked in Vietnamese and English for ISO dates, internal
// names and untranslated keys, and for fitting the screen.
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, dayVN, dmy, expectFieldError,
	fillForm, newPage, PHONE, rendered, run, signIn, submitAndWait,
} from './harness.mjs';

const TODAY = dayVN(0);

async function fits(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

async function cleanInBoth(page, what) {
	await rendered(page);
	await assertCleanText(page, what + ' (vi)');
	await page.click('header button.lang');
	await page.waitForSelector('html[lang=en]');
	await rendered(page);
	await assertCleanText(page, what + ' (en)');
	await page.click('header button.lang');
	await page.waitForSelector('html[lang=vi]');
	await rendered(page);
}

// Submits #formId and returns the answer of its request, without waiting
// for the form to stay (a success may replace it).
async function submit(page, formId, path, method = 'POST') {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith('/api/v1' + path)),
		page.click(`#${formId} button[type=submit]`),
	]);
	return { status: resp.status(), json: await resp.json().catch(() => null) };
}

run('e2e.inspections', async ({ base, browser, step }) => {
	const d = await newPage(browser, { viewport: PHONE });
	const p = d.page;
	let inspId, firstItem, secondItem;

	await step('badinh plans a business inspection from the menu; a 9-digit tax code is refused at its field', async () => {
		await signIn(p, base, 'badinh');
		await p.click('header nav a[href="/inspections"]');
		await p.waitForSelector('#form-inspection button[type=submit]');
		await p.selectOption('#form-inspection [name=template]', 'business_covid');
		await p.waitForSelector('#form-inspection [name=tax_code]');
		await fits(p, 'the inspection form');
		await fillForm(p, 'form-inspection', {
			title: 'Kiểm tra an toàn COVID Công ty May Phúc Xá', unit_code: '00001', tax_code: '012345678',
			business_name: 'Công ty TNHH May Phúc Xá', period_from: dmy(dayVN(-3)), period_to: dmy(dayVN(3)),
			kind: 'surprise', team: 'Nguyễn Văn Trưởng, Trưởng đoàn\nLê Thị Thành, Thành viên',
		});
		const bad = await submit(p, 'form-inspection', '/inspections');
		await expectFieldError(p, 'form-inspection', 'tax_code', bad);
		await fillForm(p, 'form-inspection', { tax_code: '0101234567-001' });
		const ok = await submit(p, 'form-inspection', '/inspections');
		assert(ok.status === 201, 'create: ' + JSON.stringify(ok));
		inspId = ok.json.id;
		await p.waitForSelector('#form-findings button[type=submit]');
		const x = await apiGet(p, '/inspections/' + inspId);
		assert(x.target.tax_code === '0101234567-001' && x.kind === 'surprise' && x.team.length === 2,
			'stored: ' + JSON.stringify(x));
		firstItem = x.checklist[0].item;
		secondItem = x.checklist[1].item;
		await fits(p, 'the inspection page');
		await cleanInBoth(p, 'the inspection page');
	});

	await step('the findings: a failed item needs its note, shown at that note; then saved item by item', async () => {
		await p.check(`#form-findings input[name="result-${firstItem}"][value=fail]`);
		const bad = await submit(p, 'form-findings', `/inspections/${inspId}/findings`, 'PUT');
		await expectFieldError(p, 'form-findings', 'note-' + firstItem, bad);
		await p.fill(`#form-findings [name="note-${firstItem}"]`, 'Chưa có phương án xử lý khi có ca nhiễm');
		await p.check(`#form-findings input[name="result-${secondItem}"][value=pass]`);
		const ok = await submitAndWait(p, 'form-findings', `/inspections/${inspId}/findings`, 'PUT');
		assert(ok.status === 200, 'findings: ' + JSON.stringify(ok));
		const x = await apiGet(p, '/inspections/' + inspId);
		assert(x.checklist[0].result === 'fail' && x.checklist[1].result === 'pass' && x.checklist[2].result === null,
			'findings stored: ' + JSON.stringify(x.checklist));
	});

	await step('the conclusion: a deadline before it is refused at that deadline; then concluded with its action', async () => {
		await fillForm(p, 'form-conclusion', { conclusion: 'Cơ sở phải bổ sung phương án trong 3 ngày',
			concluded_on: dmy(TODAY), 'description-0': 'Bổ sung phương án xử lý ca nhiễm', 'deadline-0': dmy(dayVN(-1)) });
		const bad = await submit(p, 'form-conclusion', `/inspections/${inspId}/conclusion`);
		await expectFieldError(p, 'form-conclusion', 'deadline-0', bad);
		await fillForm(p, 'form-conclusion', { 'deadline-0': dmy(dayVN(3)) });
		const ok = await submit(p, 'form-conclusion', `/inspections/${inspId}/conclusion`);
		assert(ok.status === 200, 'conclude: ' + JSON.stringify(ok));
		await p.waitForSelector('#insp-status:has-text("Đã kết luận")');
		await p.waitForSelector('.iso-card .flag:has-text("Đang thực hiện")');
		assert((await p.textContent('main')).includes(dmy(dayVN(3))), 'the deadline shown dd/mm/yyyy');
		await fits(p, 'the concluded inspection');
	});

	await step('a public reward follows from it: a date in the future is refused at its field, then saved', async () => {
		await fillForm(p, 'form-decision', { kind: 'reward', form: 'Giấy khen', number: '15/QĐ-UBND',
			person_name: 'Nguyễn Thị Gương Mẫu', reason: 'Phát hiện và xử lý kịp thời vi phạm', decided_on: dmy(dayVN(1)) });
		const bad = await submit(p, 'form-decision', '/decisions');
		await expectFieldError(p, 'form-decision', 'decided_on', bad);
		await fillForm(p, 'form-decision', { decided_on: dmy(TODAY) });
		const ok = await submitAndWait(p, 'form-decision', '/decisions');
		assert(ok.status === 201, 'decision: ' + JSON.stringify(ok));
		const list = await apiGet(p, '/decisions?unit=001');
		const dec = list.items.find((x) => x.number === '15/QĐ-UBND');
		assert(dec && dec.inspection_id === inspId && dec.public && dec.unit_code === '00001', 'stored: ' + JSON.stringify(dec));
	});

	await step('phucxa, the inspected commune, sees it once concluded and reports the action done', async () => {
		const c = await newPage(browser, { viewport: PHONE });
		await signIn(c.page, base, 'phucxa');
		await c.page.click('header nav a[href="/inspections"]');
		await c.page.click(`a[href="/inspections?id=${inspId}"]`);
		await c.page.waitForSelector('form[id^="form-done-"] button[type=submit]');
		const formId = await c.page.getAttribute('form[id^="form-done-"]', 'id');
		await fillForm(c.page, formId, { done_on: dmy(TODAY), note: 'Đã bổ sung phương án' });
		const ok = await submit(c.page, formId, `/inspection-actions/${formId.replace('form-done-', '')}/done`);
		assert(ok.status === 200, 'done: ' + JSON.stringify(ok));
		await c.page.waitForSelector('.iso-card .flag:has-text("Đã xong")');
		await fits(c.page, 'the commune\'s view of the inspection');
		await cleanInBoth(c.page, 'the commune\'s view');
		assertNoScriptErrors(c.errors);
		await c.ctx.close();
	});

	await step('anyone reads the reward on the public page: name, unit, decision, reason, date', async () => {
		const a = await newPage(browser, { viewport: PHONE });
		await a.page.goto(base + '/');
		await a.page.click('header nav a[href="/rewards"]');
		await a.page.waitForSelector('.decisions li:has-text("Nguyễn Thị Gương Mẫu")');
		const card = await a.page.textContent('.decisions li:has-text("Nguyễn Thị Gương Mẫu")');
		for (const want of ['Phường Phúc Xá', 'Giấy khen', '15/QĐ-UBND', 'Phát hiện và xử lý kịp thời vi phạm', dmy(TODAY)])
			assert(card.includes(want), `the card shows ${want}: ${card}`);
		const r = await api(a.page, 'GET', '/public/decisions');
		for (const item of r.json.items)
			assert(JSON.stringify(Object.keys(item).sort()) === JSON.stringify(['date', 'decision', 'name', 'reason', 'unit']),
				'public item: ' + JSON.stringify(item));
		await fits(a.page, 'the rewards page');
		await cleanInBoth(a.page, 'the rewards page');
		assertNoScriptErrors(a.errors);
		await a.ctx.close();
	});

	await step('badinh launches an emulation movement (a weight over 100 refused at it) and reads its ranking and chart', async () => {
		await p.click('header nav a[href="/emulation"]');
		await p.waitForSelector('#form-movement button[type=submit]');
		await fits(p, 'the movement form');
		await fillForm(p, 'form-movement', { name: 'Thi đua phòng, chống dịch quận Ba Đình', parent_code: '001',
			period_from: dmy(dayVN(-29)), period_to: dmy(TODAY), 'weight-households_visited': '101',
			'weight-feedback_on_time': '2', 'weight-vaccination_coverage': '2', 'weight-case_free_days': '1' });
		const bad = await submit(p, 'form-movement', '/emulation/movements');
		await expectFieldError(p, 'form-movement', 'weight-households_visited', bad);
		await fillForm(p, 'form-movement', { 'weight-households_visited': '3' });
		const ok = await submit(p, 'form-movement', '/emulation/movements');
		assert(ok.status === 201, 'movement: ' + JSON.stringify(ok));
		await p.waitForSelector('table caption:has-text("Bảng xếp hạng")');
		await rendered(p);
		const rows = await p.$$eval('table:has(caption) tbody tr', (trs) => trs.length);
		const ranking = await apiGet(p, `/emulation/movements/${ok.json.id}/rankings`);
		assert(rows === ranking.items.length && rows > 10, `ranking rows: ${rows}`);
		assert(await p.$('.chart canvas'), 'the chart is drawn');
		await fits(p, 'the ranking');
		await cleanInBoth(p, 'the ranking');
		assertNoScriptErrors(d.errors);
	});
});
