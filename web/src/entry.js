// Data entry for officials: a case, hamlets and households, weekly
// indicators (form or CSV with the per-line error), an assessment, a level
// decision.  A 422 names its field: the message is shown at that field.
import { useState } from 'preact/hooks';
import { post, qs } from './api.js';
import { fmtNumber, lang, t, todayVN } from './i18n.js';
import { DateField, ErrorBox, Field, fieldOf, html, LevelBadge, Link, navigate } from './ui.js';

const HAMLET_TYPES = ['thôn', 'ấp', 'bản', 'tổ dân phố', 'khu phố', 'xóm', 'buôn', 'làng', 'khóm', 'tổ', 'khu', 'sóc', 'plây'];

// Form state, the reply, and the errors by field.
function useForm(initial, fieldNames) {
	const [v, setV] = useState(initial);
	const [res, setRes] = useState(null);
	const [errors, setErrors] = useState({});
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const run = async (e, call, check) => {
		e.preventDefault();
		const form = e.currentTarget;   // null once the event is over
		const local = check ? check(v) : {};
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
		const f = !r.ok && r.error ? fieldOf(r.error.message, fieldNames) : null;
		setErrors(f ? { [f]: r.error.message } : {});
		if (f)
			focusFirstError(form);
		return r;
	};
	return { v, set, res, errors, busy, run };
}

function focusFirstError(form) {
	setTimeout(() => {
		const bad = form.querySelector('[aria-invalid="true"]');
		if (bad)
			bad.focus();
	}, 0);
}

function required(v, names) {
	const e = {};
	for (const n of names)
		if (v[n] === '' || v[n] === null || v[n] === undefined)
			e[n] = t('required');
	return e;
}

function Outcome({ f, ok }) {
	if (!f.res)
		return null;
	if (f.res.missing)
		return html`<p class="nodata" role="status">${t('endpoint_missing')}</p>`;
	if (f.res.ok)
		return html`<p class="success" role="status">${ok(f.res.data)}</p>`;
	if (f.res.local)
		return html`<p class="error" role="alert">${t('fix_errors')}</p>`;
	if (Object.keys(f.errors).length)
		return html`<p class="error" role="alert">${t('fix_errors')}</p>`;
	return html`<${ErrorBox} res=${f.res} />`;
}

const intOrNull = (s) => (s === '' || s === undefined ? undefined : /^-?\d+$/.test(String(s).trim()) ? Number(s) : s);

function CaseForm({ unit }) {
	const names = ['full_name', 'id_number', 'birth_year', 'sex', 'unit_code', 'detected_on', 'source', 'test_type'];
	const f = useForm({ full_name: '', id_number: '', birth_year: '', sex: 'male', unit_code: unit || '',
		detected_on: todayVN(), source: 'community', test_type: 'rt-pcr' }, names);
	const submit = (e) => f.run(e, (v) => post('/cases', {
		person: { full_name: v.full_name, id_number: v.id_number || undefined, birth_year: intOrNull(v.birth_year),
			sex: v.sex, unit_code: v.unit_code },
		detected_on: v.detected_on, source: v.source, test_type: v.test_type,
	}), (v) => required(v, ['full_name', 'birth_year', 'unit_code', 'detected_on']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-case" id="form-case">
		<h2 id="h-case">${t('entry_case')}</h2>
		<div class="grid">
			<${Field} name="full_name" label=${t('f_full_name')} value=${f.v.full_name} onInput=${f.set('full_name')} errors=${f.errors} required autocomplete="off" />
			<${Field} name="id_number" label=${t('f_id_number')} value=${f.v.id_number} onInput=${f.set('id_number')} errors=${f.errors} inputmode="numeric" autocomplete="off" />
			<${Field} name="birth_year" label=${t('f_birth_year')} value=${f.v.birth_year} onInput=${f.set('birth_year')} errors=${f.errors} required inputmode="numeric" />
			<${Field} name="sex" type="select" label=${t('f_sex')} value=${f.v.sex} onInput=${f.set('sex')} errors=${f.errors}>
				<option value="male">${t('sex_male')}</option><option value="female">${t('sex_female')}</option><option value="other">${t('sex_other')}</option><//>
			<${Field} name="unit_code" label=${t('f_unit_code')} value=${f.v.unit_code} onInput=${f.set('unit_code')} errors=${f.errors} required />
			<${DateField} name="detected_on" label=${t('f_detected_on')} iso=${f.v.detected_on} onChange=${f.set('detected_on')} errors=${f.errors} required />
			<${Field} name="source" type="select" label=${t('f_source')} value=${f.v.source} onInput=${f.set('source')} errors=${f.errors}>
				<option value="community">${t('source_community')}</option><option value="quarantine">${t('source_quarantine')}</option>
				<option value="imported">${t('source_imported')}</option><//>
			<${Field} name="test_type" type="select" label=${t('f_test_type')} value=${f.v.test_type} onInput=${f.set('test_type')} errors=${f.errors}>
				<option value="rt-pcr">${t('test_rt_pcr')}</option><option value="antigen">${t('test_antigen')}</option><//>
		</div>
		<${Outcome} f=${f} ok=${(d) => t('created', d.id ?? '')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_case')}</button>
	</form>`;
}

function HamletForm({ unit }) {
	const names = ['parent_code', 'name', 'type'];
	const f = useForm({ parent_code: unit || '', name: '', type: 'thôn' }, names);
	const submit = (e) => f.run(e, (v) => post('/units', { parent_code: v.parent_code, level: 'hamlet', name: v.name, type: v.type }),
		(v) => required(v, ['parent_code', 'name']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-hamlet" id="form-hamlet">
		<h2 id="h-hamlet">${t('entry_hamlet')}</h2>
		<div class="grid">
			<${Field} name="parent_code" label=${t('f_parent_code')} value=${f.v.parent_code} onInput=${f.set('parent_code')} errors=${f.errors} required />
			<${Field} name="name" label=${t('f_name')} value=${f.v.name} onInput=${f.set('name')} errors=${f.errors} required />
			<${Field} name="type" type="select" label=${t('f_type')} value=${f.v.type} onInput=${f.set('type')} errors=${f.errors}>
				${HAMLET_TYPES.map((x) => html`<option value=${x}>${x}</option>`)}<//>
		</div>
		<${Outcome} f=${f} ok=${(d) => html`${t('created', d.code + ' — ' + d.name)} · <${Link} href=${'/dashboard?unit=' + d.code}>${t('dash_open')}<//>`} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_hamlet')}</button>
	</form>`;
}

function HouseholdForm({ unit }) {
	const names = ['parent_code', 'name', 'address', 'members'];
	const f = useForm({ parent_code: unit && unit.includes('-') ? unit : '', name: '', address: '', members: '' }, names);
	const submit = (e) => f.run(e, (v) => post('/units', { parent_code: v.parent_code, level: 'household', name: v.name,
		address: v.address || undefined, members: intOrNull(v.members) }), (v) => required(v, ['parent_code', 'name']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-household" id="form-household">
		<h2 id="h-household">${t('entry_household')}</h2>
		<div class="grid">
			<${Field} name="parent_code" label=${t('f_parent_code')} value=${f.v.parent_code} onInput=${f.set('parent_code')} errors=${f.errors} required placeholder="00001-001" />
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

function IndicatorsForm({ unit }) {
	const names = ['unit_code', 'week_end', ...IND_INT, ...IND_PCT, 'capacity_met', 'capacity'];
	const init = { unit_code: unit || '', week_end: '', capacity_met: '', capacity: '' };
	for (const k of IND_INT.concat(IND_PCT))
		init[k] = '';
	const f = useForm(init, names);
	const submit = (e) => f.run(e, (v) => {
		const item = { unit_code: v.unit_code, week_end: v.week_end };
		for (const k of IND_INT.concat(IND_PCT, ['capacity_met', 'capacity']))
			if (v[k] !== '')
				item[k] = v[k];
		return post('/levels/indicators', { items: [item] });
	}, (v) => required(v, ['unit_code', 'week_end', 'population']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-ind" id="form-indicators">
		<h2 id="h-ind">${t('entry_indicators')}</h2>
		<div class="grid">
			<${Field} name="unit_code" label=${t('f_unit')} value=${f.v.unit_code} onInput=${f.set('unit_code')} errors=${f.errors} required />
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

function IndicatorsCsv() {
	const f = useForm({ csv: '' }, ['csv']);
	const onFile = async (e) => {
		const file = e.currentTarget.files[0];
		if (file)
			f.set('csv')(await file.text());
	};
	const submit = (e) => f.run(e, (v) => post('/levels/indicators', v.csv, 'text/csv'), (v) => required(v, ['csv']));
	const lineError = f.res && !f.res.ok && f.res.error ? f.res.error.message : null;
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-csv" id="form-csv">
		<h2 id="h-csv">${t('entry_indicators')} (CSV)</h2>
		<p class="hint">${t('csv_help')}</p>
		<div class="field"><label for="csv-file">${t('f_csv')}</label>
			<input id="csv-file" type="file" accept=".csv,text/csv" onChange=${onFile} /></div>
		<${Field} name="csv" type="textarea" label=${t('f_csv_text')} value=${f.v.csv} onInput=${f.set('csv')}
			errors=${lineError ? { csv: lineError } : f.errors} spellcheck="false" />
		${f.res && f.res.ok ? html`<p class="success" role="status">${t('stored', f.res.data.stored)}</p>`
			: f.res && f.res.missing ? html`<p class="nodata">${t('endpoint_missing')}</p>`
			: lineError ? html`<p class="error" role="alert">${lineError}</p>` : ''}
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_csv')}</button>
	</form>`;
}

function AssessForm({ unit }) {
	const names = ['unit', 'week_end', 'rules'];
	const f = useForm({ unit: unit || '', week_end: '', rules: '' }, names);
	const submit = (e) => f.run(e, (v) => post('/levels/assess', { unit: v.unit, week_end: v.week_end, rules: v.rules || undefined }),
		(v) => required(v, ['unit', 'week_end']));
	const en = lang() === 'en';
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-assess" id="form-assess">
		<h2 id="h-assess">${t('entry_assess')}</h2>
		<div class="grid">
			<${Field} name="unit" label=${t('f_unit')} value=${f.v.unit} onInput=${f.set('unit')} errors=${f.errors} required />
			<${DateField} name="week_end" label=${t('f_week_end')} iso=${f.v.week_end} onChange=${f.set('week_end')} errors=${f.errors} required />
			<${Field} name="rules" label=${t('f_rules')} value=${f.v.rules} onInput=${f.set('rules')} errors=${f.errors} placeholder="qd218-2022" />
		</div>
		<${Outcome} f=${f} ok=${(d) => html`${t('assess_result')}: ${fmtNumber(d.items.length)}`} />
		${f.res && f.res.ok ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${t('col_code')}</th>
			<th scope="col">${t('col_level')}</th><th scope="col">${t('dash_per100k')}</th><th scope="col">${t('col_note')}</th></tr></thead>
			<tbody>${f.res.data.items.map((i) => html`<tr><th scope="row">${i.unit_code}</th><td><${LevelBadge} level=${i.level} /></td>
				<td>${fmtNumber(i.cases_per_100k, 1)}</td><td>${en ? i.explanation.en : i.explanation.vi}</td></tr>`)}</tbody></table></div>` : ''}
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_assess')}</button>
	</form>`;
}

function DecideForm({ unit }) {
	const names = ['unit', 'week_end', 'level', 'effective_from', 'reason'];
	const f = useForm({ unit: unit || '', week_end: '', level: '', effective_from: '', reason: '' }, names);
	const submit = (e) => f.run(e, (v) => post(`/units/${encodeURIComponent(v.unit)}/levels`, {
		week_end: v.week_end, level: intOrNull(v.level), effective_from: v.effective_from || undefined, reason: v.reason || undefined,
	}), (v) => required(v, ['unit', 'week_end']));
	return html`<form onSubmit=${submit} novalidate aria-labelledby="h-decide" id="form-decide">
		<h2 id="h-decide">${t('entry_decide')}</h2>
		<div class="grid">
			<${Field} name="unit" label=${t('f_unit')} value=${f.v.unit} onInput=${f.set('unit')} errors=${f.errors} required />
			<${DateField} name="week_end" label=${t('f_week_end')} iso=${f.v.week_end} onChange=${f.set('week_end')} errors=${f.errors} required />
			<${Field} name="level" type="select" label=${t('f_level')} value=${f.v.level} onInput=${f.set('level')} errors=${f.errors}>
				<option value="">${t('unknown')}</option>${[1, 2, 3, 4].map((l) => html`<option value=${l}>${t('level_n', l)} · ${t('colour_' + l)}</option>`)}<//>
			<${DateField} name="effective_from" label=${t('f_effective_from')} iso=${f.v.effective_from} onChange=${f.set('effective_from')} errors=${f.errors} />
			<${Field} name="reason" type="textarea" label=${t('f_reason')} value=${f.v.reason} onInput=${f.set('reason')} errors=${f.errors} />
		</div>
		<${Outcome} f=${f} ok=${(d) => t('created', `${d.unit_code} · ${d.effective_from}`)} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('submit_decide')}</button>
	</form>`;
}

const FORMS = [
	['case', 'entry_case', CaseForm], ['hamlet', 'entry_hamlet', HamletForm], ['household', 'entry_household', HouseholdForm],
	['indicators', 'entry_indicators', IndicatorsForm], ['csv', 'entry_indicators', IndicatorsCsv],
	['assess', 'entry_assess', AssessForm], ['decide', 'entry_decide', DecideForm],
];

export function Entry({ user, unit: unitParam, form }) {
	const g = (user.grants || [])[0];
	const unit = unitParam || (g && g.unit_code !== 'VN' ? g.unit_code : '');
	const cur = FORMS.find((x) => x[0] === form) || FORMS[0];
	const Form = cur[2];
	return html`<section class="entry">
		<h1>${t('entry_title')}</h1>
		<nav aria-label=${t('entry_title')} class="tabs"><ul>${FORMS.map(([id, label]) => html`<li>
			<a href=${'/entry' + qs({ unit, form: id })} aria-current=${id === cur[0] ? 'page' : undefined}
				onClick=${(e) => { e.preventDefault(); navigate('/entry' + qs({ unit, form: id })); }}>${t(label)}${id === 'csv' ? ' (CSV)' : ''}</a></li>`)}</ul></nav>
		<${Form} unit=${unit} key=${cur[0]} />
	</section>`;
}
