// The service worker (/sw.js): the application opens with no network.
// web/build.mjs writes it with this build's name and file list
// (__BUILD__, __PRECACHE__), so every new build changes its bytes and the
// browser installs the new one in the background.
//
// What is kept, and what never is:
// - the shell (index.html, the scripts, every lazy chunk, the CSS, the
//   icons, the manifest) is fetched at install into thc-shell-<build>;
//   older shells go when the new worker takes over;
// - a page of the application (any navigation outside /api/, /open311/,
//   /healthz, /metrics and the files) is answered with the kept index.html:
//   the application routes in the browser;
// - /assets/* (hashed) and /geo/* come from the cache first; boundaries are
//   kept when first drawn (thc-geo);
// - a GET under /api/v1/ goes to the network first, and its answer is kept
//   (thc-public) ONLY when the server marked it Cache-Control: public (the
//   level map, units, weekly figures read without a session); the kept copy
//   answers when the network fails.  Personal answers (no-store: /me,
//   cases, people, isolations, anything read with a session) and every
//   write pass through and are never stored.
// Signing out deletes thc-public and thc-geo too (web/src/pwa.js).
const BUILD = __BUILD__;
const PRECACHE = __PRECACHE__;
const SHELL = 'thc-shell-' + BUILD;
const GEO = 'thc-geo';
const PUBLIC = 'thc-public';
const NETWORK_ONLY = /^\/(api|open311)(\/|$)|^\/(healthz|metrics)$/;

self.addEventListener('install', (e) => {
	// no-cache: index.html and the manifest revalidated, hashed files as kept.
	e.waitUntil(caches.open(SHELL).then((c) =>
		c.addAll(PRECACHE.map((u) => new Request(u, { cache: u.startsWith('/assets/') ? 'default' : 'no-cache' })))));
});

self.addEventListener('activate', (e) => {
	e.waitUntil(caches.keys()
		.then((keys) => Promise.all(keys.filter((k) => k.startsWith('thc-shell-') && k !== SHELL)
			.map((k) => caches.delete(k))))
		.then(() => self.clients.claim()));
});

// The page asks the waiting worker to take over once the person chose
// "Tải lại / Reload" (never on its own).
self.addEventListener('message', (e) => {
	if (e.data && e.data.type === 'thc-activate')
		self.skipWaiting();
});

const isPublic = (res) => res.ok && res.type === 'basic' &&
	/(^|,)\s*public\s*(,|$)/i.test(res.headers.get('Cache-Control') || '') &&
	!/no-store|private/i.test(res.headers.get('Cache-Control') || '');

async function publicFirst(e) {
	try {
		const res = await fetch(e.request);
		if (isPublic(res)) {
			const copy = res.clone();
			e.waitUntil(caches.open(PUBLIC).then((c) => c.put(e.request, copy)));
		}
		return res;
	} catch (err) {
		const kept = await caches.match(e.request, { cacheName: PUBLIC });
		if (kept)
			return kept;
		throw err;
	}
}

async function cacheFirst(e, store) {
	const kept = await caches.match(e.request);
	if (kept)
		return kept;
	const res = await fetch(e.request);
	if (store && res.ok) {
		const copy = res.clone();
		e.waitUntil(caches.open(store).then((c) => c.put(e.request, copy)));
	}
	return res;
}

async function page(e) {
	const kept = await caches.match('/index.html', { cacheName: SHELL });
	return kept || fetch(e.request);
}

self.addEventListener('fetch', (e) => {
	const req = e.request;
	const url = new URL(req.url);
	if (req.method !== 'GET' || url.origin !== self.location.origin)
		return;
	const p = url.pathname;
	if (p.startsWith('/api/v1/') && req.mode !== 'navigate')
		e.respondWith(publicFirst(e));
	else if (NETWORK_ONLY.test(p) || p === '/sw.js')
		return;
	else if (p.startsWith('/assets/') || p.startsWith('/geo/'))
		e.respondWith(cacheFirst(e, p.startsWith('/geo/') ? GEO : null));
	else if (PRECACHE.includes(p))
		e.respondWith(cacheFirst(e, null));
	else if (req.mode === 'navigate')
		e.respondWith(page(e));
});
