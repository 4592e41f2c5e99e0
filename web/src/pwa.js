// The installable, offline application: the service worker (/sw.js, from
// src/sw.js, which says what it keeps) registered once the page has loaded,
// the small banner that offers a new version, and the clearing at sign-out.
import { t } from './i18n.js';

const SHELL_PREFIX = 'thc-shell-';
let accepted = false;   // the person chose "Tải lại": only then a new worker reloads the page

// Registers /sw.js after the load event, so that it does not compete with
// the first page; a browser without service workers just goes online.
export function registerWorker() {
	if (!('serviceWorker' in navigator))
		return;
	// updateViaCache 'all': the browser's checks for a new build ask with
	// the ETag it has (sw.js is no-cache, so always asked, never trusted):
	// "not modified" is a few hundred bytes, the whole worker is not.
	const go = () => navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'all' })
		.then(watch)
		.catch(() => { /* no worker: the application works online */ });
	if (document.readyState === 'complete')
		go();
	else
		addEventListener('load', go, { once: true });
}

function watch(reg) {
	// A worker waiting from an earlier visit, or one installed now, while
	// this page is served by the current one: a new build is ready.
	if (reg.waiting && navigator.serviceWorker.controller)
		offerUpdate(reg.waiting);
	reg.addEventListener('updatefound', () => {
		const w = reg.installing;
		w?.addEventListener('statechange', () => {
			if (w.state === 'installed' && navigator.serviceWorker.controller)
				offerUpdate(w);
		});
	});
	navigator.serviceWorker.addEventListener('controllerchange', () => {
		if (accepted) {
			accepted = false;
			location.reload();
		}
	});
	// A page left open for days asks for a new build when shown again.
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState === 'visible')
			reg.update().catch(() => {});
	});
}

// The polite banner: "Đã có phiên bản mới — Tải lại"; nothing reloads
// until the person asks (a form being typed stays as it is).
export function offerUpdate(worker) {
	if (document.getElementById('pwa-update'))
		return;
	const bar = document.createElement('div');
	bar.id = 'pwa-update';
	bar.className = 'pwa-update';
	bar.setAttribute('role', 'status');
	const text = document.createElement('span');
	text.textContent = t('pwa_update_ready');
	const reload = document.createElement('button');
	reload.type = 'button';
	reload.className = 'primary';
	reload.textContent = t('pwa_update_reload');
	reload.addEventListener('click', () => {
		accepted = true;
		reload.disabled = true;
		worker.postMessage({ type: 'thc-activate' });
	});
	const later = document.createElement('button');
	later.type = 'button';
	later.textContent = t('pwa_update_later');
	later.addEventListener('click', () => bar.remove());
	bar.append(text, ' ', reload, ' ', later);
	document.body.append(bar);
}

// At sign-out: every cache but the shell of this build (the files of the
// page now shown) goes, the public answers and boundaries too, so that a
// shared phone does not show the next person what the last one looked at.
export async function clearOnSignOut() {
	if (!('caches' in self))
		return;
	try {
		const entry = document.querySelector('script[type=module][src]')?.src;
		for (const name of await caches.keys()) {
			const mine = name.startsWith(SHELL_PREFIX) && entry &&
				await caches.open(name).then((c) => c.match(entry));
			if (!mine)
				await caches.delete(name);
		}
	} catch (e) { /* storage refused (private mode): nothing was kept */ }
}
