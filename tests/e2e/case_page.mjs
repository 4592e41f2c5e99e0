// The case page and the pickers on a phone (360 px wide), as the commune's
// health station (ytephucxa) works: the header's search finds a case by a
// name typed without accents (and never a case of another province), with
// the keyboard; the case page edits phone, address, severity and outcome
// (refusals at their field, nothing changed), opens isolations for the case
// and its contact in one tap; the case picker, the person picker and the
// rule set picker fill their forms; the follow-up list links the case.
import { join } from 'node:path';
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, dayVN, dmy, expectFieldError, fillForm, newPage, openForm, PHONE,
	rendered, run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';

const person = (full_name, id_number, unit_code) => ({ full_name, id_number, birth_year: 1985, sex: 'male', unit_code });

async function noWiderThanScreen(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

run('e2e.case_page', async ({ base, browser, step }) => {
	const { page, errors } = await newPage(browser, { viewport: PHONE });
	let caseId, contact, otherCase;

	await step('records: a case and its contact in Phúc Xá; an Đặng in Hồ Chí Minh City', async () => {
		const hcm = (await newPage(browser)).page;
		await signIn(hcm, base, 'hcm');
		const r = await api(hcm, 'POST', '/cases', { person: person('Đặng Văn Dương', '079085054321', '26734'),
			detected_on: dayVN(-2), source: 'community', test_type: 'rt-pcr' });
		assert(r.status === 201, 'HCM case: ' + JSON.stringify(r));
		otherCase = r.json.id;
		await signIn(page, base, 'ytephucxa');
		const c = await api(page, 'POST', '/cases', { person: person('Đặng Văn Dũng', '001085012345', '00001-001'),
			detected_on: dayVN(-2), source: 'community', test_type: 'rt-pcr' });
		assert(c.status === 201, 'case: ' + JSON.stringify(c));
		caseId = c.json.id;
		const k = await api(page, 'POST', `/cases/${caseId}/contacts`, { person: { full_name: 'Lê Thị Đào',
			birth_year: 1990, sex: 'female', unit_code: '00001-001' }, degree: 1, exposure_on: dayVN(-3) });
		assert(k.status === 201, 'contact: ' + JSON.stringify(k));
		contact = k.json;
	});

	await step('header search at 360 px: "dang van" without accents, arrows and Enter open the case', async () => {
		await page.goto(base + '/home');
		await page.waitForSelector('#gsearch-q');
		await page.fill('#gsearch-q', 'dang van');
		await page.waitForSelector('#gsearch-list [role=option][data-kind=case]');
		await noWiderThanScreen(page, 'the header with its search results');
		const ids = await page.$$eval('#gsearch-list [role=option][data-kind=case] a', (as) => as.map((a) => a.getAttribute('href')));
		assert(ids.includes('/cases/' + caseId), 'the case found: ' + ids);
		assert(!ids.includes('/cases/' + otherCase), 'a case of another province was offered: ' + ids);
		const groups = await page.$$eval('#gsearch-list .gs-title', (ts) => ts.map((x) => x.textContent));
		assert(groups.includes('Ca bệnh') && groups.includes('Người'), 'results grouped: ' + groups);
		await page.screenshot({ path: join(SHOTS, 'phone-global-search.png'), fullPage: true });
		// Esc closes the list; typing opens it again.
		await page.press('#gsearch-q', 'Escape');
		await page.waitForSelector('#gsearch-list', { state: 'detached' });
		await page.type('#gsearch-q', 'dang van');
		await page.waitForSelector('#gsearch-list [role=option][data-kind=case]');
		const options = await page.$$eval('#gsearch-list [role=option]', (os) => os.map((o) => o.id + ' ' + o.dataset.kind
			+ ' ' + (o.querySelector('a')?.getAttribute('href') || '')));
		const n = options.findIndex((o) => o.endsWith(' /cases/' + caseId));
		for (let i = 0; i <= n; i++)
			await page.press('#gsearch-q', 'ArrowDown');
		const active = await page.getAttribute('#gsearch-q', 'aria-activedescendant');
		assert(active === options[n].split(' ')[0], `the active option ${active}, expected ${options[n]}`);
		assert(await page.getAttribute('#' + active, 'aria-selected') === 'true', 'the active option is selected');
		await page.press('#gsearch-q', 'Enter');
		await page.waitForURL('**/cases/' + caseId);
		await page.waitForSelector('#h-case');
		assert((await page.textContent('#h-case')).includes('Đặng Văn Dũng'), 'the case page names the person');
		await noWiderThanScreen(page, 'the case page');
	});

	await step('header search: two letters find names that begin with them, and the list says so', async () => {
		await page.goto(base + '/home');
		await page.waitForSelector('#gsearch-q');
		await page.fill('#gsearch-q', 'Đặ');
		await page.waitForSelector('#gsearch-list [role=option][data-kind=case]');
		const hint = await page.textContent('.gsearch-results .pick-short');
		assert(hint.includes('2 chữ') && hint.includes('3 chữ'), 'the short-text hint: ' + hint);
		const ids = await page.$$eval('#gsearch-list [role=option][data-kind=case] a', (as) => as.map((a) => a.getAttribute('href')));
		assert(ids.includes('/cases/' + caseId), '"Đặ" finds Đặng Văn Dũng: ' + ids);
		await page.fill('#gsearch-q', 'dang');
		await page.waitForFunction(() => !document.querySelector('.gsearch-results .pick-short')
			&& document.querySelector('#gsearch-list [role=option][data-kind=case]'));
		await page.press('#gsearch-q', 'Escape');
		await page.goto(base + '/cases/' + caseId);   // where the next step begins
		await page.waitForSelector('#h-case');
	});

	await step('case page: a bad phone refused at its field, nothing changed; then phone and address saved', async () => {
		await page.click('#edit-person');
		await fillForm(page, 'form-person', { phone: '09ab', address: 'Số 5 ngõ 3 Phúc Xá' });
		const path = '/people/' + (await apiGet(page, '/cases/' + caseId)).person.id;
		await expectFieldError(page, 'form-person', 'phone', await submitAndWait(page, 'form-person', path, 'PATCH'));
		let c = await apiGet(page, '/cases/' + caseId);
		assert(c.person.phone === null && c.person.address === null, 'a refused edit changed the person: ' + JSON.stringify(c.person));
		await fillForm(page, 'form-person', { phone: '0912 345 678' });
		const res = await submitAndWait(page, 'form-person', path, 'PATCH');
		assert(res.status === 200, 'saved: ' + JSON.stringify(res));
		await page.waitForFunction(() => document.querySelector('#cs-phone')?.textContent === '0912 345 678');
		c = await apiGet(page, '/cases/' + caseId);
		assert(c.person.phone === '0912 345 678' && c.person.address === 'Số 5 ngõ 3 Phúc Xá', 'read back: ' + JSON.stringify(c.person));
	});

	await step('case page: the case and its contact isolated in one tap each', async () => {
		const card = `li[data-contact="${contact.id}"]`;
		await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/isolations')),
			page.click(`${card} .open-isolation button`),
		]);
		await page.waitForSelector(`${card} .flag.kind`);
		const file = await apiGet(page, `/cases/${caseId}/file`);
		const iso = file.isolations.find((i) => i.contact_id === contact.id);
		assert(iso && iso.started_on === contact.quarantine_start && iso.person_id === contact.person.id,
			'the contact\'s isolation: ' + JSON.stringify(file));
		await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/isolations')),
			page.click('.casepage .card .open-isolation button'),
		]);
		await page.waitForSelector('#case-isolations');
		const again = await apiGet(page, `/cases/${caseId}/file`);
		assert(again.isolations.some((i) => i.case_id === caseId && i.started_on === dayVN(-2)), 'the case\'s isolation: ' + JSON.stringify(again));
		await page.screenshot({ path: join(SHOTS, 'phone-case-page.png'), fullPage: true });
	});

	await step('case page: an outcome before detection refused at its day; then moderate, recovered', async () => {
		await page.click('#edit-case');
		await fillForm(page, 'form-case-edit', { severity: 'moderate', outcome: 'recovered' });
		await page.waitForSelector('#form-case-edit [name=outcome_on]');
		await fillForm(page, 'form-case-edit', { outcome_on: dmy(dayVN(-10)) });
		const path = '/cases/' + caseId;
		await expectFieldError(page, 'form-case-edit', 'outcome_on', await submitAndWait(page, 'form-case-edit', path, 'PATCH'));
		let c = await apiGet(page, path);
		assert(c.severity === 'asymptomatic' && c.outcome === null, 'a refused edit changed the case: ' + JSON.stringify(c));
		// A day that is not one is the form's own refusal, sent nowhere.
		await fillForm(page, 'form-case-edit', { outcome_on: '31/02/2021' });
		await page.click('#form-case-edit button[type=submit]');
		await page.waitForSelector('#form-case-edit .field.has-error [name=outcome_on]');
		await fillForm(page, 'form-case-edit', { outcome_on: dmy(dayVN(0)) });
		const res = await submitAndWait(page, 'form-case-edit', path, 'PATCH');
		assert(res.status === 200, 'saved: ' + JSON.stringify(res));
		c = await apiGet(page, path);
		assert(c.severity === 'moderate' && c.outcome === 'recovered' && c.outcome_on === dayVN(0), 'read back: ' + JSON.stringify(c));
		await page.waitForFunction((d) => document.querySelector('#cs-outcome')?.textContent.includes(d), dmy(dayVN(0)));
		assert((await page.textContent('#cs-severity')) === 'trung bình', 'severity shown');
	});

	await step('case page: dates dd/mm/yyyy and no internal names, in Vietnamese and in English', async () => {
		await rendered(page);
		await assertCleanText(page, 'case page (vi)');
		assert((await page.textContent('#cs-outcome')).includes('khỏi'), 'the outcome in Vietnamese');
		await page.click('header button.lang');
		await page.waitForSelector('html[lang=en]');
		await page.waitForFunction(() => document.querySelector('#cs-outcome')?.textContent.includes('recovered'));
		await assertCleanText(page, 'case page (en)');
		await page.click('header button.lang');
		await page.waitForSelector('html[lang=vi]');
		await page.waitForSelector('#h-case');
	});

	await step('case picker: the contact form finds the case by "dung" and adds a contact to it', async () => {
		await openForm(page, 'contact');
		await page.fill('#form-contact [name=case_id]', 'dung');
		const opt = `#form-contact [role=option][data-id="${caseId}"]`;
		await page.waitForSelector(opt);
		assert(!(await page.$(`#form-contact [role=option][data-id="${otherCase}"]`)), 'another province\'s case offered');
		await page.click(opt);
		assert(await page.inputValue('#form-contact [name=case_id]') === String(caseId), 'the case number chosen');
		await page.waitForSelector('#form-contact .picked');
		assert((await page.textContent('#form-contact .picked')).includes('Đặng Văn Dũng'), 'the chosen case named');
		await fillForm(page, 'form-contact', { full_name: 'Ngô Văn Tư', birth_year: '1970', exposure_on: dmy(dayVN(-1)) });
		const res = await submitAndWait(page, 'form-contact', `/cases/${caseId}/contacts`);
		assert(res.status === 201 && res.json.case_id === caseId, 'contact: ' + JSON.stringify(res));
	});

	await step('person picker: the test form filled with a person found by "DUNG"', async () => {
		await openForm(page, 'test');
		const who = (await apiGet(page, '/cases/' + caseId)).person;
		await page.fill('#form-test [name=find_person]', 'DUNG');
		const opt = `#form-test [role=option][data-id="${who.id}"]`;
		await page.waitForSelector(opt);
		await page.press('#form-test [name=find_person]', 'ArrowDown');
		await page.press('#form-test [name=find_person]', 'Enter');
		await page.waitForFunction(() => document.querySelector('#form-test [name=full_name]').value === 'Đặng Văn Dũng');
		assert(await page.inputValue('#form-test [name=id_number]') === '001085012345', 'ID number filled');
		assert(await page.inputValue('#form-test [name=birth_year]') === '1985', 'birth year filled');
		assert(await page.inputValue('#form-test [name=unit_code]') === '00001-001', 'unit filled');
		const res = await submitAndWait(page, 'form-test', '/tests');
		assert(res.status === 201 && res.json.person_id === who.id, 'the test is the same person\'s: ' + JSON.stringify(res));
		const file = await apiGet(page, `/cases/${caseId}/file`);
		assert(file.tests.some((x) => x.id === res.json.id), 'the test on the case\'s file: ' + JSON.stringify(file));
	});

	await step('rule set picker: "218" chooses Decision 218', async () => {
		await openForm(page, 'assess');
		await page.fill('#form-assess [name=rules]', '218');
		const opt = '#form-assess [role=option][data-id="qd218-2022"]';
		await page.waitForSelector(opt);
		await page.click(opt);
		assert(await page.inputValue('#form-assess [name=rules]') === 'qd218-2022', 'the rule set chosen');
		await page.waitForSelector('#form-assess .picked');
		await noWiderThanScreen(page, 'the assess form with its picker');
	});

	await step('follow-up: the case number links to its page', async () => {
		await page.click('header nav a[href="/followup"]');
		const link = `a.case-link[href="/cases/${caseId}"]`;
		await page.waitForSelector(link);
		await page.click(link);
		await page.waitForURL('**/cases/' + caseId);
		await page.waitForSelector('#case-isolations, .casepage .open-isolation');
	});

	await step('another province\'s case is not found by its page either', async () => {
		await page.goto(`${base}/cases/${otherCase}`);
		await page.waitForSelector('main .error[role=alert]');
		assert(!(await page.textContent('main')).includes('Dương'), 'the other province\'s person shown');
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(errors);
	});
});
