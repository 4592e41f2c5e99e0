// The "Tải Excel" button under the units of an area, on a 360 px phone:
// `hanoi` (province officer) taps it on its home and gets this week's
// situation of Hà Nội as an .xlsx file (a zip whose workbook names the
// sheet "Tình hình tuần").  The download is checked through the
// browser's own download, not refetched.
import { readFileSync } from 'node:fs';
import { assert, assertNoScriptErrors, newPage, PHONE, rendered, run, signIn } from './harness.mjs';

async function download(page, what) {
	await page.waitForSelector('#area-xlsx');
	const text = (await page.textContent('#area-xlsx')).trim();
	assert(text === 'Tải Excel', `${what}: the button says '${text}'`);
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#area-xlsx')]);
	const failure = await dl.failure();
	assert(failure === null, `${what}: download failed: ${failure}`);
	const bytes = readFileSync(await dl.path());
	assert(bytes.length > 1000 && bytes.subarray(0, 2).toString() === 'PK',
		`${what}: not an xlsx (zip) file, ${bytes.length} bytes`);
	return { name: dl.suggestedFilename(), bytes };
}

run('e2e.xlsx_download', async ({ base, browser, step }) => {
	await step('a province officer downloads the week\'s situation', async () => {
		const { page, errors } = await newPage(browser, { viewport: PHONE, context: { acceptDownloads: true } });
		await signIn(page, base, 'hanoi');
		await rendered(page);
		const href = await page.getAttribute('#area-xlsx', 'href');
		assert(/^\/api\/v1\/reports\/situation\.xlsx\?unit=01&week_end=\d{4}-\d{2}-\d{2}$/.test(href), href);
		const { name, bytes } = await download(page, 'hanoi');
		assert(/^tinh-hinh-01-\d{4}-\d{2}-\d{2}\.xlsx$/.test(name), `file name ${name}`);
		assert(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'no worksheet in the file');
		assertNoScriptErrors(errors);
		await page.context().close();
	});
});
