// Support to people in hardship, on a phone (360 px): the commune officer
// (phucxa) enters a household business's application (the wrong unit first:
// refused at its field), approves the commune's step, which posts the name
// and amount publicly; the district (badinh) approves the tax office's and
// its own steps; the commune records the payment and the household leaves
// the no-one-left-behind report.  The public posting shows no ID number.
import {
	api, apiGet, assert, assertNoScriptErrors, dayVN, expectFieldError, fillForm, newPage, PHONE, rendered, run,
	signIn, submitAndWait,
} from './harness.mjs';

const HOUSEHOLD = '00001-001-0001';
const NAME = 'Hộ kinh doanh Bùi Thị Dân';
const IDN = '001090000777';

async function fits(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

async function openSupport(page, base, unit) {
	await page.goto(base + '/support' + (unit ? '?unit=' + unit : ''));
	await rendered(page);
	await page.waitForSelector('#form-support select[name=programme] option[value="nq68-household"]', { state: 'attached' });
}

// Clicks the approve button of application `id` and waits for the answer.
async function approve(page, id) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' &&
			new URL(r.url()).pathname === `/api/v1/support/applications/${id}/approve`),
		page.click(`.support-app[data-id="${id}"] button.approve`),
	]);
	assert(resp.status() === 200, `approve ${id}: ${resp.status()} ${await resp.text()}`);
	await rendered(page);
	return resp.json();
}

run('e2e.support', async ({ base, browser, step }) => {
	const officer = await newPage(browser, { viewport: PHONE });
	const op = officer.page;
	let id;

	await step('the household is in the no-one-left-behind report of its commune', async () => {
		await signIn(op, base, 'phucxa');
		const z = await api(op, 'POST', '/zones', { unit_code: '00001-001', reason: 'Phong tỏa tổ 1',
			started_on: dayVN(-3) });
		assert(z.status === 201, 'zone: ' + JSON.stringify(z.json));
		await openSupport(op, base);
		await op.waitForSelector(`.left-behind li[data-unit="${HOUSEHOLD}"]`);
		await fits(op, 'the support page');
	});

	await step('the commune enters the application: a wrong unit refused at its field, then saved', async () => {
		// Sent empty: every empty required field says so at once, and nothing is sent.
		let posts = 0;
		const count = (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/support/applications') posts++; };
		op.on('request', count);
		await fillForm(op, 'form-support', { unit_code: '', received_on: '' });
		await op.click('#form-support button[type=submit]');
		for (const name of ['unit_code', 'full_name', 'received_on'])
			await op.waitForSelector(`#form-support [name="${name}"][aria-invalid="true"]`);
		op.off('request', count);
		assert(posts === 0, 'an empty form is not sent: ' + posts);
		await fillForm(op, 'form-support', { received_on: dayVN(0).split('-').reverse().join('/') });
		await fillForm(op, 'form-support', { programme: 'nq68-household', unit_code: '00001', full_name: NAME,
			id_number: IDN, address: 'Số 1 ngõ Phúc Xá', days: '20', registered: true });
		// Received today, after the programme's deadline: refused at the date, written as people do.
		let res = await submitAndWait(op, 'form-support', '/support/applications');
		await expectFieldError(op, 'form-support', 'received_on', res);
		const shown = await op.textContent('#form-support .field-error');
		assert(shown.includes('31/01/2022'), 'the deadline dd/mm/yyyy at the field: ' + shown);
		await fillForm(op, 'form-support', { received_on: '01/10/2021' });
		res = await submitAndWait(op, 'form-support', '/support/applications');
		await expectFieldError(op, 'form-support', 'unit_code', res);
		await fillForm(op, 'form-support', { unit_code: HOUSEHOLD });
		res = await submitAndWait(op, 'form-support', '/support/applications');
		assert(res.status === 201, 'saved: ' + JSON.stringify(res.json));
		assert(res.json.amount === 3000000, 'amount ' + res.json.amount);
		id = res.json.id;
		const text = await op.textContent('#form-support .success');
		assert(text.includes('3.000.000'), 'the amount with Vietnamese separators: ' + text);
		assert(/\d{2}\/\d{2}\/\d{4}/.test(text), 'the deadline dd/mm/yyyy: ' + text);
		await op.waitForSelector(`.support-app[data-id="${id}"] button.approve`);
		await fits(op, 'the support page with the application');
	});

	await step('the commune approves its step: the name and amount are posted publicly', async () => {
		const r = await approve(op, id);
		assert(r.step === 1 && r.posted_from === dayVN(0), 'posted: ' + JSON.stringify(r));
		const anon = await newPage(browser, { viewport: PHONE });
		await anon.page.goto(base + '/support/posting?unit=00001&programme=nq68-household');
		await rendered(anon.page);
		await anon.page.waitForSelector(`.posting td:has-text("${NAME}")`);
		const body = await anon.page.textContent('main');
		assert(body.includes('3.000.000'), 'the amount posted: ' + body);
		assert(!body.includes(IDN) && !body.includes('ngõ Phúc Xá'), 'no ID number or address posted');
		await fits(anon.page, 'the public posting');
		assertNoScriptErrors(anon.errors);
		await anon.ctx.close();
	});

	await step('the district approves the tax office step and its own', async () => {
		const district = await newPage(browser, { viewport: PHONE });
		const dp = district.page;
		await signIn(dp, base, 'badinh');
		await openSupport(dp, base, '00001');
		await approve(dp, id);
		await dp.waitForSelector(`.support-app[data-id="${id}"] button.approve`);
		const r = await approve(dp, id);
		assert(r.status === 'approved', 'approved: ' + JSON.stringify(r));
		await fits(dp, "the district's support page");
		assertNoScriptErrors(district.errors);
		await district.ctx.close();
	});

	await step('the commune records the payment and the household leaves the report', async () => {
		await openSupport(op, base);
		await op.waitForSelector(`#form-pay-${id}`);
		await fillForm(op, `form-pay-${id}`, { method: 'bank', amount: '3.000.000' });
		const [resp] = await Promise.all([
			op.waitForResponse((r) => r.request().method() === 'POST' &&
				new URL(r.url()).pathname === `/api/v1/support/applications/${id}/payments`),
			op.click(`#form-pay-${id} button[type=submit]`),
		]);
		assert(resp.status() === 201, 'paid: ' + resp.status() + ' ' + await resp.text());
		await rendered(op);
		await op.waitForSelector(`.support-app[data-id="${id}"] .status:has-text("Đã chi trả")`);
		await op.waitForFunction((u) => document.querySelector('.left-behind, .nodata') &&
			!document.querySelector(`.left-behind li[data-unit="${u}"]`), HOUSEHOLD);
		const left = await apiGet(op, '/support/left-behind?unit=00001');
		assert(!left.items.some((i) => i.unit_code === HOUSEHOLD), 'the household left the report');
		const audit = await apiGet(op, '/audit?unit=00001&limit=200');
		const acts = audit.items.filter((a) => a.entity_id === String(id)).map((a) => a.action);
		assert(acts.filter((a) => a === 'support.approve').length === 3 && acts.includes('support.pay'),
			'approvals and payment audited: ' + acts);
		await fits(op, 'the support page after payment');
		assertNoScriptErrors(officer.errors);
	});
});
