// Writes kept on this device while there is no connection, and sent later
// exactly once: each keeps the Idempotency-Key made when the person pressed
// Save, so a write whose answer was lost is answered again by the server
// (Idempotent-Replayed), never made twice, and a refused one (4xx) may be
// sent again corrected under the same key.  The queue belongs to the
// signed-in username; it lives in IndexedDB (DB_NAME: "writes", and
// "profile", the user's own /me answer for a start without a connection).
//
// makeOutbox() is the state machine alone: its store, its sender and its
// clock are arguments, so tests/web/outbox.mjs runs it under node.
import { useEffect, useState } from 'preact/hooks';
import { api, newKey } from './api.js';

export const DB_NAME = 'thichung-offline';
const DB_VERSION = 1;

// The states of a write kept here.
export const PENDING = 'pending', CONFLICT = 'conflict', REFUSED = 'refused', NEEDS_LOGIN = 'needs_login';

// Waits between rounds that failed (no connection, 5xx): 30 s, doubled up to 5 min.
export const TICK_MS = 30e3;
const BACKOFF_MAX = 5 * 60e3;

// What an answer means for a write kept here: 'sent', 'retry' (later, as it
// is), or the state it takes.  A 409 with Retry-After is the server still
// completing the first copy; any other 409 a conflict the person decides.
export function verdict(r) {
	if (r.ok)
		return 'sent';
	if (r.status === 0 || r.status >= 500 || r.status === 408 || r.status === 429 ||
	    (r.status === 409 && r.retryAfter !== null && r.retryAfter !== undefined))
		return 'retry';
	// No session, or a page whose token is not the session's (signed in
	// again elsewhere): both are mended by signing in again.
	if (r.status === 401 || (r.status === 403 && r.error && r.error.code === 'csrf'))
		return NEEDS_LOGIN;
	return r.status === 409 ? CONFLICT : REFUSED;
}

// The moment a measure was taken, as the server takes it: RFC 3339 in Việt Nam time.
export function measuredAt(ms) {
	return new Date(ms + 7 * 3600e3).toISOString().slice(0, 19) + '+07:00';
}

const errorOf = (r) => (r.status === 0 ? { code: 'offline', message: '' }
	: { ...(r.error || {}), status: r.status });

// deps: store {list(user), put(item), del(key), clear(user)}, send(item) →
// the answer as api() gives it, online() (navigator.onLine), now() (ms),
// makeKey() (a new Idempotency-Key).
export function makeOutbox({ store, send, online = () => true, now = Date.now, makeKey = newKey }) {
	let user = null;
	let items = [];              // the user's, oldest first
	let ready = true;            // items read from the store for `user`
	let running = null;          // the round under way
	let sent = 0, sentAt = 0;    // the last round that sent something
	let failures = 0, notBefore = 0;
	const listeners = new Set();
	const notify = () => listeners.forEach((f) => f());
	const snapshot = () => ({ user, items, ready, sending: !!running, sent, sentAt });

	async function setUser(username) {
		const u = username || null;
		if (u === user)
			return;
		user = u;
		items = [];
		ready = !u;
		failures = 0;
		notBefore = 0;
		sent = 0;
		notify();
		const mine = u ? await store.list(u) : [];
		if (user === u) {
			items = mine.sort((a, b) => a.created - b.created || (a.key < b.key ? -1 : 1));
			ready = true;
			notify();
		}
	}

	// Stores the item (a new one or a new state of one) and shows it.
	async function keep(item) {
		await store.put(item);
		if (item.user !== user)
			return;
		const i = items.findIndex((x) => x.key === item.key);
		items = i < 0 ? [...items, item] : items.map((x) => (x.key === item.key ? item : x));
		notify();
	}

	async function drop(key) {
		await store.del(key);
		items = items.filter((x) => x.key !== key);
		notify();
	}

	// Sends now; when the network fails (or the browser knows it is offline)
	// the write is kept to be sent later: { queued: true, item }.
	async function submit(method, path, body, { kind, label, who } = {}) {
		const item = { key: makeKey(), user, method, path, body, kind: kind || '', label: label || path,
			who: who || '', created: now(), state: PENDING, error: null };
		if (online() || !user) {
			const r = await send(item);
			if (r.status !== 0 || !user)
				return r;
		}
		try {
			await keep(item);
		} catch (e) {
			return { ok: false, status: 0, data: null, error: { code: 'offline', message: '' }, missing: false };
		}
		return { ok: false, queued: true, status: 0, data: null, error: null, missing: false, item };
	}

	// One round: the user's writes in the order they were made, one at a
	// time; it stops at the first that must wait (no connection, 5xx) so
	// that none goes before an older one, and at a 401 (all wait for the
	// next sign-in).  relogin: those that waited for a sign-in go too.
	async function round(relogin) {
		const u = user;
		let n = 0;
		for (const item of items.filter((i) => i.state === PENDING || (relogin && i.state === NEEDS_LOGIN))) {
			if (user !== u || !online())
				break;
			const r = await send(item);
			if (user !== u)
				break;
			const v = verdict(r);
			if (v === 'sent') {
				await drop(item.key);
				n++;
				failures = 0;
				continue;
			}
			if (v === 'retry') {
				failures++;
				notBefore = now() + (r.retryAfter ? r.retryAfter * 1000
					: Math.min(TICK_MS * 2 ** (failures - 1), BACKOFF_MAX));
				await keep({ ...item, state: PENDING, error: errorOf(r) });
				break;
			}
			if (v === NEEDS_LOGIN) {
				for (const x of items.filter((i) => i.state === PENDING || i.state === NEEDS_LOGIN))
					await keep({ ...x, state: NEEDS_LOGIN, error: x.key === item.key ? errorOf(r) : x.error });
				break;
			}
			await keep({ ...item, state: v, error: errorOf(r) });
		}
		if (n) {
			sent = n;
			sentAt = now();
		}
		return n;
	}

	function sync({ relogin = false } = {}) {
		if (!running) {
			running = round(relogin).finally(() => {
				running = null;
				notify();
			});
			notify();
		}
		return running;
	}

	// The timer's turn: a round when writes wait, the browser says online
	// and the back-off is over.
	function tick() {
		if (user && online() && now() >= notBefore && items.some((i) => i.state === PENDING))
			return sync();
		return Promise.resolve(0);
	}

	// "Record it anyway": the check-in of an isolation ended meanwhile, sent
	// again under its key with after_release (its 409 did not use the key up).
	async function recordAnyway(key) {
		await running;
		const item = items.find((x) => x.key === key);
		if (!item || item.state !== CONFLICT)
			return 0;
		await keep({ ...item, body: { ...item.body, after_release: true }, state: PENDING, error: null });
		return sync();
	}

	async function discard(key) {
		await running;
		await drop(key);
	}

	// Sign-out: the user's writes (and cached profile) leave the device.
	async function forget(username) {
		await store.clear(username);
		if (username === user) {
			items = [];
			notify();
		}
	}

	function subscribe(f) {
		listeners.add(f);
		return () => listeners.delete(f);
	}

	return { setUser, submit, sync, tick, recordAnyway, discard, forget, subscribe, snapshot,
		count: () => items.length };
}

/* ---- IndexedDB ---------------------------------------------------------- */

function request(rq) {
	return new Promise((resolve, reject) => {
		rq.onsuccess = () => resolve(rq.result);
		rq.onerror = () => reject(rq.error);
	});
}

// The two object stores: writes (by key, indexed by user) and profile (by username).
export function idbStore(name = DB_NAME) {
	let db = null;
	const open = () => {
		if (!db) {
			const rq = indexedDB.open(name, DB_VERSION);
			rq.onupgradeneeded = () => {
				rq.result.createObjectStore('writes', { keyPath: 'key' }).createIndex('user', 'user');
				rq.result.createObjectStore('profile', { keyPath: 'username' });
			};
			db = request(rq).then((d) => {
				d.onversionchange = () => { d.close(); db = null; };
				return d;
			}, (e) => { db = null; throw e; });
		}
		return db;
	};
	// fn(tx) runs in one transaction of `stores`; resolves once it is committed.
	const run = async (stores, mode, fn) => {
		const tx = (await open()).transaction(stores, mode);
		const done = new Promise((resolve, reject) => {
			tx.oncomplete = resolve;
			tx.onerror = tx.onabort = () => reject(tx.error);
		});
		const out = await fn(tx);
		await done;
		return out;
	};
	return {
		list: (user) => run('writes', 'readonly', (tx) => request(tx.objectStore('writes').index('user').getAll(user))),
		put: (item) => run('writes', 'readwrite', (tx) => { tx.objectStore('writes').put(item); }),
		del: (key) => run('writes', 'readwrite', (tx) => { tx.objectStore('writes').delete(key); }),
		clear: (user) => run(['writes', 'profile'], 'readwrite', (tx) => new Promise((resolve, reject) => {
			tx.objectStore('profile').delete(user);
			const c = tx.objectStore('writes').index('user').openCursor(IDBKeyRange.only(user));
			c.onsuccess = () => {
				if (!c.result)
					return resolve();
				c.result.delete();
				c.result.continue();
			};
			c.onerror = () => reject(c.error);
		})),
		saveProfile: (me) => run('profile', 'readwrite', (tx) => {
			tx.objectStore('profile').put({ username: me.username, me, at: Date.now() });
		}),
		lastProfile: () => run('profile', 'readonly', (tx) => request(tx.objectStore('profile').getAll()))
			.then((all) => (all.sort((a, b) => b.at - a.at)[0] || {}).me || null),
	};
}

/* ---- the application's outbox -------------------------------------------- */

const hasIdb = typeof indexedDB !== 'undefined';
const store = hasIdb ? idbStore() : null;

export const outbox = makeOutbox({
	store: store || { list: async () => [], put: async () => { throw new Error('no IndexedDB'); },
		del: async () => {}, clear: async () => {} },
	send: (item) => api(item.method, item.path, item.body, undefined, { key: item.key }),
	online: () => typeof navigator === 'undefined' || navigator.onLine !== false,
});

// A write from a form: sent now, or kept here when there is no connection.
export const submit = (method, path, body, meta) => outbox.submit(method, path, body, meta);

// The signed-in user's own /me answer, for a start without a connection.
export const saveProfile = (me) => (store && me && me.username ? store.saveProfile(me).catch(() => {}) : Promise.resolve());
export const lastProfile = () => (store ? store.lastProfile().catch(() => null) : Promise.resolve(null));

// Sends on `online`, and every TICK_MS while writes wait; returns the stop.
export function startOutbox() {
	const online = () => outbox.sync({ relogin: false });
	const timer = setInterval(() => outbox.tick(), TICK_MS);
	addEventListener('online', online);
	return () => {
		clearInterval(timer);
		removeEventListener('online', online);
	};
}

// The queue as it is now, drawn again on each change.
export function useOutbox() {
	const [s, setS] = useState(outbox.snapshot());
	useEffect(() => {
		setS(outbox.snapshot());
		return outbox.subscribe(() => setS(outbox.snapshot()));
	}, []);
	return s;
}
