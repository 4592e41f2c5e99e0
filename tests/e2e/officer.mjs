// A commune officer in a real browser: sign in as phucxa, role-aware
// navigation, dashboard of Phường Phúc Xá, a hamlet created through the form
// (with the API's 422 shown at its field), a case entered and seen in the
// commune's figures, a negative test result and a zone on hamlet 00001-001
// recorded through the forms, another commune's hamlet refused, sign out; then the public pages are checked for
// personal data in every API response they receive.
import { join } from 'node:path';
import {
	assert, assertNoScriptErrors, dayVN, dmy, expectFieldError, newPage, PASSWORD, rendered, run, SHOTS, submitAndWait,
} from './harness.mjs';

const CASE_NAME = 'Trần Thị E2E Kiểm Thử';
const CASE_ID = '001099123456';

run('e2e.officer', async ({ base, browser, step }) => {
	const { page, errors } = await newPage(browser);

	await step('anonymous: no dashboard or data entry in the navigation', async () => {
		await page.goto(base + '/');
		await page.waitForSelector('header nav a[href="/login"]');
		assert(await page.$('header nav a[href="/dashboard"]') === null, 'no dashboard link');
		await page.goto(base + '/dashboard');
		await page.waitForSelector('main a[href="/login"]');
	});

	await step('sign in as commune officer phucxa', async () => {
		await page.goto(base + '/login');
		await page.fill('input[name=username]', 'phucxa');
		await page.fill('input[name=password]', 'wrong-password');
		await page.click('form button[type=submit]');
		await page.waitForSelector('form .error');
		await page.fill('input[name=password]', PASSWORD);
		await page.click('form button[type=submit]');
		// The commune officer lands on its day's home, then opens the dashboard from it.
		await page.waitForURL(/\/home$/);
		await page.waitForSelector('header nav a[href="/entry"]');
		await page.waitForSelector('h1:has-text("Phường Phúc Xá")');
		await page.click('main a[href="/dashboard?unit=00001"]');
		await page.waitForURL(/\/dashboard\?unit=00001$/);
		await page.waitForSelector('h1:has-text("Bảng điều khiển — Phường Phúc Xá")');
		const csrf = (await page.context().cookies()).find((c) => c.name === 'thc_csrf');
		const sess = (await page.context().cookies()).find((c) => c.name === 'thc_session');
		assert(csrf && sess && sess.httpOnly, 'session cookie HttpOnly, csrf cookie readable');
		const casesStatus = await page.evaluate(async () => (await fetch('/api/v1/cases?unit=00001')).status);
		assert(casesStatus === 200, 'the commune officer reads the commune\'s cases: ' + casesStatus);
		await rendered(page);
		await page.screenshot({ path: join(SHOTS, 'dashboard-00001.png'), fullPage: true });
	});

	await step('hamlet form: the API 422 shown at its field, then created', async () => {
		await page.click('header nav a[href="/entry"]');
		await page.click('.tabs a:has-text("Thôn, tổ dân phố")');
		await page.waitForSelector('#form-hamlet');
		assert(await page.inputValue('#form-hamlet input[name=parent_code]') === '00001', 'parent preset to the grant');
		await page.fill('#form-hamlet input[name=name]', '   ');
		await expectFieldError(page, 'form-hamlet', 'name', await submitAndWait(page, 'form-hamlet', '/units'));
		await page.screenshot({ path: join(SHOTS, 'entry-hamlet-error.png'), fullPage: true });
		await page.fill('#form-hamlet input[name=name]', 'Tổ dân phố E2E');
		await page.selectOption('#form-hamlet select[name=type]', 'tổ dân phố');
		assert((await submitAndWait(page, 'form-hamlet', '/units')).status === 201, 'hamlet created');
		const ok = await page.textContent('#form-hamlet .success');
		assert(/00001-\d{3}/.test(ok), 'created code shown: ' + ok);
		await page.goto(base + '/dashboard?unit=00001');
		await page.waitForSelector('#h-children');
		await page.waitForSelector('.card a:has-text("Tổ dân phố E2E")');
	});

	{
		await step('case form: entered and seen in the commune\'s figures', async () => {
			await page.waitForSelector('#case-count');
			const before = Number((await page.textContent('#case-count')).replace(/\D/g, ''));
			await page.goto(base + '/entry?unit=00001&form=case');
			await page.waitForSelector('#form-case');
			await page.fill('#form-case input[name=full_name]', CASE_NAME);
			await page.fill('#form-case input[name=id_number]', CASE_ID);
			await page.fill('#form-case input[name=birth_year]', '1990');
			await page.selectOption('#form-case select[name=sex]', 'female');
			await page.fill('#form-case input[name=detected_on]', '');
			await page.click('#form-case button[type=submit]');
			await page.waitForSelector('#form-case .field.has-error input[name=detected_on]');
			await page.fill('#form-case input[name=detected_on]', dmy(dayVN()));
			// This submission's own answer: the first one's "fix the errors"
			// message is still on the page until it comes.
			const res = await submitAndWait(page, 'form-case', '/cases');
			assert(res.status === 201, 'case refused: ' + JSON.stringify(res));
			await page.screenshot({ path: join(SHOTS, 'entry-case.png'), fullPage: true });
			await page.goto(base + '/dashboard?unit=00001');
			await page.waitForSelector('#case-count');
			const after = Number((await page.textContent('#case-count')).replace(/\D/g, ''));
			assert(after === before + 1, `case count ${before} → ${after}`);
			await rendered(page);
			await page.screenshot({ path: join(SHOTS, 'dashboard-00001-case.png'), fullPage: true });
		});
	}

	await step('test form: a negative result for a new person', async () => {
		await page.goto(base + '/entry?unit=00001&form=test');
		await page.waitForSelector('#form-test');
		await page.fill('#form-test input[name=full_name]', 'Lê Văn Xét Nghiệm');
		await page.fill('#form-test input[name=birth_year]', '1985');
		await page.selectOption('#form-test select[name=test_type]', 'rt-pcr');
		await page.selectOption('#form-test select[name=result]', 'negative');
		const res = await submitAndWait(page, 'form-test', '/tests');
		assert(res.status === 201 && res.json.result === 'negative' && res.json.case_id === null,
			'test recorded: ' + JSON.stringify(res));
		assert((await page.textContent('#form-test .success')).includes(`Đã tạo: ${res.json.id}`), 'its number shown');
	});

	await step('zone form: a zone opened on hamlet 00001-001', async () => {
		await page.click('.tabs a:has-text("Khoanh vùng phong tỏa")');
		await page.waitForSelector('#form-zone');
		await page.fill('#form-zone input[name=unit_code]', '00001-001');
		await page.fill('#form-zone textarea[name=reason]', 'E2E: ổ dịch trong thôn');
		const res = await submitAndWait(page, 'form-zone', '/zones');
		assert(res.status === 201, 'zone created: ' + JSON.stringify(res));
		assert((await page.textContent('#form-zone .success')).includes(`Đã tạo: #${res.json.id}`), 'its number shown');
	});

	await step('another commune\'s hamlet (00004-001) is refused', async () => {
		const apiStatus = new Promise((resolve) => page.on('response', (r) => {
			if (r.url().endsWith('/api/v1/units/00004-001'))
				resolve(r.status());
		}));
		await page.goto(base + '/dashboard?unit=00004-001');
		await page.waitForSelector('#dash-refused');
		assert(await apiStatus === 404, 'the API answered 404');
		assert(!(await page.textContent('main')).includes('Trúc Bạch'), 'nothing of the other commune shown');
		const direct = await page.evaluate(async () => (await fetch('/api/v1/units?parent=00004')).json());
		assert(!(direct.items || []).some((u) => u.code.startsWith('00004-')), 'no hamlets of 00004 listed');
	});

	await step('level decision form shows the field the API names', async () => {
		await page.goto(base + '/entry?unit=00001&form=decide');
		await page.waitForSelector('#form-decide');
		await page.fill('#form-decide input[name=week_end]', '20/02/2022');
		await page.fill('#form-decide input[name=effective_from]', '10/02/2022');
		await expectFieldError(page, 'form-decide', 'effective_from', await submitAndWait(page, 'form-decide', '/units/00001/levels'));
	});

	await step('sign out', async () => {
		await page.click('header nav button:has-text("Đăng xuất")');
		await page.waitForSelector('header nav a[href="/login"]');
		const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
		assert(me === 401, 'signed out: /me ' + me);
	});

	await step('public pages: no personal data in any API response', async () => {
		const anon = await newPage(browser);
		const bodies = [];
		anon.page.on('response', async (r) => {
			if (r.url().includes('/api/'))
				bodies.push(r.text().then((t) => ({ url: r.url(), t })).catch(() => ({ url: r.url(), t: '' })));
		});
		for (const q of ['/', '/?date=2022-01-22', '/?unit=01', '/?unit=001', '/?unit=22&date=2022-03-01']) {
			await anon.page.goto(base + q);
			await anon.page.waitForSelector('.units table, .units .nodata');
		}
		const all = await Promise.all(bodies);
		assert(all.length >= 8, 'recorded ' + all.length + ' API responses');
		for (const { url, t } of all) {
			assert(!t.includes(CASE_NAME) && !t.includes(CASE_ID), 'case data in ' + url);
			assert(!/"(full_name|id_number|birth_year|phone)"/.test(t), 'a personal field in ' + url);
		}
		console.log(`checked ${all.length} public API responses: no names or ID numbers`);
		await anon.ctx.close();
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(errors);
	});
});
