// A case's page (/cases/{id}) for the officials and health workers in its
// scope: the person (as the reader may see them), the case, its contacts,
// the person's lab tests and the isolations around the case.  Severity,
// phone, address and the outcome are edited in place; an isolation is
// opened from the case or from a contact in one step.
import { useEffect, useState } from 'preact/hooks';
import { api, get, qs } from './api.js';
import { fmtDate, t } from './i18n.js';
import { DateField, ErrorBox, Field, html, Link, useGet } from './ui.js';
import { Outcome, required, useForm } from './entry.js';
import { OpenIsolation, placeText } from './followup.js';
import { mayIsolate } from './roles.js';

const SEVERITIES = ['asymptomatic', 'mild', 'moderate', 'severe', 'critical'];
const patch = (path, body) => api('PATCH', path, body);

// Where the person lives, as the follow-up list names it (the household's
// name and address), its code beside it for a search.
function UnitPlace({ code }) {
	const u = useGet(code ? '/units/' + encodeURIComponent(code) : null);
	const place = u && u.ok ? placeText({ code, name: u.data.name, address: u.data.address }) : null;
	return html`<span id="cs-unit">${place && place !== code ? html`${place} <small class="hint">(${code})</small>` : code}</span>`;
}

// The case, its contacts and its file, loaded together; reload() after an edit.
function useCase(id) {
	const [state, setState] = useState(null);
	const load = async () => {
		const [c, contacts, file] = await Promise.all([get('/cases/' + id), get(`/cases/${id}/contacts`),
			get(`/cases/${id}/file`)]);
		setState({ c, contacts, file });
	};
	useEffect(() => { setState(null); load(); }, [id]);
	return [state, load];
}

function Row({ label, children, id }) {
	return html`<div class="kv"><dt>${label}</dt><dd id=${id}>${children ?? '—'}</dd></div>`;
}

function PersonEdit({ person, onSaved }) {
	const f = useForm({ phone: person.phone || '', address: person.address || '' }, ['phone', 'address']);
	const submit = (e) => f.run(e, (v) => patch('/people/' + person.id, { phone: v.phone.trim(), address: v.address.trim() }))
		.then((r) => r && r.ok && onSaved());
	return html`<form id="form-person" onSubmit=${submit} novalidate aria-labelledby="h-person-edit" class="inline-form">
		<h3 id="h-person-edit">${t('cs_edit_contact')}</h3>
		<${Field} name="phone" label=${t('cs_phone')} value=${f.v.phone} onInput=${f.set('phone')} errors=${f.errors}
			inputmode="tel" autocomplete="off" placeholder="0912 345 678" />
		<${Field} name="address" label=${t('f_address')} value=${f.v.address} onInput=${f.set('address')} errors=${f.errors} autocomplete="off" />
		<${Outcome} f=${f} ok=${() => t('cs_saved')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('save')}</button>
	</form>`;
}

function CaseEdit({ c, onSaved }) {
	const names = ['severity', 'outcome', 'outcome_on'];
	const f = useForm({ severity: c.severity || 'asymptomatic', outcome: c.outcome || '', outcome_on: c.outcome_on || '' }, names);
	const submit = (e) => f.run(e, (v) => patch('/cases/' + c.id, { severity: v.severity, outcome: v.outcome || undefined,
		outcome_on: v.outcome ? v.outcome_on : undefined }),
	(v) => (v.outcome ? required(v, ['outcome_on']) : {})).then((r) => r && r.ok && onSaved());
	return html`<form id="form-case-edit" onSubmit=${submit} novalidate aria-labelledby="h-case-edit" class="inline-form">
		<h3 id="h-case-edit">${t('cs_edit_case')}</h3>
		<${Field} name="severity" type="select" label=${t('col_severity')} value=${f.v.severity} onInput=${f.set('severity')} errors=${f.errors}>
			${SEVERITIES.map((s) => html`<option value=${s}>${t('sev_' + s)}</option>`)}<//>
		<${Field} name="outcome" type="select" label=${t('col_outcome')} value=${f.v.outcome} onInput=${f.set('outcome')} errors=${f.errors}>
			${c.outcome ? '' : html`<option value="">${t('cs_outcome_none')}</option>`}
			<option value="recovered">${t('out_recovered')}</option><option value="died">${t('out_died')}</option><//>
		${f.v.outcome ? html`<${DateField} name="outcome_on" label=${t('cs_outcome_on')} iso=${f.v.outcome_on}
			onChange=${f.set('outcome_on')} errors=${f.errors} required />` : ''}
		<${Outcome} f=${f} ok=${() => t('cs_saved')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('save')}</button>
	</form>`;
}

// Where an isolation stands: since when, until when, released.
function isoText(i) {
	return t('isolated_since', fmtDate(i.started_on)) + (i.released_on ? ' · ' + t('cs_released', fmtDate(i.released_on))
		: i.planned_end ? ' · ' + t('planned_to', fmtDate(i.planned_end)) : '');
}

function Contacts({ items, isolations, canIsolate, onOpened }) {
	if (!items.length)
		return html`<p class="nodata">${t('cs_no_contacts')}</p>`;
	return html`<ul class="iso-list" id="case-contacts">${items.map((k) => {
		const iso = isolations.find((i) => i.contact_id === k.id);
		return html`<li class="iso-card" data-contact=${k.id} key=${k.id}>
			<h3>${k.person.full_name} <small>(${t('degree_' + k.degree)})</small></h3>
			<p>${t('cs_exposed', fmtDate(k.exposure_on))} · ${t('quarantine_period', fmtDate(k.quarantine_start), fmtDate(k.quarantine_end))}</p>
			${iso ? html`<p class="flags"><span class="flag kind">${isoText(iso)}</span></p>`
				: canIsolate ? html`<${OpenIsolation} person_id=${k.person.id} unit_code=${k.person.unit_code} contact_id=${k.id}
					started_on=${k.quarantine_start} planned_end=${k.quarantine_end} onOpened=${onOpened} />` : ''}
		</li>`;
	})}</ul>`;
}

export function CasePage({ id, user }) {
	const [s, reload] = useCase(id);
	const [editing, setEditing] = useState(null);   // 'person' | 'case' | null
	if (s === null)
		return html`<p role="status">${t('loading')}</p>`;
	if (!s.c.ok)
		return html`<section><h1>${t('cs_title', id)}</h1>${s.c.status === 404
			? html`<p class="error" role="alert">${t('cs_not_found')}</p>` : html`<${ErrorBox} res=${s.c} />`}</section>`;
	const c = s.c.data, p = c.person;
	const contacts = s.contacts.ok ? s.contacts.data.items : [];
	const file = s.file.ok ? s.file.data : { tests: [], isolations: [] };
	const canIsolate = mayIsolate(user);
	const own = file.isolations.filter((i) => i.case_id === c.id || i.person_id === p.id);
	const saved = () => reload();
	const toggle = (what) => () => setEditing(editing === what ? null : what);
	return html`<section class="casepage" aria-labelledby="h-case">
		<h1 id="h-case">${t('cs_title', c.id)}${p.full_name ? ' · ' + p.full_name : ''}</h1>
		<p><${Link} href=${'/followup' + qs({ unit: c.commune_code || c.unit_code })}>${t('followup_open')}<//></p>
		<article class="card" aria-labelledby="h-cs-person">
			<h2 id="h-cs-person">${t('cs_person')}</h2>
			<dl class="kvs">
				<${Row} label=${t('f_full_name')}>${p.full_name}<//>
				<${Row} label=${t('f_id_number')}>${p.id_number}<//>
				<${Row} label=${t('f_birth_year')}>${p.birth_year}<//>
				<${Row} label=${t('f_sex')}>${p.sex ? t('sex_' + p.sex) : null}<//>
				<${Row} label=${t('col_unit')}><${UnitPlace} code=${c.unit_code} /><//>
				<${Row} label=${t('cs_phone')} id="cs-phone">${p.phone}<//>
				<${Row} label=${t('f_address')} id="cs-address">${p.address}<//>
			</dl>
			${p.id ? html`<button type="button" id="edit-person" aria-expanded=${editing === 'person'} onClick=${toggle('person')}>${t('cs_edit_contact')}</button>` : ''}
			${editing === 'person' ? html`<${PersonEdit} person=${p} onSaved=${saved} />` : ''}
		</article>
		<article class="card" aria-labelledby="h-cs-case">
			<h2 id="h-cs-case">${t('cs_case')}</h2>
			<dl class="kvs">
				<${Row} label=${t('col_detected')}>${fmtDate(c.detected_on)}<//>
				<${Row} label=${t('col_source')}>${t('src_' + c.source)}<//>
				<${Row} label=${t('f_test_type')}>${c.test_type === 'rt-pcr' ? t('test_rt_pcr') : t('test_antigen')}<//>
				<${Row} label=${t('col_severity')} id="cs-severity">${t('sev_' + c.severity)}<//>
				<${Row} label=${t('col_outcome')} id="cs-outcome">${c.outcome ? `${t('out_' + c.outcome)} · ${fmtDate(c.outcome_on)}` : t('cs_outcome_none')}<//>
			</dl>
			<button type="button" id="edit-case" aria-expanded=${editing === 'case'} onClick=${toggle('case')}>${t('cs_edit_case')}</button>
			${editing === 'case' ? html`<${CaseEdit} c=${c} onSaved=${saved} />` : ''}
		</article>
		<article class="card" aria-labelledby="h-cs-iso">
			<h2 id="h-cs-iso">${t('cs_isolation')}</h2>
			${own.length ? html`<ul id="case-isolations">${own.map((i) => html`<li>${isoText(i)}</li>`)}</ul>`
				: canIsolate && !c.outcome && p.id ? html`<${OpenIsolation} person_id=${p.id} unit_code=${c.unit_code} case_id=${c.id}
					started_on=${c.detected_on} onOpened=${reload} />` : html`<p class="nodata">${t('cs_no_isolation')}</p>`}
		</article>
		<article class="card" aria-labelledby="h-cs-contacts">
			<h2 id="h-cs-contacts">${t('cs_contacts')}</h2>
			${s.contacts.ok ? html`<${Contacts} items=${contacts} isolations=${file.isolations} canIsolate=${canIsolate} onOpened=${reload} />`
				: html`<${ErrorBox} res=${s.contacts} />`}
			<p><${Link} href=${'/entry' + qs({ form: 'contact', case: c.id })}>${t('cs_add_contact')}<//></p>
		</article>
		<article class="card" aria-labelledby="h-cs-tests">
			<h2 id="h-cs-tests">${t('cs_tests')}</h2>
			${file.tests.length ? html`<ul id="case-tests">${file.tests.map((x) => html`<li>${fmtDate(x.taken_on)} ·
				${x.test_type === 'rt-pcr' ? t('test_rt_pcr') : t('test_antigen')} · ${t('result_' + x.result)}</li>`)}</ul>`
				: html`<p class="nodata">${t('cs_no_tests')}</p>`}
		</article>
	</section>`;
}
