// A province's own feedback categories (/feedback/categories): its
// officials list them (those in use and the retired ones, with the day),
// add one (code, names, deadline in working days, level, department), edit
// the names, deadline and department, and retire one (it takes no new
// request; older ones keep it).  Each form checks its fields before it
// sends and shows the API's refusal at the field it names.
import { useState } from 'preact/hooks';
import { api, post, qs } from './api.js';
import { fmtDate, fmtNumber, lang, t } from './i18n.js';
import { grantsOf } from './roles.js';
import { ErrorBox, Field, html, Link, NoData, useGet } from './ui.js';
import { useSend } from './feedback.js';

const LEVELS = ['commune', 'district', 'province'];
const EDIT_FIELDS = ['name_vi', 'name_en', 'days', 'department'];
const ADD_FIELDS = ['code', ...EDIT_FIELDS, 'level', 'province_code'];
const enc = encodeURIComponent;

// The province the user may manage: ?unit=, else a province grant of an official.
function provinceOf(user, unit) {
	if (/^\d{2}$/.test(unit || ''))
		return unit;
	const g = grantsOf(user).find((x) => /^\d{2}$/.test(x.unit_code) && x.role !== 'citizen');
	return g ? g.unit_code : null;
}

// What the form can tell before sending: required fields, the code's
// letters, the days a whole number 1..60.
function check(v, fields) {
	const e = {};
	for (const f of fields)
		if (!String(v[f] ?? '').trim())
			e[f] = t('fbc_need');
	if (fields.includes('code') && !e.code && !/^[a-z0-9_]{1,31}$/.test(v.code.trim()))
		e.code = t('fbc_need_code');
	if (!e.days && !(/^\d{1,2}$/.test(String(v.days).trim()) && +v.days >= 1 && +v.days <= 60))
		e.days = t('fbc_need_days');
	return e;
}

const body = (v, fields) => Object.fromEntries(fields.map((f) => [f, f === 'days' ? +String(v.days).trim()
	: String(v[f]).trim()]));

function CategoryForm({ id, fields, initial, title, submitLabel, call, onDone, onCancel }) {
	const [v, setV] = useState(initial);
	const { errors, res, busy, send } = useSend(fields);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const submit = (e) => send(e, check(v, fields.filter((f) => f !== 'level' && f !== 'province_code')),
		() => call(body(v, fields))).then((r) => r && r.ok && onDone(r.data));
	const f = (name, label, extra = {}) => html`<${Field} name=${name} label=${label} value=${v[name]}
		onInput=${set(name)} errors=${errors} required ...${extra} />`;
	return html`<form id=${id} class="card fbc-form" onSubmit=${submit} novalidate aria-labelledby=${id + '-h'}>
		<h2 id=${id + '-h'}>${title}</h2>
		${fields.includes('code') ? f('code', t('fbc_code'), { hint: html`${t('fbc_code_hint')} <code>rac_thai</code>`, autocomplete: 'off' }) : ''}
		${f('name_vi', t('fbc_name_vi'))}
		${f('name_en', t('fbc_name_en'))}
		${f('days', t('fbc_days'), { inputmode: 'numeric' })}
		${fields.includes('level') ? html`<${Field} name="level" type="select" label=${t('fbc_level')} value=${v.level}
			onInput=${set('level')} errors=${errors}>
			${LEVELS.map((l) => html`<option value=${l}>${t('fbc_level_' + l)}</option>`)}<//>` : ''}
		${f('department', t('fb_department'))}
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<div class="actions">
			<button type="submit" class="primary" disabled=${busy}>${submitLabel}</button>
			${onCancel ? html`<button type="button" onClick=${onCancel}>${t('fbc_cancel')}</button>` : ''}
		</div>
	</form>`;
}

function RetireButton({ c, onDone }) {
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const go = async () => {
		setBusy(true);
		const r = await post(`/feedback/categories/${enc(c.province_code)}/${enc(c.code)}/retire`, {});
		setBusy(false);
		setRes(r);
		if (r.ok)
			onDone(r.data);
	};
	return html`<button type="button" class=${'fbc-retire'} data-code=${c.code} disabled=${busy}
		onClick=${go}>${t('fbc_retire')}</button>${res && !res.ok ? html`<${ErrorBox} res=${res} />` : ''}`;
}

export function FeedbackCategories({ user, unit }) {
	const prov = provinceOf(user, unit);
	const [gen, setGen] = useState(0);
	const [editing, setEditing] = useState(null);
	const [done, setDone] = useState(null);
	const r = useGet(prov ? '/feedback/categories' + qs({ unit: prov, all: 1, v: gen || '' }) : null);
	const pr = useGet(prov ? '/units/' + enc(prov) : null);
	if (!prov)
		return html`<section><h1>${t('fbc_title')}</h1><p class="error" role="alert">${t('fbc_need_province')}</p></section>`;
	if (!r)
		return html`<section><h1>${t('fbc_title')}</h1><p class="loading" role="status">${t('loading')}</p></section>`;
	if (!r.ok)
		return html`<section><h1>${t('fbc_title')}</h1><${ErrorBox} res=${r} /></section>`;
	const name = pr && pr.ok ? pr.data.name : prov;
	const own = r.data.items.filter((c) => c.province_code === prov);
	const after = (msg) => (c) => { setDone(t(msg, c.name[lang()] || c.name.vi)); setEditing(null); setGen(gen + 1); };
	return html`<section class="fb-cats" id="fb-cats">
		<h1>${t('fbc_title')} — ${name}</h1>
		<p class="hint">${t('fbc_intro')}</p>
		<p><${Link} href=${'/feedback/queue' + qs({ unit: prov })}>${t('fb_queue_title')} →<//></p>
		${done ? html`<p class="success" role="status" id="fbc-done">${done}</p>` : ''}
		${!own.length ? html`<${NoData} text=${t('fbc_empty')} />` : html`<div class="table-wrap"><table id="fbc-list">
			<caption>${t('fbc_caption', name)}</caption>
			<thead><tr>${['fbc_code', 'fbc_name_vi', 'fbc_name_en', 'fbc_days', 'fbc_level', 'fb_department', 'fbc_state', '']
				.map((k) => html`<th scope="col">${k ? t(k) : ''}</th>`)}</tr></thead>
			<tbody>${own.map((c) => html`<tr key=${c.code} data-code=${c.code} class=${c.retired ? 'retired' : ''}>
				<th scope="row"><code>${c.code}</code></th><td>${c.name.vi}</td><td>${c.name.en}</td>
				<td>${fmtNumber(c.days)}</td><td>${t('fbc_level_' + c.level)}</td><td>${c.department}</td>
				<td class="fbc-state">${c.retired ? t('fbc_retired_on', fmtDate(c.retired_on)) : t('fbc_in_use')}</td>
				<td>${c.retired ? '' : html`<button type="button" class="fbc-edit" data-code=${c.code}
					onClick=${() => { setEditing(c); setDone(null); }}>${t('fbc_edit')}</button>
					<${RetireButton} c=${c} onDone=${after('fbc_retired')} />`}</td></tr>`)}</tbody>
		</table></div>`}
		${editing ? html`<${CategoryForm} id="fbc-edit-form" key=${'e' + editing.code} fields=${EDIT_FIELDS}
			title=${t('fbc_edit_title', editing.name[lang()] || editing.name.vi)} submitLabel=${t('fbc_save')} onCancel=${() => setEditing(null)}
			initial=${{ name_vi: editing.name.vi, name_en: editing.name.en, days: String(editing.days),
				department: editing.department }}
			call=${(b) => api('PUT', `/feedback/categories/${enc(prov)}/${enc(editing.code)}`, b)} onDone=${after('fbc_saved')} />`
		: html`<${CategoryForm} id="fbc-add-form" key=${'a' + gen} fields=${ADD_FIELDS} title=${t('fbc_add')}
			submitLabel=${t('fbc_add')}
			initial=${{ code: '', name_vi: '', name_en: '', days: '', level: 'commune', department: '', province_code: prov }}
			call=${(b) => post('/feedback/categories', b)} onDone=${after('fbc_added')} />`}
	</section>`;
}
