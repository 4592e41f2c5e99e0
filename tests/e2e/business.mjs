// Businesses and QĐ 2194 on a phone (360 px wide), on the demo data:
//  - doanhnghiep (a business's own account) opens "Doanh nghiệp", registers
//    its business (a tax code of 9 digits refused at the field), then
//    self-assesses: a score above 20 is the form's own refusal (nothing
//    sent), a date after today the server's (at the field, dd/mm/yyyy);
//    15 scores adding up to 153 give 51,0 %, band "Cao" and the band's
//    required actions;
//  - phucxa (commune officer) sees the business in its list with the band,
//    the index with a decimal comma and the reassessment day; "only
//    overdue" leaves it out; the CSV export has it;
//  - a second business, registered by phucxa through the API and never
//    assessed, shows as overdue.
// Every page is checked in Vietnamese and English for ISO dates, internal
// names and untranslated keys.
import { join } from 'node:path';
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, dayVN, dmy, expectFieldError,
	fillForm, newPage, PHONE, rendered, run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';

const TODAY = dayVN(0);
const RULES_DAYS = 14;   // data/business/risk-2194.json reassess_days (checked below)

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

async function narrow(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

run('e2e.business', async ({ base, browser, step }) => {
	const owner = await newPage(browser, { viewport: PHONE });
	const bp = owner.page;
	let bizId;

	await step('doanhnghiep registers its business; a 9-digit tax code is refused at the field', async () => {
		await signIn(bp, base, 'doanhnghiep');
		await bp.click('header nav a[href="/business"]');
		await bp.waitForSelector('#form-business button[type=submit]');
		await narrow(bp, 'the registration form');
		assert(await bp.inputValue('#form-business input[name=unit_code]') === '00001', 'the commune preset');
		// The commune is chosen by its name, typed without accents, not by a code learnt by heart.
		await bp.fill('#form-business input[name=unit_code]', 'phuc xa');
		await bp.click('#form-business .pick-results button.pick[data-code="00001"]');
		await bp.waitForSelector('#form-business .unitpick[data-state=named] .picked');
		const named = await bp.textContent('#form-business .unitpick .picked');
		assert(named.includes('Phúc Xá'), 'the commune named under the field: ' + named);
		await fillForm(bp, 'form-business', { tax_code: '010123456', name: 'Công ty TNHH May Phúc Xá',
			sector: 'Dệt may', address: 'Số 5 phố Phúc Xá', workers: '120' });
		const [resp] = await Promise.all([
			bp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/businesses'),
			bp.click('#form-business button[type=submit]'),
		]);
		await bp.waitForSelector('#form-business button[type=submit]:enabled');
		await expectFieldError(bp, 'form-business', 'tax_code', { status: resp.status(), json: await resp.json() });
		await cleanInBoth(bp, 'registration refused');
		// The page is drawn again in each language: the form starts afresh.
		await fillForm(bp, 'form-business', { tax_code: '0101234567', name: 'Công ty TNHH May Phúc Xá',
			sector: 'Dệt may', address: 'Số 5 phố Phúc Xá', workers: '120' });
		const [ok] = await Promise.all([
			bp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/businesses'),
			bp.click('#form-business button[type=submit]'),
		]);
		assert(ok.status() === 201, 'registration: ' + ok.status());
		bizId = (await ok.json()).id;
		await bp.waitForSelector(`#biz-${bizId}`);
		const card = await bp.textContent(`#biz-${bizId}`);
		assert(card.includes('0101234567') && card.includes('Chưa tự đánh giá'), 'the card: ' + card);
		await bp.waitForSelector('#form-assessment button[type=submit]');
	});

	await step('doanhnghiep self-assesses: 21 refused by the form, tomorrow by the server, then 51,0 % "Cao"', async () => {
		const crit = await apiGet(bp, '/business/risk-criteria');
		assert(crit.reassess_days === RULES_DAYS, 'reassess_days');
		const labels = await bp.$$eval('#form-assessment .scores label', (ls) => ls.map((l) => l.textContent.replace('*', '').trim()));
		assert(JSON.stringify(labels) === JSON.stringify(crit.criteria.map((c) => c.name.vi)), 'the criteria labels: ' + labels);
		const scores = [20, 20, 20, 20, 20, 20, 20, 13, 0, 0, 0, 0, 0, 0, 0];   // 153: 51,0 %
		const values = Object.fromEntries(scores.map((s, i) => ['cs' + (i + 1), String(s)]));
		let sent = 0;
		const count = (r) => { if (r.url().includes('/risk-assessments')) sent++; };
		bp.on('request', count);
		await fillForm(bp, 'form-assessment', { ...values, cs4: '21' });
		await bp.click('#form-assessment button[type=submit]');
		await bp.waitForSelector('#form-assessment .field.has-error [name=cs4]');
		assert(sent === 0, 'a score of 21 was sent');
		bp.off('request', count);
		await fillForm(bp, 'form-assessment', { cs4: '20', assessed_on: dmy(dayVN(1)) });
		let res = await submitAndWait(bp, 'form-assessment', `/businesses/${bizId}/risk-assessments`);
		await expectFieldError(bp, 'form-assessment', 'assessed_on', res);
		await fillForm(bp, 'form-assessment', { assessed_on: dmy(TODAY) });
		res = await submitAndWait(bp, 'form-assessment', `/businesses/${bizId}/risk-assessments`);
		assert(res.status === 201 && res.json.index === 51 && res.json.band === 'high', 'assessment: ' + JSON.stringify(res));
		const shown = await bp.textContent('#assess-result');
		const high = crit.bands.find((b) => b.code === 'high');
		assert(shown.includes('51,0 %') && shown.includes('Cao') && shown.includes(high.required_actions.vi),
			'index, band and actions shown: ' + shown);
		await bp.waitForFunction((id) => document.querySelector('#biz-' + id)?.textContent.includes('51,0'), bizId);
		const card = await bp.textContent(`#biz-${bizId}`);
		assert(card.includes(dmy(TODAY)) && card.includes(dmy(dayVN(RULES_DAYS))), 'assessed and due days: ' + card);
		await narrow(bp, 'the assessment form');
		await bp.screenshot({ path: join(SHOTS, 'business-assessment.png'), fullPage: true });
		await cleanInBoth(bp, 'self-assessment');
	});

	await step('doanhnghiep records a 1-route-2-destinations plan and the workers on site of a day', async () => {
		if (await bp.getAttribute('html', 'lang') === 'en') {
			await bp.click('header button.lang');
			await bp.waitForSelector('html[lang=vi]');
			await rendered(bp);
		}
		const plan = `form-plan-${bizId}`;
		await bp.waitForSelector(`#${plan} button[type=submit]`);
		// 1 route 2 destinations without the place of lodging: the form's own refusal.
		await fillForm(bp, plan, { kind: 'one_route', ends_on: dmy(dayVN(30)), workers_on_site: '500', shifts: '2' });
		await bp.click(`#${plan} button[type=submit]`);
		await bp.waitForSelector(`#${plan} .field.has-error [name=lodging]`);
		// More workers on site than registered: the server's, at the field.
		await fillForm(bp, plan, { lodging: 'Ký túc xá Phúc Xá' });
		let res = await submitAndWait(bp, plan, `/businesses/${bizId}/plans`);
		await expectFieldError(bp, plan, 'workers_on_site', res);
		await fillForm(bp, plan, { workers_on_site: '40' });
		res = await submitAndWait(bp, plan, `/businesses/${bizId}/plans`);
		assert(res.status === 201 && res.json.kind === 'one_route' && res.json.shifts === 2, 'plan: ' + JSON.stringify(res));
		const onsite = `form-onsite-${bizId}`;
		await fillForm(bp, onsite, { on_site: '' });
		await bp.click(`#${onsite} button[type=submit]`);
		await bp.waitForSelector(`#${onsite} .field.has-error [name=on_site]`);
		await fillForm(bp, onsite, { on_site: '121' });
		res = await submitAndWait(bp, onsite, `/businesses/${bizId}/on-site`);
		await expectFieldError(bp, onsite, 'on_site', res);
		await fillForm(bp, onsite, { on_site: '38' });
		res = await submitAndWait(bp, onsite, `/businesses/${bizId}/on-site`);
		assert(res.status === 200 && res.json.on_site === 38, 'on site: ' + JSON.stringify(res));
		const saved = await bp.textContent(`#${onsite} .success`);
		assert(saved.includes(dmy(TODAY)), 'the day dd/mm/yyyy: ' + saved);
		const got = await apiGet(bp, `/businesses/${bizId}`);
		assert(got.plans.length === 1 && got.on_site[0].on_site === 38, 'stored: ' + JSON.stringify(got.plans));
		await narrow(bp, 'the plan and on-site forms');
		await cleanInBoth(bp, 'plans and workers on site');
	});

	const officer = await newPage(browser, { viewport: PHONE });
	const op = officer.page;

	await step('phucxa: the list with the band, the index and the overdue one; the CSV export', async () => {
		await signIn(op, base, 'phucxa');
		const r = await api(op, 'POST', '/businesses', { tax_code: '0109999999', name: 'Xưởng chưa đánh giá',
			sector: 'Cơ khí', unit_code: '00001', address: 'Ngõ 3 Phúc Xá', workers: 15 });
		assert(r.status === 201, 'the second business: ' + JSON.stringify(r));
		await op.click('header nav a[href="/business"]');
		await op.waitForSelector(`#biz-list tr[data-id="${bizId}"]`);
		const row = await op.textContent(`#biz-list tr[data-id="${bizId}"]`);
		assert(row.includes('Cao') && row.includes('51,0 %') && row.includes(dmy(dayVN(RULES_DAYS))), 'the row: ' + row);
		const other = await op.textContent(`#biz-list tr[data-id="${r.json.id}"]`);
		// Due now, and said as what it is: never assessed (not "overdue", which it never was).
		assert(other.includes('chưa tự đánh giá') && !other.includes('quá hạn'), 'never assessed: ' + other);
		await narrow(op, 'the list');
		await cleanInBoth(op, 'business list');
		await op.setChecked('input[name=overdue]', true);
		await op.waitForFunction((id) => !document.querySelector(`#biz-list tr[data-id="${id}"]`) &&
			document.querySelectorAll('#biz-list tbody tr').length > 0, bizId);
		const href = await op.getAttribute('#biz-csv', 'href');
		assert(href.includes('format=csv') && href.includes('overdue=1'), 'the export follows the filter: ' + href);
		const xhref = await op.getAttribute('#biz-xlsx', 'href');
		assert(xhref === href.replace('format=csv', 'format=xlsx'), 'Tải Excel: the same list: ' + xhref);
		assert((await op.textContent('#biz-xlsx')).includes('Tải Excel'), 'the link reads Tải Excel');
		await op.setChecked('input[name=overdue]', false);
		await op.waitForSelector(`#biz-list tr[data-id="${bizId}"]`);
		const csv = await op.evaluate(async (h) => (await fetch(h)).text(), await op.getAttribute('#biz-csv', 'href'));
		const line = csv.split('\n').find((l) => l.includes('0101234567'));
		assert(line && line.includes('"51,0"') && line.includes('high'), 'the CSV row: ' + line);
		const xlsx = await op.evaluate(async (h) => {
			const res = await fetch(h);
			const b = new Uint8Array(await res.arrayBuffer());
			return { type: res.headers.get('content-type'), zip: b[0] === 0x50 && b[1] === 0x4b };
		}, await op.getAttribute('#biz-xlsx', 'href'));
		assert(xlsx.zip && xlsx.type.includes('spreadsheetml'), 'the Excel file: ' + JSON.stringify(xlsx));
		await op.screenshot({ path: join(SHOTS, 'business-list.png'), fullPage: true });
	});

	await step('phucxa opens the business: its plan, its day on site and its inspection by tax code', async () => {
		const insp = await api(op, 'POST', '/inspections', { title: 'Kiểm tra an toàn COVID Công ty May Phúc Xá',
			issuer: '00001', period_from: dayVN(-1), period_to: dayVN(5), kind: 'announced',
			template: 'business_covid', target: { unit_code: '00001', tax_code: '0101234567',
				business_name: 'Công ty TNHH May Phúc Xá' }, team: [{ name: 'Nguyễn Văn Đoàn', role: 'Trưởng đoàn' }] });
		assert(insp.status === 201, 'inspection: ' + JSON.stringify(insp.json));
		await op.click(`#biz-list tr[data-id="${bizId}"] button.biz-open`);
		await op.waitForSelector(`#biz-links-${bizId} .biz-inspections a[href="/inspections?id=${insp.json.id}"]`);
		const text = await op.textContent(`#biz-links-${bizId}`);
		assert(text.includes('1 phương án') && text.includes('38 người'), 'plan and on site: ' + text);
		await narrow(op, 'the business details');
		await cleanInBoth(op, 'the business details');
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(owner.errors);
		assertNoScriptErrors(officer.errors);
	});
});
