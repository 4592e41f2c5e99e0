// Home isolation follow-up: the list of a unit's isolations with the low
// SpO2 and the overdue check-ins first, a check-in on each in two taps (the
// alert and what to do when SpO2 is low), release; and the button that opens
// an isolation from a case or a contact in one step.
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs } from './api.js';
import { addDays, fmtDate, fmtNumber, t, todayVN } from './i18n.js';
import { DateField, ErrorBox, Field, fieldOf, html, humanize, Link, MoreRows, parseNumber, usePages, XlsxLink } from './ui.js';
import { followUpGrants, mayIsolate } from './roles.js';
import { measuredAt, submit as submitWrite } from './outbox.js';

// Where a person isolates, as the team reads it: the household and its address.
export function placeText(p) {
	if (!p)
		return '';
	return p.address ? `${p.name} — ${p.address}` : p.name || p.code;
}

// Low SpO2: the alert, and what to do (the Ministry of Health's home-care
// guidance: below 96 % the health station is told at once; at 93 % or less,
// or short of breath, emergency care).
export function SpO2Alert({ spo2, below }) {
	if (spo2 === null || spo2 === undefined || spo2 >= below)
		return null;
	return html`<div class="alert" role="alert">
		<p><strong>${t('spo2_alert', spo2, below)}</strong></p>
		<ul>
			<li>${t('spo2_todo_call')}</li>
			${spo2 <= 93 ? html`<li><strong>${t('spo2_todo_115')}</strong></li>` : ''}
			<li>${t('spo2_todo_lie')}</li>
			<li>${t('spo2_todo_recheck')}</li>
		</ul>
	</div>`;
}

// One tap: the person of a case or a contact isolated at home from
// `started_on` (the day detected, or the quarantine start) to `planned_end`.
export function OpenIsolation({ person_id, unit_code, case_id, contact_id, started_on, planned_end, onOpened }) {
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const open = async () => {
		setBusy(true);
		const r = await post('/isolations', { person_id, kind: 'home', unit_code, started_on, planned_end,
			case_id, contact_id });
		setRes(r);
		setBusy(false);
		if (r.ok && onOpened)
			onOpened(r.data);
	};
	if (res && res.ok)
		return html`<p class="success open-isolation-done" role="status">${t('isolation_opened',
			fmtDate(res.data.started_on), res.data.planned_end ? fmtDate(res.data.planned_end) : '—')}
			· <${Link} href=${'/followup' + qs({ unit: unit_code })}>${t('followup_open')}<//></p>`;
	return html`<div class="open-isolation">
		<button type="button" class="primary" disabled=${busy} onClick=${open}>${t('isolate_home_from', fmtDate(started_on))}</button>
		${res ? html`<${ErrorBox} res=${res} />` : ''}
	</div>`;
}

// Once the errors are drawn, the first field marked.
function focusInvalid(form) {
	setTimeout(() => form.querySelector('[aria-invalid="true"]')?.focus(), 0);
}

// Who an isolation is about, as its card names it.
const whoOf = (item) => (item.person ? item.person.full_name : item.place ? item.place.name : t('isolation_n', item.id));

// A check-in as the outbox keeps it: measured when Save was pressed, sent
// now or, without a connection, later under the same key.
export function sendCheckin(id, who, fields) {
	return submitWrite('POST', `/isolations/${id}/checkins`, { ...fields, measured_at: measuredAt(Date.now()) },
		{ kind: 'checkin', label: t('outbox_label_checkin', who), who });
}

function CheckinInline({ item, below, onDone }) {
	const [v, setV] = useState({ spo2: '', temperature: '', symptoms: '' });
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const id = 'checkin-' + item.id;
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const spo2 = parseNumber(v.spo2, true), temp = parseNumber(v.temperature, false);
		const local = {};
		if (spo2.error) local.spo2 = t(spo2.error);
		if (temp.error) local.temperature = t(temp.error);
		if (!local.spo2 && !local.temperature && spo2.value === undefined && temp.value === undefined)
			local.spo2 = t('spo2_or_temp');
		setErrors(local);
		if (Object.keys(local).length) {
			setRes(null);
			focusInvalid(form);
			return;
		}
		setBusy(true);
		const r = await sendCheckin(item.id, whoOf(item), { spo2: spo2.value, temperature: temp.value,
			symptoms: v.symptoms.trim() || undefined });
		setBusy(false);
		setRes(r);
		const f = r.ok ? null : fieldOf(r.error, ['spo2', 'temperature', 'symptoms']);
		setErrors(f ? { [f]: humanize(r.error.message, null, true) } : {});
		if (f)
			focusInvalid(form);
		if (r.ok)
			onDone(item, spo2.value);
	};
	if (res && res.queued)
		return html`<div class="checkin-done"><p class="queued" role="status">${t('outbox_saved_here')}</p>
			<${SpO2Alert} spo2=${parseNumber(v.spo2, true).value} below=${below} /></div>`;
	if (res && res.ok)
		return html`<div class="checkin-done"><p class="success" role="status">${t('checkin_saved')}</p>
			<${SpO2Alert} spo2=${parseNumber(v.spo2, true).value} below=${below} /></div>`;
	return html`<form id=${id} class="inline-form" onSubmit=${submit} novalidate aria-label=${t('submit_checkin')}>
		<div class="row2">
			<${Field} name="spo2" label=${t('f_spo2')} value=${v.spo2} onInput=${set('spo2')} errors=${errors} inputmode="numeric" autocomplete="off" />
			<${Field} name="temperature" label=${t('f_temperature')} value=${v.temperature} onInput=${set('temperature')} errors=${errors}
				inputmode="decimal" autocomplete="off" placeholder="37,5" />
		</div>
		<${Field} name="symptoms" label=${t('f_symptoms')} value=${v.symptoms} onInput=${set('symptoms')} errors=${errors} placeholder=${t('symptoms_hint')} />
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('save')}</button>
	</form>`;
}

function ReleaseInline({ item, onDone }) {
	const [day, setDay] = useState(todayVN());
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const bad = form.querySelector('[data-local-error]');
		if (bad || !day) {
			setErrors({ released_on: bad ? bad.getAttribute('data-local-error') : t('required') });
			focusInvalid(form);
			return;
		}
		setBusy(true);
		const r = await post(`/isolations/${item.id}/release`, { released_on: day });
		setBusy(false);
		setRes(r);
		const f = !r.ok && fieldOf(r.error, ['released_on']);
		setErrors(f ? { released_on: humanize(r.error.message, null, true) } : {});
		if (f)
			focusInvalid(form);
		if (r.ok)
			onDone(item, day);
	};
	return html`<form id=${'release-' + item.id} class="inline-form" onSubmit=${submit} novalidate aria-label=${t('release')}>
		<${DateField} name="released_on" label=${t('f_released_on')} iso=${day} onChange=${setDay} errors=${errors} required />
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('release')}</button>
	</form>`;
}

function IsolationCard({ item, low, overdue, below, canRelease, onChecked, onReleased }) {
	const [open, setOpen] = useState(null);      // 'checkin' | 'release' | null
	const who = whoOf(item);
	const last = item.last_checkin;
	return html`<li class=${'iso-card' + (low ? ' low' : overdue ? ' overdue' : '')} data-id=${item.id}>
		<h3>${who}</h3>
		${item.person && item.place ? html`<p class="place">${placeText(item.place)}</p>`
			: item.place && item.place.address ? html`<p class="place">${item.place.address}</p>` : ''}
		<p class="flags">
			${item.case_id ? html`<${Link} class="flag kind case-link" href=${'/cases/' + item.case_id}>${t('iso_case')} #${item.case_id}<//> ` : item.contact_id ? html`<span class="flag kind">${t('iso_contact')}</span> ` : ''}
			${low ? html`<span class="flag low">${t('flag_low_spo2', last.spo2)}</span> ` : ''}
			${overdue ? html`<span class="flag overdue">${t('flag_overdue')}</span> ` : ''}
			<span>${t('isolated_since', fmtDate(item.started_on))}${item.planned_end ? ' · ' + t('planned_to', fmtDate(item.planned_end)) : ''}</span>
		</p>
		<p class="last">${last ? t('last_checkin', fmtDateTime(last.at),
			last.spo2 !== null ? `SpO2 ${fmtNumber(last.spo2)} %` : '', last.temperature !== null ? `${fmtNumber(last.temperature, 1)} °C` : '')
			: t('no_checkin_yet')}</p>
		<div class="actions">
			<button type="button" class="checkin-open" aria-expanded=${open === 'checkin'} onClick=${() => setOpen(open === 'checkin' ? null : 'checkin')}>${t('checkin_do')}</button>
			${canRelease ? html`<button type="button" class="release-open" aria-expanded=${open === 'release'} onClick=${() => setOpen(open === 'release' ? null : 'release')}>${t('release')}</button>` : ''}
		</div>
		${open === 'checkin' ? html`<${CheckinInline} item=${item} below=${below} onDone=${onChecked} />` : ''}
		${open === 'release' ? html`<${ReleaseInline} item=${item} onDone=${onReleased} />` : ''}
	</li>`;
}

// An instant of the API as dd/mm/yyyy hh:mm in Việt Nam.
export function fmtDateTime(at) {
	const ms = Date.parse(at);
	if (Number.isNaN(ms))
		return '';
	const d = new Date(ms + 7 * 3600e3).toISOString();
	return `${fmtDate(d.slice(0, 10))} ${d.slice(11, 16)}`;
}

const FOLLOW_STATES = ['active', 'low_spo2', 'overdue', 'released'];
// The server's order (sort=urgent): low SpO2, overdue, the rest; then the day started, then id.
const urgency = (i) => (i.low_spo2 ? '0' : i.overdue ? '1' : '2') + i.started_on;
const byUrgency = (a, b) => (urgency(a) < urgency(b) ? -1 : urgency(a) > urgency(b) ? 1 : a.id - b.id);
const FOLLOW_PAGE = 50;

// The isolations of a unit in `state`, a page at a time in the follow-up's
// order as the server sorts it (low SpO2 first, then overdue, then the
// rest), "show more" for the next; and the unit's counts, moved by what a
// check-in or a release changed here (no request: a thin line pays for every
// byte), right again at the next load (reload: the pages from the first).
export function useFollowUp(unit, state) {
	const [gen, setGen] = useState(0);
	const [counts, setCounts] = useState(null);
	const params = { unit, state, sort: 'urgent' };
	const pages = usePages(unit ? '/isolations' + qs({ ...params, v: gen || '' }) : null, FOLLOW_PAGE);
	useEffect(() => {
		if (pages.r && pages.r.ok)
			setCounts({ ...pages.r.data.counts, below: pages.r.data.spo2_below });
	}, [pages.r]);
	// before, after: an isolation's flags ({low_spo2, overdue, active}) either side of the change.
	const recount = (before, after) => setCounts((c) => c && { ...c,
		active: c.active - !!before.active + !!after.active,
		overdue: c.overdue - !!before.overdue + !!after.overdue,
		low_spo2: c.low_spo2 - !!before.low_spo2 + !!after.low_spo2 });
	return { pages, counts, params, recount, reload: () => setGen(gen + 1) };
}

// The unit's cases of the last 14 days, not ended, that nobody isolated:
// each with the one tap that isolates the person at home.
function CasesToIsolate({ unit, gen, onOpened }) {
	const [r, setR] = useState(null);
	useEffect(() => {
		let live = true;
		setR(null);
		// The cases, and those an isolation (active or ended) already follows.
		Promise.all([get('/cases' + qs({ unit, from: addDays(todayVN(), -14), limit: 1000 })),
			...['active', 'released'].map((state) => get('/isolations' + qs({ unit, state, limit: 1000 })))])
			.then(([cases, ...isos]) => live && setR(isos.find((x) => !x.ok) || (cases.ok ? { ...cases,
				isolated: new Set(isos.flatMap((x) => x.data.items.map((i) => i.case_id)).filter(Boolean)) } : cases)));
		return () => { live = false; };
	}, [unit, gen]);
	if (r === null)
		return html`<p role="status">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const todo = r.data.items.filter((c) => !c.outcome && !r.isolated.has(c.id));
	if (!todo.length)
		return null;
	return html`<section class="to-isolate" aria-labelledby="h-to-isolate">
		<h2 id="h-to-isolate">${t('cases_to_isolate')}</h2>
		<p><${XlsxLink} id="cases-xlsx" path="/cases" params=${{ unit, from: addDays(todayVN(), -14) }} /></p>
		<ul class="iso-list">${todo.map((c) => html`<li class="iso-card" data-case=${c.id} key=${c.id}>
			<h3>${c.person.full_name}</h3>
			<p><${Link} href=${'/cases/' + c.id} class="case-link">${t('case_detected', c.id, fmtDate(c.detected_on))}<//></p>
			<${OpenIsolation} person_id=${c.person.id} unit_code=${c.person.unit_code} case_id=${c.id}
				started_on=${c.detected_on} onOpened=${onOpened} />
		</li>`)}</ul>
	</section>`;
}


export function FollowUp({ user, unit: unitParam, embedded }) {
	const grants = followUpGrants(user);
	const unit = unitParam || (grants[0] ? grants[0].unit_code : '');
	const [state, setState] = useState('active');
	const { pages, counts, params, recount, reload } = useFollowUp(unit, state);
	const [note, setNote] = useState(null);
	const [casesGen, setCasesGen] = useState(0);
	const canRelease = mayIsolate(user);
	const Heading = embedded ? 'h2' : 'h1';
	// A check-in or a release changes the card in place, the pages loaded
	// kept (a low SpO2 goes up among them, as the server would put it), and
	// the counts.
	const onChecked = (item, spo2) => {
		const measured = spo2 !== undefined && counts;
		const low = measured ? spo2 < counts.below : item.low_spo2;
		pages.edit((items) => items.map((i) => (i.id !== item.id ? i : { ...i, overdue: false,
			low_spo2: low,
			last_checkin: { temperature: null, ...(i.last_checkin || {}), at: new Date().toISOString(),
				spo2: measured ? spo2 : i.last_checkin ? i.last_checkin.spo2 : null } })).sort(byUrgency));
		if (!item.released_on)
			recount(item, { ...item, overdue: false, low_spo2: low });
	};
	const onReleased = (item, day) => {
		setNote(t('released_note', item.person ? item.person.full_name : placeText(item.place), fmtDate(day)));
		pages.edit((items) => items.filter((i) => i.id !== item.id));
		recount({ ...item, active: true }, {});
	};
	let body;
	if (!unit)
		body = html`<p class="nodata">${t('no_data')}</p>`;
	else if (pages.r === null)
		body = html`<p role="status">${t('loading')}</p>`;
	else if (!pages.r.ok)
		body = html`<${ErrorBox} res=${pages.r} />`;
	else
		body = html`
			${counts ? html`<p class="counts" id="followup-counts">${t('followup_counts', fmtNumber(counts.low_spo2),
				fmtNumber(counts.overdue), fmtNumber(counts.active))}</p>` : ''}
			${note ? html`<p class="success" role="status">${note}</p>` : ''}
			${canRelease ? html`<${CasesToIsolate} unit=${unit} gen=${casesGen} onOpened=${(d) => { setNote(t('isolation_opened',
				fmtDate(d.started_on), d.planned_end ? fmtDate(d.planned_end) : '—')); setCasesGen(casesGen + 1); reload(); }} />` : ''}
			${pages.items.length ? html`<ul class="iso-list" id="followup-list">${pages.items.map((i) => html`<${IsolationCard} key=${i.id} item=${i}
				low=${i.low_spo2} overdue=${i.overdue} below=${pages.r.data.spo2_below} canRelease=${canRelease && !i.released_on}
				onChecked=${onChecked} onReleased=${onReleased} />`)}</ul>
				<${MoreRows} pages=${pages} id="followup-more" />
				<p><${XlsxLink} id="followup-xlsx" path="/isolations" params=${params} /></p>`
				: html`<p class="nodata">${t('followup_none')}</p>`}`;
	return html`<section class="followup" aria-labelledby="h-followup">
		<${Heading} id="h-followup">${t('followup_title')}<//>
		${grants.length > 1 ? html`<p>${grants.map((g) => html`<${Link} class="btnlink" href=${'/followup' + qs({ unit: g.unit_code })}
			aria-current=${g.unit_code === unit ? 'page' : undefined}>${g.unit_name || g.unit_code}<//> `)}</p>` : ''}
		${unit ? html`<div class="filters" id="followup-filters">
			<${Field} name="state" type="select" label=${t('followup_state')} value=${state} onInput=${setState}>
				${FOLLOW_STATES.map((s) => html`<option value=${s}>${t('followup_state_' + s)}</option>`)}<//>
		</div>` : ''}
		${body}
	</section>`;
}
