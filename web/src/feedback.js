// Citizen feedback, the public side (/feedback): anyone, signed in or not,
// sends a request (category, what happened, the place chosen by name, an
// optional point and contact) and gets its tracking code; "Tra cứu" shows a
// request by its code: status, deadline, the answer and its history, and
// within 7 days of the answer a way to reopen it (the API's rule).
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs } from './api.js';
import { addDays, fmtDate, fmtNumber, lang, t, todayVN } from './i18n.js';
import { ErrorBox, Field, html, humanize, Link, UnitField, useGet, viCompare } from './ui.js';
import { codeLevel, grantsOf } from './roles.js';

const SEND_FIELDS = ['category', 'description', 'location_code', 'address', 'name', 'phone'];
const OPEN = ['new', 'acknowledged', 'in_progress'];
const REOPEN_DAYS = 7;
const enc = encodeURIComponent;

// The day in Việt Nam (UTC+7) of an RFC 3339 instant, ISO.
export const dayOf = (at) => (at ? new Date(Date.parse(at) + 7 * 3600e3).toISOString().slice(0, 10) : '');
// dd/mm/yyyy HH:MM in Việt Nam.
export function fmtTime(at) {
	if (!at)
		return '';
	const d = new Date(Date.parse(at) + 7 * 3600e3).toISOString();
	return `${fmtDate(d.slice(0, 10))} ${d.slice(11, 16)}`;
}

// The categories in the reader's language (with `unit`, its province's own
// too): { list, name(code), departments (every name they give, sorted) }.
export function useCategories(unit) {
	const r = useGet('/feedback/categories' + qs({ unit }));
	if (!r || !r.ok)
		return { res: r, list: [], name: (c) => c, departments: [] };
	const list = r.data.items;
	const by = Object.fromEntries(list.map((c) => [c.code, c]));
	const departments = [...new Set(list.flatMap((c) => Object.values(c.departments || {})))]
		.sort(viCompare);
	return { res: r, list, departments, name: (c) => (by[c] ? by[c].name[lang()] || by[c].name.vi : c) };
}

export function StatusFlag({ status }) {
	const cls = status === 'answered' || status === 'closed' ? 'done' : status === 'rejected' ? 'kind' : 'task-open';
	return html`<span class=${'flag fb-status ' + cls} data-status=${status}>${t('fb_status_' + status)}</span>`;
}

// The badges of a request: overdue, escalated, due today or tomorrow.
export function Badges({ f }) {
	const open = OPEN.includes(f.status);
	const near = open && !f.overdue && f.deadline <= addDays(todayVN(), 1);
	return html`${f.overdue ? html` <span class="flag task-overdue fb-overdue">${t('fb_badge_overdue')}</span>` : ''}
		${f.escalations > 0 ? html` <span class="flag overdue fb-escalated">${t('fb_badge_escalated', f.escalations)}</span>` : ''}
		${near ? html` <span class="flag kind fb-near">${t('fb_badge_near')}</span>` : ''}`;
}

// Unit names by code, fetched once each for the page's life.
const names = {};
export function useNames(codes) {
	const [, bump] = useState(0);
	useEffect(() => {
		const missing = [...new Set(codes)].filter((c) => c && !(c in names));
		missing.forEach((c) => { names[c] = null; });
		Promise.all(missing.map((c) => get('/units/' + enc(c)).then((r) => { names[c] = r.ok ? r.data.name : c; })))
			.then(() => missing.length && bump((n) => n + 1));
	}, [codes.join()]);
	return (c) => (c ? names[c] || c : '—');
}

export function History({ items }) {
	const name = useNames((items || []).map((h) => h.unit_code));
	if (!items || !items.length)
		return null;
	return html`<ol class="fb-history">${items.map((h) => html`<li>
		<span class="hint">${fmtTime(h.at)}</span> ${t('fb_act_' + h.action)}${h.unit_code ? ' — ' + name(h.unit_code) : ''}
		${h.note ? html`<br /><span class="why">${h.note}</span>` : ''}</li>`)}</ol>`;
}

// Sends `call()`; a refusal shows at its field and the focus moves there.
export function useSend(names) {
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const focus = (form) => setTimeout(() => form.querySelector('[aria-invalid="true"]')?.focus(), 0);
	const send = async (e, local, call) => {
		e.preventDefault();
		const form = e.currentTarget;
		if (Object.keys(local).length) {
			setErrors(local);
			setRes(null);
			focus(form);
			return null;
		}
		setBusy(true);
		const r = await call();
		setBusy(false);
		setRes(r);
		const f = r.ok ? null : names.find((n) => n === (r.error && r.error.field));
		setErrors(f ? { [f]: humanize(r.error.message, null, true) } : {});
		if (f)
			focus(form);
		return r;
	};
	return { errors, res, busy, send, setErrors };
}

function CopyCode({ code }) {
	const [copied, setCopied] = useState(false);
	const copy = async () => {
		try {
			await navigator.clipboard.writeText(code);
			setCopied(true);
		} catch (e) {
			// No clipboard (an old phone, no permission): the code selected instead.
			const range = document.createRange();
			range.selectNodeContents(document.getElementById('fb-code'));
			getSelection().removeAllRanges();
			getSelection().addRange(range);
		}
	};
	return html`<button type="button" class="fb-copy" onClick=${copy}>${copied ? t('map_copied') : t('fb_copy')}</button>`;
}

function Sent({ r, category }) {
	return html`<div class="card fb-sent" id="fb-sent">
		<p class="success" role="status">${t('fb_sent')}</p>
		<p>${t('fb_code_label')}</p>
		<p class="fb-code" id="fb-code" lang="en">${r.tracking_code}</p>
		<p><${CopyCode} code=${r.tracking_code} /></p>
		<p class="hint">${t('fb_code_keep')}</p>
		<dl class="facts">
			<dt>${t('fb_category')}</dt><dd>${category}</dd>
			<dt>${t('fb_deadline')}</dt><dd id="fb-sent-deadline">${fmtDate(r.deadline)}</dd>
		</dl>
		<p><${Link} class="btnlink" href=${'/feedback' + qs({ code: r.tracking_code })}>${t('fb_track_this')}<//></p>
	</div>`;
}

// Where a signed-in citizen or business lives: its commune, as a start.
function homeCommune(user) {
	const g = grantsOf(user).find((x) => x.role === 'citizen' || x.role === 'business');
	return g && codeLevel(g.unit_code) !== 'country' ? g.unit_code.slice(0, 5) : '';
}

function SendForm({ user, cats }) {
	const [v, setV] = useState({ category: '', description: '', location_code: homeCommune(user), address: '',
		name: '', phone: '' });
	const [point, setPoint] = useState(null);
	const [where, setWhere] = useState(null);        // the geolocation's state
	const [done, setDone] = useState(null);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const { errors, res, busy, send } = useSend(SEND_FIELDS);
	const cat = cats.list.find((c) => c.code === v.category);
	const locate = () => {
		if (!navigator.geolocation)
			return setWhere('fb_loc_none');
		setWhere('fb_loc_busy');
		navigator.geolocation.getCurrentPosition(
			(p) => { setPoint({ lat: +p.coords.latitude.toFixed(6), long: +p.coords.longitude.toFixed(6) }); setWhere(null); },
			() => setWhere('fb_loc_denied'), { timeout: 15000, maximumAge: 60000 });
	};
	const submit = (e) => {
		const local = {};
		for (const k of ['category', 'description', 'location_code'])
			if (!String(v[k]).trim())
				local[k] = t('fb_need_' + k);
		const body = { category: v.category, description: v.description.trim(), location_code: v.location_code.trim() };
		for (const k of ['address', 'name', 'phone'])
			if (v[k].trim())
				body[k] = v[k].trim();
		send(e, local, () => post('/feedback', { ...body, ...(point || {}) })).then((r) => r && r.ok && setDone(r.data));
	};
	if (done)
		return html`<${Sent} r=${done} category=${cats.name(done.category)} />`;
	return html`<form id="form-feedback" onSubmit=${submit} novalidate>
		<${Field} name="category" type="select" label=${t('fb_category')} value=${v.category} onInput=${set('category')}
			errors=${errors} required hint=${cat ? t('fb_days', cat.days) : t('fb_category_hint')}>
			<option value="">${t('fb_choose')}</option>
			${cats.list.map((c) => html`<option value=${c.code}>${c.name[lang()] || c.name.vi}</option>`)}
		<//>
		<${Field} name="description" type="textarea" label=${t('fb_description')} value=${v.description}
			onInput=${set('description')} errors=${errors} required hint=${t('fb_description_hint')} maxlength="4000" />
		<${UnitField} name="location_code" label=${t('fb_place')} value=${v.location_code} onInput=${set('location_code')}
			errors=${errors} required levels=${['province', 'district', 'commune']} />
		<${Field} name="address" label=${t('fb_address')} value=${v.address} onInput=${set('address')} errors=${errors}
			hint=${t('fb_address_hint')} autocomplete="street-address" />
		<div class="fb-point">
			${point ? html`<p id="fb-point">${t('fb_point', fmtNumber(point.lat, 5), fmtNumber(point.long, 5))}
				<button type="button" class="linkish" onClick=${() => setPoint(null)}>${t('fb_point_remove')}</button></p>`
				: html`<button type="button" class="fb-locate" onClick=${locate}>${t('fb_locate')}</button>`}
			${where ? html`<p class="hint" role="status">${t(where)}</p>` : ''}
		</div>
		<fieldset class="fb-contact">
			<legend>${t('fb_contact')}</legend>
			<p class="hint" id="fb-contact-note">${t('fb_contact_note')}</p>
			<${Field} name="name" label=${t('fb_name')} value=${v.name} onInput=${set('name')} errors=${errors} autocomplete="name" />
			<${Field} name="phone" type="tel" label=${t('fb_phone')} value=${v.phone} onInput=${set('phone')} errors=${errors}
				inputmode="tel" autocomplete="tel" />
		</fieldset>
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('fb_send')}</button>
	</form>`;
}

function Reopen({ code, onDone }) {
	const [open, setOpen] = useState(false);
	const [reason, setReason] = useState('');
	const { errors, res, busy, send } = useSend(['reason']);
	if (!open)
		return html`<p><button type="button" class="fb-reopen-open" onClick=${() => setOpen(true)}>${t('fb_reopen')}</button></p>`;
	const submit = (e) => send(e, reason.trim() ? {} : { reason: t('fb_need_reason') },
		() => post(`/feedback/track/${enc(code)}/reopen`, { reason: reason.trim() })).then((r) => r && r.ok && onDone(r.data));
	return html`<form id="form-reopen" onSubmit=${submit} novalidate>
		<${Field} name="reason" type="textarea" label=${t('fb_reopen_reason')} value=${reason} onInput=${setReason}
			errors=${errors} required />
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('fb_reopen_send')}</button>
	</form>`;
}

// What the reporter sees of a request: no one's contact is in it.
function Tracked({ f, code, cats, onChange }) {
	const answeredOn = dayOf(f.answered_at);
	const mayReopen = ['answered', 'closed'].includes(f.status) && answeredOn &&
		todayVN() <= addDays(answeredOn, REOPEN_DAYS);
	return html`<article class="card fb-tracked" id="fb-tracked">
		<h2>${cats.name(f.category)}</h2>
		<p><${StatusFlag} status=${f.status} /><${Badges} f=${f} /></p>
		<dl class="facts">
			<dt>${t('fb_received')}</dt><dd>${fmtDate(dayOf(f.created_at))}</dd>
			<dt>${t('fb_deadline')}</dt><dd id="fb-deadline">${fmtDate(f.deadline)}</dd>
			<dt>${t('fb_description')}</dt><dd>${f.description}</dd>
		</dl>
		${f.answer ? html`<section class="fb-answer" id="fb-answer" aria-labelledby="h-fb-answer">
			<h3 id="h-fb-answer">${t('fb_answer_of', fmtDate(answeredOn))}</h3><p>${f.answer}</p></section>` : ''}
		${f.reject_reason ? html`<p class="fb-rejected" id="fb-rejected"><strong>${t('fb_reject_reason')}:</strong> ${f.reject_reason}</p>` : ''}
		${mayReopen ? html`<p class="hint">${t('fb_reopen_until', fmtDate(addDays(answeredOn, REOPEN_DAYS)))}</p>
			<${Reopen} code=${code} onDone=${onChange} />` : ''}
		<h3>${t('fb_history')}</h3>
		<${History} items=${f.history} />
	</article>`;
}

function TrackForm({ initial, cats }) {
	const [code, setCode] = useState(initial || '');
	const [found, setFound] = useState(null);
	const { errors, res, busy, send } = useSend(['code']);
	const look = (e, typed) => send(e, typed.trim() ? {} : { code: t('fb_need_code') }, async () => {
		const r = await get('/feedback/track/' + enc(typed.trim()));
		// The code is the field: "not found" is said there.
		return r.status === 404 ? { ...r, error: { ...r.error, field: 'code' } } : r;
	}).then((r) => setFound(r && r.ok ? r.data : null));
	const submit = (e) => look(e, code);
	// Opened with ?code=: looked up at once.
	useEffect(() => {
		if (initial)
			document.getElementById('form-track')?.requestSubmit();
	}, []);
	return html`<div>
		<form id="form-track" onSubmit=${submit} novalidate>
			<${Field} name="code" label=${t('fb_code_label')} value=${code} onInput=${setCode} errors=${errors} required
				autocomplete="off" autocapitalize="characters" hint=${t('fb_code_hint')} />
			${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
			<button type="submit" class="primary" disabled=${busy}>${t('fb_track_go')}</button>
		</form>
		${found ? html`<${Tracked} f=${found} code=${code} cats=${cats} onChange=${setFound} />` : ''}
	</div>`;
}

export function FeedbackPage({ user, code, tab }) {
	const cats = useCategories();
	const track = tab === 'track' || !!code;
	const cur = (on) => (on ? 'page' : undefined);
	return html`<section class="narrow fb-page">
		<h1>${t('fb_title')}</h1>
		<nav class="tabs" aria-label=${t('fb_title')}><ul>
			<li><${Link} href="/feedback" aria-current=${cur(!track)}>${t('fb_tab_send')}<//></li>
			<li><${Link} href="/feedback?tab=track" aria-current=${cur(track)}>${t('fb_tab_track')}<//></li>
		</ul></nav>
		${cats.res === null ? html`<p class="loading" role="status">${t('loading')}</p>`
			: !cats.res.ok ? html`<${ErrorBox} res=${cats.res} />`
			: track ? html`<${TrackForm} initial=${code} cats=${cats} />`
			: html`<p class="hint">${t('fb_intro')}</p><${SendForm} user=${user} cats=${cats} />`}
	</section>`;
}
