// Screen readers and keyboards: axe-core on each role's home and the main
// forms, no serious or critical violation (the check is first shown to find
// a nameless button and faint text); the case form sent from the keyboard
// (Tab to its button, Enter) and read back.
import {
	apiGet, assert, assertAccessible, assertNoScriptErrors, dayVN, dmy, fillForm, newPage, rendered, run, signIn,
	submitByKeyboard,
} from './harness.mjs';

run('e2e.a11y', async ({ base, browser, step }) => {
	const pub = await newPage(browser);
	const off = await newPage(browser);
	const page = pub.page;

	await step('the check finds what it looks for: a button without a name, text without contrast', async () => {
		await page.goto(base + '/');
		await page.waitForSelector('.legend');
		await page.evaluate(() => {
			const b = document.createElement('button');
			b.id = 'nameless';
			document.querySelector('main').append(b);
			const q = document.createElement('p');
			q.textContent = 'chữ mờ';
			q.style.cssText = 'color:#eee;background:#fff';
			document.querySelector('main').append(q);
		});
		const err = await assertAccessible(page, 'a broken page').then(() => null, (e) => e.message);
		assert(err && err.includes('button-name') && err.includes('color-contrast'), 'not found: ' + err);
	});

	await step('homes, the dashboard and the main forms pass axe-core; the case form sent from the keyboard', async () => {
		const p = off.page;
		for (const user of ['phucxa', 'ytephucxa', 'badinh', 'hanoi', 'todan1', 'nguoidan']) {
			await signIn(p, base, user);
			await rendered(p);
			await assertAccessible(p, `${user}'s home`);
		}
		await signIn(p, base, 'phucxa');
		for (const form of ['case', 'checkin', 'decide']) {
			await p.goto(base + `/entry?form=${form}`);
			await p.waitForSelector(`#form-${form} button[type=submit]`);
			await assertAccessible(p, `the ${form} form`);
		}
		await p.goto(base + '/entry?form=case');
		await p.waitForSelector('#form-case');
		await fillForm(p, 'form-case', { full_name: 'Trần Văn Bàn Phím', birth_year: '1975', unit_code: '00001',
			detected_on: dmy(dayVN()) });
		await p.focus('#form-case [name=test_type]');
		const res = await submitByKeyboard(p, 'form-case', '/cases');
		assert(res.status === 201, 'by keyboard: ' + JSON.stringify(res));
		const back = await apiGet(p, '/cases/' + res.json.id);
		assert(JSON.stringify(back).includes('Trần Văn Bàn Phím'), 'read back: ' + JSON.stringify(back));
		await p.waitForSelector('#form-case .success');
		await p.goto(base + '/login');
		await p.waitForSelector('#form-login');
		await assertAccessible(p, 'the sign-in form');
		await p.goto(base + '/feedback');
		await p.waitForSelector('main form');
		await assertAccessible(p, 'the feedback form');
	});

	await step('no script errors', async () => {
		assertNoScriptErrors(pub.errors);
		assertNoScriptErrors(off.errors);
	});
});
