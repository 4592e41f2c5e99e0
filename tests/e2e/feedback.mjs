// Citizen feedback end to end on a phone (360 px): a citizen, not signed
// in, files a travel-permit request (the district's) from the header link:
// an empty form refused at its fields, an unknown place refused by the
// server at the place, then sent with the place found by its name typed
// without accents; the tracking code is shown large with a copy button.
// The district's officer acknowledges it and assigns it to the commune
// (picked by name), the commune's officer answers it, and the citizen sees
// the answer by the code typed in lower case with dashes, and reopens it
// with a reason.  Then a commune request left past its deadline escalates
// (`thichung feedback escalate --today`, as cron runs it) and the
// district's officer finds it with the "escalated" filter, badge shown;
// the counts page shows the commune's open request; the Excel link answers
// a file.  Every page is read in both languages for ISO dates, field paths
// and bare keys.
import {
	api, assert, assertCleanText, assertNoScriptErrors, dmy, expectFieldError, newPage, PHONE,
	rendered, run, signIn, thichung, VIETNAMESE,
} from './harness.mjs';

const ANSWER = 'Xã đã cấp giấy đi đường, mời anh đến nhận tại bộ phận một cửa';

async function fits(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

async function bothLanguages(page, what) {
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

// Types a name into a unit picker and chooses the unit `code` in the list.
async function pickUnit(page, form, name, typed, code) {
	await page.fill(`#${form} [name="${name}"]`, typed);
	await page.click(`#${form} .pick-results button.pick[data-code="${code}"]`);
	await page.waitForSelector(`#${form} .picked`);
}

// Submits #form and waits for its POST to `path`: { status, json }.
async function submit(page, form, path) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1' + path),
		page.click(`#${form} button[type=submit]`),
	]);
	return { status: resp.status(), json: await resp.json().catch(() => null) };
}

// Opens request `id` in the queue and waits for its detail pane.
async function openRequest(page, id, filters) {
	await page.click('header nav a[href="/feedback/queue"]');
	await page.waitForSelector('#fb-filters');
	if (filters) {
		await filters();
		await page.click('#fb-filters button[type=submit]');
	}
	await page.click(`#fb-list button.fb-open[data-id="${id}"]`);
	await page.waitForSelector(`#fb-detail[data-id="${id}"]`);
	await rendered(page);
}

// One action of the detail pane, which then shows what was done.
async function act(page, action, doneText) {
	const form = 'form-fb-' + action;
	const r = await submit(page, form, `/feedback/${await page.getAttribute('#fb-detail', 'data-id')}/${action}`);
	assert(r.status === 200, `${action}: ${r.status} ${JSON.stringify(r.json)}`);
	const done = await page.waitForSelector('#fb-done');
	assert((await done.textContent()).includes(doneText), `${action}: shown "${await done.textContent()}"`);
	return r.json;
}

run('e2e.feedback', async ({ base, browser, step, db }) => {
	const citizen = await newPage(browser, { viewport: PHONE, context: { permissions: ['clipboard-read', 'clipboard-write'] } });
	const cp = citizen.page;
	let sent;

	await step('a citizen, not signed in, files a request at 360 px: refused at the fields, then sent', async () => {
		await cp.goto(base + '/');
		await rendered(cp);
		await cp.click('header nav a[href="/feedback"]');
		await cp.waitForSelector('#form-feedback select[name=category] option[value=travel_permit]', { state: 'attached' });
		await fits(cp, 'the feedback form');
		// Nothing typed: each required field says what it needs, the focus on the first.
		await cp.click('#form-feedback button[type=submit]');
		await cp.waitForSelector('#form-feedback .field.has-error');
		const marked = await cp.$$eval('#form-feedback .field.has-error', (els) =>
			els.map((e) => e.querySelector('input, select, textarea').name));
		assert(JSON.stringify(marked) === JSON.stringify(['category', 'description', 'location_code']), 'marked: ' + marked);
		assert(await cp.evaluate(() => document.activeElement.name) === 'category', 'the focus is not on the category');
		const msg = await cp.textContent('#form-feedback .field.has-error .field-error');
		assert(VIETNAMESE.test(msg), 'the message is not in Vietnamese: ' + msg);
		await assertCleanText(cp, 'the refused feedback form');
		// An unknown place: the server's refusal at the place.
		await cp.selectOption('#form-feedback select[name=category]', 'travel_permit');
		assert((await cp.textContent('#form-feedback .field:has(select[name=category]) .hint')).includes('3'),
			'the answer period of the category is not shown');
		await cp.fill('#form-feedback [name=description]', 'Tôi cần giấy đi đường để đi làm ở khu công nghiệp');
		await cp.fill('#form-feedback [name=location_code]', '99999');
		await cp.fill('#form-feedback [name=name]', 'Canary Người Dân');
		await cp.fill('#form-feedback [name=phone]', '0912 000 111');
		const bad = await submit(cp, 'form-feedback', '/feedback');
		await expectFieldError(cp, 'form-feedback', 'location_code', bad);
		// The place found by its name typed without accents.
		await pickUnit(cp, 'form-feedback', 'location_code', 'phuc xa', '00001');
		const note = await cp.textContent('#fb-contact-note');
		assert(/cán bộ/.test(note), 'the contact note says who sees them: ' + note);
		const ok = await submit(cp, 'form-feedback', '/feedback');
		assert(ok.status === 201, 'send: ' + JSON.stringify(ok.json));
		sent = ok.json;
		assert(sent.unit_code === '001', 'a travel permit goes to the district: ' + sent.unit_code);
		const code = (await cp.textContent('#fb-code')).trim();
		assert(code === sent.tracking_code && /^[A-Z2-9]{12}$/.test(code), 'the code shown: ' + code);
		const size = await cp.$eval('#fb-code', (e) => parseFloat(getComputedStyle(e).fontSize));
		assert(size >= 24, 'the code is not shown large: ' + size);
		assert((await cp.textContent('#fb-sent-deadline')).trim() === dmy(sent.deadline), 'deadline shown');
		await cp.click('#fb-sent button.fb-copy');
		await cp.waitForSelector('#fb-sent button.fb-copy:has-text("Đã chép")');
		assert(await cp.evaluate(() => navigator.clipboard.readText()) === code, 'the copied code');
		await fits(cp, 'the tracking code');
		await bothLanguages(cp, 'the sent request');
	});

	const officer = await newPage(browser, { viewport: PHONE });
	const op = officer.page;

	await step('the district\'s officer acknowledges it and assigns it to the commune, picked by name', async () => {
		await signIn(op, base, 'badinh');
		await openRequest(op, sent.id);
		await fits(op, 'the queue');
		assert((await op.textContent('#fb-reporter')).includes('Canary Người Dân'), 'the reporter is shown to the officer');
		assert(!(await op.$('#form-fb-close')), 'close is offered on a new request');
		assert(!(await op.$('.fb-pick-answer')), 'answer is offered before acknowledging');
		await act(op, 'acknowledge', 'Đã xác nhận');
		await op.click('.fb-pick-assign');
		await op.waitForSelector('#form-fb-assign');
		await op.click('#form-fb-assign button[type=submit]');
		await op.waitForSelector('#form-fb-assign .field.has-error [name=unit_code]');
		await pickUnit(op, 'form-fb-assign', 'unit_code', 'Phuc Xa', '00001');
		const j = await act(op, 'assign', 'Đã giao');
		assert(j.assigned_code === '00001' && j.status === 'in_progress', 'assigned: ' + JSON.stringify(j));
		await op.waitForSelector('#fb-detail .fb-assigned:has-text("Phúc Xá")');
		await fits(op, 'the request');
		await bothLanguages(op, 'badinh queue with a request open');
	});

	await step('the commune\'s officer answers it', async () => {
		const commune = await newPage(browser, { viewport: PHONE });
		const pp = commune.page;
		await signIn(pp, base, 'phucxa');
		await openRequest(pp, sent.id);
		assert(!(await pp.$('#form-fb-acknowledge')), 'acknowledge offered again');
		await pp.click('.fb-pick-answer');
		await pp.click('#form-fb-answer button[type=submit]');
		await pp.waitForSelector('#form-fb-answer .field.has-error [name=answer]');
		await pp.fill('#form-fb-answer [name=answer]', ANSWER);
		const j = await act(pp, 'answer', 'Đã gửi câu trả lời');
		assert(j.status === 'answered', 'answered: ' + j.status);
		await pp.waitForSelector('#fb-detail .fb-status[data-status=answered]');
		assert(await pp.$('#form-fb-close'), 'close is not offered on an answered request');
		assertNoScriptErrors(commune.errors);
		await commune.ctx.close();
	});

	await step('the citizen sees the answer by the code, typed in lower case with dashes', async () => {
		await cp.goto(base + '/feedback?tab=track');
		await cp.waitForSelector('#form-track');
		await cp.click('#form-track button[type=submit]');
		await cp.waitForSelector('#form-track .field.has-error [name=code]');
		await cp.fill('#form-track [name=code]', 'AAAA-BBBB-CCCC');
		const [miss] = await Promise.all([
			cp.waitForResponse((r) => r.url().includes('/api/v1/feedback/track/')),
			cp.click('#form-track button[type=submit]'),
		]);
		await expectFieldError(cp, 'form-track', 'code', { status: miss.status(), json: await miss.json() }, 404);
		const c = sent.tracking_code.toLowerCase();
		await cp.fill('#form-track [name=code]', `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`);
		await cp.click('#form-track button[type=submit]');
		await cp.waitForSelector('#fb-tracked #fb-answer');
		assert((await cp.textContent('#fb-answer')).includes(ANSWER), 'the answer shown');
		assert((await cp.textContent('#fb-deadline')).trim() === dmy(sent.deadline), 'the deadline dd/mm/yyyy');
		assert(await cp.$('#fb-tracked .fb-status[data-status=answered]'), 'the status shown');
		assert(await cp.$('#fb-tracked button.fb-reopen-open'), 'no reopen button within 7 days of the answer');
		const text = await cp.textContent('main');
		assert(!text.includes('Canary') && !text.includes('0912'), 'the contact shows on the tracking page');
		await fits(cp, 'the tracked request');
		await bothLanguages(cp, 'the tracked request');
		// Opened from a link with the code: looked up at once.
		await cp.goto(base + '/feedback?code=' + sent.tracking_code);
		await cp.waitForSelector('#fb-tracked #fb-answer');
		// Not settled: reopened with a reason (none refused), back in progress.
		await cp.click('#fb-tracked button.fb-reopen-open');
		await cp.click('#form-reopen button[type=submit]');
		await cp.waitForSelector('#form-reopen .field.has-error [name=reason]');
		await cp.fill('#form-reopen [name=reason]', 'Tôi đến bộ phận một cửa nhưng chưa có giấy');
		const re = await submit(cp, 'form-reopen', `/feedback/track/${sent.tracking_code}/reopen`);
		assert(re.status === 200 && re.json.status === 'in_progress', 'reopen: ' + JSON.stringify(re));
		await cp.waitForSelector('#fb-tracked .fb-status[data-status=in_progress]');
		assert(!(await cp.$('#fb-tracked button.fb-reopen-open')), 'reopen still offered while in progress');
		assert((await cp.textContent('.fb-history')).includes('Người phản ánh mở lại'), 'the history tells the reopening');
	});

	await step('an overdue commune request escalates to the district, which finds it in its queue', async () => {
		const r = await api(cp, 'POST', '/feedback', { category: 'shortage', description: 'Hết gạo đã hai ngày',
			location_code: '00001' });
		assert(r.status === 201, 'send: ' + JSON.stringify(r));
		const after = new Date(Date.parse(r.json.deadline + 'T00:00:00Z') + 86400e3).toISOString().slice(0, 10);
		const out = thichung('feedback', 'escalate', '--db', db, '--today', after);
		assert(out.status === 0, 'escalate: ' + out.stderr);
		await openRequest(op, r.json.id, async () => {
			await op.setChecked('#fb-filters [name=escalated]', true);
		});
		const rows = await op.$$eval('#fb-list button.fb-open', (bs) => bs.map((b) => Number(b.dataset.id)));
		assert(rows.includes(r.json.id) && !rows.includes(sent.id), 'escalated filter: ' + rows);
		assert(await op.$(`#fb-list tr:has(button[data-id="${r.json.id}"]) .fb-escalated`), 'no escalated badge');
		assert((await op.textContent('#fb-detail')).includes('Chuyển lên cấp trên'), 'the history tells the escalation');
		// The Excel link holds the same filter and answers a file.
		const href = await op.getAttribute('#fb-xlsx', 'href');
		assert(/format=xlsx/.test(href) && /escalated=1/.test(href), 'the Excel link: ' + href);
		const file = await op.evaluate(async (h) => {
			const x = await fetch(h);
			return { status: x.status, type: x.headers.get('content-type') };
		}, href);
		assert(file.status === 200 && file.type.includes('spreadsheetml'), 'the Excel file: ' + JSON.stringify(file));
		await bothLanguages(op, 'badinh escalated queue');
	});

	await step('the counts per commune show the open and escalated requests', async () => {
		await op.click('a[href^="/feedback/stats"]');
		await op.waitForSelector('#fb-stats table');
		const row = await op.textContent('#fb-stats tbody tr:has(a[href="/feedback/stats?unit=00001"])');
		assert(/Phúc Xá/.test(row), 'the commune row: ' + row);
		const sum = await op.textContent('#fbs-sum');
		assert(/Đang mở: [1-9]/.test(sum) && /chuyển lên cấp trên: [1-9]/.test(sum), 'the sums: ' + sum);
		await fits(op, 'the counts');
		await bothLanguages(op, 'badinh feedback counts');
	});
	await step('the queue pages with the API\'s cursor and the server sorts it by deadline', async () => {
		const made = await op.evaluate(async () => {
			const csrf = decodeURIComponent(document.cookie.match(/(?:^|; )thc_csrf=([^;]*)/)[1]);
			let n = 0;
			for (let i = 0; i < 50; i++) {
				const r = await fetch('/api/v1/feedback', { method: 'POST', headers: { 'Content-Type': 'application/json',
					'X-CSRF-Token': csrf }, body: JSON.stringify({ category: 'other', description: 'Phản ánh ' + i,
					location_code: '00004' }) });
				n += r.status === 201;
			}
			return n;
		});
		assert(made === 50, 'requests made: ' + made);
		await op.click('header nav a[href="/feedback/queue"]');
		await op.waitForSelector('#fb-list tbody tr');
		const rows = () => op.$$eval('#fb-list tbody tr', (trs) => trs.length);
		assert(await rows() === 50, 'the first page: ' + await rows());
		await op.click('#fb-more');
		await op.waitForFunction(() => document.querySelectorAll('#fb-list tbody tr').length > 50);
		assert(await rows() === 52 && !(await op.$('#fb-more')), 'after "more": ' + await rows());
		const deadlines = () => op.$$eval('#fb-list tbody tr td:nth-child(2)', (tds) =>
			tds.map((td) => td.textContent.slice(0, 10).split('/').reverse().join('-')));
		const asc = await deadlines();
		assert(asc.join() === asc.slice().sort().join(), 'not sorted by deadline: ' + asc.join());
		// Latest first: the server sorts again, and "more" continues that order.
		await op.selectOption('#fb-filters [name="order"]', 'desc');
		const [resp] = await Promise.all([
			op.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/feedback' &&
				new URL(r.url()).searchParams.get('order') === 'desc'),
			op.click('#fb-filters button[type=submit]'),
		]);
		assert(new URL(resp.url()).searchParams.get('sort') === 'due', 'sorted by the server: ' + resp.url());
		await op.waitForFunction(() => document.querySelectorAll('#fb-list tbody tr').length === 50);
		await op.click('#fb-more');
		await op.waitForFunction(() => document.querySelectorAll('#fb-list tbody tr').length > 50);
		const desc = await deadlines();
		assert(desc.join() === asc.slice().sort().reverse().join(), 'not sorted by deadline, latest first');
	});

	await step('the province sees its districts on the map', async () => {
		const prov = await newPage(browser, {});
		await signIn(prov.page, base, 'hanoi');
		await prov.page.goto(base + '/feedback/stats?unit=01');
		await prov.page.waitForSelector('#fb-stats .map path.unit-001');
		await bothLanguages(prov.page, 'hanoi feedback counts');
		assertNoScriptErrors(prov.errors);
		await prov.ctx.close();
	});
	assertNoScriptErrors(citizen.errors);
	assertNoScriptErrors(officer.errors);
});
