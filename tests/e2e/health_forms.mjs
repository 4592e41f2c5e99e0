// The surveillance forms on a phone (360 px wide), as the commune's health
// station (ytephucxa) uses them: a case (F0), a contact (F1) of that case
// with its quarantine period, a positive test that opens a case.  For every
// form: a refusal of the server shown at the field it concerns, in
// Vietnamese, with nothing stored; then the record entered as a person
// would and read back through the API with the values typed.
import { join } from 'node:path';
import {
	apiGet, assert, assertNoScriptErrors, assertRecord, dayVN, dmy, expectFieldError, fillForm, newPage, openForm, PHONE,
	run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';

// The person fields the case, contact and test forms share, as typed, and
// as the API returns them.
const typedPerson = (p) => ({ ...p, id_number: p.id_number || '', birth_year: String(p.birth_year) });
const storedPerson = (p) => ({ ...p, id_number: p.id_number || null });

run('e2e.health_forms', async ({ base, browser, step }) => {
	const { page, errors } = await newPage(browser, { viewport: PHONE });
	const cases = async () => (await apiGet(page, '/cases?unit=00001')).items;
	let caseId;

	await step('ytephucxa (health worker) signs in on a phone', async () => {
		await signIn(page, base, 'ytephucxa');
		await page.waitForSelector('header nav a[href="/entry"]');
	});

	await step('case: a 5-digit ID number refused at its field; then entered and read back', async () => {
		await openForm(page, 'case');
		const before = (await cases()).length;
		const person = { full_name: 'Hoàng Thị Lan', id_number: '00118', birth_year: 1987, sex: 'female',
			unit_code: '00001-001' };
		const typed = { source: 'quarantine', test_type: 'antigen' };
		await fillForm(page, 'form-case', { ...typedPerson(person), detected_on: dmy(dayVN(-2)), ...typed });
		await expectFieldError(page, 'form-case', 'id_number', await submitAndWait(page, 'form-case', '/cases'));
		assert((await cases()).length === before, 'a refused case was stored');
		person.id_number = '001187012345';
		await fillForm(page, 'form-case', { id_number: person.id_number });
		const res = await submitAndWait(page, 'form-case', '/cases');
		assert(res.status === 201, 'case: ' + JSON.stringify(res));
		caseId = res.json.id;
		assert((await page.textContent('#form-case .success')).includes(String(caseId)), 'the case number shown');
		const c = await apiGet(page, '/cases/' + caseId);
		assertRecord(c.person, storedPerson(person), 'the case\'s person');
		assertRecord(c, { unit_code: '00001-001', detected_on: dayVN(-2), ...typed }, 'case read back');
		assert((await cases()).length === before + 1, 'one case more');
	});

	await step('contact: an unknown case refused at the case number; then an F1 with its quarantine', async () => {
		await openForm(page, 'contact');
		const contacts = async () => (await apiGet(page, `/cases/${caseId}/contacts`)).items;
		const person = { full_name: 'Trần Văn Minh', birth_year: 2001, sex: 'male', unit_code: '00001-001' };
		await fillForm(page, 'form-contact', { case_id: '99999', ...typedPerson(person), degree: '1',
			exposure_on: dmy(dayVN(-3)), setting: 'Cùng nhà' });
		const refused = await submitAndWait(page, 'form-contact', '/cases/99999/contacts');
		await expectFieldError(page, 'form-contact', 'case_id', refused, 404);
		assert((await contacts()).length === 0, 'a refused contact was stored');
		await page.screenshot({ path: join(SHOTS, 'phone-contact-refused.png'), fullPage: true });
		await fillForm(page, 'form-contact', { case_id: caseId });
		const res = await submitAndWait(page, 'form-contact', `/cases/${caseId}/contacts`);
		assert(res.status === 201, 'contact: ' + JSON.stringify(res));
		const shown = await page.textContent('#form-contact .success');
		assert(shown.includes(dmy(res.json.quarantine_start)) && shown.includes(dmy(res.json.quarantine_end)),
			'the quarantine period shown dd/mm/yyyy: ' + shown);
		const items = await contacts();
		assert(items.length === 1, 'one contact: ' + JSON.stringify(items));
		assertRecord(items[0].person, storedPerson(person), 'the contact\'s person');
		assertRecord(items[0], { id: res.json.id, degree: 1, exposure_on: dayVN(-3), setting: 'Cùng nhà',
			quarantine_start: dayVN(-3), quarantine_end: res.json.quarantine_end, quarantine_rule: res.json.quarantine_rule },
		'contact read back');
	});

	await step('test: tomorrow refused at the day taken; then a positive result that opens a case', async () => {
		await openForm(page, 'test');
		const before = (await cases()).length;
		const person = { full_name: 'Phạm Quốc Huy', id_number: '001090009876', birth_year: 1990, sex: 'male',
			unit_code: '00001-002' };
		await fillForm(page, 'form-test', { ...typedPerson(person), taken_on: dmy(dayVN(1)), test_type: 'rt-pcr',
			result: 'positive', open_case: true });
		await expectFieldError(page, 'form-test', 'taken_on', await submitAndWait(page, 'form-test', '/tests'));
		assert((await cases()).length === before, 'a refused test opened a case');
		await fillForm(page, 'form-test', { taken_on: dmy(dayVN(-1)) });
		const res = await submitAndWait(page, 'form-test', '/tests');
		assert(res.status === 201 && res.json.result === 'positive' && Number.isInteger(res.json.case_id),
			'test: ' + JSON.stringify(res));
		assert((await page.textContent('#form-test .success')).includes(String(res.json.case_id)), 'the opened case shown');
		const c = await apiGet(page, '/cases/' + res.json.case_id);
		assertRecord(c.person, { ...storedPerson(person), id: res.json.person_id }, 'the opened case\'s person');
		assertRecord(c, { detected_on: dayVN(-1), test_type: 'rt-pcr' }, 'the case the test opened');
		assert((await cases()).length === before + 1, 'one case more');
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(errors);
	});
});
