// The province officer's day on a 360 px phone: `hanoi` signs in
// and lands on its home, whose map colours Hà Nội's districts by cases per
// 100,000 this week; it finds the district with the most (named above the
// map, and first in the table sorted by that figure), taps that district on
// the map and reaches its communes with their counts; the rolled-up overdue
// isolations and the dates of each unit's level are shown.  Cases and an
// overdue isolation are entered first through the API: two community cases
// in Phúc Tân (Hoàn Kiếm, 002), one in Phúc Xá (Ba Đình, 001), so Hoàn
// Kiếm has the most per 100,000.  Every page is checked for what a person
// must not read in both languages; screenshots go to SHOTS.  Last, the
// level decision form: its unit found by name (with or without accents)
// among Hà Nội's units only, and wrong input refused at the field.
import { join } from 'node:path';
import {
	api, apiGet, assert, assertCleanText, assertNoScriptErrors, dayVN, dmy, expectFieldError, fillForm, newPage, openForm,
	PHONE, rendered, run, SHOTS, signIn, submitAndWait,
} from './harness.mjs';

const TODAY = dayVN(0);
const DOW = new Date(TODAY + 'T00:00:00Z').getUTCDay();
const LAST_SUNDAY = dayVN(-(DOW === 0 ? 7 : DOW));       // the last week that is over
const ORANGE = '#f28c00';                                   // level 3 (constants.js)

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

async function fitsPhone(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(w <= page.viewportSize().width + 1, `${what} is wider than the screen: ${w} px`);
}

// A point inside the unit's shape on the map, on top of everything else
// there: where a finger would tap it.
async function tapUnit(page, code) {
	await page.$eval('.areamap', (el) => el.scrollIntoView({ block: 'center' }));
	const pt = await page.$eval(`.areamap path.unit-${code}`, (el) => {
		const r = el.getBoundingClientRect();
		for (let i = 1; i < 24; i++)
			for (let j = 1; j < 24; j++) {
				const x = r.left + (r.width * i) / 24, y = r.top + (r.height * j) / 24;
				if (document.elementFromPoint(x, y) === el)
					return { x, y };
			}
		return null;
	});
	assert(pt, `no visible point of ${code} on the map`);
	await page.mouse.click(pt.x, pt.y);
}

run('e2e.province_day', async ({ base, browser, step }) => {
	const { page, errors } = await newPage(browser, { viewport: PHONE });
	let top;

	await step('cases this week in Hoàn Kiếm and Ba Đình, one isolation overdue', async () => {
		await signIn(page, base, 'hanoi');
		const made = [];
		for (const [unit, n] of [['00037', 1], ['00037', 2], ['00001', 3]]) {
			const r = await api(page, 'POST', '/cases', { person: { full_name: `Người tỉnh ${n}`, birth_year: 1980,
				unit_code: unit }, detected_on: TODAY, source: 'community', test_type: 'rt-pcr' });
			assert(r.status === 201, 'case: ' + JSON.stringify(r));
			made.push(r.json);
		}
		const i = await api(page, 'POST', '/isolations', { person_id: made[0].person_id, kind: 'home',
			unit_code: '00037', started_on: dayVN(-2) });
		assert(i.status === 201, 'isolation: ' + JSON.stringify(i));
		// Hoàn Kiếm raised to level 3 for the last week: in force since Monday.
		const d = await api(page, 'POST', '/units/002/levels', { week_end: LAST_SUNDAY, level: 3,
			reason: 'Ca cộng đồng tăng' });
		assert(d.status === 200 || d.status === 201, 'decision: ' + JSON.stringify(d));
		// What the map must show: the district with the most cases per 100,000.
		const fig = await apiGet(page, '/units/01/children/weekly');
		top = fig.items.slice().sort((a, b) => b.cases_per_100k - a.cases_per_100k)[0];
		assert(top.code === '002' && top.cases === 2, 'Hoàn Kiếm first: ' + JSON.stringify(top));
	});

	await step('the home: districts on the map by cases per 100,000, the highest named', async () => {
		const t0 = Date.now();
		await page.goto(base + '/home');
		await page.waitForSelector('.areamap path.unit-002');
		await rendered(page);
		console.log(`     hanoi: home with its map usable after ${Date.now() - t0} ms`);
		const paths = await page.$$eval('.areamap path.leaflet-interactive', (ps) => ps.length);
		assert(paths >= 30, `Hà Nội's districts drawn: ${paths}`);
		const said = await page.textContent('#area-top');
		assert(said.includes(top.name) && said.includes('ca/100.000 dân'), 'the highest named: ' + said);
		const rate = top.cases_per_100k.toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
		assert(said.includes(rate), `its figure ${rate} with a decimal comma: ${said}`);
		// The darkest shape is that district's; the others are lighter.
		const fills = await page.$$eval('.areamap path.leaflet-interactive', (ps) =>
			Object.fromEntries(ps.map((p) => [[...p.classList].find((c) => c.startsWith('unit-')), p.getAttribute('fill')])));
		assert(fills['unit-002'] !== fills['unit-003'], 'Hoàn Kiếm stands out: ' + JSON.stringify(fills));
		// The table, sorted by cases per 100,000: the same district first.
		const first = await page.$eval('#area tbody tr th', (th) => th.textContent.trim());
		assert(first === top.name, 'first in the table: ' + first);
		const overdue = await page.textContent('#area-overdue');
		assert(/: 1$/.test(overdue.trim()), 'one overdue isolation rolled up: ' + overdue);
		await fitsPhone(page, 'the province home');
		await page.screenshot({ path: join(SHOTS, 'day-province-map.png'), fullPage: true });
		await cleanInBoth(page, 'hanoi home');
	});

	await step('by level: the same map coloured by the levels in force, the district that rose listed', async () => {
		const rose = await page.textContent('#area-rose');
		assert(rose.includes('Hoàn Kiếm') && rose.includes('Cấp 3'), 'Hoàn Kiếm rose to level 3: ' + rose);
		await page.check('input[name=area-by][value=level]');
		await page.waitForSelector('.areamap[aria-label*="cấp độ dịch"]');
		// The shapes are repainted after the label changes: wait for it (bounded).
		await page.waitForFunction((c) => (document.querySelector('.areamap path.unit-002')
			?.getAttribute('fill') || '').toLowerCase() === c, ORANGE, { timeout: 10000 }).catch(() => {});
		const fill = await page.getAttribute('.areamap path.unit-002', 'fill');
		assert(fill.toLowerCase() === ORANGE, `Hoàn Kiếm's fill ${fill} is level 3's`);
		const decided = await page.$eval('#area tbody tr:first-child', (tr) => tr.lastElementChild.textContent.trim());
		const monday = dmy(dayVN(-(DOW === 0 ? 7 : DOW) + 1));
		assert(decided === monday, `Hoàn Kiếm's level decided, in force since ${monday}: ${decided}`);
		await page.check('input[name=area-by][value=rate]');
		await page.waitForSelector('.areamap[aria-label*="ca/100.000"]');
	});

	await step('a tap on that district on the map opens its communes', async () => {
		await tapUnit(page, top.code);
		await page.waitForURL((u) => u.pathname === '/dashboard' && u.searchParams.get('unit') === top.code);
		await page.waitForSelector('#area tbody tr');
		await rendered(page);
		const communes = await apiGet(page, `/units/${top.code}/children/weekly`);
		const rows = await page.$$eval('#area tbody tr', (trs) => trs.map((tr) =>
			[...tr.children].map((c) => c.textContent.trim())));
		assert(rows.length === communes.items.length && rows.length > 5, `every commune: ${rows.length}`);
		assert(rows[0][0] === 'Phường Phúc Tân' && rows[0][2] === '2', 'Phúc Tân first, 2 cases: ' + rows[0]);
		const h = await page.textContent('main h1');
		assert(h.includes('Hoàn Kiếm'), 'the district page: ' + h);
		await fitsPhone(page, 'the district page');
		// The communes' table is a card per commune on a phone, not a table to scroll sideways.
		const [inner, outer] = await page.$eval('#area .table-wrap', (e) => [e.scrollWidth, e.clientWidth]);
		assert(inner <= outer + 1, `the communes' table scrolls sideways: ${inner} px in ${outer}`);
		await page.screenshot({ path: join(SHOTS, 'day-province-district.png'), fullPage: true });
		await cleanInBoth(page, 'hanoi district 002');
	});

	await step('and a commune of it on the public map: its level, since when, its cases', async () => {
		await page.click('#area tbody tr th a');
		await page.waitForURL((u) => u.searchParams.get('unit') === '00037');
		await page.goto(base + '/?unit=00037');
		await page.waitForSelector('#unit-level');
		await rendered(page);
		const h = await page.textContent('main h1');
		assert(h.includes('Phúc Tân'), 'the commune page: ' + h);
		await page.screenshot({ path: join(SHOTS, 'day-province-commune.png'), fullPage: true });
		await cleanInBoth(page, 'public commune page 00037');
	});

	await step('the level decision form: its unit chosen by name within Hà Nội, wrong input refused', async () => {
		await page.goto(base + '/home');
		await openForm(page, 'decide');
		const unit = '#form-decide [name=unit]';
		// A name without accents: the units of that name in Hà Nội only.
		await page.fill(unit, 'phuc');
		await page.waitForSelector('#form-decide .pick-results button.pick');
		const codes = await page.$$eval('#form-decide button.pick', (bs) => bs.map((b) => b.dataset.code));
		const all = await apiGet(page, '/units?q=phuc&limit=1000');
		const inHanoi = await apiGet(page, '/units?q=phuc&within=01&limit=1000');
		assert(all.total > inHanoi.total, 'phuc is also outside Hà Nội');
		const mine = new Set(inHanoi.items.filter((u) => ['province', 'district', 'commune'].includes(u.level)).map((u) => u.code));
		assert(codes.length > 0 && codes.every((c) => mine.has(c)), 'only units of Hà Nội offered: ' + codes);
		// A name with accents, then chosen with a tap.
		await page.fill(unit, 'Hoàn Kiếm');
		await page.waitForSelector('#form-decide button.pick[data-code="002"]');
		await page.click('#form-decide button.pick[data-code="002"]');
		assert(await page.inputValue(unit) === '002', 'the code is in the field');
		await page.waitForSelector('#form-decide .picked');
		const picked = await page.textContent('#form-decide .picked');
		assert(picked.includes('Quận Hoàn Kiếm') && picked.includes('Thành phố Hà Nội'), 'named: ' + picked);
		await fitsPhone(page, 'the decision form with its picker');
		await page.screenshot({ path: join(SHOTS, 'day-province-picker.png'), fullPage: true });
		// A name that is no unit: said so, and the submit refused at the field.
		await page.fill(unit, 'khong co dau ca');
		await page.waitForSelector('#form-decide .pick-results .sr-status:has-text("Không tìm thấy")');
		await fillForm(page, 'form-decide', { week_end: dmy(LAST_SUNDAY), level: '3', reason: 'Thử' });
		const res = await submitAndWait(page, 'form-decide', '/units/khong%20co%20dau%20ca/levels');
		await expectFieldError(page, 'form-decide', 'unit', res, 404);
		// A unit of another province, typed as a code: refused at the field, not decided.
		await page.fill(unit, '79');
		await page.waitForSelector('#form-decide .picked:has-text("Hồ Chí Minh")');
		const res79 = await submitAndWait(page, 'form-decide', '/units/79/levels');
		await expectFieldError(page, 'form-decide', 'unit', res79, 404);
		const h = await apiGet(page, '/units/79/levels?limit=5');
		assert(!h.items.some((e) => e.kind === 'decision' && e.reason === 'Thử'), 'nothing decided for 79');
		await cleanInBoth(page, 'hanoi decide form with picker');
	});

	await step('no script errors', async () => assertNoScriptErrors(errors));
});
