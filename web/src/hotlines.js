// The public hotlines of a unit (/hotlines?unit=CODE): its numbers and
// those of its district and province as tel: links, and who is on duty
// now at each; officials whose scope holds the unit edit the list and the
// week's duty roster below.
import { useRef, useState } from 'preact/hooks';
import { api, qs } from './api.js';
import { addDays, fmtDate, parseDate, t, todayVN } from './i18n.js';
import { isOfficial } from './roles.js';
import { ErrorBox, html, humanize, Link, NoData, useGet, XlsxLink } from './ui.js';

const KINDS = ['health', 'police', 'social_support', 'unit', 'other'];
const enc = encodeURIComponent;

// Digits in groups, as people read numbers out: 0912 345 678, 024 3823 1234.
function shownPhone(p) {
	if (p.length === 10)
		return `${p.slice(0, 4)} ${p.slice(4, 7)} ${p.slice(7)}`;
	if (p.length === 11)
		return `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`;
	if (p.length === 8)
		return `${p.slice(0, 4)} ${p.slice(4)}`;
	return p;
}

function UnitNumbers({ u }) {
	return html`<article class="card hotline-unit" data-unit=${u.code} aria-labelledby=${'h-hl-' + u.code}>
		<h2 id=${'h-hl-' + u.code}>${u.name}</h2>
		${u.hotlines.length ? html`<ul class="hotline-list">${u.hotlines.map((h) => html`<li>
			<a class="tel" href=${'tel:' + h.phone}><span class="tel-label">${h.label}</span>
				<span class="tel-number">${shownPhone(h.phone)}</span></a>
			<span class="hint">${t('hl_kind_' + h.kind)}${h.always_open ? ' · 24/7' : h.hours ? ' · ' + h.hours : ''}</span>
		</li>`)}</ul>` : html`<${NoData} text=${t('hl_none')} />`}
		<p class="on-duty">${u.on_duty ? html`${t('hl_on_duty')}: <strong>${u.on_duty.name}</strong>
			(${u.on_duty.from}–${u.on_duty.to}) <a class="tel" href=${'tel:' + u.on_duty.phone}>
			<span class="tel-number">${shownPhone(u.on_duty.phone)}</span></a>` : t('hl_no_duty')}</p>
	</article>`;
}

// The Monday of the week holding iso.
function mondayOf(iso) {
	const dow = new Date(iso + 'T00:00:00Z').getUTCDay();
	return addDays(iso, -((dow + 6) % 7));
}

function useSave() {
	const [state, setState] = useState(null);
	const save = async (path, body) => {
		setState({ busy: true });
		const r = await api('PUT', path, body);
		setState(r.ok ? { ok: true } : { res: r });
		return r;
	};
	return [state, save];
}

function SaveState({ s, where }) {
	if (!s || s.busy)
		return null;
	return s.ok ? html`<p class="success" role="status">${t('hl_saved')}</p>`
		: html`<p class="error" role="alert">${t('error')}: ${where || ''}${humanize(s.res.error?.message) || s.res.status}</p>`;
}

// The row and input an error names ("items[1].phone"), to mark it.
function badField(s, array) {
	const m = s && s.res && new RegExp('^' + array + '\\[(\\d+)\\]\\.(\\w+)$').exec(s.res.error?.field || '');
	return m ? { row: +m[1], name: m[2] } : null;
}

const invalid = (bad, i, name) => (bad && bad.row === i && bad.name === name ? 'true' : undefined);

function ListEditor({ code, items, onSaved }) {
	const [rows, setRows] = useState(items.map((h) => ({ ...h, hours: h.hours || '' })));
	const [s, save] = useSave();
	const bad = badField(s, 'items');
	const set = (i, k, v) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
	const submit = async (e) => {
		e.preventDefault();
		const body = { items: rows.map((r) => ({ kind: r.kind, label: r.label, phone: r.phone,
			hours: r.hours || undefined, always_open: !!r.always_open })) };
		if ((await save(`/units/${enc(code)}/hotlines`, body)).ok)
			onSaved();
	};
	return html`<form id="form-hotlines" class="card" onSubmit=${submit}>
		<h2>${t('hl_edit_list')}</h2>
		${rows.map((r, i) => html`<fieldset class="hl-row" data-row=${i}>
			<legend>${t('hl_number')} ${i + 1}</legend>
			<label>${t('hl_kind')}<select name="kind" aria-invalid=${invalid(bad, i, 'kind')} value=${r.kind} onChange=${(e) => set(i, 'kind', e.currentTarget.value)}>
				${KINDS.map((k) => html`<option value=${k}>${t('hl_kind_' + k)}</option>`)}</select></label>
			<label>${t('hl_label')}<input name="label" aria-invalid=${invalid(bad, i, 'label')} required value=${r.label} onInput=${(e) => set(i, 'label', e.currentTarget.value)} /></label>
			<label>${t('hl_phone')}<input name="phone" aria-invalid=${invalid(bad, i, 'phone')} type="tel" inputmode="tel" required value=${r.phone}
				onInput=${(e) => set(i, 'phone', e.currentTarget.value)} /></label>
			<label>${t('hl_hours')}<input name="hours" aria-invalid=${invalid(bad, i, 'hours')} value=${r.hours} onInput=${(e) => set(i, 'hours', e.currentTarget.value)} /></label>
			<label class="check"><input name="always_open" type="checkbox" checked=${!!r.always_open}
				onChange=${(e) => set(i, 'always_open', e.currentTarget.checked)} /> 24/7</label>
			<button type="button" class="remove" onClick=${() => setRows(rows.filter((_, j) => j !== i))}>${t('hl_remove')}</button>
		</fieldset>`)}
		<p><button type="button" class="add" onClick=${() => setRows([...rows, { kind: 'health', label: '', phone: '', hours: '', always_open: false }])}>${t('hl_add')}</button>
			<button type="submit" disabled=${s && s.busy}>${t('hl_save')}</button></p>
		<${SaveState} s=${s} where=${bad ? `${t('hl_number')} ${bad.row + 1}: ` : ''} />
	</form>`;
}

function RosterEditor({ code, week, shifts, onSaved }) {
	const [rows, setRows] = useState(shifts.map((x) => ({ ...x, date: fmtDate(x.date) })));
	const [s, save] = useSave();
	const bad = badField(s, 'shifts');
	const set = (i, k, v) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
	const submit = async (e) => {
		e.preventDefault();
		const body = { shifts: rows.map((r) => ({ date: parseDate(r.date) || r.date, from: r.from, to: r.to,
			name: r.name, phone: r.phone })) };
		if ((await save(`/units/${enc(code)}/duty` + qs({ week_start: week }), body)).ok)
			onSaved();
	};
	return html`<form id="form-duty" class="card" onSubmit=${submit}>
		<h2>${t('hl_edit_roster', fmtDate(week), fmtDate(addDays(week, 6)))}</h2>
		<p class="hint">${t('hl_roster_hint')}</p>
		${rows.map((r, i) => html`<fieldset class="duty-row" data-row=${i}>
			<legend>${t('hl_shift')} ${i + 1}</legend>
			<label>${t('hl_date')}<input name="date" aria-invalid=${invalid(bad, i, 'date')} inputmode="numeric" placeholder="dd/mm/yyyy" required value=${r.date}
				onInput=${(e) => set(i, 'date', e.currentTarget.value)} /></label>
			<label>${t('hl_from')}<input name="from" aria-invalid=${invalid(bad, i, 'from')} placeholder="HH:MM" required value=${r.from} onInput=${(e) => set(i, 'from', e.currentTarget.value)} /></label>
			<label>${t('hl_to')}<input name="to" aria-invalid=${invalid(bad, i, 'to')} placeholder="HH:MM" required value=${r.to} onInput=${(e) => set(i, 'to', e.currentTarget.value)} /></label>
			<label>${t('hl_person')}<input name="name" aria-invalid=${invalid(bad, i, 'name')} required value=${r.name} onInput=${(e) => set(i, 'name', e.currentTarget.value)} /></label>
			<label>${t('hl_phone')}<input name="phone" aria-invalid=${invalid(bad, i, 'phone')} type="tel" inputmode="tel" required value=${r.phone}
				onInput=${(e) => set(i, 'phone', e.currentTarget.value)} /></label>
			<button type="button" class="remove" onClick=${() => setRows(rows.filter((_, j) => j !== i))}>${t('hl_remove')}</button>
		</fieldset>`)}
		<p><button type="button" class="add" onClick=${() => setRows([...rows, { date: fmtDate(todayVN() < week ? week : todayVN()), from: '07:00', to: '19:00', name: '', phone: '' }])}>${t('hl_add_shift')}</button>
			<button type="submit" disabled=${s && s.busy}>${t('hl_save')}</button></p>
		<${SaveState} s=${s} where=${bad ? `${t('hl_shift')} ${bad.row + 1}: ` : ''} />
	</form>`;
}

// The editors, for an official whose scope holds the unit (the roster's
// GET answers 404 otherwise, and nothing is shown).
function Editors({ code, items, onSaved }) {
	const week = mondayOf(todayVN());
	const duty = useGet(`/units/${enc(code)}/duty` + qs({ week_start: week }));
	if (!duty || !duty.ok)
		return null;
	return html`<section class="hl-edit" aria-label=${t('hl_edit')}>
		<${ListEditor} code=${code} items=${items} onSaved=${onSaved} />
		<${RosterEditor} code=${code} week=${week} shifts=${duty.data.shifts} onSaved=${onSaved} />
		${duty.data.shifts.length ? html`<p><${XlsxLink} id="duty-xlsx" path=${`/units/${enc(code)}/duty`} params=${{ week_start: week }} /></p>` : ''}
	</section>`;
}

export function Hotlines({ unit, user }) {
	const [gen, setGen] = useState(0);
	const fresh = useGet(unit ? `/units/${enc(unit)}/hotlines?g=${gen}` : null);
	// While a saved list reloads, the page (and the forms' answers) stay.
	const last = useRef(null);
	if (fresh)
		last.current = fresh;
	const r = fresh || (gen ? last.current : null);
	if (!unit)
		return html`<section><h1>${t('home_hotlines')}</h1><${NoData} /></section>`;
	if (!r)
		return html`<section><h1>${t('home_hotlines')}</h1><p role="status">${t('loading')}</p></section>`;
	if (!r.ok)
		return html`<section><h1>${t('home_hotlines')}</h1><${ErrorBox} res=${r} /></section>`;
	const own = r.data.units[0];
	return html`<section class="hotlines-page">
		<h1>${t('hl_title', own.name)}</h1>
		<p><${Link} href=${'/' + qs({ unit })}>${own.name}<//></p>
		<div class="cards">${r.data.units.map((u) => html`<${UnitNumbers} u=${u} key=${u.code} />`)}</div>
		<p class="hint">${t('hl_public_note')}</p>
		${user && isOfficial(user) ? html`<${Editors} code=${unit} items=${own.hotlines}
			onSaved=${() => setGen(gen + 1)} />` : ''}
	</section>`;
}
