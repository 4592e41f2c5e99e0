// A directive's files and links, a unit's list of directives, and the
// sender's name in the inbox, on a phone (360 px):
//  - quangninh (the province) links its new plan 21-KH/TU as replacing
//    20-KH/TU through the form (nothing chosen, and the old one replacing
//    the newer, refused at the field), and the old one says "Đã được thay
//    thế bởi";
//  - it attaches the signed plan (a PDF named in Vietnamese); a text file
//    named .pdf is refused at the field by its content, a file over 5 MB
//    before it is sent; the size reads in Vietnamese, the download keeps the
//    name; it deletes one;
//  - its list of issued directives: searched by number, a date that is not
//    one and a range the wrong way refused at their fields, a second page;
//  - tphalong (Hạ Long) sees the directives it received with its progress,
//    and the reminder in its inbox names the province, not its code.
import { join } from 'node:path';
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, expectFieldError, fillForm, newPage, PHONE,
	rendered, run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1500, 0x20), Buffer.from('\n%%EOF\n')]);

async function fitsPhone(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

// A refusal made in the page, before anything is sent: the field marked,
// its message in Vietnamese, and the focus on it.
async function expectLocalError(page, formId, name, text) {
	const form = '#' + formId;
	await page.waitForSelector(`${form} .field.has-error`);
	const marked = await page.$$eval(`${form} .field.has-error`, (els) =>
		els.map((e) => e.querySelector('input, select, textarea')?.name));
	assert(marked.length === 1 && marked[0] === name, `${formId}: the error at ${name}, marked: ${marked}`);
	assert(await page.getAttribute(`${form} [name="${name}"]`, 'aria-invalid') === 'true', `${name} aria-invalid`);
	const msg = (await page.textContent(`${form} .field.has-error .field-error`)).trim();
	assert(msg.includes(text), `${name}: shown "${msg}", expected "${text}"`);
	await page.waitForFunction((n) => document.activeElement?.name === n, name);
}

// The page read in English too: clean text, the new words translated.
async function inEnglish(page, what, words) {
	await page.click('header button.lang');
	await page.waitForSelector('html[lang=en]');
	await rendered(page);
	await assertCleanText(page, what + ' (en)');
	const text = await page.textContent('main');
	for (const w of words)
		assert(text.includes(w), `${what} (en): "${w}" missing`);
	await page.click('header button.lang');
	await page.waitForSelector('html[lang=vi]');
}

async function issue(page, number, issuedOn, deadline, title) {
	const r = await api(page, 'POST', '/directives', { number, issued_on: issuedOn, issuer: '22', title,
		tasks: [{ title: 'Triển khai ' + number, deadline, assignees: { units: ['193'] } }] });
	assert(r.status === 201, `issue ${number}: ${r.status} ${JSON.stringify(r.json)}`);
	return r.json.id;
}

run('e2e.directive_docs', async ({ base, browser, step }) => {
	const prov = await newPage(browser, { viewport: PHONE });
	const pp = prov.page;
	let a, b;

	await step('quangninh links 21-KH/TU as replacing 20-KH/TU; bad choices refused at the field', async () => {
		await signIn(pp, base, 'quangninh');
		a = await issue(pp, '20-KH/TU', '2021-10-01', '2021-10-20', 'Kế hoạch phòng, chống dịch tháng 10');
		b = await issue(pp, '21-KH/TU', '2021-10-15', '2021-10-25', 'Kế hoạch thích ứng an toàn (thay thế)');
		await pp.goto(`${base}/directives/${b}`);
		await rendered(pp);
		await pp.waitForSelector('#form-link select[name=target] option:nth-child(2)', { state: 'attached' });
		let sent = false;
		const spy = (r) => { if (r.method() === 'POST' && r.url().includes('/links')) sent = true; };
		pp.on('request', spy);
		await pp.click('#form-link button[type=submit]');
		await expectLocalError(pp, 'form-link', 'target', 'Chọn văn bản');
		pp.off('request', spy);
		assert(!sent, 'nothing chosen: nothing sent');
		await fillForm(pp, 'form-link', { kind: 'replaces', target: a });
		const ok = await submitAndWait(pp, 'form-link', `/directives/${b}/links`);
		assert(ok.status === 201 && ok.json.replaces.id === a, 'linked: ' + JSON.stringify(ok));
		await pp.waitForSelector(`dd[data-link="${a}"]`);
		assert((await pp.textContent('.links')).includes('Thay thế văn bản'), 'the link listed');
		await fitsPhone(pp, 'the links');

		await pp.goto(`${base}/directives/${a}`);
		await rendered(pp);
		const banner = (await pp.textContent('#replaced-by')).trim();
		assert(banner.startsWith('Đã được thay thế bởi') && banner.includes('21-KH/TU') && banner.includes('15/10/2021'),
			'the banner: ' + banner);
		await pp.waitForSelector('#form-link select[name=target] option:nth-child(2)', { state: 'attached' });
		await fillForm(pp, 'form-link', { kind: 'replaces', target: b });
		const bad = await submitAndWait(pp, 'form-link', `/directives/${a}/links`);
		await expectFieldError(pp, 'form-link', 'target', bad);
		await assertCleanText(pp, 'the replaced directive');
		await pp.screenshot({ path: join(SHOTS, 'directive-replaced.png'), fullPage: true });
	});

	await step('it attaches the signed plan; a disguised file and one over 5 MB refused at the field', async () => {
		await pp.goto(`${base}/directives/${b}`);
		await rendered(pp);
		await pp.click('#form-attach button[type=submit]');
		await expectLocalError(pp, 'form-attach', 'file', 'Chọn một tệp');
		await pp.setInputFiles('#attach-file', { name: 'lon.pdf', mimeType: 'application/pdf',
			buffer: Buffer.concat([PDF, Buffer.alloc(5 << 20)]) });
		await pp.click('#form-attach button[type=submit]');
		await expectLocalError(pp, 'form-attach', 'file', 'lớn hơn giới hạn 5 MB');
		await pp.setInputFiles('#attach-file', { name: 'bao-cao.pdf', mimeType: 'application/pdf',
			buffer: Buffer.from('Đây là văn bản thường, không phải PDF.') });
		const bad = await submitAndWait(pp, 'form-attach', `/directives/${b}/attachments`);
		await expectFieldError(pp, 'form-attach', 'file', bad, 415);
		const name = 'Kế hoạch 21-KH/TU (bản ký).pdf'.replace('/', '-');
		await pp.setInputFiles('#attach-file', { name, mimeType: 'application/pdf', buffer: PDF });
		const ok = await submitAndWait(pp, 'form-attach', `/directives/${b}/attachments`);
		assert(ok.status === 201 && ok.json.size === PDF.length, 'attached: ' + JSON.stringify(ok));
		const item = `li[data-file="${ok.json.id}"]`;
		await pp.waitForSelector(item);
		const shown = (await pp.textContent(item)).replace(/\s+/g, ' ');
		assert(shown.includes(name) && shown.includes('1,5 KB'), 'name and size in Vietnamese: ' + shown);
		const got = await pp.evaluate(async (url) => {
			const r = await fetch(url);
			return { status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'),
				size: (await r.arrayBuffer()).byteLength };
		}, await pp.getAttribute(`${item} a`, 'href'));
		assert(got.status === 200 && got.type === 'application/pdf' && got.size === PDF.length, 'downloaded: ' + JSON.stringify(got));
		assert(got.disp.includes("filename*=UTF-8''" + encodeURIComponent(name).replace(/[()]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())),
			'the name in UTF-8: ' + got.disp);
		await pp.setInputFiles('#attach-file', { name: 'anh.png', mimeType: 'image/png',
			buffer: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]) });
		const png = await submitAndWait(pp, 'form-attach', `/directives/${b}/attachments`);
		assert(png.status === 201 && png.json.content_type === 'image/png', 'the image: ' + JSON.stringify(png));
		await pp.waitForSelector(`li[data-file="${png.json.id}"]`);
		pp.once('dialog', (d) => d.accept());
		await Promise.all([
			pp.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/attachments/${png.json.id}`)),
			pp.click(`li[data-file="${png.json.id}"] button`),
		]);
		await pp.waitForSelector(`li[data-file="${png.json.id}"]`, { state: 'detached' });
		await fitsPhone(pp, 'the attachments');
		await assertCleanText(pp, 'the directive with its file');
		await inEnglish(pp, 'the directive with its file', ['Related documents', 'Replaces', 'Attached files',
			'1.5 KB', 'Attach file']);
		await pp.screenshot({ path: join(SHOTS, 'directive-files.png'), fullPage: true });
	});

	await step('its list of issued directives: search, dates refused at their fields, a second page', async () => {
		for (let i = 0; i < 20; i++)
			await issue(pp, `CV-${i}/TU`, '2021-11-01', '2021-11-30', `Công văn số ${i}`);
		await pp.click('header nav a[href="/tasks"]');
		await pp.click('a[href="/directives?unit=22"]');
		await pp.waitForSelector('.dlist-item');
		assert((await pp.$$('.dlist-item')).length === 20, 'a first page of 20');
		await Promise.all([
			pp.waitForResponse((r) => r.url().includes('/directives?') && r.url().includes('cursor=')),
			pp.click('#dlist-more'),
		]);
		await pp.waitForSelector(`.dlist-item[data-directive="${a}"]`);
		assert((await pp.$$('.dlist-item')).length === 22, 'both pages');
		assert(!(await pp.$('#dlist-more')), 'no third page');
		const old = (await pp.textContent(`.dlist-item[data-directive="${a}"]`)).replace(/\s+/g, ' ');
		assert(old.includes('Đã được thay thế') && old.includes('01/10/2021') && old.includes('Hoàn thành 0/1'), 'the replaced one: ' + old);
		assert(!old.includes('quá hạn'), 'a replaced directive counts nothing overdue: ' + old);
		const newer = (await pp.textContent(`.dlist-item[data-directive="${b}"]`)).replace(/\s+/g, ' ');
		assert(newer.includes('quá hạn 1'), 'the new one overdue: ' + newer);

		await fillForm(pp, 'form-dlist', { from: '31/02/2021' });
		await pp.click('#form-dlist button[type=submit]');
		await expectLocalError(pp, 'form-dlist', 'from', '');
		await fillForm(pp, 'form-dlist', { from: '20/10/2021', to: '01/10/2021' });
		await pp.click('#form-dlist button[type=submit]');
		await expectLocalError(pp, 'form-dlist', 'to', 'Ngày kết thúc');
		await fillForm(pp, 'form-dlist', { q: '21-kh', from: '01/10/2021', to: '31/10/2021' });
		await Promise.all([
			pp.waitForResponse((r) => r.url().includes('/directives?') && r.url().includes('q=21-kh')),
			pp.click('#form-dlist button[type=submit]'),
		]);
		await pp.waitForFunction(() => document.querySelectorAll('.dlist-item').length === 1);
		assert(await pp.getAttribute('.dlist-item', 'data-directive') === String(b), 'found by number');
		await fitsPhone(pp, 'the list');
		await assertCleanText(pp, 'the list of directives');
		await inEnglish(pp, 'the list of directives', ['Directives', 'Issued', 'Received', 'Search by number or title']);
		await pp.screenshot({ path: join(SHOTS, 'directive-list.png'), fullPage: true });
	});

	await step('tphalong: the directives it received, and the reminder named by the province', async () => {
		const r = await api(pp, 'POST', `/directives/${b}/reminders`, { date: '2021-10-31' });
		assert(r.status === 201 && r.json.units.includes('193'), 'reminded: ' + JSON.stringify(r.json));
		const hl = await newPage(browser, { viewport: PHONE });
		const h = hl.page;
		await signIn(h, base, 'tphalong');
		await h.goto(`${base}/directives?unit=193&direction=received`);
		await h.waitForSelector('.dlist-item');
		await fillForm(h, 'form-dlist', { q: 'KH/TU' });
		await h.click('#form-dlist button[type=submit]');
		await h.waitForSelector(`.dlist-item[data-directive="${b}"]`);
		assert(await h.$(`.dlist-item[data-directive="${a}"]`), 'the replaced one received too');
		const list = await apiGet(h, '/units/193/directives?direction=received&q=21-KH');
		assert(list.items.length === 1 && list.items[0].progress.total === 1, 'its own rows: ' + JSON.stringify(list));
		await h.goto(`${base}/directives/${b}`);
		await rendered(h);
		assert(!(await h.$('#form-link')) && !(await h.$('#form-attach')), 'no link or attach form for a receiving unit');
		assert(await h.$('.attachments a[download]'), 'but the file to download');
		await h.click('header nav a[href="/tasks"]');
		await rendered(h);
		const notice = (await h.textContent('.notices')).trim();
		assert(notice.includes('Từ Tỉnh Quảng Ninh:') && !notice.includes('Từ 22'), 'the sender named: ' + notice);
		await assertCleanText(h, 'the inbox');
		assertNoScriptErrors(hl.errors);
	});
	assertNoScriptErrors(prov.errors);
});
