// What people read, on every page each role reaches, in Vietnamese and in
// English, at 360 px: no ISO date (YYYY-MM-DD), no internal field path
// (person.unit_code, items[0], snake_case names) and no untranslated key.
// The pages carry real data first (a case, a contact, an isolation with a
// check-in, a zone, a decided level), and the forms' refusals are provoked
// so that their messages are read too.  The checker itself is checked first
// against text that it must find.
import {
	api, assert, assertCleanText, badTexts, dayVN, dmy, fillForm, newPage, PHONE, rendered, run, signIn,
} from './harness.mjs';

const TODAY = dayVN(0);
const DOW = new Date(TODAY + 'T00:00:00Z').getUTCDay();
const LAST_SUNDAY = dayVN(-(DOW === 0 ? 7 : DOW));
const FORMS = ['case', 'contact', 'test', 'checkin', 'zone', 'zone_end', 'hamlet', 'household', 'indicators', 'csv',
	'assess', 'decide'];

async function bothLanguages(page, what) {
	await rendered(page);
	await assertCleanText(page, what + ' (vi)');
	await page.click('header button.lang');
	await page.waitForSelector('html[lang=en]');
	await rendered(page);
	await assertCleanText(page, what + ' (en)');
	await page.click('header button.lang');
	await page.waitForSelector('html[lang=vi]');
}

// Each entry tab the user has: as it opens, and after an empty submit (the
// form's own refusals) and, where it sends, the server's.
async function everyForm(page, base, who) {
	await page.goto(base + '/entry');
	await page.waitForSelector('.tabs a');
	const forms = await page.$$eval('.tabs a', (as) => as.map((a) => new URL(a.href).searchParams.get('form')));
	for (const form of forms) {
		const id = 'form-' + form.replace('_', '-');
		await page.click(`.tabs a[href$="form=${form}"]`);
		await page.waitForSelector(`#${id} button[type=submit]`);
		await bothLanguages(page, `${who} ${form} form`);
		await page.click(`#${id} button[type=submit]`);
		await page.waitForSelector(`#${id} [role=alert], #${id} .field-error, #${id} .success`);
		await bothLanguages(page, `${who} ${form} form after a submit`);
	}
	return forms;
}

run('e2e.texts', async ({ base, browser, step }) => {
	const { page } = await newPage(browser, { viewport: PHONE });
	let caseId;

	await step('the checker finds an ISO date, a field path, a snake_case name and a bare key', async () => {
		await page.goto(base + '/');
		await rendered(page);
		assert((await badTexts(page)).length === 0, 'the map is clean: ' + (await badTexts(page)).join('; '));
		for (const text of ['2021-09-10', "trường 'person.unit_code'", 'items[0]: sai', 'f_full_name', 'nav_home']) {
			await page.evaluate((t) => {
				const p = document.createElement('p');
				p.id = 'planted';
				p.textContent = t;
				document.querySelector('main').append(p);
			}, text);
			const bad = await badTexts(page);
			assert(bad.length === 1 && bad[0].includes(text), `"${text}" not found: ` + JSON.stringify(bad));
			await page.evaluate(() => document.getElementById('planted').remove());
		}
	});

	await step('data to show: a level decided, a case with a contact, an isolation with a check-in, a zone', async () => {
		await signIn(page, base, 'phucxa');
		const ok = (r, what) => assert(r.status >= 200 && r.status < 300, what + ': ' + JSON.stringify(r));
		ok(await api(page, 'POST', '/levels/indicators', { week_end: LAST_SUNDAY, items: [{ unit_code: '00001',
			population: 9500, cases_week: 3, cases_prev_week: 2, oxygen_cases_week: 0, deaths_week: 0, vax1_18plus_pct: 98,
			vaxfull_elderly_pct: 92, vaxfull_pct: 88, vaxfull_highrisk_pct: 90, capacity_met: true, capacity: 'high' }] }), 'indicators');
		ok(await api(page, 'POST', '/levels/assess', { week_end: LAST_SUNDAY, unit: '00001' }), 'assess');
		ok(await api(page, 'POST', '/units/00001/levels', { week_end: LAST_SUNDAY }), 'decide');
		const c = await api(page, 'POST', '/cases', { person: { full_name: 'Lý Văn Mười', birth_year: 1970,
			unit_code: '00001-001-0001' }, detected_on: dayVN(-3), source: 'community', test_type: 'rt-pcr' });
		ok(c, 'case');
		caseId = c.json.id;
		ok(await api(page, 'POST', `/cases/${caseId}/contacts`, { person: { full_name: 'Lý Thị Một',
			unit_code: '00001-001-0001' }, degree: 1, exposure_on: dayVN(-4) }), 'contact');
		const i = await api(page, 'POST', '/isolations', { person_id: c.json.person_id, kind: 'home',
			unit_code: '00001-001-0001', started_on: dayVN(-3), planned_end: dayVN(4), case_id: caseId });
		ok(i, 'isolation');
		ok(await api(page, 'POST', `/isolations/${i.json.id}/checkins`, { spo2: 94, temperature: 38.2 }), 'check-in');
		ok(await api(page, 'POST', '/zones', { unit_code: '00001-001', reason: 'Ca F0 trong tổ', started_on: dayVN(-3),
			planned_end: dayVN(11) }), 'zone');
	});

	await step('commune officer: home, follow-up, dashboard, map, my page and every form', async () => {
		for (const path of ['/home', '/followup', '/dashboard?unit=00001', '/dashboard?unit=001', '/me',
			`/?date=${TODAY}&unit=001`]) {
			await page.goto(base + path);
			await bothLanguages(page, 'phucxa ' + path);
		}
		// The isolation's check-in and release forms, opened and refused.
		await page.goto(base + '/followup');
		await page.waitForSelector('.iso-card');
		await page.click('.iso-card button.checkin-open');
		await page.click('.iso-card form button[type=submit]');
		await page.waitForSelector('.iso-card .field-error');
		await page.click('.iso-card button.release-open');
		await fillForm(page, await page.$eval('.iso-card form[id^=release]', (f) => f.id), { released_on: dmy(dayVN(-5)) });
		await page.click('.iso-card form[id^=release] button[type=submit]');
		await page.waitForSelector('.iso-card form[id^=release] .field-error');
		await bothLanguages(page, 'phucxa follow-up forms refused');
		assert((await everyForm(page, base, 'phucxa')).join() === FORMS.join(), 'every form');
	});

	for (const who of ['ytephucxa', 'todan1', 'nguoidan', 'doanhnghiep', 'badinh', 'hanoi']) {
		await step(`${who}: every page and form it has`, async () => {
			await page.click('header button.linkish');
			await page.waitForSelector('header nav a[href="/login"]');
			await signIn(page, base, who);
			const links = await page.$$eval('header nav a', (as) => as.map((a) => new URL(a.href).pathname));
			for (const path of links.filter((p) => p !== '/entry' && p !== '/login')) {
				await page.goto(base + path);
				await bothLanguages(page, `${who} ${path}`);
			}
			if (links.includes('/entry'))
				await everyForm(page, base, who);
		});
	}

	await step('hanoi: a district\'s communes at a glance; the public pages of a commune, a household, an unknown code', async () => {
		for (const [path, sel] of [['/dashboard?unit=001', '#area tbody tr'], ['/?unit=00001', '#unit-level'],
			['/?unit=00001-001-0001', 'main a.btnlink'], ['/?unit=99999', '#unit-hidden']]) {
			await page.goto(base + path);
			await page.waitForSelector(sel);
			await bothLanguages(page, 'hanoi ' + path);
		}
	});

	await step('citizen feedback: the form refused, a request tracked with its answer, the queue and the counts', async () => {
		const ok = (r, what) => assert(r.status >= 200 && r.status < 300, what + ': ' + JSON.stringify(r));
		const r = await api(page, 'POST', '/feedback', { category: 'travel_permit', description: 'Cần giấy đi đường',
			location_code: '00001', name: 'Lý Văn Mười', phone: '0912345678' });
		ok(r, 'feedback');
		ok(await api(page, 'POST', `/feedback/${r.json.id}/acknowledge`, {}), 'acknowledge');
		ok(await api(page, 'POST', `/feedback/${r.json.id}/assign`, { unit_code: '00001' }), 'assign');
		ok(await api(page, 'POST', `/feedback/${r.json.id}/answer`, { answer: 'Đã cấp giấy' }), 'answer');
		await page.goto(base + '/feedback?code=' + r.json.tracking_code);
		await page.waitForSelector('#fb-tracked #fb-answer');
		await bothLanguages(page, 'feedback tracked');
		await page.goto(base + '/feedback');
		await page.waitForSelector('#form-feedback');
		await page.click('#form-feedback button[type=submit]');
		await page.waitForSelector('#form-feedback .field-error');
		await bothLanguages(page, 'feedback form refused');
		await page.goto(base + '/feedback/queue');
		await page.click(`#fb-list button.fb-open[data-id="${r.json.id}"]`);
		await page.waitForSelector('#fb-detail #fb-reporter');
		await bothLanguages(page, 'feedback queue with a request open');
		for (const unit of ['01', '001', '00001']) {
			await page.goto(base + '/feedback/stats?unit=' + unit);
			await page.waitForSelector('#fb-stats');
			await bothLanguages(page, 'feedback counts of ' + unit);
		}
	});
});
