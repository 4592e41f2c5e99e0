// Support, what anyone may send without an account, on a phone: a citizen
// applies for a programme for himself or his household and keeps the
// tracking code; the tracking page shows the status only; an objection to a
// line of the public posting while it is posted.
import { useState } from 'preact/hooks';
import { post, qs } from './api.js';
import { fmtDate, fmtNumber, lang, t } from './i18n.js';
import { ErrorBox, Field, fieldOf, html, humanize, NoData, parseNumber, useGet } from './ui.js';

const progName = (p) => (p ? (lang() === 'en' ? p.name.en : p.name.vi) : '');
const APPLY_FIELDS = ['programme', 'unit_code', 'full_name', 'id_number', 'address', 'days', 'children_under_6',
	'age', 'order_ref', 'facts'];

function focusInvalid(form) {
	setTimeout(() => form.querySelector('[aria-invalid="true"]')?.focus(), 0);
}

// The server's refusal at its field; a programme's deadline is the programme's.
function errorsOf(res, fields) {
	if (!res || res.ok)
		return {};
	const f = res.error && res.error.field === 'received_on' ? 'programme' : fieldOf(res.error, fields);
	return f ? { [f]: humanize(res.error.message, null, true) } : {};
}

export function SupportApply({ unit }) {
	const progs = useGet('/support/programmes');
	const [v, setV] = useState({ programme: '', unit_code: unit || '', full_name: '', id_number: '', address: '',
		days: '', children_under_6: '', age: '', order_ref: '' });
	const [flags, setFlags] = useState({});
	const [res, setRes] = useState(null);
	const [local, setLocal] = useState({});
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV({ ...v, [k]: x });
	const list = progs && progs.ok ? progs.data.items : [];
	const programme = v.programme || (list[0] ? list[0].id : '');
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const body = { programme, unit_code: v.unit_code.trim(), full_name: v.full_name.trim(),
			id_number: v.id_number.trim(), ...flags };
		const bad = {};
		for (const k of ['days', 'children_under_6', 'age']) {
			const p = parseNumber(v[k], true);
			if (p.error)
				bad[k] = t(p.error);
			else if (p.value !== undefined)
				body[k] = p.value;
		}
		for (const k of ['address', 'order_ref'])
			if (v[k].trim())
				body[k] = v[k].trim();
		for (const k of ['unit_code', 'full_name', 'id_number'])
			if (!body[k])
				bad[k] = t('sp_required');
		setLocal(bad);
		if (Object.keys(bad).length) {
			focusInvalid(form);
			return;
		}
		setBusy(true);
		const r = await post('/support/self-applications', body);
		setBusy(false);
		setRes(r);
		if (!r.ok)
			focusInvalid(form);
	};
	const errors = { ...errorsOf(res, APPLY_FIELDS), ...local };
	const other = res && !res.ok && Object.keys(errorsOf(res, APPLY_FIELDS)).length === 0;
	return html`<section class="support-apply">
		<h1>${t('sp_apply_title')}</h1>
		<p>${t('sp_apply_intro')}</p>
		<form id="form-apply" onSubmit=${submit} novalidate>
			<${Field} name="programme" type="select" label=${t('support_programme')} value=${programme}
				onInput=${set('programme')} errors=${errors} required>
				${list.map((p) => html`<option value=${p.id}>${progName(p)}</option>`)}
			<//>
			<${Field} name="unit_code" label=${t('sp_apply_unit')} value=${v.unit_code} onInput=${set('unit_code')}
				errors=${errors} required hint=${t('sp_apply_unit_hint')} />
			<${Field} name="full_name" label=${t('support_name')} value=${v.full_name} onInput=${set('full_name')}
				errors=${errors} required />
			<${Field} name="id_number" label=${t('support_idn')} value=${v.id_number} onInput=${set('id_number')}
				errors=${errors} required inputmode="numeric" />
			<${Field} name="address" label=${t('support_address')} value=${v.address} onInput=${set('address')} errors=${errors} />
			<${Field} name="days" label=${t('support_days')} value=${v.days} onInput=${set('days')} errors=${errors} inputmode="numeric" />
			<${Field} name="children_under_6" label=${t('support_children')} value=${v.children_under_6}
				onInput=${set('children_under_6')} errors=${errors} inputmode="numeric" />
			<${Field} name="age" label=${t('support_age')} value=${v.age} onInput=${set('age')} errors=${errors} inputmode="numeric" />
			<${Field} name="order_ref" label=${t('support_order')} value=${v.order_ref} onInput=${set('order_ref')} errors=${errors} />
			<fieldset class="checks"><legend>${t('support_facts')}</legend>
				${['registered', 'social_insurance', 'pregnant', 'disabled', 'resident'].map((f) => html`<label>
					<input type="checkbox" name=${f} checked=${!!flags[f]}
						onChange=${(e) => setFlags({ ...flags, [f]: e.currentTarget.checked })} /> ${t('support_' + f)}</label>`)}
				${errors.facts ? html`<p class="field-error" role="alert">${errors.facts}</p>` : ''}
			</fieldset>
			${other ? html`<${ErrorBox} res=${res} />` : ''}
			${res && res.ok ? html`<div class="success" role="status">
				<p>${t('sp_apply_sent')}</p>
				<p class="tracking-code">${res.data.tracking_code}</p>
				<p><a href=${'/support/track' + qs({ code: res.data.tracking_code })}>${t('sp_track_open')}</a></p>
			</div>` : ''}
			<button type="submit" class="primary" disabled=${busy}>${t('sp_apply_send')}</button>
		</form>
	</section>`;
}

// The status of a citizen's application by its code: nothing of the person.
export function SupportTrack({ code }) {
	const r = useGet(code ? '/support/track/' + encodeURIComponent(code) : null);
	if (!code)
		return html`<${NoData} />`;
	if (r === null)
		return html`<p role="status" class="loading">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const d = r.data;
	return html`<section class="support-track">
		<h1>${t('sp_track_title')}</h1>
		<p>${lang() === 'en' ? d.programme_name.en : d.programme_name.vi}</p>
		<p class="status">${t('support_status_' + d.status)}${d.verified ? '' : ' · ' + t('sp_unverified')}</p>
		<p>${t('sp_track_received', fmtDate(d.received_on))}</p>
		${d.step_deadline ? html`<p>${t('support_step', d.step + 1, fmtDate(d.step_deadline))}${d.overdue
			? html` · <span class="overdue">${t('sp_overdue')}</span>` : ''}</p>` : ''}
		${d.status !== 'rejected' ? html`<p>${t('support_amount')}: ${fmtNumber(d.amount)} ₫</p>` : ''}
	</section>`;
}

// Anyone's objection to one posted line, while the posting lasts.
export function ObjectionForm({ line, onClose }) {
	const [v, setV] = useState({ name: '', contact: '', reason: '' });
	const [res, setRes] = useState(null);
	const [local, setLocal] = useState({});
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV({ ...v, [k]: x });
	const id = 'form-object-' + line;
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const bad = {};
		if (!v.name.trim())
			bad.name = t('sp_required');
		if (!v.reason.trim())
			bad.reason = t('sp_required');
		setLocal(bad);
		if (Object.keys(bad).length) {
			focusInvalid(form);
			return;
		}
		const body = { name: v.name.trim(), reason: v.reason.trim() };
		if (v.contact.trim())
			body.contact = v.contact.trim();
		setBusy(true);
		const r = await post(`/support/postings/${line}/objections`, body);
		setBusy(false);
		setRes(r);
		if (!r.ok)
			focusInvalid(form);
	};
	const fields = ['name', 'contact', 'reason'];
	const errors = { ...(res && !res.ok && fieldOf(res.error, fields)
		? { [fieldOf(res.error, fields)]: humanize(res.error.message, null, true) } : {}), ...local };
	return html`<form id=${id} class="objection" onSubmit=${submit} novalidate>
		<${Field} name="name" label=${t('sp_obj_name')} value=${v.name} onInput=${set('name')} errors=${errors} required />
		<${Field} name="contact" label=${t('sp_obj_contact')} value=${v.contact} onInput=${set('contact')} errors=${errors} />
		<${Field} name="reason" type="textarea" label=${t('sp_obj_reason')} value=${v.reason} onInput=${set('reason')}
			errors=${errors} required />
		${res && !res.ok && !fieldOf(res.error, fields) ? html`<${ErrorBox} res=${res} />` : ''}
		${res && res.ok ? html`<p class="success" role="status">${t('sp_obj_sent')}</p>` : ''}
		<div class="buttons">
			<button type="submit" class="primary" disabled=${busy}>${t('sp_obj_send')}</button>
			<button type="button" onClick=${onClose}>${t('sp_obj_close')}</button>
		</div>
	</form>`;
}
