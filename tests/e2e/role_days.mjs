// A day of each role on a phone (360 px wide), on the demo data.
//  - phucxa (commune officer) lands on its home: the level now, since when
//    and why, this week's cases, the follow-up counts; enters a case and
//    isolates the person at home in one tap;
//  - ytephucxa (health worker) sees only its forms, enters a contact of the
//    case and isolates it in one tap, follows the isolations (low SpO2 and
//    overdue first), records an SpO2 of 93 % and gets the alert with what
//    to do, releases the case's isolation (a day before its start refused at
//    the field, in dd/mm/yyyy);
//  - todan1 (community COVID team) sees whom to visit in its hamlet by
//    household name and address and checks in with two taps;
//  - nguoidan (citizen) and doanhnghiep (business) see their commune's level
//    today, what applies at it and the hotlines.
// Every page is checked in Vietnamese and English for ISO dates, internal
// field paths and untranslated keys; the time until each home is usable is
// printed (not asserted).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, assertRecord, dayVN, dmy, expectFieldError,
	fillForm, newPage, openForm, PHONE, rendered, REPO, run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';

const TODAY = dayVN(0);
const DOW = new Date(TODAY + 'T00:00:00Z').getUTCDay();
const LAST_SUNDAY = dayVN(-(DOW === 0 ? 7 : DOW));       // the last week that is over
const HOUSEHOLD = { code: '00001-001-0001', name: 'Hộ bà Bùi Thị Dân', address: 'Số 1 ngõ Phúc Xá' };

// The entry tabs a user is shown, by their form name.
async function tabs(page) {
	await page.click('header nav a[href="/entry"]');
	await page.waitForSelector('.tabs a');
	return page.$$eval('.tabs a', (as) => as.map((a) => new URL(a.href).searchParams.get('form')));
}

// Checks the page in both languages (the switch in the header), back in Vietnamese.
async function cleanInBoth(page, what) {
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

// Opens /home and prints how long until it has drawn what it loads.
async function home(page, base, who) {
	const t0 = Date.now();
	await page.goto(base + '/home');
	await rendered(page);
	console.log(`     ${who}: home usable after ${Date.now() - t0} ms`);
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${who}'s home is wider than the screen: ${w} px`);
	// The menu is one line on a phone: the header leaves the first screen to the page.
	const hh = await page.evaluate(() => document.querySelector('header.top').getBoundingClientRect().height);
	console.log(`     ${who}: header ${Math.round(hh)} px high`);
	assert(page.viewportSize().width >= 760 || hh <= 150, `${who}'s header takes ${hh} px of the phone's screen`);
}

run('e2e.role_days', async ({ base, browser, step }) => {
	const officer = await newPage(browser, { viewport: PHONE });
	const op = officer.page;
	let caseId, personId, caseIso, contactIso, explanation;

	await step('phucxa: the week of last Sunday assessed and confirmed (API), so the commune has a level and a why', async () => {
		await signIn(op, base, 'phucxa');
		let r = await api(op, 'POST', '/levels/indicators', { week_end: LAST_SUNDAY, items: [{ unit_code: '00001',
			population: 9500, cases_week: 12, cases_prev_week: 8, oxygen_cases_week: 1, deaths_week: 0, vax1_18plus_pct: 98.5,
			vaxfull_elderly_pct: 92, vaxfull_pct: 88, vaxfull_highrisk_pct: 90, capacity_met: true, capacity: 'medium' }] });
		assert(r.status === 200, 'indicators: ' + JSON.stringify(r));
		r = await api(op, 'POST', '/levels/assess', { week_end: LAST_SUNDAY, unit: '00001' });
		assert(r.status === 200 && r.json.items.length === 1, 'assess: ' + JSON.stringify(r));
		explanation = r.json.items[0].explanation.vi;
		r = await api(op, 'POST', '/units/00001/levels', { week_end: LAST_SUNDAY });
		assert(r.status === 201, 'decide: ' + JSON.stringify(r));
	});

	await step('phucxa lands on its home: level, since when and why; this week\'s cases; follow-up; all its forms', async () => {
		await op.goto(base + '/login');
		await op.fill('input[name=username]', 'phucxa');
		await op.fill('input[name=password]', 'demo2021');
		await op.click('form button[type=submit]');
		await op.waitForURL(/\/home$/);
		await home(op, base, 'phucxa');
		const map = await apiGet(op, `/levels?parent=001&date=${TODAY}`);
		const mine = map.items.find((i) => i.code === '00001');
		assert(mine.level >= 1 && mine.effective_from === dayVN(-(DOW === 0 ? 6 : DOW - 1)), 'level in force: ' + JSON.stringify(mine));
		const now = await op.textContent('#level-now');
		assert(now.includes(`Cấp ${mine.level}`) && now.includes(dmy(mine.effective_from)) && now.includes(explanation),
			'level, since and why shown: ' + now);
		assert((await op.textContent('#week-cases')).includes('0 ca'), 'no case this week yet');
		assert((await op.textContent('#followup-todo')).includes('Đang cách ly: 0 người'), 'nobody isolated yet');
		await op.waitForSelector('#contacts-due');
		await op.screenshot({ path: join(SHOTS, 'day-commune-home.png'), fullPage: true });
		await cleanInBoth(op, 'commune officer home');
		assert((await tabs(op)).join() === 'case,contact,test,checkin,zone,zone_end,hamlet,household,indicators,csv,assess,decide',
			'the commune officer\'s tabs');
	});

	await step('phucxa enters a case in a household and isolates the person at home in one tap', async () => {
		await openForm(op, 'case');
		assert(await op.inputValue('#form-case input[name=unit_code]') === '00001', 'unit preset to the commune');
		// A year typed in words is the form's own refusal: nothing is sent.
		let sent = 0;
		const count = (r) => { if (new URL(r.url()).pathname === '/api/v1/cases') sent++; };
		op.on('request', count);
		await fillForm(op, 'form-case', { full_name: 'Ngô Văn Tám', birth_year: 'một chín tám', unit_code: HOUSEHOLD.code,
			detected_on: dmy(TODAY) });
		await op.click('#form-case button[type=submit]');
		await op.waitForSelector('#form-case .field.has-error [name=birth_year]');
		assert(sent === 0, 'a case with a year in words was sent');
		// So is a date the form marks wrong, even when the server would take it.
		await fillForm(op, 'form-case', { birth_year: '1980', detected_on: TODAY });
		await op.click('#form-case button[type=submit]');
		await op.waitForSelector('#form-case .field.has-error [name=detected_on]');
		assert(sent === 0, 'a case with a date marked wrong was sent');
		op.off('request', count);
		await fillForm(op, 'form-case', { detected_on: dmy(TODAY) });
		const res = await submitAndWait(op, 'form-case', '/cases');
		assert(res.status === 201, 'case: ' + JSON.stringify(res));
		caseId = res.json.id;
		personId = res.json.person_id;
		assert((await op.textContent('#form-case .success')).includes(`Đã ghi ca bệnh số ${caseId}`), 'the case number shown');
		const [iso] = await Promise.all([
			op.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/isolations'),
			op.click(`#form-case .open-isolation button:has-text("Cách ly tại nhà từ ngày ${dmy(TODAY)}")`),
		]);
		assert(iso.status() === 201, 'isolation: ' + iso.status());
		caseIso = (await iso.json()).id;
		await op.waitForSelector('#form-case .open-isolation-done');
		const got = (await apiGet(op, '/isolations?unit=00001&state=active')).items.find((i) => i.id === caseIso);
		assertRecord(got, { person_id: personId, case_id: caseId, kind: 'home', unit_code: HOUSEHOLD.code, started_on: TODAY },
			'the isolation read back');
		await assertCleanText(op, 'case form after the isolation');
	});

	await step('phucxa\'s home counts the case of this week and the isolation', async () => {
		await home(op, base, 'phucxa');
		const w = (await apiGet(op, `/units/00001/weekly?from=${TODAY}&to=${dayVN(7)}`)).items[0];
		assert(w.cases === 1, 'the week\'s cases: ' + JSON.stringify(w));
		assert((await op.textContent('#week-cases')).includes('1 ca'), 'one case this week shown');
		assert((await op.textContent('#followup-todo')).includes('Đang cách ly: 1 người'), 'one in isolation shown');
	});

	await step('phucxa\'s dashboard: the level chart draws the one decision as a line up to today', async () => {
		await op.click('main a[href="/dashboard?unit=00001"]');
		await op.waitForSelector('#h-hist');
		await rendered(op);
		const chart = '.card[aria-labelledby=h-hist] .chart';
		// Pixels of the level line's colour (#b45309): a line across, not a dot.
		const drawn = await op.$eval(`${chart} canvas`, (c) => {
			const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			let n = 0;
			for (let i = 0; i < d.length; i += 4)
				if (Math.abs(d[i] - 0xb4) < 24 && Math.abs(d[i + 1] - 0x53) < 24 && d[i + 2] < 48 && d[i + 3] > 200)
					n++;
			return n;
		});
		assert(drawn > 200, 'the level line: ' + drawn + ' pixels');
		await assertCleanText(op, 'dashboard');
	});

	const health = await newPage(browser, { viewport: PHONE });
	const hp = health.page;

	await step('ytephucxa: only a health worker\'s forms, each on its commune', async () => {
		await signIn(hp, base, 'ytephucxa');
		assert((await tabs(hp)).join() === 'case,contact,test,checkin,indicators,csv,assess', 'the health worker\'s tabs');
		for (const [form, field] of [['indicators', 'unit_code'], ['assess', 'unit'], ['checkin', 'unit']]) {
			await openForm(hp, form);
			assert(await hp.inputValue(`#form-${form} input[name=${field}]`) === '00001', `${form} starts on the commune`);
		}
	});

	await step('ytephucxa enters a contact of the case and isolates it until the end of its quarantine in one tap', async () => {
		await openForm(hp, 'contact');
		await fillForm(hp, 'form-contact', { case_id: caseId, full_name: 'Ngô Thị Mai', birth_year: '1984', sex: 'female',
			unit_code: HOUSEHOLD.code, degree: '1', exposure_on: dmy(dayVN(-1)), setting: 'Cùng nhà' });
		const res = await submitAndWait(hp, 'form-contact', `/cases/${caseId}/contacts`);
		assert(res.status === 201, 'contact: ' + JSON.stringify(res));
		const c = res.json;
		const [iso] = await Promise.all([
			hp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/isolations'),
			hp.click('#form-contact .open-isolation button'),
		]);
		assert(iso.status() === 201, 'isolation: ' + iso.status());
		contactIso = (await iso.json()).id;
		const done = await hp.textContent('#form-contact .open-isolation-done');
		assert(done.includes(dmy(c.quarantine_start)) && done.includes(dmy(c.quarantine_end)), 'the period shown: ' + done);
		assertRecord((await apiGet(hp, '/isolations?unit=00001&state=active')).items.find((i) => i.id === contactIso),
			{ person_id: c.person.id, contact_id: c.id, case_id: null, started_on: c.quarantine_start, planned_end: c.quarantine_end },
			'the contact\'s isolation read back');
		await assertCleanText(hp, 'contact form after the isolation');
	});

	await step('ytephucxa\'s home: the isolations to follow, with names and the household', async () => {
		await home(hp, base, 'ytephucxa');
		for (const [id, name] of [[caseIso, 'Ngô Văn Tám'], [contactIso, 'Ngô Thị Mai']]) {
			const card = `.iso-card[data-id="${id}"]`;
			assert((await hp.textContent(`${card} h3`)).trim() === name, 'the name of ' + id);
			assert((await hp.textContent(`${card} .place`)).includes(`${HOUSEHOLD.name} — ${HOUSEHOLD.address}`), 'the place of ' + id);
		}
		await cleanInBoth(hp, 'health worker home');
	});

	await step('ytephucxa\'s home: the contacts due, and none under today\'s rules', async () => {
		// Since 17/03/2022 an F1 stays home no day: nobody is due today.
		await home(hp, base, 'ytephucxa');
		await hp.waitForSelector('#contacts-due.nodata');
		// In October 2021 an F1 stayed home 7 days: the home asked about 12/10/2021
		// (the same server, the day moved) lists an F1 exposed the day before.
		const c = await api(hp, 'POST', `/cases/${caseId}/contacts`, {
			person: { full_name: 'Lê Văn Chờ', unit_code: HOUSEHOLD.code }, degree: 1, exposure_on: '2021-10-11' });
		assert(c.status === 201, 'the contact: ' + JSON.stringify(c));
		const moved = (r) => r.continue({ url: r.request().url() + '&on=2021-10-12' });
		await hp.route('**/api/v1/contacts/due?*', moved);
		await home(hp, base, 'ytephucxa');
		const li = `#contacts-due li[data-id="${c.json.id}"]`;
		await hp.waitForSelector(li);
		const text = await hp.textContent(li);
		assert(text.includes('Lê Văn Chờ') && text.includes('F1') && text.includes('11/10/2021')
			&& text.includes('18/10/2021'), 'the contact due: ' + text);
		await cleanInBoth(hp, 'contacts due');
		await hp.click(`${li} a`);
		await hp.waitForURL(`**/cases/${caseId}`);
		await hp.unroute('**/api/v1/contacts/due?*', moved);
		await home(hp, base, 'ytephucxa');      // where the follow-up goes on
	});

	await step('check-in: SpO2 in words blocked by the form, 45 refused at the field; 93 recorded with the alert', async () => {
		const card = `.iso-card[data-id="${contactIso}"]`;
		const F = `checkin-${contactIso}`;
		const path = `/isolations/${contactIso}/checkins`;
		await hp.click(`${card} button.checkin-open`);
		let sent = 0;
		const count = (r) => { if (new URL(r.url()).pathname === '/api/v1' + path) sent++; };
		hp.on('request', count);
		await fillForm(hp, F, { spo2: 'chín ba', temperature: '37,8' });
		await hp.click(`#${F} button[type=submit]`);
		await hp.waitForSelector(`#${F} .field.has-error [name=spo2]`);
		assert(sent === 0, 'SpO2 in words was sent');
		hp.off('request', count);
		await fillForm(hp, F, { spo2: '45' });
		await expectFieldError(hp, F, 'spo2', await submitAndWait(hp, F, path));
		assert((await apiGet(hp, path)).items.length === 0, 'a refused check-in was stored');
		await fillForm(hp, F, { spo2: '93', symptoms: 'khó thở nhẹ' });
		const [resp] = await Promise.all([
			hp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1' + path),
			hp.click(`#${F} button[type=submit]`),
		]);
		assert(resp.status() === 201, 'check-in: ' + resp.status());
		const alert = await hp.waitForSelector(`${card} .checkin-done .alert[role=alert]`);
		const text = await alert.textContent();
		assert(text.includes('SpO2 93 %') && text.includes('115') && text.includes('trạm y tế'), 'the alert and what to do: ' + text);
		assertRecord((await apiGet(hp, path)).items[0], { spo2: 93, temperature: 37.8, symptoms: 'khó thở nhẹ', by: 'ytephucxa' },
			'check-in read back');
		// The list, read again, puts the low SpO2 first.
		await hp.waitForSelector(`.iso-list > li:first-child[data-id="${contactIso}"] .flag.low`);
		await hp.screenshot({ path: join(SHOTS, 'day-health-low-spo2.png'), fullPage: true });
		await assertCleanText(hp, 'follow-up after the alert');
	});

	await step('release: a day before the start refused at the field in dd/mm/yyyy; then released', async () => {
		const card = `.iso-card[data-id="${caseIso}"]`;
		const F = `release-${caseIso}`;
		const path = `/isolations/${caseIso}/release`;
		await hp.click(`${card} button.release-open`);
		await fillForm(hp, F, { released_on: dmy(dayVN(-1)) });
		const refused = await submitAndWait(hp, F, path);
		await expectFieldError(hp, F, 'released_on', refused);
		const shown = await hp.textContent(`#${F} .field-error`);
		assert(shown.includes(dmy(TODAY)) && !shown.includes(TODAY) && !shown.includes("'released_on'"),
			'the refusal in dd/mm/yyyy without the field\'s name: ' + shown);
		await fillForm(hp, F, { released_on: dmy(TODAY) });
		const [resp] = await Promise.all([
			hp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1' + path),
			hp.click(`#${F} button[type=submit]`),
		]);
		assert(resp.status() === 200, 'release: ' + resp.status());
		await hp.waitForSelector(`.followup .success:has-text("Đã kết thúc cách ly của Ngô Văn Tám ngày ${dmy(TODAY)}")`);
		await hp.waitForSelector(card, { state: 'detached' });
		assert((await apiGet(hp, '/isolations?unit=00001&state=released')).items.some((i) => i.id === caseIso &&
			i.released_on === TODAY), 'released read back');
	});

	await step('ytephucxa isolates a case entered earlier without isolation, in one tap from the follow-up list', async () => {
		const c = await api(hp, 'POST', '/cases', { person: { full_name: 'Phan Văn Chín', birth_year: 1991,
			unit_code: HOUSEHOLD.code }, detected_on: dayVN(-2), source: 'community', test_type: 'antigen' });
		assert(c.status === 201, 'case: ' + JSON.stringify(c));
		await hp.goto(base + '/followup');
		await rendered(hp);
		const item = `.to-isolate [data-case="${c.json.id}"]`;
		assert((await hp.textContent(`${item} h3`)).trim() === 'Phan Văn Chín', 'the case to isolate listed');
		assert(await hp.$(`.to-isolate [data-case="${caseId}"]`) === null, 'an isolated case is not listed');
		const [iso] = await Promise.all([
			hp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/isolations'),
			hp.click(`${item} .open-isolation button`),
		]);
		assert(iso.status() === 201, 'isolation: ' + iso.status());
		const id = (await iso.json()).id;
		await hp.waitForSelector(`.iso-card[data-id="${id}"]`);
		await hp.waitForSelector(item, { state: 'detached' });
		assert((await hp.textContent('.followup .success')).includes(dmy(dayVN(-2))), 'the start shown dd/mm/yyyy');
		assertRecord((await apiGet(hp, '/isolations?unit=00001&state=active')).items.find((i) => i.id === id),
			{ case_id: c.json.id, started_on: dayVN(-2), unit_code: HOUSEHOLD.code }, 'the isolation read back');
	});

	const team = await newPage(browser, { viewport: PHONE });
	const tp = team.page;

	await step('todan1: whom to visit in its hamlet, by household and address; check-in in two taps', async () => {
		await signIn(tp, base, 'todan1');
		assert((await tabs(tp)).join() === 'checkin,household', 'the team\'s tabs');
		await home(tp, base, 'todan1');
		const card = `.iso-card[data-id="${contactIso}"]`;
		assert((await tp.textContent(`${card} h3`)).trim() === HOUSEHOLD.name, 'the household named');
		assert((await tp.textContent(`${card} .place`)).trim() === HOUSEHOLD.address, 'its address');
		// Two people of one household: the team tells them apart by F0 and F1.
		assert((await tp.textContent(`${card} .flag.kind`)).trim() === 'F1 (người tiếp xúc)', 'the contact marked F1');
		const main = await tp.textContent('main');
		assert(!main.includes('Ngô Thị Mai') && !/người số/.test(main), 'no personal name, no "người số"');
		assert(await tp.$(`${card} button.release-open`) === null, 'no release for the team');
		await tp.screenshot({ path: join(SHOTS, 'day-team-visit.png'), fullPage: true });
		await cleanInBoth(tp, 'team home');
		const path = `/isolations/${contactIso}/checkins`;
		await tp.click(`${card} button.checkin-open`);                       // tap 1
		await tp.fill(`#checkin-${contactIso} input[name=spo2]`, '97');
		const [resp] = await Promise.all([
			tp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1' + path),
			tp.click(`#checkin-${contactIso} button[type=submit]`),          // tap 2
		]);
		assert(resp.status() === 201, 'check-in: ' + resp.status());
		await tp.waitForSelector(`${card} .checkin-done .success`);
		assert(await tp.$(`${card} .alert`) === null, 'no alert at 97 %');
		assertRecord((await apiGet(tp, path)).items[0], { spo2: 97, by: 'todan1' }, 'the team\'s check-in read back');
	});

	const citizen = await newPage(browser, { viewport: PHONE });
	const cp = citizen.page;

	for (const who of ['nguoidan', 'doanhnghiep']) {
		await step(`${who}: its commune's level today, what applies at it, the hotlines; no data entry`, async () => {
			await signIn(cp, base, who);
			assert(await cp.$('header nav a[href="/entry"]') === null, 'no data entry');
			await home(cp, base, who);
			const map = await apiGet(cp, `/levels?parent=001&date=${TODAY}`);
			const level = map.items.find((i) => i.code === '00001').level;
			const measures = map.legend.find((l) => l.level === level).measures;
			assert(measures.length > 0, 'the legend has measures at level ' + level);
			assert((await cp.textContent('h1')).includes('Phường Phúc Xá'), 'the commune named');
			assert((await cp.textContent('#level-now')).includes(`Cấp ${level}`), 'the level shown');
			const shown = await cp.$$eval('#measures li', (lis) => lis.map((li) => li.textContent.trim()));
			assert(JSON.stringify(shown) === JSON.stringify(measures.map((m) => m.vi)), 'the measures of the level: ' + shown);
			assert(await cp.$('.hotlines a[href="tel:19009095"]') && await cp.$('.hotlines a[href="tel:115"]'), 'the hotlines');
			if (who === 'nguoidan')
				await cp.screenshot({ path: join(SHOTS, 'day-citizen-home.png'), fullPage: true });
			await cleanInBoth(cp, who + ' home');
			await cp.click('header button.linkish');
			await cp.waitForSelector('header nav a[href="/login"]');
		});
	}

	// The README's four pictures of a day are refreshed on request only, so
	// test runs leave the tree clean.
	if (process.env.THC_UPDATE_SCREENSHOTS === '1')
		for (const f of ['day-commune-home.png', 'day-health-low-spo2.png', 'day-team-visit.png', 'day-citizen-home.png'])
			copyFileSync(join(SHOTS, f), join(REPO, 'docs', 'screenshots', f));

	await step('no script errors', async () => {
		for (const p of [officer, health, team, citizen])
			assertNoScriptErrors(p.errors);
	});
});
