// The epidemic level forms on a phone (360 px wide).  Hà Nội's province
// officer (hanoi) uploads a week of indicators for three communes of Ba
// Đình as a CSV file (a bad file first: its error names the line and the
// column, and nothing of it is stored); the district officer (badinh)
// enters one commune's week through the indicators form, assesses the
// district's communes and decides a level.  For every form: a refusal of
// the server shown at the field it concerns, in Vietnamese, with nothing
// stored; then the values read back through the API.  The API has no read
// of stored indicators but the assessment, so they are checked through
// POST /levels/assess (rule set qd4800-2021: the two-week average).
import { join } from 'node:path';
import {
	api, apiGet, assert, assertNoScriptErrors, assertRecord, dmy, expectFieldError, fillForm, newPage, openForm, PHONE,
	pickerSettled, run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';

const CSV_WEEK = '2022-01-23';
const COLS = 'unit_code,week_end,population,cases_week,cases_prev_week,oxygen_cases_week,deaths_week,' +
	'vax1_18plus_pct,vaxfull_elderly_pct,vaxfull_pct,vaxfull_highrisk_pct,capacity_met,capacity';
const ROWS = [
	{ unit_code: '00004', population: 8200, cases_week: 20, cases_prev_week: 16, line: '1,0,99.2,95.5,90,92,1,high' },
	{ unit_code: '00006', population: 10400, cases_week: 4, cases_prev_week: 2, line: '0,0,98,93,88,90,1,medium' },
	{ unit_code: '00007', population: 12650, cases_week: 41, cases_prev_week: 35, line: '2,0,97.5,91,85,89,1,medium' },
];
const GOOD_CSV = [COLS, ...ROWS.map((r) =>
	`${r.unit_code},${CSV_WEEK},${r.population},${r.cases_week},${r.cases_prev_week},${r.line}`)].join('\n') + '\n';
// Line 3 (00006) has its population in words; line 2 alone would be valid.
const BAD_CSV = GOOD_CSV.replace(`00006,${CSV_WEEK},10400,`, `00006,${CSV_WEEK},mười nghìn,`);

const per100k = (r) => (r.cases_week + r.cases_prev_week) / 2 * 1e5 / r.population;

// The stored indicators of `unit`'s subtree for a week, as an assessment
// sees them: { code: item }.
async function assessed(page, unit, week) {
	const r = await api(page, 'POST', '/levels/assess', { unit, week_end: week, rules: 'qd4800-2021' });
	assert(r.status === 200, 'assess: ' + JSON.stringify(r));
	return Object.fromEntries(r.json.items.map((i) => [i.unit_code, i]));
}

// Uploads `text` as a CSV file through the file picker and submits it.
async function upload(page, name, text) {
	await page.setInputFiles('#csv-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
	await page.waitForFunction((t) => document.querySelector('#form-csv textarea[name=csv]').value === t, text);
	return submitAndWait(page, 'form-csv', '/levels/indicators');
}

run('e2e.levels_forms', async ({ base, browser, step }) => {
	const province = await newPage(browser, { viewport: PHONE });
	const district = await newPage(browser, { viewport: PHONE });
	const hp = province.page, page = district.page;

	await step('CSV upload (hanoi): a bad file names line and column and stores nothing; a good one stores its rows', async () => {
		await signIn(hp, base, 'hanoi');
		await openForm(hp, 'csv');
		const refused = await upload(hp, 'chi-so-tuan-sai.csv', BAD_CSV);
		await expectFieldError(hp, 'form-csv', 'csv', refused);
		const msg = refused.json.error.message;
		assert(/^dòng 3: cột population: /.test(msg), 'line and column named: ' + msg);
		assert(Object.keys(await assessed(hp, '001', CSV_WEEK)).length === 0, 'the bad file stored rows');
		await hp.screenshot({ path: join(SHOTS, 'phone-csv-refused.png'), fullPage: true });
		const res = await upload(hp, 'chi-so-tuan-23-01-2022.csv', GOOD_CSV);
		assert(res.status === 200 && res.json.stored === 3, 'upload: ' + JSON.stringify(res));
		assert((await hp.textContent('#form-csv .success')).includes('3'), 'rows stored shown');
		const got = await assessed(hp, '001', CSV_WEEK);
		assert(Object.keys(got).sort().join() === '00004,00006,00007', 'the rows stored: ' + Object.keys(got));
		for (const r of ROWS) {
			const x = got[r.unit_code];
			assert(Math.abs(x.cases_per_100k - per100k(r)) < 1e-6 && x.missing === null,
				`${r.unit_code} as uploaded: ` + JSON.stringify(x));
		}
	});

	await step('indicators form (badinh): 101 % refused at its field; then one commune\'s week stored', async () => {
		await signIn(page, base, 'badinh');
		await openForm(page, 'indicators');
		const week = '2022-01-16';
		await fillForm(page, 'form-indicators', { unit_code: '00001', week_end: dmy(week), population: '9500',
			cases_week: '12', cases_prev_week: '8', oxygen_cases_week: '1', deaths_week: '0', vax1_18plus_pct: '101',
			vaxfull_elderly_pct: '92', vaxfull_pct: '88', vaxfull_highrisk_pct: '90', capacity_met: '1', capacity: 'medium' });
		await expectFieldError(page, 'form-indicators', 'vax1_18plus_pct',
			await submitAndWait(page, 'form-indicators', '/levels/indicators'));
		assert(!(await assessed(page, '00001', week))['00001'], 'a refused week was stored');
		await fillForm(page, 'form-indicators', { vax1_18plus_pct: '98,5' });   // a decimal comma, as typed in Việt Nam
		const res = await submitAndWait(page, 'form-indicators', '/levels/indicators');
		assert(res.status === 200 && res.json.stored === 1, 'indicators: ' + JSON.stringify(res));
		const x = (await assessed(page, '00001', week))['00001'];
		assert(x && Math.abs(x.cases_per_100k - per100k({ cases_week: 12, cases_prev_week: 8, population: 9500 })) < 1e-6 &&
			x.missing === null && /tiêm chủng đạt/.test(x.explanation.vi), 'the week as typed: ' + JSON.stringify(x));
	});

	await step('assess form (badinh): an unknown rule set refused at its field; then the district assessed', async () => {
		await openForm(page, 'assess');
		const F = '#form-assess';
		// One assessment per unit and week: a new one replaces the week's (here
		// those of the CSV check above, by hanoi).
		const assessment = async (code) => {
			const a = (await apiGet(page, `/units/${code}/levels`)).items
				.filter((e) => e.kind === 'assessment' && e.week_end === CSV_WEEK);
			assert(a.length === 1, `${code}: one assessment of the week: ` + JSON.stringify(a));
			return a[0];
		};
		const before = {};
		for (const r of ROWS)
			before[r.unit_code] = await assessment(r.unit_code);
		assert(await page.inputValue(`${F} input[name=unit]`) === '001', 'unit preset to the district');
		await fillForm(page, 'form-assess', { week_end: dmy(CSV_WEEK), rules: 'qd9999-2030' });
		await expectFieldError(page, 'form-assess', 'rules', await submitAndWait(page, 'form-assess', '/levels/assess'));
		for (const r of ROWS) {
			const a = await assessment(r.unit_code);
			assert(a.by === 'hanoi' && a.at === before[r.unit_code].at, 'a refused assessment was stored: ' + JSON.stringify(a));
		}
		await fillForm(page, 'form-assess', { rules: 'qd4800-2021' });
		const res = await submitAndWait(page, 'form-assess', '/levels/assess');
		assert(res.status === 200 && res.json.items.length === 3, 'assess: ' + JSON.stringify(res));
		const shown = await page.$$eval(`${F} .assess-results li`, (lis) => lis.map((li) => [li.dataset.unit,
			li.querySelector('.badge').className.match(/lv(\d)/)[1]]));
		assert(shown.map(([code]) => code).sort().join() === '00004,00006,00007', 'the rows shown: ' + JSON.stringify(shown));
		for (const [code, level] of shown) {
			const a = await assessment(code);
			assert(a.by === 'badinh' && a.at > before[code].at && a.rule_set === 'qd4800-2021' && String(a.level) === level &&
				Math.abs(a.cases_per_100k - per100k(ROWS.find((r) => r.unit_code === code))) < 1e-6,
				`${code} stored as shown (level ${level}): ` + JSON.stringify(a));
		}
	});

	await step('decide form (badinh): another level without a reason refused at the reason; then decided', async () => {
		await openForm(page, 'decide');
		const decisions = async () => (await apiGet(page, '/units/00001/levels')).items.filter((e) => e.kind === 'decision');
		const before = (await decisions()).length;
		// The unit typed as a code is looked up while the person goes on: the
		// submit button must not move meanwhile (a tap landing as it moves was
		// lost: pressed on the button, released beside it).
		const button = () => page.$eval('#form-decide button[type=submit]', (b) => b.getBoundingClientRect().top + scrollY);
		const y0 = await button();
		await page.fill('#form-decide [name=unit]', '00001');
		assert(await button() === y0, 'the button moved as the code was typed');
		await pickerSettled(page, '#form-decide [name=unit]', '00001');
		assert((await page.textContent('#form-decide .picked')).includes('Phúc Xá'), 'the commune named');
		assert(await button() === y0, 'the button moved as the unit was named');
		await fillForm(page, 'form-decide', { unit: '00001', week_end: dmy('2022-01-16'), level: '3',
			effective_from: dmy('2022-01-18') });
		await expectFieldError(page, 'form-decide', 'reason', await submitAndWait(page, 'form-decide', '/units/00001/levels'));
		assert((await decisions()).length === before, 'a refused decision was stored');
		const reason = 'Ổ dịch tại chợ Long Biên, nhiều ca cộng đồng chưa rõ nguồn lây';
		await fillForm(page, 'form-decide', { reason });
		const res = await submitAndWait(page, 'form-decide', '/units/00001/levels');
		assert(res.status === 201 && res.json.effective_from === '2022-01-18', 'decide: ' + JSON.stringify(res));
		const said = await page.textContent('#form-decide p.success');
		assert(said.includes('Phường Phúc Xá') && said.includes('18/01/2022') && !said.includes('00001'),
			'the decision said in words: ' + said);
		const d = await decisions();
		assert(d.length === before + 1, 'one decision more');
		assertRecord(d[0], { level: 3, computed_level: 2, reason, week_end: '2022-01-16', effective_from: '2022-01-18',
			by: 'badinh' }, 'decision read back');
		assertRecord((await apiGet(page, '/levels?parent=001&date=2022-01-18')).items.find((i) => i.code === '00001'),
			{ level: 3, source: 'decision', effective_from: '2022-01-18' }, 'on the public map');
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(province.errors);
		assertNoScriptErrors(district.errors);
	});
});
