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
// The headers of a request: language, and for a write its CSRF token and
// an Idempotency-Key (sent again after a lost answer, it is not made twice):
// `key` when given (a write kept on the device keeps its own), else a new one.
function requestHeaders(method, path, key) {
	const headers = { Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'vi' };
	if (method !== 'GET' && method !== 'HEAD') {
		const token = csrf || cookie('thc_csrf');
		if (token)
			headers['X-CSRF-Token'] = token;
		if (path !== '/login')
			headers['Idempotency-Key'] = key || newKey();
	}
	return headers;
}

// The answer's shape from its status and JSON body (null: not JSON);
// retryAfter: the seconds of a Retry-After header (null: none).
function answer(status, statusText, data, retryAfter) {
	const ok = status >= 200 && status < 300;
	const error = ok ? null : (data && data.error) || { code: 'http_' + status, message: statusText };
	const missing = status === 404 && !!error && /^(no such path|không có địa chỉ)/.test(error.message || '');
	const wait = retryAfter ? Number(retryAfter) : NaN;
	return { ok, status, data, error, missing, retryAfter: Number.isFinite(wait) ? wait : null };
}

// POSTs a body (a file's text) with XMLHttpRequest, which tells how much of
// it went (fetch does not): onProgress(sent, total) while it goes, then
// onProgress(null) once it is all sent and the server is checking it.
// Resolves as api() does.
export function upload(path, body, contentType, onProgress) {
	const headers = requestHeaders('POST', path);
	return new Promise((resolve) => {
		const x = new XMLHttpRequest();
		x.open('POST', '/api/v1' + path);
		x.withCredentials = true;
		for (const [k, v] of Object.entries(headers))
			x.setRequestHeader(k, v);
		x.setRequestHeader('Content-Type', contentType);
		x.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
		x.upload.onload = () => onProgress(null);
		x.onload = () => {
			let data = null;
			try {
				data = JSON.parse(x.responseText);
			} catch (e) { /* not JSON */ }
			resolve(answer(x.status, x.statusText, data, x.getResponseHeader('Retry-After')));
		};
		x.onerror = () => resolve({ ok: false, status: 0, data: null, error: { code: 'offline', message: '' }, missing: false });
		x.send(body);
	});
}

// key: the Idempotency-Key of this write (the outbox's, made once when
// the person pressed Save); without it a new one.
export async function api(method, path, body, contentType, { key } = {}) {
	const headers = requestHeaders(method, path, key);
	const opts = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	if (body !== undefined) {
		headers['Content-Type'] = contentType || 'application/json';
		// A file (Blob) goes as it is: its bytes are the body.
		opts.body = typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body);
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
	return answer(res.status, res.statusText, data, res.headers.get('Retry-After'));
}

export function newKey() {
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
