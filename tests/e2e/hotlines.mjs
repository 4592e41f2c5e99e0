// Hotlines on a phone (360 px): the commune officer (phucxa) opens its
// commune's page, follows "Đường dây nóng", adds two numbers (a wrong one
// refused, the row marked, nothing saved), then this week's duty roster (an
// overlap refused); a citizen, not signed in, sees the commune's numbers
// and those of its district and province as tel: links, big enough to tap,
// and who is on duty now.
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, dayVN, dmy, newPage, PHONE, rendered, run,
	signIn, submitAndWait,
} from './harness.mjs';

const COMMUNE = '00001';
const TODAY = dayVN(0);
const DOW = new Date(TODAY + 'T00:00:00Z').getUTCDay();
const MONDAY = dayVN(-((DOW + 6) % 7));
const NOON_PASSED = new Date(Date.now() + 7 * 3600e3).getUTCHours() >= 12;

async function fits(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

// Submits a form that the server refuses; the alert names the row.
async function refused(page, formId, path, row, name, mention) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.endsWith('/api/v1' + path)),
		page.click(`#${formId} button[type=submit]`),
	]);
	assert(resp.status() === 422, `${formId}: 422 expected, got ${resp.status()}`);
	const alert = await page.waitForSelector(`#${formId} .error[role=alert]`);
	const text = await alert.textContent();
	assert(text.includes(mention), `${formId}: the alert should say ${mention}: ${text}`);
	assert(await page.getAttribute(`#${formId} [data-row="${row}"] [name="${name}"]`, 'aria-invalid') === 'true',
		`${formId}: row ${row} ${name} not marked`);
}

run('e2e.hotlines', async ({ base, browser, step }) => {
	const officer = await newPage(browser, { viewport: PHONE });
	const op = officer.page;

	await step('the officer reaches the hotlines from the commune page and edits the list', async () => {
		await signIn(op, base, 'phucxa');
		await op.goto(base + '/?unit=' + COMMUNE);
		await rendered(op);
		await op.click('a.hotline-link');
		await op.waitForSelector('#form-hotlines');
		await rendered(op);
		await op.click('#form-hotlines button.add');
		await op.click('#form-hotlines button.add');
		const row = (i) => `#form-hotlines [data-row="${i}"]`;
		await op.fill(row(0) + ' [name=label]', 'Trạm Y tế phường Phúc Xá');
		await op.fill(row(0) + ' [name=phone]', '0912.345.678');
		await op.setChecked(row(0) + ' [name=always_open]', true);
		await op.selectOption(row(1) + ' [name=kind]', 'police');
		await op.fill(row(1) + ' [name=label]', 'Công an phường Phúc Xá');
		await op.fill(row(1) + ' [name=phone]', '12345');
		await fits(op, 'the hotline form');
		await refused(op, 'form-hotlines', `/units/${COMMUNE}/hotlines`, 1, 'phone', 'Số 2');
		const none = await apiGet(op, `/units/${COMMUNE}/hotlines`);
		assert(none.units[0].hotlines.length === 0, 'a refused list saved something');
		await op.fill(row(1) + ' [name=phone]', '024 3829 1234');
		await op.fill(row(1) + ' [name=hours]', '7:30–17:00');
		const ok = await submitAndWait(op, 'form-hotlines', `/units/${COMMUNE}/hotlines`, 'PUT');
		assert(ok.status === 200, 'save: ' + JSON.stringify(ok.json));
		const got = await apiGet(op, `/units/${COMMUNE}/hotlines`);
		assert(JSON.stringify(got.units[0].hotlines.map((h) => [h.kind, h.phone, h.always_open])) ===
			JSON.stringify([['health', '0912345678', true], ['police', '02438291234', false]]),
			'the list read back: ' + JSON.stringify(got.units[0].hotlines));
	});

	await step('the officer fills this week\'s roster', async () => {
		await op.waitForSelector('#form-duty');
		await op.click('#form-duty button.add');
		await op.click('#form-duty button.add');
		const row = (i) => `#form-duty [data-row="${i}"]`;
		for (const [i, from, to, name, phone] of [[0, '00:00', '12:00', 'Nguyễn Văn Sáng', '0987 111 222'],
			[1, '11:00', '24:00', 'Trần Thị Chiều', '0987 333 444']]) {
			await op.fill(row(i) + ' [name=date]', dmy(TODAY));
			await op.fill(row(i) + ' [name=from]', from);
			await op.fill(row(i) + ' [name=to]', to);
			await op.fill(row(i) + ' [name=name]', name);
			await op.fill(row(i) + ' [name=phone]', phone);
		}
		await fits(op, 'the roster form');
		await refused(op, 'form-duty', `/units/${COMMUNE}/duty`, 1, 'from', 'Ca 2');
		await op.fill(row(1) + ' [name=from]', '12:00');
		const ok = await submitAndWait(op, 'form-duty', `/units/${COMMUNE}/duty`, 'PUT');
		assert(ok.status === 200, 'roster: ' + JSON.stringify(ok.json));
		const r = await api(op, 'GET', `/units/${COMMUNE}/duty?week_start=${MONDAY}`);
		assert(r.status === 200 && r.json.shifts.length === 2, 'the roster read back: ' + JSON.stringify(r.json));
	});

	await step('a citizen sees the numbers up to the province and who is on duty', async () => {
		const citizen = await newPage(browser, { viewport: PHONE });
		const cp = citizen.page;
		await cp.goto(base + '/hotlines?unit=' + COMMUNE);
		await rendered(cp);
		const units = await cp.$$eval('.hotline-unit', (as) => as.map((a) => a.dataset.unit));
		assert(JSON.stringify(units) === JSON.stringify([COMMUNE, '001', '01']), 'units shown: ' + units);
		const tel = await cp.$$eval(`.hotline-unit[data-unit="${COMMUNE}"] .hotline-list a.tel`,
			(as) => as.map((a) => a.getAttribute('href')));
		assert(JSON.stringify(tel) === JSON.stringify(['tel:0912345678', 'tel:02438291234']), 'tel links: ' + tel);
		const box = await cp.locator(`.hotline-unit[data-unit="${COMMUNE}"] .hotline-list a.tel`).first().boundingBox();
		assert(box.height >= 44 && box.width >= 200, `the number is too small to tap: ${JSON.stringify(box)}`);
		const duty = await cp.textContent(`.hotline-unit[data-unit="${COMMUNE}"] .on-duty`);
		const who = NOON_PASSED ? 'Trần Thị Chiều' : 'Nguyễn Văn Sáng';
		assert(duty.includes(who), `on duty should be ${who}: ${duty}`);
		assert(!(await cp.$('#form-hotlines')), 'a citizen sees the edit form');
		await fits(cp, 'the public hotlines');
		await assertCleanText(cp, 'hotlines (vi)');
		assertNoScriptErrors(citizen.errors);
		await citizen.ctx.close();
	});
	assertNoScriptErrors(officer.errors);
});
