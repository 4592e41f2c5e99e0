// A commune's level week on a phone (360 px wide), as phucxa does it, with
// the mistakes people make: a week's indicators typed on a Saturday, a
// percentage over 100, a week with figures missing; the assessment and its
// why; a level decided without a reason, from a day before the week's end.
// And the health worker's check-in with an SpO2 out of range, and the
// case's page naming the household; the citizen's feedback with a phone
// number too short to call back, and the commune's queue where it lands;
// the district's new directive, its tasks going to its communes.
// Every refusal is shown at its field in plain Vietnamese: no item number,
// no internal field name, no "0..100", no "0 = none"; the assessment names
// what is missing as the form labels it.
import {
	api, assert, assertAccessible, assertCleanText, assertNoScriptErrors, dayVN, dmy, expectFieldError, fillForm, newPage, openForm,
	PHONE, run, signIn, submitAndWait,
} from './harness.mjs';

const TODAY = dayVN(0);
const DOW = new Date(TODAY + 'T00:00:00Z').getUTCDay();
const SUNDAY = dayVN(-(DOW === 0 ? 7 : DOW));          // the last week that is over
const SATURDAY = dayVN(-(DOW === 0 ? 8 : DOW + 1));

// A message a person reads at a field: words, not the API's names.
function assertPlain(msg, what) {
	const bad = [/^(?:mục|item) \d+/i, /'[a-z]+(?:_[a-z0-9]+)+'/, /\b[a-z]+_[a-z0-9_]+\b/, /\d\.\.\d/, /0 = /];
	for (const re of bad)
		assert(!re.test(msg), `${what}: "${msg}" has ${re}`);
}

async function refusedAt(page, form, field, path) {
	const res = await submitAndWait(page, form, path);
	await expectFieldError(page, form, field, res);
	const shown = (await page.textContent(`#${form} .field.has-error .field-error`)).trim();
	assertPlain(shown, `${form} ${field}`);
	return shown;
}

run('e2e.phone_week', async ({ base, browser, step }) => {
	const officer = await newPage(browser, { viewport: PHONE });
	const op = officer.page;

	await step('indicators: a Saturday and 198,5 % refused at their fields in plain words; a week stored', async () => {
		await signIn(op, base, 'phucxa');
		await openForm(op, 'indicators');
		await fillForm(op, 'form-indicators', { week_end: dmy(SATURDAY), population: '9.500', cases_week: '3',
			vax1_18plus_pct: '98,5', vaxfull_elderly_pct: '92', vaxfull_pct: '88,2', vaxfull_highrisk_pct: '90',
			capacity_met: '1', capacity: 'medium' });
		const sat = await refusedAt(op, 'form-indicators', 'week_end', '/levels/indicators');
		assert(sat.startsWith(dmy(SATURDAY)), 'the day named first: ' + sat);
		await fillForm(op, 'form-indicators', { week_end: dmy(SUNDAY), vax1_18plus_pct: '198,5' });
		const pct = await refusedAt(op, 'form-indicators', 'vax1_18plus_pct', '/levels/indicators');
		assert(pct.includes('từ 0 đến 100'), 'the range in words: ' + pct);
		await fillForm(op, 'form-indicators', { vax1_18plus_pct: '98,5' });
		const ok = await submitAndWait(op, 'form-indicators', '/levels/indicators');
		assert(ok.status === 200, 'indicators: ' + JSON.stringify(ok));
	});

	await step('assess: the why names the missing figures as the form labels them, read whole on the phone', async () => {
		await openForm(op, 'assess');
		await fillForm(op, 'form-assess', { week_end: dmy(SUNDAY) });
		const res = await submitAndWait(op, 'form-assess', '/levels/assess');
		assert(res.status === 200 && res.json.items.length === 1 && res.json.items[0].level === null, 'assess: ' + JSON.stringify(res));
		assert(res.json.items[0].missing.includes('cases_prev_week'), 'the API keeps the names: ' + res.json.items[0].missing);
		assert((await op.textContent('#form-assess .success')).includes('Đã đánh giá 1 đơn vị'), 'the count in words');
		const why = (await op.textContent('#form-assess .assess-results li[data-unit="00001"] .why')).trim();
		assert(why === res.json.items[0].explanation.vi, 'the why shown: ' + why);
		for (const label of ['ca mắc tuần trước', 'ca thở ô xy trong tuần', 'tử vong trong tuần'])
			assert(why.includes(label), `"${label}" in the why: ${why}`);
		assertPlain(why, 'the why');
		const box = await op.$eval('#form-assess .assess-results li .why', (e) => e.getBoundingClientRect().right);
		assert(box <= PHONE.width, 'the why within the screen: ' + box);
		await assertCleanText(op, 'assessment result');
		const en = res.json.items[0].explanation.en;
		assert(en.includes('cases last week') && !/_/.test(en), 'the English why: ' + en);
	});

	await step('decide: without a reason, and from before the week\'s end, refused at the field in plain words', async () => {
		await openForm(op, 'decide');
		await fillForm(op, 'form-decide', { week_end: dmy(SUNDAY), level: '3' });
		const reason = await refusedAt(op, 'form-decide', 'reason', '/units/00001/levels');
		assert(reason.includes('cấp 3') && reason.includes('chưa có kết quả đánh giá'), 'why a reason: ' + reason);
		await fillForm(op, 'form-decide', { level: '', reason: '' });
		const level = await refusedAt(op, 'form-decide', 'level', '/units/00001/levels');
		assert(level.includes(dmy(SUNDAY)) && level.includes('chọn cấp độ và ghi lý do'), 'what to do: ' + level);
		await fillForm(op, 'form-decide', { level: '3', reason: 'Ổ dịch ở chợ', effective_from: dmy(dayVN(-30)) });
		const from = await refusedAt(op, 'form-decide', 'effective_from', '/units/00001/levels');
		assert(from.includes(dmy(SUNDAY)) && from.includes('ngày cuối tuần'), 'the week\'s end named: ' + from);
		const hist = await api(op, 'GET', '/units/00001/levels?limit=20');
		assert(!hist.json.items.some((e) => e.kind === 'decision'), 'a refused decision was stored');
		await fillForm(op, 'form-decide', { effective_from: '' });
		const ok = await submitAndWait(op, 'form-decide', '/units/00001/levels');
		assert(ok.status === 201, 'decide: ' + JSON.stringify(ok));
	});

	const health = await newPage(browser, { viewport: PHONE });
	const hp = health.page;

	await step('ytephucxa: an SpO2 of 45 and a temperature of 45 refused at their fields in plain words', async () => {
		await signIn(hp, base, 'ytephucxa');
		const c = await api(hp, 'POST', '/cases', { person: { full_name: 'Lý Văn Mười', birth_year: 1979, unit_code: '00001-001-0001' },
			detected_on: TODAY, source: 'community', test_type: 'antigen' });
		assert(c.status === 201, 'case: ' + JSON.stringify(c));
		const iso = await api(hp, 'POST', '/isolations', { person_id: c.json.person_id, case_id: c.json.id, kind: 'home',
			unit_code: '00001-001-0001', started_on: TODAY });
		assert(iso.status === 201, 'isolation: ' + JSON.stringify(iso));
		const id = iso.json.id, F = `checkin-${id}`, path = `/isolations/${id}/checkins`;
		await hp.goto(base + '/followup');
		await hp.click(`.iso-card[data-id="${id}"] button.checkin-open`);
		await fillForm(hp, F, { spo2: '45' });
		const spo2 = await refusedAt(hp, F, 'spo2', path);
		assert(spo2.includes('từ 50 đến 100'), 'the SpO2 refusal: ' + spo2);
		await fillForm(hp, F, { spo2: '', temperature: '45' });
		const temp = await refusedAt(hp, F, 'temperature', path);
		assert(temp.includes('từ 34 đến 43'), 'the temperature refusal: ' + temp);
		assert((await api(hp, 'GET', path)).json.items.length === 0, 'a refused check-in was stored');
		// The case's page names where the person lives as the follow-up list does.
		await hp.goto(base + '/cases/' + c.json.id);
		await hp.waitForSelector('#cs-unit:has-text("Hộ bà Bùi Thị Dân — Số 1 ngõ Phúc Xá")');
		await assertCleanText(hp, 'the case page');
	});

	const citizen = await newPage(browser, { viewport: PHONE });
	const cp = citizen.page;

	await step('nguoidan: a phone number too short to call back refused at its field; then sent and tracked', async () => {
		await signIn(cp, base, 'nguoidan');
		await cp.goto(base + '/feedback');
		const category = await (await cp.waitForFunction(() =>
			[...document.querySelectorAll('#form-feedback select[name=category] option')].map((o) => o.value).find(Boolean))).jsonValue();
		await fillForm(cp, 'form-feedback', { category, description: 'Nhà tôi đang cách ly 5 người, hết gạo từ hôm qua',
			name: 'Bùi Thị Dân', phone: '09123' });
		const bad = await submitAndWait(cp, 'form-feedback', '/feedback');
		await expectFieldError(cp, 'form-feedback', 'phone', bad);
		assert((await cp.textContent('#form-feedback .field.has-error .field-error')).includes('8 đến 15 chữ số'),
			'what a phone number is');
		await fillForm(cp, 'form-feedback', { phone: '0912 345 678' });
		const [resp] = await Promise.all([
			cp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/feedback'),
			cp.click('#form-feedback button[type=submit]'),
		]);
		assert(resp.status() === 201, 'feedback: ' + resp.status());
		const code = (await resp.json()).tracking_code;
		const t = await api(cp, 'GET', '/feedback/track/' + code);
		assert(t.status === 200 && t.json.status === 'new', 'tracked: ' + JSON.stringify(t));
	});

	await step('phucxa\'s feedback queue: each request\'s number readable (not white on white) and opening it', async () => {
		await op.goto(base + '/feedback/queue');
		await op.waitForSelector('#fb-list .fb-open');
		await assertAccessible(op, 'the feedback queue\'s list', '#fb-list');
		const [color, bg] = await op.$eval('#fb-list .fb-open', (b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]);
		assert(color !== 'rgb(255, 255, 255)', `the number's colour: ${color} on ${bg}`);
		await op.click('#fb-list .fb-open');
		await op.waitForSelector('#h-fb-detail');
		await op.waitForSelector('.fb-queue button:has-text("Xác nhận đã nhận")');
	});

	const district = await newPage(browser, { viewport: PHONE });
	const dp = district.page;

	await step('badinh: a task of a new directive goes to the district\'s communes by default; a wrong level refused in words', async () => {
		await signIn(dp, base, 'badinh');
		await dp.goto(base + '/directives/new');
		await dp.waitForSelector('#form-directive button[type=submit]');
		assert(await dp.inputValue('#form-directive [name=under0]') === '001', 'under the district');
		assert(await dp.inputValue('#form-directive [name=level0]') === 'commune', 'the communes chosen');
		const offered = await dp.$$eval('#form-directive [name=level0] option', (os) => os.map((o) => o.value));
		assert(offered.join() === 'commune', 'only communes under a district: ' + offered);
		const [add, issue] = await Promise.all(['#add-task', '#form-directive button[type=submit]'].map((s) =>
			dp.$eval(s, (b) => b.getBoundingClientRect().toJSON())));
		assert(add.right <= issue.left - 4 || add.bottom <= issue.top, 'the two buttons apart: ' + JSON.stringify([add, issue]));
		const r = await api(dp, 'POST', '/directives', { number: '3-KH', issued_on: TODAY, issuer: '001', title: 'Rà soát',
			tasks: [{ title: 'Rà soát hộ', deadline: dayVN(7), assignees: { children_of: '001', level: 'district' } }] });
		assert(r.status === 422 && r.json.error.field === 'tasks[0].assignees', 'refused: ' + JSON.stringify(r));
		assert(r.json.error.message.includes('cấp Quận/Huyện') && !r.json.error.message.includes('district'),
			'the level in words: ' + r.json.error.message);
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(officer.errors);
		assertNoScriptErrors(health.errors);
		assertNoScriptErrors(citizen.errors);
		assertNoScriptErrors(district.errors);
	});
});
