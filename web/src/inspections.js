// Inspections on a phone: the list of those the official may see, a new
// plan (team, target unit or business, checklist template), then on the
// inspection's page the checklist with a finding per item, the conclusion
// with follow-up actions and their deadlines, an action reported done, and
// a reward or discipline decision that follows from it.
import { useState } from 'preact/hooks';
import { api, get, post } from './api.js';
import { fmtDate, lang, t, todayVN } from './i18n.js';
import { DateField, ErrorBox, Field, html, Link, navigate, NoData, UnitField, useGet, XlsxLink } from './ui.js';
import { Outcome, required, useForm } from './entry.js';

const tr = (o) => (o ? o[lang()] || o.vi : '');
const grantUnit = (user) => {
	const g = (user.grants || []).find((x) => x.unit_code !== 'VN');
	return g ? g.unit_code : '';
};

// "Họ tên, vai trò" per line.
function parseTeam(text) {
	return String(text || '').split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
		const i = l.lastIndexOf(',');
		return i > 0 ? { name: l.slice(0, i).trim(), role: l.slice(i + 1).trim() } : { name: l, role: '' };
	});
}

function Check({ name, label, checked, onChange }) {
	return html`<div class="field check"><label><input type="checkbox" name=${name} checked=${checked}
		onChange=${(e) => onChange(e.currentTarget.checked)} /> ${label}</label></div>`;
}

function NewInspection({ user, templates }) {
	const unit = grantUnit(user);
	const names = ['title', 'issuer', 'unit_code', 'template', 'tax_code', 'business_name', 'period_from',
		'period_to', 'kind', 'team'];
	const f = useForm({ title: '', issuer: unit, unit_code: '', template: templates[0]?.code || '',
		tax_code: '', business_name: '', period_from: todayVN(), period_to: todayVN(), kind: 'announced',
		public: false, team: '' }, names, (r) => (/^team/.test(r.error?.field || '') ? 'team' : null));
	const tpl = templates.find((x) => x.code === f.v.template);
	const business = tpl && tpl.target === 'business';
	const submit = (e) => f.run(e, async (v) => {
		const r = await post('/inspections', {
			title: v.title, issuer: v.issuer, period_from: v.period_from, period_to: v.period_to, kind: v.kind,
			public: v.public, template: v.template, team: parseTeam(v.team),
			target: business ? { unit_code: v.unit_code, tax_code: v.tax_code, business_name: v.business_name }
				: { unit_code: v.unit_code },
		});
		if (r.ok)
			navigate('/inspections?id=' + r.data.id);
		return r;
	}, (v) => {
		const e = required(v, ['title', 'issuer', 'unit_code', 'period_from', 'period_to']);
		if (parseTeam(v.team).some((m) => !m.role))
			e.team = t('insp_team_bad');
		return e;
	});
	return html`<form onSubmit=${submit} novalidate id="form-inspection" aria-labelledby="h-new-insp">
		<h2 id="h-new-insp">${t('insp_new')}</h2>
		<div class="grid">
			<${Field} name="title" label=${t('insp_title')} value=${f.v.title} onInput=${f.set('title')} errors=${f.errors} required />
			<${UnitField} name="issuer" label=${t('insp_issuer')} value=${f.v.issuer} onInput=${f.set('issuer')} errors=${f.errors} required within=${unit} />
			<${Field} name="template" type="select" label=${t('insp_template')} value=${f.v.template} onInput=${f.set('template')} errors=${f.errors}>
				${templates.map((x) => html`<option value=${x.code}>${tr(x.name)}</option>`)}<//>
			<${UnitField} name="unit_code" label=${business ? t('insp_business_place') : t('insp_target')} value=${f.v.unit_code}
				onInput=${f.set('unit_code')} errors=${f.errors} required within=${unit} />
			${business ? html`
				<${Field} name="tax_code" label=${t('insp_tax_code')} value=${f.v.tax_code} onInput=${f.set('tax_code')} errors=${f.errors}
					required inputmode="numeric" hint=${t('insp_tax_code_hint')} autocomplete="off" />
				<${Field} name="business_name" label=${t('insp_business_name')} value=${f.v.business_name}
					onInput=${f.set('business_name')} errors=${f.errors} required />` : ''}
			<${DateField} name="period_from" label=${t('insp_from')} iso=${f.v.period_from} onChange=${f.set('period_from')} errors=${f.errors} required />
			<${DateField} name="period_to" label=${t('insp_to')} iso=${f.v.period_to} onChange=${f.set('period_to')} errors=${f.errors} required />
			<${Field} name="kind" type="select" label=${t('insp_kind')} value=${f.v.kind} onInput=${f.set('kind')} errors=${f.errors}>
				<option value="announced">${t('insp_kind_announced')}</option><option value="surprise">${t('insp_kind_surprise')}</option><//>
			<${Check} name="public" label=${t('insp_public')} checked=${f.v.public} onChange=${f.set('public')} />
			<${Field} name="team" type="textarea" label=${t('insp_team')} value=${f.v.team} onInput=${f.set('team')} errors=${f.errors}
				hint=${t('insp_team_hint')} />
		</div>
		<${Outcome} f=${f} ok=${() => t('saved')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('insp_create')}</button>
	</form>`;
}

const STATUS_CLASS = { open: '', done: 'done', overdue: 'overdue' };

// The checklist: pass / fail / not applicable and a note per item.
function Findings({ insp, onSaved }) {
	const init = {};
	for (const c of insp.checklist) {
		init['result-' + c.item] = c.result || '';
		init['note-' + c.item] = c.note || '';
	}
	let sent = [];
	const f = useForm(init, [], (r) => {
		const m = /^items\[(\d+)\]\.(\w+)$/.exec(r.error?.field || '');
		return m && sent[+m[1]] ? (m[2] === 'result' ? 'result-' : 'note-') + sent[+m[1]] : null;
	});
	const submit = (e) => f.run(e, async (v) => {
		sent = insp.checklist.map((c) => c.item).filter((i) => v['result-' + i]);
		const r = await api('PUT', `/inspections/${insp.id}/findings`, { items: sent.map((i) => ({
			item: i, result: v['result-' + i], note: v['note-' + i] || undefined })) });
		if (r.ok)
			onSaved(r.data);
		return r;
	}, (v) => (insp.checklist.some((c) => v['result-' + c.item]) ? {} : { ['result-' + insp.checklist[0].item]: t('insp_no_result') }));
	return html`<form onSubmit=${submit} novalidate id="form-findings" aria-labelledby="h-findings">
		<h2 id="h-findings">${t('insp_checklist')}</h2>
		<ol class="checklist">${insp.checklist.map((c) => html`<li key=${c.item}>
			<fieldset class=${'finding' + (f.errors['result-' + c.item] ? ' has-error' : '')}>
				<legend>${lang() === 'en' ? c.en : c.vi}</legend>
				<div class="choices">${['pass', 'fail', 'na'].map((x) => html`<label>
					<input type="radio" name=${'result-' + c.item} value=${x} checked=${f.v['result-' + c.item] === x}
						aria-invalid=${f.errors['result-' + c.item] ? 'true' : undefined}
						onChange=${() => f.set('result-' + c.item)(x)} /> ${t('insp_result_' + x)}</label>`)}</div>
				${f.errors['result-' + c.item] ? html`<p class="field-error">${f.errors['result-' + c.item]}</p>` : ''}
				<${Field} name=${'note-' + c.item} type="textarea" label=${t('insp_note')} value=${f.v['note-' + c.item]}
					onInput=${f.set('note-' + c.item)} errors=${f.errors} />
			</fieldset></li>`)}</ol>
		<${Outcome} f=${f} ok=${() => t('saved')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('insp_save_findings')}</button>
	</form>`;
}

function Conclusion({ insp, onSaved }) {
	const [rows, setRows] = useState(1);
	const names = ['conclusion', 'concluded_on'];
	const f = useForm({ conclusion: '', concluded_on: todayVN(), 'description-0': '', 'deadline-0': '' }, names, (r) => {
		const m = /^actions\[(\d+)\]\.(\w+)$/.exec(r.error?.field || '');
		return m ? `${m[2]}-${m[1]}` : null;
	});
	const idx = [...Array(rows).keys()];
	const submit = (e) => f.run(e, async (v) => {
		const actions = idx.filter((i) => v['description-' + i] || v['deadline-' + i])
			.map((i) => ({ description: v['description-' + i], deadline: v['deadline-' + i] }));
		const r = await post(`/inspections/${insp.id}/conclusion`, { conclusion: v.conclusion,
			concluded_on: v.concluded_on, actions });
		if (r.ok)
			onSaved(r.data);
		return r;
	}, (v) => required(v, ['conclusion', 'concluded_on']));
	return html`<form onSubmit=${submit} novalidate id="form-conclusion" aria-labelledby="h-conclusion">
		<h2 id="h-conclusion">${t('insp_conclusion')}</h2>
		<${Field} name="conclusion" type="textarea" label=${t('insp_conclusion')} value=${f.v.conclusion}
			onInput=${f.set('conclusion')} errors=${f.errors} required />
		<${DateField} name="concluded_on" label=${t('insp_concluded_on')} iso=${f.v.concluded_on} onChange=${f.set('concluded_on')} errors=${f.errors} required />
		<h3>${t('insp_actions')}</h3>
		${idx.map((i) => html`<div class="action-row" key=${i}>
			<${Field} name=${'description-' + i} label=${t('insp_action_what')} value=${f.v['description-' + i] || ''}
				onInput=${f.set('description-' + i)} errors=${f.errors} />
			<${DateField} name=${'deadline-' + i} label=${t('insp_deadline')} iso=${f.v['deadline-' + i] || ''}
				onChange=${f.set('deadline-' + i)} errors=${f.errors} />
		</div>`)}
		<div class="actions"><button type="button" onClick=${() => setRows(rows + 1)}>${t('insp_add_action')}</button></div>
		<${Outcome} f=${f} ok=${() => t('saved')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('insp_conclude')}</button>
	</form>`;
}

function ActionDone({ action, onSaved }) {
	const id = 'form-done-' + action.id;
	const f = useForm({ done_on: todayVN(), note: '' }, ['done_on', 'note']);
	const submit = (e) => f.run(e, async (v) => {
		const r = await post(`/inspection-actions/${action.id}/done`, { done_on: v.done_on, note: v.note || undefined });
		if (r.ok)
			onSaved();
		return r;
	}, (v) => required(v, ['done_on']));
	return html`<form onSubmit=${submit} novalidate id=${id} class="inline-form" aria-label=${t('insp_mark_done')}>
		<div class="row2">
			<${DateField} name="done_on" label=${t('insp_done_on')} iso=${f.v.done_on} onChange=${f.set('done_on')} errors=${f.errors} required />
			<${Field} name="note" label=${t('insp_note')} value=${f.v.note} onInput=${f.set('note')} errors=${f.errors} />
		</div>
		<${Outcome} f=${f} ok=${() => t('saved')} />
		<button type="submit" disabled=${f.busy}>${t('insp_mark_done')}</button>
	</form>`;
}

function DecisionForm({ insp }) {
	const names = ['kind', 'form', 'number', 'person_name', 'unit_code', 'reason', 'decided_on', 'issuer'];
	const f = useForm({ kind: 'reward', form: '', number: '', person_name: '', unit_code: insp.target.unit_code,
		reason: '', decided_on: todayVN(), issuer: insp.issuer, public: true }, names);
	const submit = (e) => f.run(e, (v) => post('/decisions', { kind: v.kind, form: v.form, number: v.number,
		person_name: v.person_name || undefined, unit_code: v.unit_code || undefined, reason: v.reason,
		decided_on: v.decided_on, issuer: v.issuer, inspection_id: insp.id, public: v.public }),
	(v) => required(v, ['form', 'number', 'reason', 'decided_on', 'issuer']));
	return html`<form onSubmit=${submit} novalidate id="form-decision" aria-labelledby="h-decision">
		<h2 id="h-decision">${t('dec_new')}</h2>
		<div class="grid">
			<${Field} name="kind" type="select" label=${t('dec_kind')} value=${f.v.kind} onInput=${f.set('kind')} errors=${f.errors}>
				<option value="reward">${t('dec_kind_reward')}</option><option value="discipline">${t('dec_kind_discipline')}</option><//>
			<${Field} name="form" label=${t('dec_form')} value=${f.v.form} onInput=${f.set('form')} errors=${f.errors} required
				hint=${t('dec_form_hint')} />
			<${Field} name="number" label=${t('dec_number')} value=${f.v.number} onInput=${f.set('number')} errors=${f.errors} required />
			<${Field} name="person_name" label=${t('dec_person')} value=${f.v.person_name} onInput=${f.set('person_name')} errors=${f.errors} />
			<${UnitField} name="unit_code" label=${t('dec_unit')} value=${f.v.unit_code} onInput=${f.set('unit_code')} errors=${f.errors} within=${insp.issuer} />
			<${Field} name="reason" type="textarea" label=${t('dec_reason')} value=${f.v.reason} onInput=${f.set('reason')} errors=${f.errors} required />
			<${DateField} name="decided_on" label=${t('dec_date')} iso=${f.v.decided_on} onChange=${f.set('decided_on')} errors=${f.errors} required />
			<${UnitField} name="issuer" label=${t('insp_issuer')} value=${f.v.issuer} onInput=${f.set('issuer')} errors=${f.errors} required />
			<${Check} name="public" label=${t('dec_public')} checked=${f.v.public} onChange=${f.set('public')} />
		</div>
		<${Outcome} f=${f} ok=${() => t('saved')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('dec_save')}</button>
	</form>`;
}

function Detail({ id }) {
	// What a form saved replaces the inspection shown, without a reload
	// (the forms keep their state and their "saved" line).
	const r = useGet(`/inspections/${id}`);
	const [shown, setShown] = useState(null);
	const reload = () => get(`/inspections/${id}`).then((q) => q.ok && setShown(q.data));
	if (!r)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const x = shown || r.data;
	const target = x.target.tax_code ? `${x.target.business_name} (${t('insp_tax_code')} ${x.target.tax_code})` : x.target.unit_code;
	return html`<section class="inspection">
		<p><${Link} href="/inspections">${t('insp_back')}<//></p>
		<h1>${x.title}</h1>
		<dl class="facts">
			<dt>${t('insp_status')}</dt><dd><span class="flag kind" id="insp-status">${t('insp_status_' + x.status)}</span></dd>
			<dt>${t('insp_target')}</dt><dd>${target}</dd>
			<dt>${t('insp_period')}</dt><dd>${fmtDate(x.period_from)} – ${fmtDate(x.period_to)}</dd>
			<dt>${t('insp_kind')}</dt><dd>${t('insp_kind_' + x.kind)}${x.public ? ' · ' + t('insp_public_short') : ''}</dd>
			<dt>${t('insp_team')}</dt><dd>${x.team.length ? x.team.map((m) => `${m.name} (${m.role})`).join('; ') : '—'}</dd>
		</dl>
		${x.status === 'planned' ? html`<${Findings} insp=${x} onSaved=${setShown} />
			<${Conclusion} insp=${x} onSaved=${setShown} />` : html`
			<h2>${t('insp_checklist')}</h2>
			<ol class="checklist">${x.checklist.map((c) => html`<li>${lang() === 'en' ? c.en : c.vi}:
				<strong>${c.result ? t('insp_result_' + c.result) : '—'}</strong>${c.note ? ' — ' + c.note : ''}</li>`)}</ol>
			<h2>${t('insp_conclusion')}</h2>
			<p>${x.conclusion} (${fmtDate(x.concluded_on)})</p>
			<h2>${t('insp_actions')}</h2>
			${x.actions.length ? html`<ul class="iso-list">${x.actions.map((a) => html`<li class=${'iso-card ' + STATUS_CLASS[a.status]} data-action=${a.id}>
				<p><strong>${a.description}</strong></p>
				<p>${t('insp_deadline')}: ${fmtDate(a.deadline)} · <span class=${'flag ' + STATUS_CLASS[a.status]}>${t('insp_action_' + a.status)}</span>
					${a.done_on ? ' · ' + t('insp_done_on') + ': ' + fmtDate(a.done_on) : ''}</p>
				${a.status !== 'done' ? html`<${ActionDone} action=${a} onSaved=${reload} />` : ''}
			</li>`)}</ul>` : html`<${NoData} />`}`}
		<${DecisionForm} insp=${x} />
	</section>`;
}

export function Inspections({ user, id }) {
	const list = useGet(id ? null : '/inspections');
	const templates = useGet('/inspections/templates');
	if (id)
		return html`<${Detail} id=${id} key=${id} />`;
	return html`<section>
		<h1>${t('insp_list')}</h1>
		${!list ? html`<p class="loading" role="status">${t('loading')}</p>` : !list.ok ? html`<${ErrorBox} res=${list} />`
			: !list.data.items.length ? html`<${NoData} />` : html`<ul class="iso-list">${list.data.items.map((x) => html`<li class="iso-card">
				<h3><${Link} href=${'/inspections?id=' + x.id}>${x.title}<//></h3>
				<p>${fmtDate(x.period_from)} – ${fmtDate(x.period_to)} · ${t('insp_kind_' + x.kind)} · ${t('insp_status_' + x.status)}</p>
			</li>`)}</ul>
			<p><${XlsxLink} id="insp-xlsx" path="/inspections" /></p>`}
		${templates && templates.ok ? html`<${NewInspection} user=${user} templates=${templates.data.items} />` : ''}
	</section>`;
}
