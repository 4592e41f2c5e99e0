// Businesses and QĐ 2194 (docs/api.md, Businesses): a business's own
// account registers its business and self-assesses it (15 scores, the index
// and band with what to do); officials see their area's businesses with the
// latest band and the overdue reassessments, and export the list as CSV.
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs } from './api.js';
import { fmtDate, fmtNumber, lang, t, todayVN } from './i18n.js';
import { isOfficial } from './roles.js';
import { CODE_SHAPE, DateField, ErrorBox, Field, html, humanize, MoreRows, NoData, parseNumber, SortTh, UnitField, useGet,
	usePages } from './ui.js';

const CS = Array.from({ length: 15 }, (_, i) => 'cs' + (i + 1));
const BIZ_FIELDS = ['tax_code', 'name', 'sector', 'unit_code', 'address', 'workers'];

// The form field a refusal names: "scores[3]" is the fourth score's box.
function errorField(r, names) {
	const f = (r.error && r.error.field) || '';
	const m = /^scores\[(\d+)\]$/.exec(f);
	if (m)
		return 'cs' + (Number(m[1]) + 1);
	return names.includes(f) ? f : f === 'scores' ? 'cs1' : null;
}

function focusError(form) {
	setTimeout(() => form.querySelector('[aria-invalid="true"]')?.focus(), 0);
}

// Sends `call()`, then shows a refusal at its field (or above the button).
function useSend(names) {
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const send = async (e, local, call) => {
		e.preventDefault();
		const form = e.currentTarget;
		if (Object.keys(local).length) {
			setErrors(local);
			setRes(null);
			focusError(form);
			return null;
		}
		setBusy(true);
		const r = await call();
		setBusy(false);
		setRes(r);
		const f = r.ok ? null : errorField(r, names);
		setErrors(f ? { [f]: humanize(r.error.message, null, true) } : {});
		if (f)
			focusError(form);
		return r;
	};
	return { errors, res, busy, send };
}

const bandName = (crit, code) => {
	const b = crit && crit.bands.find((x) => x.code === code);
	return b ? b.name[lang()] : '';
};
const fmtIndex = (i) => fmtNumber(i, 1) + ' %';

function Register({ unit, onDone }) {
	const [v, setV] = useState({ tax_code: '', name: '', sector: '', unit_code: unit || '', address: '', workers: '' });
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const { errors, res, busy, send } = useSend(BIZ_FIELDS);
	const submit = (e) => {
		const local = {};
		for (const k of BIZ_FIELDS)
			if (!String(v[k]).trim())
				local[k] = t('required');
		const w = parseNumber(v.workers, true);
		if (!local.workers && w.error)
			local.workers = t(w.error);
		send(e, local, () => post('/businesses', { ...v, workers: w.value })).then((r) => r && r.ok && onDone(r.data));
	};
	const f = (name, extra = {}) => html`<${Field} name=${name} label=${t('biz_' + name)} value=${v[name]}
		onInput=${set(name)} errors=${errors} required ...${extra} />`;
	return html`<form id="form-business" onSubmit=${submit} novalidate>
		<h2>${t('biz_register')}</h2>
		${f('tax_code', { inputmode: 'numeric', hint: t('biz_tax_code_hint'), autocomplete: 'off' })}
		${f('name')}
		${f('sector')}
		<${UnitField} name="unit_code" label=${t('biz_unit_code')} value=${v.unit_code} onInput=${set('unit_code')}
			errors=${errors} required levels=${['commune']} />
		${f('address')}
		${f('workers', { inputmode: 'numeric' })}
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('biz_register_submit')}</button>
	</form>`;
}

function Assess({ biz, crit, onDone }) {
	const [day, setDay] = useState(todayVN());
	const [scores, setScores] = useState(() => Object.fromEntries(CS.map((c) => [c, ''])));
	const { errors, res, busy, send } = useSend(['assessed_on', ...CS]);
	const submit = (e) => {
		const local = {};
		const vals = CS.map((c) => {
			const p = parseNumber(scores[c], true);
			if (scores[c] === '')
				local[c] = t('required');
			else if (p.error || p.value < 0 || p.value > 20)
				local[c] = t('biz_score_range');
			return p.value;
		});
		if (!day)
			local.assessed_on = t('required');
		send(e, local, () => post(`/businesses/${biz.id}/risk-assessments`, { assessed_on: day, scores: vals }))
			.then((r) => r && r.ok && onDone());
	};
	const done = res && res.ok ? res.data : null;
	return html`<form id="form-assessment" onSubmit=${submit} novalidate>
		<h2>${t('biz_assess')}</h2>
		<p class="hint">${t('biz_criteria_unknown')}</p>
		<${DateField} name="assessed_on" label=${t('biz_assessed_on')} iso=${day} onChange=${setDay} errors=${errors} required />
		<div class="scores">${CS.map((c, i) => html`<${Field} name=${c} errors=${errors} required inputmode="numeric"
			label=${crit.criteria[i].name[lang()]} value=${scores[c]}
			onInput=${(x) => setScores((o) => ({ ...o, [c]: x }))} />`)}</div>
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		${done ? html`<div class="success" role="status" id="assess-result">
			<p>${t('biz_index')}: <strong>${fmtIndex(done.index)}</strong> · ${t('biz_band')}: <strong>${bandName(crit, done.band)}</strong></p>
			<p>${done.required_actions[lang()]}</p></div>` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('biz_assess_submit')}</button>
	</form>`;
}

const PLAN_KINDS = ['three_on_site', 'one_route', 'shifts', 'normal'];
const PLAN_FIELDS = ['kind', 'starts_on', 'ends_on', 'workers_on_site', 'shifts', 'lodging', 'note'];

// A safe-operation plan: 3 on-site, 1 route 2 destinations (with the one
// place of lodging), shifts, or the usual way.
function Plan({ biz, onDone }) {
	const [v, setV] = useState({ kind: 'three_on_site', starts_on: todayVN(), ends_on: '', workers_on_site: '',
		shifts: '1', lodging: '', note: '' });
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const { errors, res, busy, send } = useSend(PLAN_FIELDS);
	const submit = (e) => {
		const local = {};
		const w = parseNumber(v.workers_on_site, true);
		const sh = parseNumber(v.shifts, true);
		if (!v.starts_on)
			local.starts_on = t('required');
		if (!v.ends_on)
			local.ends_on = t('required');
		if (v.workers_on_site === '')
			local.workers_on_site = t('required');
		else if (w.error)
			local.workers_on_site = t(w.error);
		if (sh.error)
			local.shifts = t(sh.error);
		if (v.kind === 'one_route' && !v.lodging.trim())
			local.lodging = t('biz_plan_lodging_needed');
		const body = { kind: v.kind, starts_on: v.starts_on, ends_on: v.ends_on, workers_on_site: w.value,
			shifts: sh.value || 1 };
		if (v.lodging.trim())
			body.lodging = v.lodging.trim();
		if (v.note.trim())
			body.note = v.note.trim();
		send(e, local, () => post(`/businesses/${biz.id}/plans`, body)).then((r) => r && r.ok && onDone());
	};
	return html`<form id=${'form-plan-' + biz.id} class="plan" onSubmit=${submit} novalidate>
		<h3>${t('biz_plan')}</h3>
		<${Field} name="kind" type="select" label=${t('biz_plan_kind')} value=${v.kind} onInput=${set('kind')} errors=${errors} required>
			${PLAN_KINDS.map((k) => html`<option value=${k}>${t('biz_plan_' + k)}</option>`)}
		<//>
		<${DateField} name="starts_on" label=${t('biz_plan_starts')} iso=${v.starts_on} onChange=${set('starts_on')} errors=${errors} required />
		<${DateField} name="ends_on" label=${t('biz_plan_ends')} iso=${v.ends_on} onChange=${set('ends_on')} errors=${errors} required />
		<${Field} name="workers_on_site" label=${t('biz_plan_workers')} value=${v.workers_on_site}
			onInput=${set('workers_on_site')} errors=${errors} required inputmode="numeric" />
		<${Field} name="shifts" label=${t('biz_plan_shifts')} value=${v.shifts} onInput=${set('shifts')} errors=${errors} inputmode="numeric" />
		<${Field} name="lodging" label=${t('biz_plan_lodging')} value=${v.lodging} onInput=${set('lodging')} errors=${errors}
			hint=${t('biz_plan_lodging_hint')} />
		<${Field} name="note" type="textarea" label=${t('biz_plan_note')} value=${v.note} onInput=${set('note')} errors=${errors} />
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		${res && res.ok ? html`<p class="success" role="status">${t('biz_plan_saved')}</p>` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('biz_plan_submit')}</button>
	</form>`;
}

// The workers on site on one day (replaces that day's figure).
function OnSite({ biz, onDone }) {
	const [day, setDay] = useState(todayVN());
	const [n, setN] = useState('');
	const { errors, res, busy, send } = useSend(['day', 'on_site']);
	const submit = (e) => {
		const local = {};
		const p = parseNumber(n, true);
		if (!day)
			local.day = t('required');
		if (n === '')
			local.on_site = t('required');
		else if (p.error)
			local.on_site = t(p.error);
		send(e, local, () => post(`/businesses/${biz.id}/on-site`, { day, on_site: p.value }))
			.then((r) => r && r.ok && onDone());
	};
	return html`<form id=${'form-onsite-' + biz.id} class="onsite" onSubmit=${submit} novalidate>
		<h3>${t('biz_onsite')}</h3>
		<${DateField} name="day" label=${t('biz_onsite_day')} iso=${day} onChange=${setDay} errors=${errors} required />
		<${Field} name="on_site" label=${t('biz_onsite_n')} value=${n} onInput=${setN} errors=${errors} required inputmode="numeric" />
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		${res && res.ok ? html`<p class="success" role="status">${t('biz_onsite_saved', fmtNumber(res.data.on_site),
			fmtDate(res.data.day))}</p>` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('biz_onsite_submit')}</button>
	</form>`;
}

function Card({ biz, crit }) {
	const a = biz.latest_assessment;
	return html`<article class="card biz" id=${'biz-' + biz.id}>
		<h2>${biz.name}</h2>
		<p>${t('biz_tax_code')}: ${biz.tax_code} · ${biz.unit_name} · ${t('biz_workers')}: ${fmtNumber(biz.workers)}</p>
		${a ? html`<p class="latest">${t('biz_latest')}: ${fmtIndex(a.index)} · ${bandName(crit, a.band)} (${fmtDate(a.assessed_on)}) ·
			${t('biz_due')} ${fmtDate(a.due_on)}</p>` : html`<p class="nodata">${t('biz_never')}</p>`}
		${a && biz.reassessment_overdue ? html`<p class="error overdue">${t('biz_overdue')}</p>` : ''}
		<p class="cases">${t('biz_cases')}: ${biz.cases === null && biz.cases_range
			? t('biz_cases_range', biz.cases_range[0], biz.cases_range[1]) : fmtNumber(biz.cases)}</p>
	</article>`;
}

function Own({ user, crit }) {
	// Kept while it reloads, so that the forms (and an assessment's result) stay.
	const [list, setList] = useState(null);
	const [adding, setAdding] = useState(false);
	const reload = () => get('/businesses').then(setList);
	useEffect(() => { reload(); }, []);
	const unit = ((user.grants || []).find((g) => g.role === 'business') || {}).unit_code;
	if (!list)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	if (!list.ok)
		return html`<${ErrorBox} res=${list} />`;
	const mine = list.data.items;
	return html`<div>
		${mine.map((b) => html`<div key=${'b' + b.id}><${Card} biz=${b} crit=${crit} />
			<${Assess} biz=${b} crit=${crit} onDone=${reload} />
			<${Plan} biz=${b} onDone=${reload} />
			<${OnSite} biz=${b} onDone=${reload} /></div>`)}
		${!mine.length || adding ? html`<${Register} unit=${unit} onDone=${() => { setAdding(false); reload(); }} />`
			: html`<button type="button" class="linkish" id="biz-add" onClick=${() => setAdding(true)}>${t('biz_register_another')}</button>`}
	</div>`;
}

// What is joined to one business: its inspections (by tax code) and the
// cases among its workers, as far as the reader may see them.
function Links({ id }) {
	const r = useGet('/businesses/' + id);
	if (!r)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const d = r.data;
	return html`<div class="biz-links" id=${'biz-links-' + id}>
		<h3>${d.name}</h3>
		<p>${t('biz_plans_n', fmtNumber(d.plans.length))}${d.on_site.length
			? ' · ' + t('biz_onsite_saved', fmtNumber(d.on_site[0].on_site), fmtDate(d.on_site[0].day)) : ''}</p>
		<h4>${t('biz_inspections')}</h4>
		${d.inspections.length ? html`<ul class="biz-inspections">${d.inspections.map((x) => html`<li key=${x.id}>
			<a href=${'/inspections?id=' + x.id}>${x.title}</a> · ${t('biz_insp_' + x.status)}${x.concluded_on
				? ' ' + fmtDate(x.concluded_on) : ''}</li>`)}</ul>` : html`<p class="nodata">${t('biz_none')}</p>`}
		<h4>${t('biz_cases')}</h4>
		${d.worker_cases.length ? html`<ul class="biz-cases">${d.worker_cases.map((c) => html`<li key=${c}>
			${t('biz_case_no', c)}</li>`)}</ul>` : html`<p class="nodata">${t('biz_none')}</p>`}
	</div>`;
}

// The list's columns: the server's sort key of each (null: not sorted by
// it), and the way a first click sorts it (the highest risk, the most
// workers first).
const BIZ_COLS = [['name', 'biz_name', 1], ['risk', 'biz_band', -1], [null, 'biz_index'], ['due', 'biz_due', 1],
	['tax_code', 'biz_tax_code', 1], ['commune', 'biz_commune', 1], ['workers', 'biz_workers', -1], [null, 'biz_cases']];

function List({ user, crit }) {
	const first = (user.grants || []).find((g) => g.unit_code !== 'VN');
	const [open, setOpen] = useState(null);
	const [unit, setUnit] = useState(first ? first.unit_code : '');
	// The filter follows the picker once it holds a code (or nothing), not a name being typed.
	const [unitText, setUnitText] = useState(unit);
	const pickUnit = (x) => {
		setUnitText(x);
		if (!x.trim() || CODE_SHAPE.test(x.trim()))
			setUnit(x.trim());
	};
	const [overdue, setOverdue] = useState(false);
	// Sorted by the server, so that "show more" continues the same order.
	const [sort, setSort] = useState({ key: 'name', dir: 1 });
	const params = { unit, overdue: overdue ? 1 : '', sort: sort.key, order: sort.dir > 0 ? 'asc' : 'desc' };
	// A page of 100 at a time, "show more" for the next (the API's cursor).
	const list = usePages('/businesses' + qs(params), 100);
	// The table is drawn again in its new order: the focus goes back to the header pressed.
	const [refocus, setRefocus] = useState(null);
	useEffect(() => {
		if (refocus && list.r) {
			document.querySelector(`#biz-sort-${refocus} button`)?.focus();
			setRefocus(null);
		}
	}, [list.r]);
	const sortBy = (key, dir) => {
		setSort({ key, dir: sort.key === key ? -sort.dir : dir });
		setRefocus(key);
	};
	const head = ([key, label, dir]) => (key ? html`<${SortTh} id=${'biz-sort-' + key} label=${t(label)}
		dir=${sort.key === key ? sort.dir : 0} onSort=${() => sortBy(key, dir)} />`
		: html`<th scope="col">${t(label)}</th>`);
	return html`<div>
		<div class="filters">
			<${UnitField} name="unit" label=${t('biz_filter_unit')} value=${unitText} onInput=${pickUnit} within=${first ? first.unit_code : ''} />
			<label class="biz-check"><input type="checkbox" name="overdue" checked=${overdue}
				onChange=${(e) => setOverdue(e.currentTarget.checked)} /> ${t('biz_only_overdue')}</label>
			<a class="btnlink" id="biz-csv" href=${'/api/v1/businesses' + qs({ ...params, format: 'csv' })}
				download="businesses.csv">${t('biz_csv')}</a>
			<a class="btnlink" id="biz-xlsx" href=${'/api/v1/businesses' + qs({ ...params, format: 'xlsx' })}
				download="businesses.xlsx">${t('download_xlsx')}</a>
		</div>
		${!list.r ? html`<p class="loading" role="status">${t('loading')}</p>` : !list.r.ok ? html`<${ErrorBox} res=${list.r} />`
			: !list.items.length ? html`<${NoData} />` : html`<div class="table-wrap"><table id="biz-list">
			<thead><tr>${BIZ_COLS.map(head)}</tr></thead>
			<tbody>${list.items.map((b) => {
				const a = b.latest_assessment;
				return html`<tr data-id=${b.id} key=${b.id} class=${b.reassessment_overdue ? 'overdue' : ''}>
					<td><button type="button" class="linkish biz-open" onClick=${() => setOpen(open === b.id ? null : b.id)}>${b.name}</button></td>
					<td class=${'band ' + (a ? a.band.replace('_', '-') : '')}>${a ? bandName(crit, a.band) : '—'}</td>
					<td>${a ? fmtIndex(a.index) : '—'}</td>
					<td>${a ? fmtDate(a.due_on) : ''}${b.reassessment_overdue ? html` <strong class="error">${t(a ? 'biz_overdue_short' : 'biz_never_short')}</strong>` : ''}</td>
					<td>${b.tax_code}</td><td>${b.unit_name}</td><td>${fmtNumber(b.workers)}</td>
					<td>${fmtNumber(b.cases)}</td></tr>`;
			})}</tbody></table></div><${MoreRows} pages=${list} id="biz-more" />`}
		${open ? html`<${Links} key=${open} id=${open} />` : ''}
	</div>`;
}

export function Businesses({ user }) {
	const crit = useGet('/business/risk-criteria');
	if (!crit)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	if (!crit.ok)
		return html`<${ErrorBox} res=${crit} />`;
	return html`<section>
		<h1>${t('biz_title')}</h1>
		${isOfficial(user) ? html`<${List} user=${user} crit=${crit.data} />` : html`<${Own} user=${user} crit=${crit.data} />`}
	</section>`;
}
