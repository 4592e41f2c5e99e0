// Support to people in hardship: the commune enters a household's or a
// person's application; the approver of each step (commune, district,
// province) approves or refuses with a reason, the deadline and a
// duplicate flag in view; the commune records the payment; the
// no-one-left-behind report of the commune; the lists as CSV.  And the
// public posting of a commune and programme (names and amounts only).
import { useState } from 'preact/hooks';
import { post, qs } from './api.js';
import { fmtDate, fmtNumber, lang, t, todayVN } from './i18n.js';
import { DateField, ErrorBox, Field, fieldOf, html, humanize, MoreRows, NoData, parseNumber, useGet, usePages } from './ui.js';
import { grantsOf } from './roles.js';
import { ObjectionForm } from './support_public.js';

const money = (n) => fmtNumber(n) + ' ₫';
const progName = (p) => (p ? (lang() === 'en' ? p.name.en : p.name.vi) : '');
const ENTRY_FIELDS = ['programme', 'unit_code', 'full_name', 'id_number', 'address', 'days', 'children_under_6',
	'age', 'monthly_income', 'order_ref', 'received_on', 'facts'];
const FLAGS = ['registered', 'social_insurance', 'pregnant', 'disabled', 'resident', 'licensed'];

// Once the errors are drawn, the first field marked.
function focusInvalid(form) {
	setTimeout(() => form.querySelector('[aria-invalid="true"]')?.focus(), 0);
}

// The server's refusal at its field, or above the form.
function errorsOf(res, fields) {
	if (!res || res.ok)
		return {};
	const f = fieldOf(res.error, fields);
	return f ? { [f]: humanize(res.error.message, null, true) } : {};
}

function EntryForm({ unit, programmes, onDone }) {
	const [v, setV] = useState({ programme: 'nq68-household', unit_code: unit || '', full_name: '', id_number: '',
		address: '', days: '', children_under_6: '', age: '', monthly_income: '', order_ref: '', received_on: todayVN() });
	const [flags, setFlags] = useState({ registered: true });
	const [res, setRes] = useState(null);
	const [local, setLocal] = useState({});
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV({ ...v, [k]: x });
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const body = { programme: v.programme, unit_code: v.unit_code.trim(), full_name: v.full_name.trim(),
			received_on: v.received_on, ...flags };
		// Every empty required field at once, before anything is sent.
		const bad = {};
		for (const k of ['unit_code', 'full_name', 'received_on'])
			if (!String(v[k] || '').trim())
				bad[k] = t('required');
		for (const k of ['days', 'children_under_6', 'age', 'monthly_income']) {
			const p = parseNumber(v[k], true);
			if (p.error)
				bad[k] = t(p.error);
			else if (p.value !== undefined)
				body[k] = p.value;
		}
		for (const k of ['id_number', 'address', 'order_ref'])
			if (v[k].trim())
				body[k] = v[k].trim();
		setLocal(bad);
		if (Object.keys(bad).length) {
			focusInvalid(form);
			return;
		}
		setBusy(true);
		const r = await post('/support/applications', body);
		setBusy(false);
		setRes(r);
		if (r.ok)
			onDone();
		else
			focusInvalid(form);
	};
	const errors = { ...errorsOf(res, ENTRY_FIELDS), ...local };
	const other = res && !res.ok && !fieldOf(res.error, ENTRY_FIELDS);
	return html`<form id="form-support" onSubmit=${submit} novalidate>
		<h2>${t('support_entry')}</h2>
		<${Field} name="programme" type="select" label=${t('support_programme')} value=${v.programme}
			onInput=${set('programme')} errors=${errors} required>
			${(programmes || []).map((p) => html`<option value=${p.id}>${progName(p)}</option>`)}
		<//>
		<${Field} name="unit_code" label=${t('support_unit')} value=${v.unit_code} onInput=${set('unit_code')}
			errors=${errors} required hint=${t('support_unit_hint')} />
		<${Field} name="full_name" label=${t('support_name')} value=${v.full_name} onInput=${set('full_name')}
			errors=${errors} required />
		<${Field} name="id_number" label=${t('support_idn')} value=${v.id_number} onInput=${set('id_number')}
			errors=${errors} inputmode="numeric" />
		<${Field} name="address" label=${t('support_address')} value=${v.address} onInput=${set('address')} errors=${errors} />
		<${Field} name="days" label=${t('support_days')} value=${v.days} onInput=${set('days')} errors=${errors} inputmode="numeric" />
		<${Field} name="children_under_6" label=${t('support_children')} value=${v.children_under_6}
			onInput=${set('children_under_6')} errors=${errors} inputmode="numeric" />
		<${Field} name="age" label=${t('support_age')} value=${v.age} onInput=${set('age')} errors=${errors} inputmode="numeric" />
		<${Field} name="monthly_income" label=${t('support_income')} value=${v.monthly_income}
			onInput=${set('monthly_income')} errors=${errors} inputmode="numeric" />
		<${Field} name="order_ref" label=${t('support_order')} value=${v.order_ref} onInput=${set('order_ref')} errors=${errors} />
		<fieldset class="checks"><legend>${t('support_facts')}</legend>
			${FLAGS.map((f) => html`<label><input type="checkbox" name=${f} checked=${!!flags[f]}
				onChange=${(e) => setFlags({ ...flags, [f]: e.currentTarget.checked })} /> ${t('support_' + f)}</label>`)}
			${errors.facts ? html`<p class="field-error" role="alert">${errors.facts}</p>` : ''}
		</fieldset>
		<${DateField} name="received_on" label=${t('support_received')} iso=${v.received_on}
			onChange=${set('received_on')} errors=${errors} />
		${other ? html`<${ErrorBox} res=${res} />` : ''}
		${res && res.ok ? html`<p class="success" role="status">${t('support_saved', money(res.data.amount),
			fmtDate(res.data.step_deadline))}</p>` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('support_submit')}</button>
	</form>`;
}

// Approve, refuse (with the reason) or pay one application.
function Actions({ a, onDone }) {
	const [mode, setMode] = useState(null);
	const [reason, setReason] = useState('');
	const [note, setNote] = useState('');
	const [method, setMethod] = useState('cash');
	const [amount, setAmount] = useState(String(a.amount - a.paid_amount));
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const send = async (form, what, body) => {
		setBusy(true);
		const r = await post(`/support/applications/${a.id}/${what}`, body);
		setBusy(false);
		setRes(r);
		if (r.ok) {
			setMode(null);
			onDone();
		} else
			focusInvalid(form);
	};
	const errors = errorsOf(res, ['reason', 'duplicate_note', 'amount', 'method']);
	const id = 'form-act-' + a.id;
	if (a.status === 'approved')
		return html`<form id=${'form-pay-' + a.id} class="inline" novalidate onSubmit=${(e) => {
			e.preventDefault();
			const p = parseNumber(amount, true);
			send(e.currentTarget, 'payments', { method, amount: p.value });
		}}>
			<${Field} name="method" type="select" label=${t('support_method')} value=${method} onInput=${setMethod} errors=${errors}>
				${['cash', 'bank', 'post'].map((m) => html`<option value=${m}>${t('support_method_' + m)}</option>`)}
			<//>
			<${Field} name="amount" label=${t('support_amount')} value=${amount} onInput=${setAmount} errors=${errors} inputmode="numeric" />
			${res && !res.ok && !fieldOf(res.error, ['amount', 'method']) ? html`<${ErrorBox} res=${res} />` : ''}
			<button type="submit" class="primary" disabled=${busy}>${t('support_pay')}</button>
		</form>`;
	if (a.status !== 'pending')
		return null;
	// A citizen's own application: the commune verifies it before any approval.
	if (a.verified === false)
		return html`<form id=${'form-verify-' + a.id} class="inline" novalidate onSubmit=${(e) => {
			e.preventDefault();
			send(e.currentTarget, 'verify', {});
		}}>
			${res && !res.ok ? html`<${ErrorBox} res=${res} />` : ''}
			<button type="submit" class="primary verify" disabled=${busy}>${t('sp_verify')}</button>
		</form>`;
	return html`<form id=${id} class="inline" novalidate onSubmit=${(e) => {
		e.preventDefault();
		if (mode === 'reject')
			send(e.currentTarget, 'reject', { reason });
		else
			send(e.currentTarget, 'approve', note ? { duplicate_note: note } : {});
	}}>
		${mode === 'reject' ? html`<${Field} name="reason" type="textarea" label=${t('support_reason')} value=${reason}
			onInput=${setReason} errors=${errors} required />` : ''}
		${errors.duplicate_note || mode === 'dup' ? html`<${Field} name="duplicate_note" label=${t('support_dup_note')}
			value=${note} onInput=${(x) => { setNote(x); setMode('dup'); }} errors=${errors} />` : ''}
		${res && !res.ok && !fieldOf(res.error, ['reason', 'duplicate_note']) ? html`<${ErrorBox} res=${res} />` : ''}
		<div class="buttons">
			${mode === 'reject' ? '' : html`<button type="submit" class="primary approve" disabled=${busy}>${t('support_approve')}</button>`}
			${mode === 'reject' ? html`<button type="submit" class="danger" disabled=${busy}>${t('support_reject_send')}</button>`
				: html`<button type="button" onClick=${() => setMode('reject')}>${t('support_reject')}</button>`}
		</div>
	</form>`;
}

function AppItem({ a, onDone }) {
	return html`<li class="support-app" data-id=${a.id}>
		<p><strong>${a.full_name}</strong> · ${a.unit_code} · ${money(a.amount)}</p>
		<p class="status">${t('support_status_' + a.status)}${a.status === 'pending'
			? ' · ' + t('support_step', a.step + 1, fmtDate(a.step_deadline)) : ''}${a.paid_amount
			? ' · ' + t('support_paid', money(a.paid_amount)) : ''}${a.overdue
			? html` · <span class="overdue">${t('sp_overdue')}</span>` : ''}</p>
		${a.verified === false ? html`<p class="unverified">${t('sp_unverified')}</p>` : ''}
		${a.reject_reason ? html`<p>${t('support_reason')}: ${a.reject_reason}</p>` : ''}
		<${Actions} a=${a} onDone=${onDone} />
	</li>`;
}

function LeftBehind({ unit }) {
	const r = useGet(unit && /^\d{5}$/.test(unit) ? '/support/left-behind' + qs({ unit }) : null);
	if (!unit || !/^\d{5}$/.test(unit))
		return html`<p class="hint">${t('support_left_commune')}</p>`;
	if (r === null)
		return html`<p role="status" class="loading">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	return html`<div>
		${r.data.items.length === 0 ? html`<${NoData} text=${t('support_left_none')} />`
			: html`<ul class="left-behind">${r.data.items.map((i) => html`<li data-unit=${i.unit_code}>
				${i.name} · ${t('support_left_' + i.reason)} · ${i.unit_code}</li>`)}</ul>`}
		<p><a href=${'/api/v1/support/left-behind' + qs({ unit, format: 'csv' })} download>${t('support_csv')}</a>
			· <a id="support-left-xlsx" href=${'/api/v1/support/left-behind' + qs({ unit, format: 'xlsx' })} download>${t('download_xlsx')}</a></p>
	</div>`;
}

function AppList({ unit, onDone }) {
	// 200 at a time, "show more" for the next page (the API's cursor).
	const list = usePages('/support/applications' + qs({ unit }), 200);
	if (list.r === null)
		return html`<p role="status" class="loading">${t('loading')}</p>`;
	if (!list.r.ok)
		return html`<${ErrorBox} res=${list.r} />`;
	if (list.items.length === 0)
		return html`<${NoData} />`;
	return html`<ul class="support-apps">${list.items.map((a) => html`<${AppItem} key=${a.id} a=${a} onDone=${onDone} />`)}</ul>
		<${MoreRows} pages=${list} id="support-more" />`;
}

export function Support({ user, unit }) {
	const first = grantsOf(user)[0];
	const u = unit || (first && first.unit_code !== 'VN' ? first.unit_code : '');
	const [n, setN] = useState(0);
	const progs = useGet('/support/programmes');
	const refresh = () => setN((x) => x + 1);
	return html`<section class="support">
		<h1>${t('support_title')}</h1>
		<${EntryForm} unit=${u} programmes=${progs && progs.ok ? progs.data.items : []} onDone=${refresh} />
		<h2>${t('support_list')}</h2>
		<${AppList} key=${'l' + n} unit=${u} onDone=${refresh} />
		<p><a href=${'/api/v1/support/applications' + qs({ unit: u, format: 'csv' })} download>${t('support_csv')}</a>
			· <a id="support-xlsx" href=${'/api/v1/support/applications' + qs({ unit: u, format: 'xlsx' })} download>${t('download_xlsx')}</a></p>
		<h2>${t('support_left_title')}</h2>
		<${LeftBehind} key=${'b' + n} unit=${u} />
	</section>`;
}

// The public posting (niêm yết công khai): names and amounts only.
export function Posting({ unit, programme }) {
	const r = useGet(unit && programme ? '/support/postings' + qs({ unit, programme }) : null);
	if (!unit || !programme)
		return html`<${NoData} />`;
	if (r === null)
		return html`<p role="status" class="loading">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const d = r.data;
	return html`<section class="posting">
		<h1>${t('support_posting_title')}</h1>
		<p>${lang() === 'en' ? d.programme_name.en : d.programme_name.vi} · ${d.unit} · ${fmtDate(d.on)}</p>
		${d.items.length === 0 ? html`<${NoData} />` : html`<table>
			<thead><tr><th>${t('support_name')}</th><th>${t('support_amount')}</th><th>${t('sp_obj_col')}</th></tr></thead>
			<tbody>${d.items.map((i) => html`<${PostedLine} key=${i.line} i=${i} />`)}</tbody>
		</table>`}
		<p>${t('sp_obj_hint')}</p>
	</section>`;
}

// One posted line, and anyone's objection to it while it is posted.
function PostedLine({ i }) {
	const [open, setOpen] = useState(false);
	return html`<tr data-line=${i.line}><td>${i.full_name}</td><td class="num">${money(i.amount)}</td>
		<td><button type="button" class="object" onClick=${() => setOpen(!open)}>${t('sp_obj_open')}</button></td></tr>
		${open ? html`<tr class="objection-row"><td colspan="3"><${ObjectionForm} line=${i.line}
			onClose=${() => setOpen(false)} /></td></tr>` : ''}`;
}
