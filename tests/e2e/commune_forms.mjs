// The forms of a commune on a phone (360 px wide).  Signing in (a wrong
// password refused); the commune officer (phucxa) adds a hamlet, opens a
// lockdown zone and ends it (refused before 14 days after the last case,
// then ended early with a reason); the hamlet's community COVID team
// (todan1) adds a household and records an isolation check-in.  For every
// form: a refusal of the server shown at the field it concerns, in
// Vietnamese, with nothing stored; then the record entered as a person
// would and read back through the API.
import { join } from 'node:path';
import {
	api, apiGet, assert, assertNoScriptErrors, assertRecord, dayVN, dmy, expectFieldError, fillForm, newPage, openForm,
	PHONE, run, SHOTS, signIn, submitAndWait, VIETNAMESE,
} from './harness.mjs';

const LAST_CASE = dayVN(-5);     // the hamlet's last case: a zone there may end from day +14

// A unit form (hamlet, household) below `parent`, preset there: a parent
// outside the user's scope refused at the parent (404), `bad` (one field)
// refused at that field (422), nothing stored; then the unit added and read
// back through the API with the values typed.
async function addUnit(page, level, parent, otherParent, typed, bad) {
	const id = 'form-' + level;
	const count = async () => (await apiGet(page, `/units?parent=${parent}&level=${level}`)).total;
	const before = await count();
	await openForm(page, level);
	assert(await page.inputValue(`#${id} input[name=parent_code]`) === parent, 'parent preset to ' + parent);
	await fillForm(page, id, { ...typed, parent_code: otherParent });
	await expectFieldError(page, id, 'parent_code', await submitAndWait(page, id, '/units'), 404);
	await fillForm(page, id, { parent_code: parent, ...bad });
	await expectFieldError(page, id, Object.keys(bad)[0], await submitAndWait(page, id, '/units'));
	assert(await count() === before, `a refused ${level} was stored`);
	await fillForm(page, id, typed);
	const res = await submitAndWait(page, id, '/units');
	assert(res.status === 201, level + ': ' + JSON.stringify(res));
	assert((await page.textContent(`#${id} .success`)).includes(res.json.code), 'the new code shown');
	const u = await apiGet(page, '/units/' + res.json.code);
	assertRecord(u, { ...typed, level, parent_code: parent, ...(typed.members ? { members: Number(typed.members) } : {}) },
		level + ' read back');
	assert(await count() === before + 1, `one ${level} more`);
}

run('e2e.commune_forms', async ({ base, browser, step }) => {
	const officer = await newPage(browser, { viewport: PHONE });
	const page = officer.page;
	let isolation, zone;

	await step('login on a phone: a wrong password refused for the form as a whole, then phucxa signs in', async () => {
		await page.goto(base + '/login');
		await page.fill('#form-login input[name=username]', 'phucxa');
		await page.fill('#form-login input[name=password]', 'matkhau-sai');
		const res = await submitAndWait(page, 'form-login', '/login');
		assert(res.status === 401, 'wrong password: ' + JSON.stringify(res));
		const msg = await page.textContent('#form-login [role=alert]');
		assert(msg.includes(res.json.error.message) && VIETNAMESE.test(msg), 'the refusal shown in Vietnamese: ' + msg);
		// The answer does not tell which of the two was wrong: no field is marked.
		assert(await page.$('#form-login .field.has-error') === null, 'a field marked');
		assert(!(await page.context().cookies()).some((c) => c.name === 'thc_session'), 'a session after a refusal');
		assert((await api(page, 'GET', '/me')).status === 401, 'signed in after a refusal');
		await signIn(page, base, 'phucxa');
	});

	await step('a case of hamlet 00001-001 isolated at home (API)', async () => {
		const c = await api(page, 'POST', '/cases', {
			person: { full_name: 'Đặng Văn Hùng', birth_year: 1978, sex: 'male', unit_code: '00001-001' },
			detected_on: LAST_CASE, source: 'community', test_type: 'rt-pcr',
		});
		assert(c.status === 201, 'case: ' + JSON.stringify(c));
		const i = await api(page, 'POST', '/isolations', { person_id: c.json.person_id, kind: 'home',
			unit_code: '00001-001', started_on: LAST_CASE, case_id: c.json.id });
		assert(i.status === 201, 'isolation: ' + JSON.stringify(i));
		isolation = i.json.id;
	});

	await step('hamlet: another commune refused at the parent, a blank name at the name; then added', async () => {
		await addUnit(page, 'hamlet', '00001', '00004', { name: 'Tổ dân phố số 7', type: 'tổ dân phố' }, { name: '   ' });
	});

	await step('zone: a planned end before the start refused at its field; then opened on the hamlet', async () => {
		await openForm(page, 'zone');
		const F = '#form-zone';
		const zones = async () => (await apiGet(page, '/zones?unit=00001')).items;
		const before = (await zones()).length;
		const typed = { unit_code: '00001-001', area_name: 'Ngõ 12 phố Phúc Xá',
			reason: 'Ca F0 trong ngõ, ba hộ liền kề chưa xét nghiệm' };
		await fillForm(page, 'form-zone', { ...typed, started_on: dmy(dayVN(-4)), planned_end: dmy(dayVN(-6)) });
		await expectFieldError(page, 'form-zone', 'planned_end', await submitAndWait(page, 'form-zone', '/zones'));
		assert((await zones()).length === before, 'a refused zone was stored');
		await fillForm(page, 'form-zone', { planned_end: dmy(dayVN(10)) });
		const res = await submitAndWait(page, 'form-zone', '/zones');
		assert(res.status === 201, 'zone: ' + JSON.stringify(res));
		zone = res.json.id;
		assert((await page.textContent(`${F} .success`)).includes(`#${zone}`), 'the zone number shown');
		assertRecord((await zones()).find((x) => x.id === zone), { ...typed, started_on: dayVN(-4), planned_end: dayVN(10),
			ended_on: null, created_by: 'phucxa' }, 'zone read back');
	});

	await step('zone end: refused at the end day within 14 days of the last case; ended early with a reason', async () => {
		await openForm(page, 'zone_end');
		const F = '#form-zone-end';
		// The commune's active zones load with the form.
		await page.waitForSelector(`${F} select[name=zone] option[value="${zone}"]`, { state: 'attached' });
		await fillForm(page, 'form-zone-end', { zone, ended_on: dmy(dayVN(0)) });
		const refused = await submitAndWait(page, 'form-zone-end', `/zones/${zone}/end`);
		await expectFieldError(page, 'form-zone-end', 'ended_on', refused);
		assert(refused.json.error.message.includes(LAST_CASE) && refused.json.error.message.includes(dayVN(9)),
			'the message names the last case and the earliest day: ' + refused.json.error.message);
		assert((await apiGet(page, '/zones?unit=00001')).items.some((z) => z.id === zone), 'still active');
		await page.screenshot({ path: join(SHOTS, 'phone-zone-end-refused.png'), fullPage: true });
		const reason = 'UBND phường cho dỡ phong tỏa sớm: cả ngõ đã xét nghiệm âm tính';
		await fillForm(page, 'form-zone-end', { override_reason: reason });
		const res = await submitAndWait(page, 'form-zone-end', `/zones/${zone}/end`);
		assert(res.status === 200 && res.json.override === true && res.json.ended_on === dayVN(0),
			'zone end: ' + JSON.stringify(res));
		assert((await page.textContent(`${F} .success`)).includes(dmy(dayVN(0))), 'the end day shown dd/mm/yyyy');
		assert(!(await apiGet(page, '/zones?unit=00001')).items.some((z) => z.id === zone), 'no longer active today');
		assertRecord((await apiGet(page, `/zones?unit=00001&active_on=${dayVN(-1)}`)).items.find((x) => x.id === zone),
			{ ended_on: dayVN(0), end_override_reason: reason }, 'ended zone');
	});

	const team = await newPage(browser, { viewport: PHONE });
	const tp = team.page;

	await step('todan1 (community COVID team) signs in: data entry, no dashboard', async () => {
		await signIn(tp, base, 'todan1');
		await tp.waitForSelector('header nav a[href="/entry"]');
		assert(await tp.$('header nav a[href="/dashboard"]') === null, 'no dashboard for the team');
	});

	await step('household: another hamlet refused at the parent, 0 members at members; then added', async () => {
		await addUnit(tp, 'household', '00001-001', '00001-002', { name: 'Hộ ông Nguyễn Văn Bình',
			address: 'Số 12 ngõ 34 phố Phúc Xá', members: '5' }, { members: '0' });
	});

	await step('check-in: SpO2 45 refused at its field; then recorded (temperature typed 37,8)', async () => {
		await openForm(tp, 'checkin');
		const F = '#form-checkin';
		const path = `/isolations/${isolation}/checkins`;
		await tp.waitForSelector(`${F} select[name=isolation] option[value="${isolation}"]`, { state: 'attached' });
		const typed = { symptoms: 'ho, đau họng', note: 'Gọi điện lúc 8 giờ, người bệnh tỉnh táo' };
		await fillForm(tp, 'form-checkin', { isolation, spo2: '45', temperature: '37,8', ...typed });
		await expectFieldError(tp, 'form-checkin', 'spo2', await submitAndWait(tp, 'form-checkin', path));
		assert((await apiGet(tp, path)).items.length === 0, 'a refused check-in was stored');
		await fillForm(tp, 'form-checkin', { spo2: '96' });
		const res = await submitAndWait(tp, 'form-checkin', path);
		assert(res.status === 201 && res.json.isolation_id === isolation, 'check-in: ' + JSON.stringify(res));
		const items = (await apiGet(tp, path)).items;
		assert(items.length === 1, 'one check-in: ' + JSON.stringify(items));
		assertRecord(items[0], { id: res.json.id, spo2: 96, temperature: 37.8, ...typed, by: 'todan1' }, 'check-in read back');
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(officer.errors);
		assertNoScriptErrors(team.errors);
	});
});
