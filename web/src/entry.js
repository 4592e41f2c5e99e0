// Data entry for officials: a case, its contacts (F1/F2), a test result,
// an isolation check-in, a zone opened or ended, hamlets and households,
// weekly indicators (form or CSV with the per-line error), an assessment, a
// level decision.  A 422 names its field: the message is shown at that field.
import { HAMLET_TYPES } from './constants.js';
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs } from './api.js';
import { fmtDate, fmtNumber, lang, t, todayVN } from './i18n.js';
import { DateField, ErrorBox, Field, fieldOf, html, humanize, LevelBadge, Link, navigate, parseNumber, UnitField } from './ui.js';
import { formScope, formUnit, mayIsolate, mayUseForm } from './roles.js';
import { OpenIsolation, placeText, sendCheckin, SpO2Alert } from './followup.js';
import { submit as submitWrite } from './outbox.js';
import { CasePicker, PersonPicker, RuleSetPicker } from './pickers.js';


// Form state, the reply, and the errors by field: the field a refusal names
// ('trường 'name' ...'), else the one fieldFor(reply) says it is about (the
// unit or case typed, for a 404; the CSV text, for any error of the upload).
// A check of the form's own that fails (a date that is not one, a number
// that is not one, a required field left empty) blocks the submit.  A
// write kept on the device to be sent later (res.queued) empties the form
// for the next entry, but for the fields named in `keep` (the unit, the
// dates: their fields hold their own text).
export function useForm(initial, fieldNames, fieldFor, keep = []) {
	const [v, setV] = useState(initial);
	const [res, setRes] = useState(null);
	const [errors, setErrors] = useState({});
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const run = async (e, call, check) => {
		e.preventDefault();
		const form = e.currentTarget;   // null once the event is over
		const local = check ? check(v) : {};
		for (const el of form.querySelectorAll('[data-local-error]'))
			if (!local[el.name])
				local[el.name] = el.getAttribute('data-local-error');
		if (Object.keys(local).length) {
			setErrors(local);
			setRes({ ok: false, local: true });
			focusFirstError(form);
			return null;
		}
		setBusy(true);
		const r = await call(v);
		setBusy(false);
		setRes(r);
		if (r.queued)
			setV((o) => ({ ...initial, ...Object.fromEntries(keep.map((k) => [k, o[k]])) }));
		const f = !r.ok && r.error && !r.missing ? fieldOf(r.error, fieldNames) || (fieldFor ? fieldFor(r) : null) : null;
		setErrors(f ? { [f]: humanize(r.error.message, null, true) } : {});
		if (f)
			focusFirstError(form);
		return r;
	};
	return { v, set, res, errors, busy, run };
}

// Numbers typed the Vietnamese way (decimal comma, thousands dot): the
// errors of those that are not numbers, by field.
function numberErrors(v, ints, decimals) {
	const e = {};
	for (const [names, integer] of [[ints || [], true], [decimals || [], false]])
		for (const n of names) {
			const p = parseNumber(v[n], integer);
			if (p.error)
				e[n] = t(p.error);
		}
	return e;
}
const num = (s) => parseNumber(s, false).value;
const int = (s) => parseNumber(s, true).value;

// A 404 of a record (not of the route) is about the code typed in `name`.
const notFoundAt = (name) => (r) => (r.status === 404 ? name : null);

function focusFirstError(form) {
	setTimeout(() => {
		const bad = form.querySelector('[aria-invalid="true"]');
		if (bad)
			bad.focus();
	}, 0);
}

export function required(v, names) {
	const e = {};
	for (const n of names)
		if (v[n] === '' || v[n] === null || v[n] === undefined)
			e[n] = t('required');
	return e;
}

export function Outcome({ f, ok }) {
	if (!f.res)
		return null;
	if (f.res.missing)
		return html`<p class="nodata" role="status">${t('endpoint_missing')}</p>`;
	if (f.res.queued)
		return html`<p class="queued" role="status">${t('outbox_saved_here')}</p>`;
	if (f.res.ok)
		return html`<p class="success" role="status">${ok(f.res.data)}</p>`;
	if (f.res.local)
		return html`<p class="error" role="alert">${t('fix_errors')}</p>`;
	if (Object.keys(f.errors).length)
		return html`<p class="error" role="alert">${t('fix_errors')}</p>`;
	return html`<${ErrorBox} res=${f.res} />`;
}

function CaseForm({ unit, isolate, within }) {
	const names = ['full_name', 'id_number', 'birth_year', 'sex', 'unit_code', 'detected_on', 'source', 'test_type'];
	const f = useForm({ full_name: '', id_number: '', birth_year: '', sex: 'male', unit_code: unit || '',
		detected_on: todayVN(), source: 'community', test_type: 'rt-pcr' }, names, null, ['unit_code', 'detected_on']);
	const submit = (e) => f.run(e, (v) => submitWrite('POST', '/cases', {
		person: { full_name: v.full_name, id_number: v.id_number || undefined, birth_year: int(v.birth_year),
			sex: v.sex, unit_code: v.unit_code },
		detected_on: v.detected_on, source: v.source, test_type: v.test_type,
	}, { kind: 'case', label: t('outbox_label_case', v.full_name) }), (v) => ({ ...numberErrors(v, ['birth_year']), ...required(v, ['full_name', 'birth_year', 'unit_code', 'detected_on']) }));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-case" id="form-case">
		<h2 id="h-case">${t('entry_case')}</h2>
		<div class="grid">
			<${Field} name="full_name" label=${t('f_full_name')} value=${f.v.full_name} onInput=${f.set('full_name')} errors=${f.errors} required autocomplete="off" />
			<${Field} name="id_number" label=${t('f_id_number')} value=${f.v.id_number} onInput=${f.set('id_number')} errors=${f.errors} inputmode="numeric" autocomplete="off" />
			<${Field} name="birth_year" label=${t('f_birth_year')} value=${f.v.birth_year} onInput=${f.set('birth_year')} errors=${f.errors} required inputmode="numeric" />
			<${Field} name="sex" type="select" label=${t('f_sex')} value=${f.v.sex} onInput=${f.set('sex')} errors=${f.errors}>
				<option value="male">${t('sex_male')}</option><option value="female">${t('sex_female')}</option><option value="other">${t('sex_other')}</option><//>
			<${UnitField} name="unit_code" label=${t('f_unit_code')} value=${f.v.unit_code} onInput=${f.set('unit_code')} errors=${f.errors} required within=${within} />
			<${DateField} name="detected_on" label=${t('f_detected_on')} iso=${f.v.detected_on} onChange=${f.set('detected_on')} errors=${f.errors} required />
			<${Field} name="source" type="select" label=${t('f_source')} value=${f.v.source} onInput=${f.set('source')} errors=${f.errors}>
				<option value="community">${t('source_community')}</option><option value="quarantine">${t('source_quarantine')}</option>
				<option value="imported">${t('source_imported')}</option><//>
			<${Field} name="test_type" type="select" label=${t('f_test_type')} value=${f.v.test_type} onInput=${f.set('test_type')} errors=${f.errors}>
				<option value="rt-pcr">${t('test_rt_pcr')}</option><option value="antigen">${t('test_antigen')}</option><//>
		</div>
		<${Outcome} f=${f} ok=${(d) => html`${t('case_created', d.id)} · <${Link} href=${'/cases/' + d.id}>${t('cs_open')}<//>${isolate ? html`<${OpenIsolation} person_id=${d.person_id}
			unit_code=${f.v.unit_code} case_id=${d.id} started_on=${d.detected_on} key=${'c' + d.id} />` : ''}`} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_case')}</button>
	</form>`;
}

function HamletForm({ unit, within }) {
	const names = ['parent_code', 'name', 'type'];
	const f = useForm({ parent_code: unit || '', name: '', type: 'thôn' }, names, notFoundAt('parent_code'));
	const submit = (e) => f.run(e, (v) => post('/units', { parent_code: v.parent_code, level: 'hamlet', name: v.name, type: v.type }),
		(v) => required(v, ['parent_code', 'name']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-hamlet" id="form-hamlet">
		<h2 id="h-hamlet">${t('entry_hamlet')}</h2>
		<div class="grid">
			<${UnitField} name="parent_code" label=${t('f_parent_code')} value=${f.v.parent_code} onInput=${f.set('parent_code')} errors=${f.errors} required within=${within} levels=${['commune']} />
			<${Field} name="name" label=${t('f_name')} value=${f.v.name} onInput=${f.set('name')} errors=${f.errors} required />
			<${Field} name="type" type="select" label=${t('f_type')} value=${f.v.type} onInput=${f.set('type')} errors=${f.errors}>
				${HAMLET_TYPES.map((x) => html`<option value=${x}>${x}</option>`)}<//>
		</div>
		<${Outcome} f=${f} ok=${(d) => html`${t('created', d.code + ' — ' + d.name)} · <${Link} href=${'/dashboard?unit=' + d.code}>${t('dash_open')}<//>`} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_hamlet')}</button>
	</form>`;
}

function HouseholdForm({ unit, within }) {
	const names = ['parent_code', 'name', 'address', 'members'];
	const f = useForm({ parent_code: unit && unit.includes('-') ? unit : '', name: '', address: '', members: '' }, names,
		notFoundAt('parent_code'));
	const submit = (e) => f.run(e, (v) => post('/units', { parent_code: v.parent_code, level: 'household', name: v.name,
		address: v.address || undefined, members: int(v.members) }), (v) => ({ ...numberErrors(v, ['members']), ...required(v, ['parent_code', 'name']) }));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-household" id="form-household">
		<h2 id="h-household">${t('entry_household')}</h2>
		<div class="grid">
			<${UnitField} name="parent_code" label=${t('f_parent_code')} value=${f.v.parent_code} onInput=${f.set('parent_code')} errors=${f.errors} required within=${within} levels=${['hamlet']} />
			<${Field} name="name" label=${t('f_name')} value=${f.v.name} onInput=${f.set('name')} errors=${f.errors} required />
			<${Field} name="address" label=${t('f_address')} value=${f.v.address} onInput=${f.set('address')} errors=${f.errors} />
			<${Field} name="members" label=${t('f_members')} value=${f.v.members} onInput=${f.set('members')} errors=${f.errors} inputmode="numeric" />
		</div>
		<${Outcome} f=${f} ok=${(d) => t('created', d.code + ' — ' + d.name)} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_household')}</button>
	</form>`;
}

const IND_INT = ['population', 'cases_week', 'cases_prev_week', 'oxygen_cases_week', 'deaths_week'];
const IND_PCT = ['vax1_18plus_pct', 'vaxfull_elderly_pct', 'vaxfull_pct', 'vaxfull_highrisk_pct'];

function IndicatorsForm({ unit, within }) {
	const names = ['unit_code', 'week_end', ...IND_INT, ...IND_PCT, 'capacity_met', 'capacity'];
	const init = { unit_code: unit || '', week_end: '', capacity_met: '', capacity: '' };
	for (const k of IND_INT.concat(IND_PCT))
		init[k] = '';
	const f = useForm(init, names, notFoundAt('unit_code'));
	const submit = (e) => f.run(e, (v) => {
		const item = { unit_code: v.unit_code, week_end: v.week_end, capacity: v.capacity || undefined,
			capacity_met: v.capacity_met === '' ? undefined : v.capacity_met === '1' };
		for (const k of IND_INT)
			item[k] = int(v[k]);
		for (const k of IND_PCT)
			item[k] = num(v[k]);
		return post('/levels/indicators', { items: [item] });
	}, (v) => ({ ...numberErrors(v, IND_INT, IND_PCT), ...required(v, ['unit_code', 'week_end', 'population']) }));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-ind" id="form-indicators">
		<h2 id="h-ind">${t('entry_indicators')}</h2>
		<div class="grid">
			<${UnitField} name="unit_code" label=${t('f_unit')} value=${f.v.unit_code} onInput=${f.set('unit_code')} errors=${f.errors} required within=${within} levels=${PUBLIC_LEVELS} />
			<${DateField} name="week_end" label=${t('f_week_end')} iso=${f.v.week_end} onChange=${f.set('week_end')} errors=${f.errors} required />
			${IND_INT.map((k) => html`<${Field} name=${k} label=${t('f_' + k)} value=${f.v[k]} onInput=${f.set(k)} errors=${f.errors}
				inputmode="numeric" required=${k === 'population'} />`)}
			${IND_PCT.map((k) => html`<${Field} name=${k} label=${t('f_' + k)} value=${f.v[k]} onInput=${f.set(k)} errors=${f.errors} inputmode="decimal" />`)}
			<${Field} name="capacity_met" type="select" label=${t('f_capacity_met')} value=${f.v.capacity_met} onInput=${f.set('capacity_met')} errors=${f.errors}>
				<option value="">${t('unknown')}</option><option value="1">${t('yes')}</option><option value="0">${t('no')}</option><//>
			<${Field} name="capacity" type="select" label=${t('f_capacity')} value=${f.v.capacity} onInput=${f.set('capacity')} errors=${f.errors}>
				<option value="">${t('unknown')}</option><option value="high">${t('cap_high')}</option>
				<option value="medium">${t('cap_medium')}</option><option value="low">${t('cap_low')}</option><//>
		</div>
		<${Outcome} f=${f} ok=${(d) => t('stored', d.stored)} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_indicators_form')}</button>
	</form>`;
}

const CSV_COLUMNS = ['unit_code', 'week_end', ...IND_INT, ...IND_PCT, 'capacity_met', 'capacity'].join(',');

function IndicatorsCsv() {
	// Every refusal of the upload (the line and column at fault) is shown at the text.
	const f = useForm({ csv: '' }, ['csv'], (r) => (r.status >= 400 ? 'csv' : null));
	const onFile = async (e) => {
		const file = e.currentTarget.files[0];
		if (file)
			f.set('csv')(await file.text());
	};
	const submit = (e) => f.run(e, (v) => post('/levels/indicators', v.csv, 'text/csv'), (v) => required(v, ['csv']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-csv" id="form-csv">
		<h2 id="h-csv">${t('entry_indicators')} (CSV)</h2>
		<p class="hint">${t('csv_help')} <code>${CSV_COLUMNS}</code></p>
		<div class="field"><label for="csv-file">${t('f_csv')}</label>
			<input id="csv-file" type="file" accept=".csv,text/csv" onChange=${onFile} /></div>
		<${Field} name="csv" type="textarea" label=${t('f_csv_text')} value=${f.v.csv} onInput=${f.set('csv')}
			errors=${f.errors} spellcheck="false" />
		<${Outcome} f=${f} ok=${(d) => t('stored', d.stored)} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_csv')}</button>
	</form>`;
}

function AssessForm({ unit, within }) {
	const names = ['unit', 'week_end', 'rules'];
	const f = useForm({ unit: unit || '', week_end: '', rules: '' }, names, notFoundAt('unit'));
	const submit = (e) => f.run(e, (v) => post('/levels/assess', { unit: v.unit, week_end: v.week_end, rules: v.rules || undefined }),
		(v) => required(v, ['unit', 'week_end']));
	const en = lang() === 'en';
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-assess" id="form-assess">
		<h2 id="h-assess">${t('entry_assess')}</h2>
		<div class="grid">
			<${UnitField} name="unit" label=${t('f_unit')} value=${f.v.unit} onInput=${f.set('unit')} errors=${f.errors} required within=${within} levels=${PUBLIC_LEVELS} />
			<${DateField} name="week_end" label=${t('f_week_end')} iso=${f.v.week_end} onChange=${f.set('week_end')} errors=${f.errors} required />
			<${RuleSetPicker} name="rules" label=${t('f_rules')} value=${f.v.rules} onInput=${f.set('rules')} errors=${f.errors} />
		</div>
		<${Outcome} f=${f} ok=${(d) => t('assess_done', fmtNumber(d.items.length))} />
		${f.res && f.res.ok ? html`<ul class="assess-results">${f.res.data.items.map((i) => html`<li data-unit=${i.unit_code}>
			<p><strong>${i.unit_code}</strong> <${LevelBadge} level=${i.level} />${i.cases_per_100k !== null
				? ' · ' + fmtNumber(i.cases_per_100k, 1) + ' ' + t('dash_per100k') : ''}</p>
			<p class="why">${en ? i.explanation.en : i.explanation.vi}</p></li>`)}</ul>` : ''}
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_assess')}</button>
	</form>`;
}

function DecideForm({ unit, within }) {
	const names = ['unit', 'week_end', 'level', 'effective_from', 'reason'];
	const f = useForm({ unit: unit || '', week_end: '', level: '', effective_from: '', reason: '' }, names, notFoundAt('unit'));
	const submit = (e) => f.run(e, (v) => post(`/units/${encodeURIComponent(v.unit)}/levels`, {
		week_end: v.week_end, level: int(v.level), effective_from: v.effective_from || undefined, reason: v.reason || undefined,
	}), (v) => required(v, ['unit', 'week_end']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-decide" id="form-decide">
		<h2 id="h-decide">${t('entry_decide')}</h2>
		<div class="grid">
			<${UnitField} name="unit" label=${t('f_unit')} value=${f.v.unit} onInput=${f.set('unit')} errors=${f.errors} required within=${within} levels=${PUBLIC_LEVELS} />
			<${DateField} name="week_end" label=${t('f_week_end')} iso=${f.v.week_end} onChange=${f.set('week_end')} errors=${f.errors} required />
			<${Field} name="level" type="select" label=${t('f_level')} value=${f.v.level} onInput=${f.set('level')} errors=${f.errors}>
				<option value="">${t('unknown')}</option>${[1, 2, 3, 4].map((l) => html`<option value=${l}>${t('level_n', l)} · ${t('colour_' + l)}</option>`)}<//>
			<${DateField} name="effective_from" label=${t('f_effective_from')} iso=${f.v.effective_from} onChange=${f.set('effective_from')} errors=${f.errors} />
			<${Field} name="reason" type="textarea" label=${t('f_reason')} value=${f.v.reason} onInput=${f.set('reason')} errors=${f.errors} />
		</div>
		<${Outcome} f=${f} ok=${(d) => t('decided', d.unit_name || d.unit_code, fmtDate(d.effective_from))} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_decide')}</button>
	</form>`;
}


const PUBLIC_LEVELS = ['province', 'district', 'commune'];

// The person fields shared by contacts and tests ({full_name, id_number, birth_year, sex, unit_code}).
const PERSON = ['full_name', 'id_number', 'birth_year', 'sex', 'unit_code'];
const personInit = (unit) => ({ full_name: '', id_number: '', birth_year: '', sex: 'male', unit_code: unit || '' });
const personBody = (v) => ({ full_name: v.full_name, id_number: v.id_number || undefined, birth_year: int(v.birth_year),
	sex: v.sex, unit_code: v.unit_code });

// A person already recorded, chosen by name or ID number, fills the fields.
const fromFound = (p) => ({ full_name: p.full_name, id_number: p.id_number || '',
	birth_year: p.birth_year ? String(p.birth_year) : '', unit_code: p.unit_code });

function PersonFields({ f, within, form }) {
	const fill = (p) => { for (const [k, v] of Object.entries(fromFound(p))) f.set(k)(v); };
	return html`
		<${PersonPicker} id=${form + '-find'} onChoose=${fill} />
		<${Field} name="full_name" label=${t('f_full_name')} value=${f.v.full_name} onInput=${f.set('full_name')} errors=${f.errors} required autocomplete="off" />
		<${Field} name="id_number" label=${t('f_id_number')} value=${f.v.id_number} onInput=${f.set('id_number')} errors=${f.errors} inputmode="numeric" autocomplete="off" />
		<${Field} name="birth_year" label=${t('f_birth_year')} value=${f.v.birth_year} onInput=${f.set('birth_year')} errors=${f.errors} inputmode="numeric" />
		<${Field} name="sex" type="select" label=${t('f_sex')} value=${f.v.sex} onInput=${f.set('sex')} errors=${f.errors}>
			<option value="male">${t('sex_male')}</option><option value="female">${t('sex_female')}</option><option value="other">${t('sex_other')}</option><//>
		<${UnitField} name="unit_code" label=${t('f_unit_code')} value=${f.v.unit_code} onInput=${f.set('unit_code')} errors=${f.errors} required within=${within} />`;
}

function ContactForm({ unit, isolate, within, caseId }) {
	const names = ['case_id', ...PERSON, 'degree', 'exposure_on', 'setting'];
	// An unknown case is a 404 of the case, shown at its field.
	const f = useForm({ case_id: caseId || '', ...personInit(unit), degree: '1', exposure_on: todayVN(), setting: '' }, names,
		notFoundAt('case_id'), ['case_id', 'unit_code', 'exposure_on']);
	const submit = (e) => f.run(e, (v) => submitWrite('POST', `/cases/${encodeURIComponent(String(v.case_id).trim().replace('#', ''))}/contacts`, {
		person: personBody(v), degree: int(v.degree), exposure_on: v.exposure_on, setting: v.setting || undefined,
	}, { kind: 'contact', label: t('outbox_label_contact', v.full_name, v.degree) }), (v) => {
		const err = { ...numberErrors(v, ['birth_year']), ...required(v, ['case_id', 'full_name', 'unit_code', 'exposure_on']) };
		if (!err.case_id && !/^#?\d+$/.test(String(v.case_id).trim()))
			err.case_id = t('must_be_number');
		return err;
	});
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-contact" id="form-contact">
		<h2 id="h-contact">${t('entry_contact')}</h2>
		<div class="grid">
			<${CasePicker} name="case_id" label=${t('f_case_id')} value=${f.v.case_id} onInput=${f.set('case_id')} errors=${f.errors} required />
			<${PersonFields} f=${f} within=${within} form="contact" />
			<${Field} name="degree" type="select" label=${t('f_degree')} value=${f.v.degree} onInput=${f.set('degree')} errors=${f.errors}>
				<option value="1">${t('degree_1')}</option><option value="2">${t('degree_2')}</option><//>
			<${DateField} name="exposure_on" label=${t('f_exposure_on')} iso=${f.v.exposure_on} onChange=${f.set('exposure_on')} errors=${f.errors} required />
			<${Field} name="setting" label=${t('f_setting')} value=${f.v.setting} onInput=${f.set('setting')} errors=${f.errors} placeholder=${t('setting_hint')} />
		</div>
		<${Outcome} f=${f} ok=${(d) => html`${t('contact_created', d.id)} · <${Link} href=${'/cases/' + d.case_id}>${t('cs_open')}<//><br />${t('quarantine_period', fmtDate(d.quarantine_start), fmtDate(d.quarantine_end))}${
			d.quarantine_note ? html`<br /><small>${humanize(d.quarantine_note)}</small>` : ''}${isolate ? html`<${OpenIsolation}
			person_id=${d.person.id} unit_code=${d.person.unit_code} contact_id=${d.id} started_on=${d.quarantine_start}
			planned_end=${d.quarantine_end} key=${'k' + d.id} />` : ''}`} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_contact')}</button>
	</form>`;
}

function TestForm({ unit, within }) {
	const names = [...PERSON, 'taken_on', 'test_type', 'result', 'open_case'];
	const f = useForm({ ...personInit(unit), taken_on: todayVN(), test_type: 'antigen', result: 'negative', open_case: false }, names,
		null, ['unit_code', 'taken_on']);
	const submit = (e) => f.run(e, (v) => submitWrite('POST', '/tests', {
		person: personBody(v), taken_on: v.taken_on, test_type: v.test_type, result: v.result,
		open_case: v.result === 'positive' && v.open_case,
	}, { kind: 'test', label: t('outbox_label_test', v.full_name) }), (v) => ({ ...numberErrors(v, ['birth_year']), ...required(v, ['full_name', 'unit_code', 'taken_on']) }));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-test" id="form-test">
		<h2 id="h-test">${t('entry_test')}</h2>
		<div class="grid">
			<${PersonFields} f=${f} within=${within} form="test" />
			<${DateField} name="taken_on" label=${t('f_taken_on')} iso=${f.v.taken_on} onChange=${f.set('taken_on')} errors=${f.errors} required />
			<${Field} name="test_type" type="select" label=${t('f_test_type')} value=${f.v.test_type} onInput=${f.set('test_type')} errors=${f.errors}>
				<option value="rt-pcr">${t('test_rt_pcr')}</option><option value="antigen">${t('test_antigen')}</option><//>
			<${Field} name="result" type="select" label=${t('f_result')} value=${f.v.result} onInput=${f.set('result')} errors=${f.errors}>
				<option value="negative">${t('result_negative')}</option><option value="positive">${t('result_positive')}</option>
				<option value="pending">${t('result_pending')}</option><//>
			<div class="field"><label><input type="checkbox" name="open_case" checked=${f.v.open_case} disabled=${f.v.result !== 'positive'}
				onChange=${(e) => f.set('open_case')(e.currentTarget.checked)} /> ${t('f_open_case')}</label></div>
		</div>
		<${Outcome} f=${f} ok=${(d) => html`${t('created', d.id ?? '')}${d.case_id ? html` · <${Link} href=${'/cases/' + d.case_id}>${t('case_opened', d.case_id)}<//>` : ''}`} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_test')}</button>
	</form>`;
}

// The items of a list endpoint for a unit, loaded when asked (and at first
// if the unit is known).
function useUnitList(path) {
	const [list, setList] = useState(null);
	const load = async (unit) => {
		if (!unit)
			return;
		setList({ loading: true });
		const r = await get(path(unit));
		setList(r.ok ? { items: r.data.items || [], below: r.data.spo2_below } : { res: r });
	};
	return [list, load];
}

function ListStatus({ list }) {
	if (!list)
		return null;
	if (list.loading)
		return html`<p class="hint" role="status">${t('loading')}</p>`;
	if (list.res)
		return list.res.missing ? html`<p class="nodata" role="status">${t('endpoint_missing')}</p>` : html`<${ErrorBox} res=${list.res} />`;
	if (!list.items.length)
		return html`<p class="nodata" role="status">${t('none_found')}</p>`;
	return html`<p class="hint" role="status">${t('found_n', fmtNumber(list.items.length))}</p>`;
}

function CheckinForm({ unit, within }) {
	const names = ['unit', 'isolation', 'spo2', 'temperature', 'symptoms', 'note'];
	const f = useForm({ unit: unit || '', isolation: '', spo2: '', temperature: '', symptoms: '', note: '' }, names, null, ['unit']);
	const [list, load] = useUnitList((u) => '/isolations' + qs({ unit: u, state: 'active' }));
	useEffect(() => { load(f.v.unit); }, []);
	const whoOf = (id) => {
		const i = (list && list.items || []).find((x) => String(x.id) === String(id));
		return i ? (i.person ? i.person.full_name : placeText(i.place)) : '#' + id;
	};
	const submit = (e) => f.run(e, (v) => sendCheckin(encodeURIComponent(v.isolation), whoOf(v.isolation), {
		spo2: int(v.spo2), temperature: num(v.temperature), symptoms: v.symptoms || undefined, note: v.note || undefined,
	}), (v) => {
		const err = { ...numberErrors(v, ['spo2'], ['temperature']), ...required(v, ['isolation']) };
		if (v.spo2 === '' && v.temperature === '')
			err.spo2 = t('spo2_or_temp');
		return err;
	});
	const items = list && list.items ? list.items : [];
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-checkin" id="form-checkin">
		<h2 id="h-checkin">${t('entry_checkin')}</h2>
		<div class="grid">
			<${UnitField} name="unit" label=${t('f_unit')} value=${f.v.unit} onInput=${f.set('unit')} errors=${f.errors} within=${within} />
			<div class="field"><button type="button" onClick=${() => load(f.v.unit.trim())}>${t('load_isolations')}</button>
				<${ListStatus} list=${list} /></div>
			<${Field} name="isolation" type="select" label=${t('f_isolation')} value=${f.v.isolation} onInput=${f.set('isolation')} errors=${f.errors} required>
				<option value="">—</option>
				${items.map((i) => html`<option value=${String(i.id)}>${i.person ? i.person.full_name + ' · ' : ''}${placeText(i.place)} · ${t('since', fmtDate(i.started_on))}</option>`)}<//>
			<${Field} name="spo2" label=${t('f_spo2')} value=${f.v.spo2} onInput=${f.set('spo2')} errors=${f.errors} inputmode="numeric" />
			<${Field} name="temperature" label=${t('f_temperature')} value=${f.v.temperature} onInput=${f.set('temperature')} errors=${f.errors} inputmode="decimal" />
			<${Field} name="symptoms" label=${t('f_symptoms')} value=${f.v.symptoms} onInput=${f.set('symptoms')} errors=${f.errors} placeholder="ho, sốt" />
			<${Field} name="note" type="textarea" label=${t('f_note')} value=${f.v.note} onInput=${f.set('note')} errors=${f.errors} />
		</div>
		<${Outcome} f=${f} ok=${() => html`${t('checkin_saved')}<${SpO2Alert} spo2=${int(f.v.spo2)} below=${list && list.below || 96} />`} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_checkin')}</button>
	</form>`;
}

function ZoneForm({ unit, within }) {
	const names = ['unit_code', 'area_name', 'reason', 'started_on', 'planned_end'];
	const f = useForm({ unit_code: unit || '', area_name: '', reason: '', started_on: todayVN(), planned_end: '' }, names,
		notFoundAt('unit_code'));
	const submit = (e) => f.run(e, (v) => post('/zones', { unit_code: v.unit_code, area_name: v.area_name || undefined,
		reason: v.reason, started_on: v.started_on, planned_end: v.planned_end || undefined }),
	(v) => required(v, ['unit_code', 'reason', 'started_on']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-zone" id="form-zone">
		<h2 id="h-zone">${t('entry_zone')}</h2>
		<div class="grid">
			<${UnitField} name="unit_code" label=${t('f_zone_unit')} value=${f.v.unit_code} onInput=${f.set('unit_code')} errors=${f.errors} required within=${within} levels=${['commune', 'hamlet', 'household']} />
			<${Field} name="area_name" label=${t('f_area_name')} value=${f.v.area_name} onInput=${f.set('area_name')} errors=${f.errors} />
			<${Field} name="reason" type="textarea" label=${t('f_zone_reason')} value=${f.v.reason} onInput=${f.set('reason')} errors=${f.errors} required />
			<${DateField} name="started_on" label=${t('f_started_on')} iso=${f.v.started_on} onChange=${f.set('started_on')} errors=${f.errors} required />
			<${DateField} name="planned_end" label=${t('f_planned_end')} iso=${f.v.planned_end} onChange=${f.set('planned_end')} errors=${f.errors} />
		</div>
		<${Outcome} f=${f} ok=${(d) => t('created', `#${d.id} · ${d.unit_name || d.unit_code}${d.area_name ? ' · ' + d.area_name : ''} · ${t('since', fmtDate(d.started_on))}`)} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_zone')}</button>
	</form>`;
}

function ZoneEndForm({ unit, within }) {
	const names = ['unit', 'zone', 'ended_on', 'override_reason'];
	const f = useForm({ unit: unit || '', zone: '', ended_on: todayVN(), override_reason: '' }, names);
	const [list, load] = useUnitList((u) => '/zones' + qs({ unit: u, limit: 1000 }));
	useEffect(() => { load(f.v.unit); }, []);
	const submit = (e) => f.run(e, (v) => post(`/zones/${encodeURIComponent(v.zone)}/end`, {
		ended_on: v.ended_on, override_reason: v.override_reason || undefined,
	}), (v) => required(v, ['zone', 'ended_on']));
	const items = list && list.items ? list.items : [];
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-zone-end" id="form-zone-end">
		<h2 id="h-zone-end">${t('entry_zone_end')}</h2>
		<div class="grid">
			<${UnitField} name="unit" label=${t('f_unit')} value=${f.v.unit} onInput=${f.set('unit')} errors=${f.errors} within=${within} />
			<div class="field"><button type="button" onClick=${() => load(f.v.unit.trim())}>${t('load_zones')}</button>
				<${ListStatus} list=${list} /></div>
			<${Field} name="zone" type="select" label=${t('f_zone')} value=${f.v.zone} onInput=${f.set('zone')} errors=${f.errors} required>
				<option value="">—</option>
				${items.map((z) => html`<option value=${String(z.id)}>#${z.id} · ${z.unit_name || z.unit_code}${z.area_name ? ' · ' + z.area_name : ''} · ${t('since', fmtDate(z.started_on))}</option>`)}<//>
			<${DateField} name="ended_on" label=${t('f_ended_on')} iso=${f.v.ended_on} onChange=${f.set('ended_on')} errors=${f.errors} required />
			<${Field} name="override_reason" type="textarea" label=${t('f_override_reason')} value=${f.v.override_reason} onInput=${f.set('override_reason')}
				errors=${f.errors} hint=${t('override_hint')} />
		</div>
		<${Outcome} f=${f} ok=${(d) => t('zone_ended', d.id, fmtDate(d.ended_on)) + (d.override ? ' ' + t('zone_ended_override') : '')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_zone_end')}</button>
	</form>`;
}

const FORMS = [
	['case', 'entry_case', CaseForm], ['contact', 'entry_contact', ContactForm], ['test', 'entry_test', TestForm],
	['checkin', 'entry_checkin', CheckinForm], ['zone', 'entry_zone', ZoneForm], ['zone_end', 'entry_zone_end', ZoneEndForm],
	['hamlet', 'entry_hamlet', HamletForm], ['household', 'entry_household', HouseholdForm],
	['indicators', 'entry_indicators', IndicatorsForm], ['csv', 'entry_indicators', IndicatorsCsv],
	['assess', 'entry_assess', AssessForm], ['decide', 'entry_decide', DecideForm],
];

export function Entry({ user, unit: unitParam, form, caseId }) {
	const forms = FORMS.filter(([id]) => mayUseForm(user, id));
	const cur = forms.find((x) => x[0] === form) || forms[0];
	if (!cur)
		return html`<p class="error" role="alert">${t('forbidden')}</p>`;
	const Form = cur[2];
	// The unit the form starts on: the one asked for when the role may use
	// the form there, else the user's own of a level the form takes.
	const unit = unitParam || formUnit(user, cur[0]);
	return html`<section class="entry">
		<h1>${t('entry_title')}</h1>
		<nav aria-label=${t('entry_title')} class="tabs"><ul>${forms.map(([id, label]) => html`<li>
			<a href=${'/entry' + qs({ unit: unitParam, form: id })} aria-current=${id === cur[0] ? 'page' : undefined}
				onClick=${(e) => { e.preventDefault(); navigate('/entry' + qs({ unit: unitParam, form: id })); }}>${t(label)}${id === 'csv' ? ' (CSV)' : ''}</a></li>`)}</ul></nav>
		<${Form} unit=${unit} isolate=${mayIsolate(user)} within=${formScope(user, cur[0])} caseId=${caseId} key=${cur[0]} />
	</section>`;
}
