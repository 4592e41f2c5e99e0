// Support from the public, on a phone (360 px), without an account: a
// citizen applies for himself (a missing ID number and a closed programme
// refused at their fields, then sent), keeps the tracking code and sees the
// status only; the commune sees it marked "not verified" and verifies it;
// anyone objects to a posted line (empty fields refused at the fields, then
// sent) and the objection reaches the commune's queue, not the public page.
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, expectFieldError, fillForm, newPage, PHONE,
	rendered, run, signIn, submitAndWait,
} from './harness.mjs';

const NAME = 'Trần Văn Tự Nộp';
const IDN = '079301004321';
const ADDRESS = 'Số 12 ngõ Tự Nộp';

async function fits(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

run('e2e.support_public', async ({ base, browser, step }) => {
	const citizen = await newPage(browser, { viewport: PHONE });
	const cp = citizen.page;
	let code;

	await step('a citizen applies: refusals at their fields, then the tracking code', async () => {
		await cp.goto(base + '/support/apply');
		await rendered(cp);
		await cp.waitForSelector('#form-apply select[name=programme] option[value="canary-open"]', { state: 'attached' });
		await fits(cp, 'the application form');
		// Nothing typed in the required fields: marked before anything is sent.
		await cp.click('#form-apply button[type=submit]');
		await cp.waitForSelector('#form-apply .field.has-error [name="unit_code"]');
		// A shipped programme has closed: refused at the programme, the date as people write it.
		await fillForm(cp, 'form-apply', { programme: 'nq68-f0f1', unit_code: '00001-001-0001', full_name: NAME,
			id_number: IDN, address: ADDRESS, days: '10', order_ref: 'QĐ 7', age: '35' });
		let res = await submitAndWait(cp, 'form-apply', '/support/self-applications');
		await expectFieldError(cp, 'form-apply', 'programme', res);
		assert((await cp.textContent('#form-apply .field-error')).includes('31/01/2022'), 'the deadline dd/mm/yyyy');
		await fillForm(cp, 'form-apply', { programme: 'canary-open', id_number: '12ab' });
		res = await submitAndWait(cp, 'form-apply', '/support/self-applications');
		await expectFieldError(cp, 'form-apply', 'id_number', res);
		await fillForm(cp, 'form-apply', { id_number: IDN });
		res = await submitAndWait(cp, 'form-apply', '/support/self-applications');
		assert(res.status === 201, 'sent: ' + JSON.stringify(res.json));
		code = res.json.tracking_code;
		assert((await cp.textContent('#form-apply .tracking-code')).trim() === code, 'the code shown');
		await assertCleanText(cp, 'the application form after sending');
		await fits(cp, 'the application form after sending');
	});

	await step('the tracking page shows the status only', async () => {
		await cp.click('#form-apply .success a');
		await rendered(cp);
		await cp.waitForSelector('.support-track .status');
		const text = await cp.textContent('main');
		assert(text.includes('chưa xác minh'), 'not verified yet: ' + text);
		for (const s of [NAME, IDN, ADDRESS])
			assert(!text.includes(s), 'the tracking page shows ' + s);
		await assertCleanText(cp, 'the tracking page');
		await fits(cp, 'the tracking page');
	});

	const officer = await newPage(browser, { viewport: PHONE });
	const op = officer.page;
	let line;

	await step('the commune sees it unverified and verifies it', async () => {
		await signIn(op, base, 'phucxa');
		const list = await apiGet(op, '/support/applications?unverified=1');
		const app = list.items.find((a) => a.full_name === NAME);
		assert(app && app.source === 'citizen', 'in the queue: ' + JSON.stringify(list.items.map((a) => a.full_name)));
		await op.goto(base + '/support');
		await rendered(op);
		await op.waitForSelector(`.support-app[data-id="${app.id}"] .unverified`);
		const [resp] = await Promise.all([
			op.waitForResponse((r) => r.request().method() === 'POST' &&
				new URL(r.url()).pathname === `/api/v1/support/applications/${app.id}/verify`),
			op.click(`#form-verify-${app.id} button[type=submit]`),
		]);
		assert(resp.status() === 200, 'verified: ' + resp.status());
		await op.waitForSelector(`.support-app[data-id="${app.id}"] button.approve`);
		await fits(op, 'the support page');
		// A household line of the commune, posted today, for the objection below.
		const r = await api(op, 'POST', '/support/applications', { programme: 'nq68-household',
			unit_code: '00001-001-0001', full_name: 'Hộ kinh doanh Lê Văn Niêm', id_number: '001090000888',
			registered: true, days: 20, received_on: '2021-10-01' });
		assert(r.status === 201, 'entered: ' + JSON.stringify(r.json));
		line = r.json.id;
		const a = await api(op, 'POST', `/support/applications/${line}/approve`, {});
		assert(a.status === 200, 'posted: ' + JSON.stringify(a.json));
	});

	await step('anyone objects to a posted line; the commune gets it, the public page does not', async () => {
		await cp.goto(base + '/support/posting?unit=00001&programme=nq68-household');
		await rendered(cp);
		await cp.click(`tr[data-line="${line}"] button.object`);
		const form = 'form-object-' + line;
		await cp.waitForSelector('#' + form);
		await cp.click(`#${form} button[type=submit]`);
		await cp.waitForSelector(`#${form} .field.has-error [name="name"]`);
		await fits(cp, 'the objection form');
		await fillForm(cp, form, { name: 'Phạm Thị Hàng Xóm', contact: '0912000111', reason: 'Hộ này vẫn bán hàng' });
		const res = await submitAndWait(cp, form, `/support/postings/${line}/objections`);
		assert(res.status === 201, 'sent: ' + JSON.stringify(res.json));
		const page = await cp.textContent('main');
		assert(!page.includes('0912000111') && !page.includes('001090000888'), 'nothing personal on the public page');
		await assertCleanText(cp, 'the public posting');
		const q = await apiGet(op, '/support/objections?unit=00001');
		assert(q.items.some((o) => o.application_id === line && o.name === 'Phạm Thị Hàng Xóm'),
			'in the commune queue: ' + JSON.stringify(q.items));
		assertNoScriptErrors(citizen.errors);
		assertNoScriptErrors(officer.errors);
	});
});
