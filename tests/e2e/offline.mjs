// Writes without a connection: the health worker records check-ins and a
// case offline; they wait on the device (IndexedDB, per user) with the
// header's "Chưa gửi (N)", survive the page being closed, and are sent once
// online, exactly once, even when the answers are lost on the way.  A
// check-in of an isolation released meanwhile waits for the person's
// decision; an expired session keeps the queue until the next sign-in;
// signing out deletes it after a confirm.
import { join } from 'node:path';
import { api, apiGet, assert, assertAccessible, assertCleanText, dayVN, fillForm, newPage, PHONE, run, SHOTS, signIn, workerReady } from './harness.mjs';

const YESTERDAY = dayVN(-1);
const DB = 'thichung-offline';

// The writes the device keeps for `user` (all users: null), read in the page.
function stored(page, user) {
	return page.evaluate(([db, user]) => new Promise((resolve, reject) => {
		const rq = indexedDB.open(db);
		rq.onerror = () => reject(rq.error);
		rq.onsuccess = () => {
			const d = rq.result;
			if (!d.objectStoreNames.contains('writes'))
				return resolve({ writes: [], profiles: [] });
			const tx = d.transaction(['writes', 'profile'], 'readonly');
			const w = tx.objectStore('writes').getAll(), p = tx.objectStore('profile').getAll();
			tx.oncomplete = () => {
				d.close();
				resolve({ writes: w.result.filter((x) => !user || x.user === user),
					profiles: p.result.filter((x) => !user || x.username === user) });
			};
		};
	}), [DB, user]);
}

// Puts writes back into the device's queue (as if it never learnt they were sent).
function restore(page, items) {
	return page.evaluate(([db, items]) => new Promise((resolve, reject) => {
		const rq = indexedDB.open(db);
		rq.onsuccess = () => {
			const tx = rq.result.transaction('writes', 'readwrite');
			for (const i of items)
				tx.objectStore('writes').put(i);
			tx.oncomplete = () => { rq.result.close(); resolve(); };
			tx.onerror = () => reject(tx.error);
		};
	}), [DB, items]);
}

// Waits (polling, at most 20 s) until cond() holds; what() tells what was expected.
async function until(cond, what) {
	for (const end = Date.now() + 20000; !cond();) {
		assert(Date.now() < end, 'timed out: ' + what());
		await new Promise((r) => setTimeout(r, 50));
	}
}

const isWrite = (req) => req.method() === 'POST' && /\/api\/v1\/(cases|isolations\/\d+\/checkins)$/.test(new URL(req.url()).pathname);

run('e2e.offline', async ({ base, browser, step }) => {
	// A second window of the health worker, always online: the server's side.
	const office = await newPage(browser);
	const op = office.page;
	const isos = [], cases = [];

	await step('eight people of Phúc Xá isolated at home since yesterday (API)', async () => {
		await signIn(op, base, 'ytephucxa');
		for (let i = 1; i <= 8; i++) {
			const c = await api(op, 'POST', '/cases', { person: { full_name: `Người Cách Ly ${i}`, birth_year: 1970 + i,
				unit_code: '00001-001-0001' }, detected_on: YESTERDAY, source: 'community', test_type: 'antigen' });
			assert(c.status === 201, 'case: ' + JSON.stringify(c));
			cases.push(c.json.id);
			const iso = await api(op, 'POST', '/isolations', { person_id: c.json.person_id, case_id: c.json.id, kind: 'home',
				unit_code: '00001-001-0001', started_on: YESTERDAY });
			assert(iso.status === 201, 'isolation: ' + JSON.stringify(iso));
			isos.push(iso.json.id);
		}
	});

	const checkins = async (id) => (await apiGet(op, `/isolations/${id}/checkins`)).items.length;
	const casesNamed = async (name) => (await apiGet(op, '/cases?unit=00001&from=' + dayVN(0) + '&limit=1000'))
		.items.filter((c) => c.person && c.person.full_name === name).length;

	// The field phone runs the service worker: the page reloads offline.
	let health = await newPage(browser, { viewport: PHONE, serviceWorkers: 'allow' });
	let hp = health.page;
	const ctx = health.ctx;

	// A check-in on the follow-up card of isolation `id`, offline: kept.
	const checkinOffline = async (id, spo2) => {
		const card = `.iso-card[data-id="${id}"]`;
		if (await hp.$(`${card} form`) === null) {
			if (await hp.$(`${card} .checkin-done`))
				await hp.click(`${card} button.checkin-open`);
			await hp.click(`${card} button.checkin-open`);
		}
		await fillForm(hp, `checkin-${id}`, { spo2: String(spo2) });
		await hp.click(`#checkin-${id} button[type=submit]`);
		const msg = await hp.waitForSelector(`${card} .checkin-done .queued`);
		assert(/Đã lưu trên máy, sẽ gửi khi có mạng/.test(await msg.textContent()), 'the saved-here message');
	};
	// /followup opened online, then a check-in recorded on `id` offline (the page left offline).
	const queueOne = async (id, spo2) => {
		await hp.goto(base + '/followup');
		await hp.waitForSelector(`.iso-card[data-id="${id}"]`);
		await ctx.setOffline(true);
		await checkinOffline(id, spo2);
	};
	const headerCount = async (n) => {
		await hp.waitForFunction((n) => (document.querySelector('header .outbox-link')?.textContent || '') === `Chưa gửi (${n})`, n);
	};
	const toFollowup = async () => {
		await hp.click('header nav a[href="/followup"]');
		await hp.waitForSelector(`.iso-card[data-id="${isos[0]}"]`);
	};

	await step('offline: five check-ins and a new case saved on the device, the header counts six', async () => {
		await signIn(hp, base, 'ytephucxa');
		await workerReady(hp);
		await toFollowup();
		await ctx.setOffline(true);
		for (let i = 0; i < 5; i++)
			await checkinOffline(isos[i], 95 + (i % 3));
		await headerCount(5);
		await hp.click('header nav a[href="/entry"]');
		await hp.waitForSelector('#form-case');
		await fillForm(hp, 'form-case', { full_name: 'Ca Ngoại Tuyến', birth_year: '1991', unit_code: '00001-001-0001' });
		await hp.click('#form-case button[type=submit]');
		await hp.waitForSelector('#form-case .queued');
		assert(await hp.inputValue('#form-case [name=full_name]') === '', 'the case form was not emptied for the next entry');
		await headerCount(6);
		const { writes } = await stored(hp, 'ytephucxa');
		assert(writes.length === 6 && writes.every((w) => w.state === 'pending'), 'kept: ' + JSON.stringify(writes));
		const bodies = writes.filter((w) => w.kind === 'checkin').map((w) => w.body.measured_at);
		assert(bodies.length === 5 && bodies.every((m) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/.test(m)),
			'measured_at: ' + bodies);
		for (const id of isos.slice(0, 5))
			assert(await checkins(id) === 0, 'a check-in reached the server while offline');
	});

	await step('the page reloaded while offline: the app opens from the worker, signed in, the six still there', async () => {
		await hp.reload();
		await headerCount(6);
		await hp.click('header .outbox-link');
		await hp.waitForSelector('.outbox-item');
		assert((await hp.$$('.outbox-item')).length === 6, 'the page lists six after the reload');
		for (const id of isos.slice(0, 5))
			assert(await checkins(id) === 0, 'a check-in reached the server while offline');
		// The next steps lose answers on purpose (page.route), which does not see
		// the requests of a page a worker controls: the worker goes now.
		await hp.evaluate(async () => {
			for (const reg of await navigator.serviceWorker.getRegistrations())
				await reg.unregister();
		});
	});

	let snapshot;
	await step('the page closed; a new one opened online holds the six (sending fails), the server has none', async () => {
		snapshot = (await stored(hp, 'ytephucxa')).writes;
		// Writes fail from here on, for every page of the phone (the closed
		// one may still say "online" to its outbox as it goes).
		let blocked = 0;
		await ctx.route('**/api/v1/**', (route) => (isWrite(route.request()) ? (blocked++, route.abort()) : route.continue()));
		// The old page leaves the application before it closes: a page being
		// closed is no longer watched by the route, and if it still ran when
		// the phone came back online its outbox would send past it.
		await hp.goto('about:blank');
		await hp.close();
		await ctx.setOffline(false);
		// The worker unregistered above goes only once the last page it
		// controls has closed; a page of the application opened before that
		// would still be its own, and its writes too would pass beside the
		// route.  So the new page first waits on a page the worker never serves.
		hp = await ctx.newPage();
		await hp.goto(base + '/api/v1/me');
		await hp.waitForFunction(async () => (await navigator.serviceWorker.getRegistrations()).length === 0,
			null, { timeout: 20000 });
		await hp.goto(base + '/outbox');
		assert(!await hp.evaluate(() => navigator.serviceWorker.controller), 'the new page is still under the worker');
		await hp.waitForSelector('.outbox-item');
		await headerCount(6);
		await hp.waitForFunction(() => !document.querySelector('#outbox-send[disabled]'));
		assert(blocked >= 1, 'the new page did not try to send');
		assert((await hp.$$('.outbox-item')).length === 6, 'the page lists six');
		assert(/Chờ gửi/.test(await hp.textContent('.outbox-item')), 'the state in words');
		for (const id of isos.slice(0, 5))
			assert(await checkins(id) === 0, 'a check-in reached the server');
		assert(await casesNamed('Ca Ngoại Tuyến') === 0, 'the case reached the server');
	});

	await step('"Gửi ngay": the six sent in order, one each on the server, "Đã gửi 6 mục"', async () => {
		await ctx.unroute('**/api/v1/**');
		const order = [];
		hp.on('request', (r) => { if (isWrite(r)) order.push(r.headers()['idempotency-key']); });
		await hp.click('#outbox-send');
		await hp.waitForSelector('.outbox .nodata');
		await hp.waitForFunction(() => /Đã gửi 6 mục/.test(document.querySelector('.outbox-status')?.textContent || ''));
		assert(!await hp.$('header .outbox-link'), 'the header still counts');
		const want = snapshot.slice().sort((a, b) => a.created - b.created).map((w) => w.key);
		assert(JSON.stringify([...new Set(order)]) === JSON.stringify(want), `sent out of order: ${order} / ${want}`);
		for (const id of isos.slice(0, 5))
			assert(await checkins(id) === 1, `isolation ${id}: ${await checkins(id)} check-ins`);
		// Each check-in is at the moment it was measured (Save pressed), not when it was sent.
		for (const w of snapshot.filter((x) => x.kind === 'checkin')) {
			const [got] = (await apiGet(op, w.path)).items;
			assert(Date.parse(got.at) === Date.parse(w.body.measured_at), `at ${got.at}, measured ${w.body.measured_at}`);
		}
		assert(await casesNamed('Ca Ngoại Tuyến') === 1, 'the case is not on the server once');
		assert((await stored(hp, 'ytephucxa')).writes.length === 0, 'the device still keeps them');
	});

	await step('the same six sent again, each first answer lost: answered again, none doubled', async () => {
		await restore(hp, snapshot);
		const seen = new Map();
		let dropped = 0, replayed = 0;
		await hp.route('**/api/v1/**', async (route) => {
			const req = route.request();
			if (!isWrite(req))
				return route.continue();
			const key = req.headers()['idempotency-key'];
			seen.set(key, (seen.get(key) || 0) + 1);
			const res = await route.fetch();
			if (res.headers()['idempotent-replayed'] === 'true')
				replayed++;
			if (seen.get(key) === 1) {
				dropped++;
				return route.abort();
			}
			return route.fulfill({ response: res });
		});
		await hp.reload();
		// Each sent twice (api.js sends once more after a lost answer), both answered again.
		await until(() => dropped === 6 && replayed === 12, () => `dropped ${dropped}, answered again ${replayed}`);
		await hp.waitForSelector('.outbox .nodata');
		for (const id of isos.slice(0, 5))
			assert(await checkins(id) === 1, `isolation ${id}: ${await checkins(id)} check-ins`);
		assert(await casesNamed('Ca Ngoại Tuyến') === 1, 'the case doubled');
		await hp.unroute('**/api/v1/**');
	});

	await step('conflict: two check-ins of isolations released meanwhile; one recorded anyway, one discarded', async () => {
		const [a, b] = [isos[5], isos[6]];
		await hp.goto(base + '/followup');
		await hp.waitForSelector(`.iso-card[data-id="${b}"]`);
		await ctx.setOffline(true);
		await checkinOffline(a, 97);
		await checkinOffline(b, 98);
		for (const id of [a, b]) {
			const r = await api(op, 'POST', `/isolations/${id}/release`, { released_on: dayVN(0) });
			assert(r.status === 200, 'release: ' + JSON.stringify(r));
		}
		await ctx.setOffline(false);
		await hp.click('header a.outbox-link');
		await hp.waitForFunction(() => document.querySelectorAll('.outbox-item.state-conflict').length === 2);
		const text = await hp.textContent('.outbox-item.state-conflict');
		assert(text.includes(`Đợt cách ly của Người Cách Ly 6 đã kết thúc ngày ${dayVN(0).split('-').reverse().join('/')}`),
			'the conflict in plain words: ' + text);
		assert(await checkins(a) === 0 && await checkins(b) === 0, 'a check-in recorded without the decision');
		// The page on a phone: no sideways scrolling, readable, no internal names.
		const w = await hp.evaluate(() => document.documentElement.scrollWidth);
		assert(w <= PHONE.width + 1, `/outbox is ${w} px wide`);
		await assertAccessible(hp, '/outbox with two conflicts', 'main');
		await assertCleanText(hp, '/outbox');
		await hp.screenshot({ path: join(SHOTS, 'offline-conflict.png'), fullPage: true });
		const itemOf = async (id) => {
			const all = await hp.$$('.outbox-item');
			for (const el of all)
				if ((await el.textContent()).includes(`Người Cách Ly ${isos.indexOf(id) + 1}`))
					return el;
			return null;
		};
		await (await (await itemOf(a)).$('.outbox-anyway')).click();
		await hp.waitForFunction(() => document.querySelectorAll('.outbox-item').length === 1);
		assert(await checkins(a) === 1, 'recorded anyway: ' + await checkins(a));
		let asked = '';
		hp.once('dialog', (d) => { asked = d.message(); d.accept(); });
		await (await (await itemOf(b)).$('.outbox-discard')).click();
		await hp.waitForSelector('.outbox .nodata');
		assert(/Bỏ mục/.test(asked), 'no confirm before discarding: ' + asked);
		assert(await checkins(b) === 0, 'a discarded check-in reached the server');
		assert((await stored(hp, 'ytephucxa')).writes.length === 0, 'the device keeps a decided write');
	});

	await step('the session expired while a check-in waits: kept, "sign in again", then sent', async () => {
		const id = isos[1];
		await queueOne(id, 94);
		await ctx.clearCookies({ name: 'thc_session' });
		await ctx.setOffline(false);
		await hp.click('header a.outbox-link');
		await hp.waitForSelector('.outbox-item.state-needs_login');
		await hp.waitForSelector('#outbox-login a[href="/login"]');
		assert(await checkins(id) === 1, 'sent without a session');
		assert((await stored(hp, 'ytephucxa')).writes.length === 1, 'the queue was lost with the session');
		await signIn(hp, base, 'ytephucxa');
		await hp.waitForFunction(() => !document.querySelector('header .outbox-link'));
		assert(await checkins(id) === 2, 'not sent after signing in again: ' + await checkins(id));
		assert((await stored(hp, 'ytephucxa')).writes.length === 0, 'still kept after sending');
	});

	await step('another user on the same phone neither sees nor sends the queue', async () => {
		const id = isos[2];
		await queueOne(id, 96);
		// Not sent by its own user before the other signs in: it stays.
		await hp.route('**/api/v1/isolations/*/checkins', (route) => route.abort());
		await ctx.setOffline(false);
		await signIn(hp, base, 'todan1');
		await hp.goto(base + '/outbox');
		await hp.waitForSelector('.outbox .nodata');
		assert(!await hp.$('header .outbox-link'), 'the other user sees a count');
		await hp.unroute('**/api/v1/isolations/*/checkins');
		await hp.goto(base + '/home');
		await hp.waitForSelector('footer:has-text("todan1")');
		assert(await checkins(id) === 1, 'the other user sent it');
		assert((await stored(hp, 'ytephucxa')).writes.length === 1, 'the first user\'s queue is gone');
		await signIn(hp, base, 'ytephucxa');
		await hp.waitForFunction(() => !document.querySelector('header .outbox-link'));
		assert(await checkins(id) === 2, 'not sent back under its own user');
	});

	await step('the entry forms offline: a check-in, a contact F1 and a test kept, then each sent once', async () => {
		await hp.goto(base + '/entry?form=checkin');
		await hp.waitForSelector(`#form-checkin [name=isolation] option[value="${isos[4]}"]`, { state: 'attached' });
		await ctx.setOffline(true);
		await fillForm(hp, 'form-checkin', { isolation: isos[4], spo2: '93' });
		await hp.click('#form-checkin button[type=submit]');
		await hp.waitForSelector('#form-checkin .queued');
		await hp.click('.tabs a[href$="form=contact"]');
		await fillForm(hp, 'form-contact', { case_id: cases[4], full_name: 'Người Tiếp Xúc Ngoại Tuyến', unit_code: '00001-001-0001' });
		await hp.click('#form-contact button[type=submit]');
		await hp.waitForSelector('#form-contact .queued');
		await hp.click('.tabs a[href$="form=test"]');
		await fillForm(hp, 'form-test', { full_name: 'Người Xét Nghiệm Ngoại Tuyến', unit_code: '00001-001-0001' });
		await hp.click('#form-test button[type=submit]');
		await hp.waitForSelector('#form-test .queued');
		await headerCount(3);
		const kinds = (await stored(hp, 'ytephucxa')).writes.map((w) => w.kind).sort().join();
		assert(kinds === 'checkin,contact,test', 'kept: ' + kinds);
		const tests = [];
		hp.on('response', (r) => { if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/tests') tests.push(r.status()); });
		await ctx.setOffline(false);
		await hp.waitForFunction(() => !document.querySelector('header .outbox-link'));
		assert(await checkins(isos[4]) === 2, 'the check-in of the entry form');
		const contacts = (await apiGet(op, `/cases/${cases[4]}/contacts`)).items
			.filter((c) => c.person && c.person.full_name === 'Người Tiếp Xúc Ngoại Tuyến');
		assert(contacts.length === 1, 'the contact: ' + contacts.length);
		assert(JSON.stringify(tests) === '[201]', 'the test result: ' + tests);
	});

	await step('sign-out with a write not sent: the confirm says how many; then nothing of the user is left', async () => {
		const id = isos[3];
		await queueOne(id, 99);
		await headerCount(1);
		let asked = '';
		hp.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
		await hp.click('header button.linkish');
		assert(/Còn 1 mục chưa gửi/.test(asked), 'the confirm: ' + asked);
		await headerCount(1);
		hp.once('dialog', (d) => d.accept());
		await hp.click('header button.linkish');
		await hp.waitForSelector('header a[href="/login"]');
		const left = await stored(hp, 'ytephucxa');
		assert(left.writes.length === 0 && left.profiles.length === 0, 'left on the device: ' + JSON.stringify(left));
		await ctx.setOffline(false);
		assert(await checkins(id) === 1, 'a write of a signed-out user was sent');
		const anyone = (await stored(hp, null)).writes.length;
		assert(anyone === 0, 'writes left of anyone: ' + anyone);
	});

	const commune = await newPage(browser, { viewport: PHONE });
	const cp = commune.page;
	await step('/me: the report on a supervision assignment made offline, sent once online', async () => {
		await signIn(cp, base, 'phucxa');
		await cp.click('header nav a[href="/me"]');
		await cp.click('.asg-list details summary');
		const form = await cp.waitForSelector('form.asg-report');
		const id = await form.getAttribute('id');
		await commune.ctx.setOffline(true);
		await fillForm(cp, id, { status: 'attention', note: 'Hộ có người sốt, đã nhắc đo SpO2' });
		await cp.click(`#${id} button[type=submit]`);
		await cp.waitForSelector(`#${id} .queued`);
		assert(await cp.inputValue(`#${id} [name=note]`) === '', 'the note was not emptied');
		await cp.waitForSelector('header .outbox-link:has-text("Chưa gửi (1)")');
		await commune.ctx.setOffline(false);
		await cp.waitForFunction(() => !document.querySelector('header .outbox-link'));
		const asg = (await apiGet(cp, '/me/assignments')).items;
		assert(asg.length === 1 && asg[0].status === 'attention' && asg[0].status_note === 'Hộ có người sốt, đã nhắc đo SpO2',
			'the report: ' + JSON.stringify(asg));
	});

	await step('a start without the server: the user\'s own profile kept stands in; a 401 is signed out', async () => {
		await cp.route('**/api/v1/me', (route) => route.abort());
		await cp.goto(base + '/home');
		await cp.waitForSelector('footer:has-text("phucxa")');
		assert(await cp.$('header button.linkish'), 'shown signed out');
		const kept = (await stored(cp, null)).profiles;
		assert(kept.length === 1 && kept[0].username === 'phucxa', 'profiles kept: ' + JSON.stringify(kept.map((p) => p.username)));
		await cp.unroute('**/api/v1/me');
		await commune.ctx.clearCookies({ name: 'thc_session' });
		await cp.goto(base + '/home');
		await cp.waitForSelector('header a[href="/login"]');
		assert(!await cp.$('footer:has-text("phucxa")'), 'signed in after a 401');
	});
	await commune.ctx.close();
	await office.ctx.close();
});
