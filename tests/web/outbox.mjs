// The outbox's state machine (web/src/outbox.js, makeOutbox) under node: a
// store in memory, a scripted server, a clock of our own.  Writes kept
// without a connection, sent in the order made under their own key, kept
// on 5xx (with a back-off) and 401 (until a sign-in), a conflict decided by
// the person, a refusal kept until discarded, one user's queue never
// another's.
import { importBundled } from './lib/bundle.mjs';

let failed = 0, passed = 0;
function check(cond, what) {
	if (cond)
		passed++;
	else {
		failed++;
		console.error('FAIL ' + what);
	}
}

// A store in memory, as idbStore() behaves (copies in, copies out).
function memStore() {
	const rows = new Map();
	return {
		rows,
		list: async (user) => [...rows.values()].filter((r) => r.user === user).map((r) => structuredClone(r)),
		put: async (item) => { rows.set(item.key, structuredClone(item)); },
		del: async (key) => { rows.delete(key); },
		clear: async (user) => { for (const [k, r] of rows) if (r.user === user) rows.delete(k); },
	};
}

// A server that answers from a script: answers[path] is a list used in turn
// (the last one repeated); every request is logged.
function server() {
	const log = [], answers = {};
	const ok = { ok: true, status: 201, data: { id: 1 }, error: null, retryAfter: null };
	return {
		log, answers,
		send: async (item) => {
			log.push({ key: item.key, path: item.path, body: structuredClone(item.body) });
			const a = answers[item.path];
			if (!a || !a.length)
				return ok;
			return a.length > 1 ? a.shift() : a[0];
		},
	};
}
const fail = (status, extra = {}) => ({ ok: false, status, data: null, error: { code: 'x', message: 'm', ...extra.error },
	retryAfter: extra.retryAfter ?? null });

{
	const { makeOutbox, measuredAt, verdict, PENDING, CONFLICT, REFUSED, NEEDS_LOGIN } = await importBundled('outbox.js', 'node');

	check(measuredAt(Date.UTC(2021, 9, 15, 1, 30)) === '2021-10-15T08:30:00+07:00', 'measured_at in Việt Nam time');
	check(verdict({ ok: true, status: 201 }) === 'sent', 'verdict 201');
	check(verdict(fail(0)) === 'retry' && verdict(fail(503)) === 'retry', 'verdict: no connection, 5xx');
	check(verdict(fail(409, { retryAfter: 1 })) === 'retry', 'verdict: 409 still completing');
	check(verdict(fail(409)) === CONFLICT && verdict(fail(401)) === NEEDS_LOGIN && verdict(fail(422)) === REFUSED,
		'verdict: 409, 401, 422');
	check(verdict(fail(403, { error: { code: 'csrf' } })) === NEEDS_LOGIN && verdict(fail(403)) === REFUSED,
		'verdict: a token not the session\'s waits for a sign-in, another 403 is refused');

	let clock = 1000, online = true, n = 0;
	const store = memStore(), srv = server();
	const ob = makeOutbox({ store, send: srv.send, online: () => online, now: () => clock++, makeKey: () => 'key-' + ++n });

	// Signed in: sent at once, nothing kept.
	await ob.setUser('a');
	let r = await ob.submit('POST', '/cases', { x: 1 }, { kind: 'case', label: 'L' });
	check(r.ok && store.rows.size === 0 && srv.log.length === 1, 'online: sent, not kept');

	// The network fails: kept, with the key it was sent with.
	srv.answers['/isolations/1/checkins'] = [fail(0)];
	r = await ob.submit('POST', '/isolations/1/checkins', { spo2: 97 }, { kind: 'checkin', label: 'c1', who: 'A' });
	check(r.queued && store.rows.size === 1 && store.rows.get(r.item.key).key === srv.log[1].key,
		'a network failure: kept under the key it was sent with');
	// The browser says offline: kept without trying.
	online = false;
	const before = srv.log.length;
	await ob.submit('POST', '/isolations/2/checkins', { spo2: 96 }, { kind: 'checkin', label: 'c2', who: 'B' });
	await ob.submit('POST', '/cases', { y: 2 }, { kind: 'case', label: 'case' });
	check(srv.log.length === before && ob.count() === 3, 'offline: kept, not sent');
	check(ob.snapshot().items.map((i) => i.label).join() === 'c1,c2,case', 'in the order made');
	check((await ob.sync()) === 0 && srv.log.length === before, 'no round while offline');

	// Online: a 5xx on the first stops the round (nothing overtakes it) and backs off.
	online = true;
	srv.answers['/isolations/1/checkins'] = [fail(503)];
	await ob.sync();
	check(srv.log.length === before + 1 && ob.count() === 3 && ob.snapshot().items[0].state === PENDING,
		'a 5xx: kept, the round stopped');
	const tries = srv.log.length;
	await ob.tick();
	check(srv.log.length === tries, 'the timer waits for the back-off');
	clock += 31e3;
	// A 409 "still completing" is a wait too.
	srv.answers['/isolations/1/checkins'] = [fail(409, { retryAfter: 1 }), { ok: true, status: 201, data: {} }];
	await ob.tick();
	check(srv.log.length === tries + 1 && ob.snapshot().items[0].state === PENDING, '409 with Retry-After: kept pending');
	clock += 2e3;

	// 401: all wait for a sign-in, the timer does not send them.
	srv.answers['/isolations/1/checkins'] = [fail(401), { ok: true, status: 201, data: {} }];
	await ob.sync();
	check(ob.snapshot().items.every((i) => i.state === NEEDS_LOGIN) && ob.count() === 3, '401: all wait for a sign-in');
	const at401 = srv.log.length;
	clock += 600e3;
	await ob.tick();
	await ob.sync();
	check(srv.log.length === at401, 'nothing sent until the sign-in');

	// Signed in again: sent in order, each under its own key; a conflict and a refusal stay.
	srv.answers['/isolations/2/checkins'] = [fail(409, { error: { code: 'conflict', released_on: '2021-10-20' } }),
		{ ok: true, status: 201, data: {} }];
	srv.answers['/cases'] = [fail(422, { error: { field: 'person.unit_code', message: 'not in scope' } })];
	const keys = ob.snapshot().items.map((i) => i.key);
	let sent = await ob.sync({ relogin: true });
	const round = srv.log.slice(at401);
	check(sent === 1 && JSON.stringify(round.map((x) => x.key)) === JSON.stringify(keys), 'sent in order under their keys');
	const states = Object.fromEntries(ob.snapshot().items.map((i) => [i.label, i.state]));
	check(states.c2 === CONFLICT && states.case === REFUSED && ob.count() === 2, 'a conflict and a refusal kept');
	check(ob.snapshot().items.find((i) => i.label === 'case').error.field === 'person.unit_code', 'the refusal is kept');
	check(ob.snapshot().sent === 1, 'the round counts what it sent');
	await ob.sync({ relogin: true });
	check(ob.count() === 2, 'a conflict or a refusal is not sent again by itself');

	// "Record it anyway": the same key, after_release added.
	const c2 = ob.snapshot().items.find((i) => i.label === 'c2');
	sent = await ob.recordAnyway(c2.key);
	const last = srv.log[srv.log.length - 1];
	check(sent === 1 && last.key === c2.key && last.body.after_release === true && last.body.spo2 === 96,
		'recorded anyway under its key with after_release');
	await ob.discard(ob.snapshot().items[0].key);
	check(ob.count() === 0 && store.rows.size === 0, 'discarded');

	// Another user: never sees nor sends the first one's writes.
	online = false;
	await ob.submit('POST', '/isolations/3/checkins', { spo2: 95 }, { kind: 'checkin', label: 'a3' });
	online = true;
	await ob.setUser('b');
	const atB = srv.log.length;
	await ob.sync({ relogin: true });
	check(ob.count() === 0 && srv.log.length === atB, 'user b neither sees nor sends a\'s');
	await ob.setUser('a');
	check(ob.count() === 1, 'a\'s kept for a');
	await ob.forget('a');
	check(ob.count() === 0 && store.rows.size === 0, 'forgotten on sign-out');
}
console.log(`outbox: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
