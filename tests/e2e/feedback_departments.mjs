// A province's own feedback categories and the departments in the queue,
// in Chromium: Hà Nội's officer opens "the province's own categories" from
// the queue, sends the add form empty (refused at the code before
// sending), with 0 days (refused at the days), with a national code
// (refused by the server at the code), then adds one; edits it (letters in
// the days refused at the field, then saved: the list shows the new
// deadline and department) and retires it (the day shown dd/mm/yyyy).
// In the queue, the department filter leaves only that department's
// requests, and the server's sort by date received, latest first, orders
// the rows (the request carries sort and order).  The counts page has a
// table per department.
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, dayVN, dmy, expectFieldError, newPage,
	rendered, run, signIn, VIETNAMESE,
} from './harness.mjs';

const FORM = 'fbc-add-form';
const EDIT = 'fbc-edit-form';

// Submits #form and waits for its request (method, path): { status, json }.
async function submit(page, form, method, path) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === '/api/v1' + path),
		page.click(`#${form} button[type=submit]`),
	]);
	return { status: resp.status(), json: await resp.json().catch(() => null) };
}

// A refusal made by the form itself: shown at `name` only, nothing sent.
async function localError(page, form, name) {
	const marked = await page.$$eval(`#${form} .field.has-error`, (els) =>
		els.map((e) => e.querySelector('input, select, textarea')?.name));
	assert(marked.includes(name), `${form}: no error at ${name}: ${marked}`);
	const msg = await page.textContent(`#${form} .field.has-error:has([name="${name}"]) .field-error`);
	assert(VIETNAMESE.test(msg), `${name}: the message is not in Vietnamese: ${msg}`);
	return marked;
}

run('e2e.feedback_departments', async ({ base, browser, step }) => {
	const { page: op, errors } = await newPage(browser, {});
	await signIn(op, base, 'hanoi');
	let sent = 0;
	op.on('request', (r) => {
		if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/v1/feedback/categories'))
			sent++;
	});

	await step('the add form refuses bad input at its fields', async () => {
		await op.goto(base + '/feedback/queue');
		await op.click('a[href="/feedback/categories?unit=01"]');
		await op.waitForSelector(`#${FORM}`);
		await rendered(op);
		await op.click(`#${FORM} button[type=submit]`);
		const marked = await localError(op, FORM, 'code');
		for (const f of ['name_vi', 'name_en', 'days', 'department'])
			assert(marked.includes(f), `empty ${f} not refused: ${marked}`);
		await op.fill(`#${FORM} [name=code]`, 'nuoc_sach');
		await op.fill(`#${FORM} [name=name_vi]`, 'Nước sạch');
		await op.fill(`#${FORM} [name=name_en]`, 'Clean water');
		await op.fill(`#${FORM} [name=days]`, '0');
		await op.selectOption(`#${FORM} [name=level]`, 'district');
		await op.fill(`#${FORM} [name=department]`, 'Phòng Kinh tế');
		await op.click(`#${FORM} button[type=submit]`);
		assert((await localError(op, FORM, 'days')).length === 1, 'only the days refused');
		assert(sent === 0, 'a refused form sent ' + sent);
		await op.fill(`#${FORM} [name=days]`, '3');
		await op.fill(`#${FORM} [name=code]`, 'shortage');
		const r = await submit(op, FORM, 'POST', '/feedback/categories');
		await expectFieldError(op, FORM, 'code', r, 409);
	});

	await step('a category added, edited and retired', async () => {
		await op.fill(`#${FORM} [name=code]`, 'nuoc_sach');
		const r = await submit(op, FORM, 'POST', '/feedback/categories');
		assert(r.status === 201, 'add: ' + r.status + ' ' + JSON.stringify(r.json));
		await op.waitForSelector('#fbc-list tr[data-code="nuoc_sach"]');
		assert((await op.textContent('#fbc-done')).includes('Nước sạch'), 'the success line');
		const row = await op.textContent('#fbc-list tr[data-code="nuoc_sach"]');
		assert(/Nước sạch/.test(row) && /Phòng Kinh tế/.test(row) && /Quận, huyện/.test(row), 'the row: ' + row);

		await op.click('#fbc-list button.fbc-edit[data-code="nuoc_sach"]');
		await op.waitForSelector(`#${EDIT}`);
		assert(await op.inputValue(`#${EDIT} [name=name_vi]`) === 'Nước sạch', 'the edit form starts with the values');
		await op.fill(`#${EDIT} [name=days]`, 'hai');
		await op.click(`#${EDIT} button[type=submit]`);
		await localError(op, EDIT, 'days');
		await op.fill(`#${EDIT} [name=days]`, '2');
		await op.fill(`#${EDIT} [name=department]`, 'Phòng Tài nguyên và Môi trường');
		const e = await submit(op, EDIT, 'PUT', '/feedback/categories/01/nuoc_sach');
		assert(e.status === 200, 'edit: ' + e.status + ' ' + JSON.stringify(e.json));
		await op.waitForSelector(`#${FORM}`);
		const edited = await op.$$eval('#fbc-list tr[data-code="nuoc_sach"] td', (tds) => tds.map((td) => td.textContent));
		assert(edited[2] === '2' && edited[4] === 'Phòng Tài nguyên và Môi trường', 'after the edit: ' + edited.join(' | '));
		const got = (await apiGet(op, '/feedback/categories?unit=01')).items.find((c) => c.code === 'nuoc_sach');
		assert(got && got.days === 2 && got.department === 'Phòng Tài nguyên và Môi trường', JSON.stringify(got));

		const [resp] = await Promise.all([
			op.waitForResponse((x) => x.request().method() === 'POST' &&
				new URL(x.url()).pathname === '/api/v1/feedback/categories/01/nuoc_sach/retire'),
			op.click('#fbc-list button.fbc-retire[data-code="nuoc_sach"]'),
		]);
		assert(resp.status() === 200, 'retire: ' + resp.status());
		await op.waitForFunction(() => /Thôi dùng từ/.test(document.querySelector('#fbc-list tr[data-code="nuoc_sach"] .fbc-state')?.textContent || ''));
		const state = await op.textContent('#fbc-list tr[data-code="nuoc_sach"] .fbc-state');
		assert(state.includes(dmy(dayVN())), 'retired on today, dd/mm/yyyy: ' + state);
		assert(!(await op.$('#fbc-list button.fbc-edit[data-code="nuoc_sach"]')), 'a retired one has no edit');
		const offered = (await apiGet(op, '/feedback/categories?unit=01')).items.map((c) => c.code);
		assert(!offered.includes('nuoc_sach'), 'still offered: ' + offered);
		await assertCleanText(op, 'the categories page (vi)');
	});

	await step('the queue filters by department and the server sorts it', async () => {
		const police = 'Công an huyện';
		for (const [category, place] of [['travel_permit', '00001'], ['travel_permit', '00004'],
			['quarantine_complaint', '00001'], ['other', '00004']]) {
			const r = await api(op, 'POST', '/feedback', { category, location_code: place, description: 'Cần giúp đỡ' });
			assert(r.status === 201, 'submit: ' + r.status);
		}
		await op.goto(base + '/feedback/queue');
		await op.waitForSelector('#fb-list tbody tr');
		await rendered(op);
		await op.selectOption('#fb-filters [name="department"]', police);
		const [resp] = await Promise.all([
			op.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/feedback' &&
				new URL(r.url()).searchParams.get('department') === police),
			op.click('#fb-filters button[type=submit]'),
		]);
		assert(resp.status() === 200, 'filtered: ' + resp.status());
		await op.waitForFunction((d) => {
			const cells = [...document.querySelectorAll('#fb-list tbody .fb-dept')];
			return cells.length > 0 && cells.every((c) => c.textContent === d);
		}, police);
		const n = await op.$$eval('#fb-list tbody tr', (trs) => trs.length);
		assert(n >= 2, 'the police requests: ' + n);

		await op.selectOption('#fb-filters [name="department"]', '');
		await op.selectOption('#fb-filters [name="sort"]', 'created');
		await op.selectOption('#fb-filters [name="order"]', 'desc');
		const [sorted] = await Promise.all([
			op.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/feedback' &&
				new URL(r.url()).searchParams.get('sort') === 'created'),
			op.click('#fb-filters button[type=submit]'),
		]);
		assert(new URL(sorted.url()).searchParams.get('order') === 'desc', 'order sent: ' + sorted.url());
		const body = await sorted.json();
		const ids = body.items.map((f) => f.id);
		await op.waitForFunction((first) => document.querySelector('#fb-list tbody tr')?.dataset.id === String(first), ids[0]);
		const shown = await op.$$eval('#fb-list tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.id)));
		assert(shown.join() === ids.join(), 'the rows in the server\'s order');
		const times = body.items.map((f) => f.created_at);
		assert(times.join() === times.slice().sort().reverse().join(), 'latest first: ' + times.join());
		const received = await op.$$eval('#fb-list tbody .fb-received', (s) => s.map((x) => x.textContent));
		assert(received.every((d) => /^\d{2}\/\d{2}\/\d{4}$/.test(d)), 'dates dd/mm/yyyy: ' + received.join());
		await assertCleanText(op, 'the sorted queue (vi)');
	});

	await step('the counts page shows each department', async () => {
		await op.goto(base + '/feedback/stats?unit=01');
		await op.waitForSelector('#fbs-departments tbody tr');
		await rendered(op);
		const rows = await op.$$eval('#fbs-departments tbody tr', (trs) => trs.map((tr) => tr.textContent));
		assert(rows.some((r) => r.includes('Công an huyện')) && rows.some((r) => r.includes('Trạm Y tế')),
			'the departments: ' + rows.join(' | '));
		await assertCleanText(op, 'the counts per department (vi)');
	});
	assertNoScriptErrors(errors);
});
