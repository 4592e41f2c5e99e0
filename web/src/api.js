// The JSON API.  The session is the HttpOnly cookie thc_session; writes
// carry X-CSRF-Token from the login reply (or the readable thc_csrf cookie).
import { lang } from './i18n.js';

let csrf = null;

function cookie(name) {
	const m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
	return m ? decodeURIComponent(m[1]) : null;
}

export function hasSessionHint() {
	return !!cookie('thc_csrf');
}

export function setCsrf(v) {
	csrf = v;
}

export function forgetSession() {
	csrf = null;
	document.cookie = 'thc_csrf=; Max-Age=0; Path=/; SameSite=Strict';
}

// Resolves to { ok, status, data, error: {code, message} | null, missing }.
// `missing` is true for a 404 of the route itself (an endpoint this server
// does not have yet), so pages show "no data" instead of an error.
export async function api(method, path, body, contentType) {
	const headers = { Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'vi' };
	const opts = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	const write = method !== 'GET' && method !== 'HEAD';
	if (write) {
		const token = csrf || cookie('thc_csrf');
		if (token)
			headers['X-CSRF-Token'] = token;
		// Sent again after a lost answer, the write is not made twice.
		if (path !== '/login')
			headers['Idempotency-Key'] = newKey();
	}
	if (body !== undefined) {
		headers['Content-Type'] = contentType || 'application/json';
		opts.body = typeof body === 'string' ? body : JSON.stringify(body);
	}
	let res;
	for (let attempt = 0; !res; attempt++) {
		try {
			res = await fetch('/api/v1' + path, opts);
		} catch (e) {
			// A write whose answer was lost is sent once more under its key.
			if (!headers['Idempotency-Key'] || attempt > 0)
				return { ok: false, status: 0, data: null, error: { code: 'offline', message: '' }, missing: false };
		}
	}
	let data = null;
	try {
		data = await res.json();
	} catch (e) { /* not JSON */ }
	const error = res.ok ? null : (data && data.error) || { code: 'http_' + res.status, message: res.statusText };
	const missing = res.status === 404 && !!error && /^(no such path|không có địa chỉ)/.test(error.message || '');
	return { ok: res.ok, status: res.status, data, error, missing };
}

function newKey() {
	if (globalThis.crypto && crypto.randomUUID)
		return crypto.randomUUID();
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export const get = (path) => api('GET', path);
export const post = (path, body, ct) => api('POST', path, body, ct);

export function qs(params) {
	const u = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null && v !== '')
			u.set(k, v);
	const s = u.toString();
	return s ? '?' + s : '';
}
