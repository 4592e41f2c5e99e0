// Directives down the hierarchy on a phone (360 px), the Quảng Ninh example:
//  - quangninh (province) issues the plan to study Conclusion 20 and
//    Directive 18 through the form: the districts before 30/10, the
//    affiliated committees (the communes) before 10/11, Hạ Long's branches on
//    3/11; a deadline before the date of issue is refused at its field;
//  - tphalong (Hạ Long) passes its task to its communes (a deadline not
//    before its own refused at the field; 27/10 taken) and reports done;
//  - the day after the deadline the province's table marks the overdue
//    districts, rolls Hạ Long's communes up under it, and the reminder it
//    sends reaches them: tpcampha (Cẩm Phả) reads it in its inbox, sees its
//    task overdue in the list and on the month calendar; phuonghongha
//    (a commune of Hạ Long) reads its own.
import { join } from 'node:path';
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, expectFieldError, fillForm, newPage, PHONE,
	rendered, run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';
import { readFileSync } from 'node:fs';

const UNITS = readFileSync(join(process.env.THC_DATA_DIR || 'data', 'units.csv'), 'utf8').split('\n').slice(1)
	.filter(Boolean).map((l) => l.split(','));
const DISTRICTS = UNITS.filter((u) => u[3] === '22').map((u) => u[0]).sort();
const HALONG_COMMUNES = UNITS.filter((u) => u[3] === '193').map((u) => u[0]);

async function fitsPhone(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

run('e2e.directives', async ({ base, browser, step }) => {
	const prov = await newPage(browser, { viewport: PHONE });
	const pp = prov.page;
	let id;

	await step('the 13 districts of Quảng Ninh are in the units', async () => {
		assert(DISTRICTS.length === 13, 'districts: ' + DISTRICTS);
		assert(HALONG_COMMUNES.length > 20, 'communes of Hạ Long: ' + HALONG_COMMUNES.length);
	});

	await step('quangninh issues the plan with three tasks, three levels, three deadlines', async () => {
		await signIn(pp, base, 'quangninh');
		await pp.click('header nav a[href="/tasks"]');
		await pp.click('a[href="/directives/new"]');
		await pp.waitForSelector('#form-directive button[type=submit]');
		assert(await pp.inputValue('#form-directive input[name=issuer]') === '22', 'the issuer preset to the province');
		// Sent empty: every empty field says so at once, and nothing goes to the server.
		let posts = 0;
		const count = (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/directives') posts++; };
		pp.on('request', count);
		await pp.click('#form-directive button[type=submit]');
		for (const name of ['number', 'title', 'title0'])
			await pp.waitForSelector(`#form-directive [name="${name}"][aria-invalid="true"]`);
		pp.off('request', count);
		assert(posts === 0, 'an empty form is not sent: ' + posts);
		await fillForm(pp, 'form-directive', { number: '12-KH/TU', issued_on: '15/10/2021',
			title: 'Kế hoạch học tập, quán triệt Kết luận 20-KL/TW và Chỉ thị 18-CT/TU',
			summary: 'Học tập, quán triệt đến cán bộ, đảng viên.',
			title0: 'Các huyện, thị xã, thành phố hoàn thành học tập', deadline0: '01/10/2021', under0: '22' });
		await pp.selectOption('#form-directive [name=level0]', 'district');
		await pp.click('#add-task');
		await fillForm(pp, 'form-directive', { title1: 'Các đảng ủy trực thuộc hoàn thành học tập',
			deadline1: '10/11/2021', under1: '22' });
		await pp.selectOption('#form-directive [name=level1]', 'commune');
		await pp.click('#add-task');
		await fillForm(pp, 'form-directive', { title2: 'Các chi bộ học tập tại buổi sinh hoạt',
			deadline2: '03/11/2021', under2: '193' });
		await pp.selectOption('#form-directive [name=level2]', 'commune');
		await fitsPhone(pp, 'the directive form');
		// A deadline before the date of issue: refused at its own field.
		const res = await submitAndWait(pp, 'form-directive', '/directives');
		await expectFieldError(pp, 'form-directive', 'deadline0', res);
		await fillForm(pp, 'form-directive', { deadline0: '30/10/2021' });
		const [resp] = await Promise.all([
			pp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/directives'),
			pp.click('#form-directive button[type=submit]'),
		]);
		assert(resp.status() === 201, 'issue: ' + resp.status());
		const j = await resp.json();
		id = j.id;
		assert(j.tasks.map((x) => x.units).join() === `13,${UNITS.filter((u) => DISTRICTS.includes(u[3])).length},${HALONG_COMMUNES.length}`,
			'units per task: ' + JSON.stringify(j.tasks));
		await pp.waitForURL(new RegExp('/directives/' + id + '$'));
		await rendered(pp);
		const rows = await pp.$$eval(`table[data-task="${j.tasks[0].id}"] tbody tr`, (trs) => trs.map((t) => t.dataset.unit).sort());
		assert(rows.join() === DISTRICTS.join(), 'the 13 districts in the table: ' + rows);
	});

	const hl = await newPage(browser, { viewport: PHONE });
	const hp = hl.page;
	await step('tphalong passes the task to its communes, earlier than its own deadline, then reports done', async () => {
		await signIn(hp, base, 'tphalong');
		await hp.click('header nav a[href="/tasks"]');
		await rendered(hp);
		const card = 'li.task-card:has-text("Các huyện, thị xã, thành phố hoàn thành học tập")';
		const task = await hp.getAttribute(card, 'data-task');
		await hp.click(`${card} button:has-text("Giao cho cấp dưới")`);
		const form = 'delegate-' + task;
		assert(await hp.inputValue(`#${form} [name=deadline]`) === '27/10/2021', 'three days before its own, proposed');
		await fillForm(hp, form, { deadline: '30/10/2021' });
		const bad = await submitAndWait(hp, form, `/tasks/${task}/delegate`);
		await expectFieldError(hp, form, 'deadline', bad);
		await fillForm(hp, form, { deadline: '27/10/2021' });
		const ok = await submitAndWait(hp, form, `/tasks/${task}/delegate`);
		assert(ok.status === 201 && ok.json.units === HALONG_COMMUNES.length, 'delegated: ' + JSON.stringify(ok));
		await rendered(hp);
		await hp.click(`${card} button:has-text("Báo cáo hoàn thành")`);
		await fillForm(hp, 'report-' + task, { note: 'Đã tổ chức hội nghị học tập cho 100% cán bộ chủ chốt',
			evidence: 'Báo cáo số 45/BC-TU', done_on: '28/10/2021' });
		const rep = await submitAndWait(hp, 'report-' + task, `/tasks/${task}/reports`);
		assert(rep.status === 201 && rep.json.done_on === '2021-10-28', 'reported: ' + JSON.stringify(rep));
		await fitsPhone(hp, 'the inbox');
		await hp.screenshot({ path: join(SHOTS, 'directives-district-inbox.png'), fullPage: true });
	});

	await step('the day after the deadline: overdue districts marked, communes rolled up, reminders sent', async () => {
		await pp.goto(`${base}/directives/${id}?date=2021-10-31`);
		await rendered(pp);
		const p = await apiGet(pp, `/directives/${id}/progress?date=2021-10-31`);
		const t1 = p.items.filter((x) => x.assigned_by === '22' && x.unit_level === 'district');
		const late = t1.filter((x) => x.status === 'overdue').map((x) => x.unit_code).sort();
		assert(late.length === 12 && !late.includes('193'), 'overdue districts: ' + late);
		const task1 = t1[0].task_id;
		const marked = await pp.$$eval(`table[data-task="${task1}"] tr.row-overdue`, (trs) => trs.map((t) => t.dataset.unit).sort());
		assert(marked.join() === late.join(), 'the overdue rows marked: ' + marked);
		const below = (await pp.textContent(`table[data-task="${task1}"] tr[data-unit="193"] td.below`)).trim();
		assert(below === `0/${HALONG_COMMUNES.length}, quá hạn ${HALONG_COMMUNES.length}`, 'Hạ Long\'s communes rolled up: ' + below);
		assert((await pp.textContent(`table[data-task="${task1}"] tr[data-unit="193"]`)).includes('28/10/2021'), 'done on shown');
		await assertCleanText(pp, 'the progress table');
		await pp.screenshot({ path: join(SHOTS, 'directives-progress.png'), fullPage: true });
		const [resp] = await Promise.all([
			pp.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/directives/${id}/reminders`)),
			pp.click('#send-reminders'),
		]);
		assert(resp.status() === 201, 'reminders: ' + resp.status());
		const sent = await resp.json();
		assert(sent.units.length === 12 + HALONG_COMMUNES.length, 'reminded: ' + sent.units);
		assert((await pp.textContent('#reminders-sent')).includes(`${sent.units.length} đơn vị`), 'the count shown');
	});

	await step('tpcampha reads the reminder, its task overdue in the list and on the month calendar', async () => {
		const cp = await newPage(browser, { viewport: PHONE });
		const c = cp.page;
		await signIn(c, base, 'tpcampha');
		await c.click('header nav a[href="/tasks"]');
		await rendered(c);
		const notice = (await c.textContent('.notices')).trim();
		assert(notice.includes('quá hạn 30/10/2021') && notice.includes('12-KH/TU'), 'the reminder: ' + notice);
		const card = 'li.task-card:has-text("Các huyện, thị xã, thành phố hoàn thành học tập")';
		assert(await c.$eval(card, (e) => e.classList.contains('task-overdue')), 'the task overdue');
		await assertCleanText(c, 'the inbox');
		await c.click('a[role=button]:has-text("Lịch tháng")');
		await c.waitForSelector('.cal-grid');
		assert((await c.textContent('.cal-head h3')).includes('10/2021'), 'the month of the first open deadline');
		assert(await c.$eval('.cal-day[data-day="2021-10-30"]', (e) => e.classList.contains('late')), '30/10 marked late');
		await c.click('.cal-day[data-day="2021-10-30"]');
		assert((await c.textContent('.cal-list')).includes('Các huyện, thị xã, thành phố hoàn thành học tập'), 'the day\'s tasks');
		await fitsPhone(c, 'the calendar');
		await c.screenshot({ path: join(SHOTS, 'directives-calendar.png'), fullPage: true });
		assertNoScriptErrors(cp.errors);
	});

	await step('phuonghongha (a commune of Hạ Long) reads its reminder; it sees only its own tasks', async () => {
		const hh = await newPage(browser, { viewport: PHONE });
		const h = hh.page;
		await signIn(h, base, 'phuonghongha');
		await h.click('header nav a[href="/tasks"]');
		await rendered(h);
		assert((await h.textContent('.notices')).includes('quá hạn 27/10/2021'), 'the commune\'s reminder');
		const p = await apiGet(h, `/directives/${id}/progress?date=2021-10-31`);
		assert(p.items.every((x) => x.unit_code === '06697'), 'only its own rows: ' + p.items.map((x) => x.unit_code));
		const r = await api(h, 'GET', '/units/195/inbox');
		assert(r.status === 404, 'another unit\'s inbox: ' + r.status);
		assertNoScriptErrors(hh.errors);
	});
	assertNoScriptErrors(prov.errors);
	assertNoScriptErrors(hl.errors);
});
