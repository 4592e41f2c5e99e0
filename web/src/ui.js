// Small shared pieces: navigation, level badges, form fields with their
// errors, the date field (dd/mm/yyyy), sortable tables.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from './api.js';
import htm from 'htm';
import { LEVELS } from './constants.js';
import { fmtDate, parseDate, t, todayVN } from './i18n.js';

export const html = htm.bind(h);

// The answer of GET path (null while it loads; a new path starts again).
export function useGet(path) {
	const [r, setR] = useState(null);
	useEffect(() => {
		let live = true;
		setR(null);
		if (path)
			get(path).then((x) => live && setR(x));
		return () => { live = false; };
	}, [path]);
	return r;
}

// The pages of a list whose answer has a cursor ("next"): the first page of
// `path` (`limit` rows), then the following ones on demand (`more`), added
// below.  { r: the first answer (null while it loads), items, next, busy, more }.
export function usePages(path, limit) {
	const empty = { r: null, items: [], next: null, busy: false, err: null };
	const [s, setS] = useState(empty);
	const page = (cursor) => get(path + (path.includes('?') ? '&' : '?') + new URLSearchParams(
		Object.entries({ limit, cursor }).filter(([, v]) => v !== null && v !== undefined)).toString());
	useEffect(() => {
		let live = true;
		setS(empty);
		if (path)
			page(null).then((r) => live && setS({ ...empty, r, items: r.ok ? r.data.items || [] : [], next: r.ok ? r.data.next : null }));
		return () => { live = false; };
	}, [path]);
	const more = async () => {
		setS((o) => ({ ...o, busy: true }));
		const r = await page(s.next);
		// A row changed here since (web edits, see `edit`) may come again: once is enough.
		const add = (o) => (r.data.items || []).filter((x) => x.id === undefined || !o.items.some((y) => y.id === x.id));
		setS((o) => (r.ok ? { ...o, items: [...o.items, ...add(o)], next: r.data.next, busy: false, err: null }
			: { ...o, busy: false, err: r }));
	};
	// A change to the rows shown (one released, one checked) without reloading the pages.
	const edit = (fn) => setS((o) => ({ ...o, items: fn(o.items) }));
	return { ...s, more, edit };
}

// How many rows a paged list shows, and "show more" while there are more.
export function MoreRows({ pages, id }) {
	return html`<p class="more"><span role="status">${t('list_shown', pages.items.length.toLocaleString('vi-VN'))}</span>
		${pages.next ? html` <button type="button" id=${id} disabled=${pages.busy} onClick=${pages.more}>${t('list_more')}</button>` : ''}
		${pages.err ? html`<${ErrorBox} res=${pages.err} />` : ''}</p>`;
}

// The colours of levels 0 (not assessed) to 4, as the server's tables say.
export const LEVEL_COLOURS = Object.fromEntries(LEVELS.map((l) => [l.level, l.hex]));

export function navigate(url, replace) {
	if (replace)
		history.replaceState(null, '', url);
	else
		history.pushState(null, '', url);
	dispatchEvent(new Event('thc:navigate'));
}

export function Link({ href, children, ...rest }) {
	const onClick = (e) => {
		if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
			return;
		e.preventDefault();
		navigate(href);
	};
	return html`<a href=${href} onClick=${onClick} ...${rest}>${children}</a>`;
}

export function LevelBadge({ level }) {
	const l = level >= 1 && level <= 4 ? level : 0;
	const text = l ? `${t('level_n', l)} · ${t('colour_' + l)}` : t('level_none');
	return html`<span class=${'badge lv' + l}>${text}</span>`;
}

export function NoData({ text }) {
	return html`<p class="nodata">${text || t('no_data')}</p>`;
}

export function ErrorBox({ res }) {
	if (!res || res.ok)
		return null;
	const msg = res.status === 0 ? t('offline') : humanize(res.error?.message) || res.status;
	return html`<p class="error" role="alert">${t('error')}: ${msg}</p>`;
}

// A message of the server as people here read it: dates dd/mm/yyyy, and
// no internal names.  `label(name)` gives the form's label of a field the
// message names ('trường 'person.unit_code': ...'); at its own field
// (atField) that prefix goes, the label being right above.
export function humanize(msg, label, atField) {
	if (!msg)
		return msg;
	let m = String(msg)
		.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1')
		.replace(/YYYY-MM-DD/g, 'dd/mm/yyyy');
	// "dòng 3: cột population: ..." of a CSV file stays whole: the line
	// and the column are what the person needs to find.
	// A form of one item ("mục 1: trường 'week_end': ...") shows the
	// message at the item's own field: its number says nothing there.
	if (atField)
		m = m.replace(/^(?:mục|item) \d+: (?=(?:trường|field) ')/, '');
	const named = /^(?:trường|field) '([A-Za-z0-9_.\[\]]+)': /;
	const f = named.exec(m);
	if (f) {
		const name = f[1].replace(/\[\d+\]/g, '').split('.').pop();
		const l = label ? label(name) : null;
		m = atField ? m.slice(f[0].length) : m.slice(0, f.index) + (l ? `${l}: ` : '') + m.slice(f[0].length);
	}
	// A JSON body of one item: its index says nothing to the person.
	m = m.replace(/\bitems\[\d+\]\.?/g, '').replace(/^(dòng|line) 0: /, '');
	return m.charAt(0).toUpperCase() + m.slice(1);
}

// A number as people type it here: "96", "37,8" or "37.8", "9.500" (a
// thousands dot, in whole numbers).  { value } or { error } (a key of t()).
export function parseNumber(text, integer) {
	const s = String(text ?? '').trim().replace(/\s/g, '');
	if (s === '')
		return { value: undefined };
	if (integer) {
		if (/^-?\d{1,3}(\.\d{3})+$/.test(s) || /^-?\d+$/.test(s))
			return { value: Number(s.replace(/\./g, '')) };
		return { error: 'must_be_whole' };
	}
	if (/^-?\d{1,3}(\.\d{3})+,\d+$/.test(s))
		return { value: Number(s.replace(/\./g, '').replace(',', '.')) };
	if (/^-?\d+([.,]\d+)?$/.test(s))
		return { value: Number(s.replace(',', '.')) };
	return { error: 'must_be_number' };
}

// The form field an API error is about: its "field" ("person.full_name",
// "items[0].population", a CSV column) as the name of one of the form's inputs.
export function fieldOf(error, fields) {
	const last = ((error && error.field) || '').replace(/\[\d+\]/g, '').split('.').pop();
	return last && fields.includes(last) ? last : null;
}

let seq = 0;
export function Field({ name, label, errors, type = 'text', value, onInput, required, hint, children, ...rest }) {
	const [id] = useState(() => 'f' + ++seq + '-' + name);
	const err = errors && errors[name];
	const describedBy = [err ? id + '-err' : null, hint ? id + '-hint' : null].filter(Boolean).join(' ') || undefined;
	const common = {
		id, name, required, 'aria-invalid': err ? 'true' : undefined, 'aria-describedby': describedBy,
		onInput: (e) => onInput(e.currentTarget.value),
	};
	let control;
	if (type === 'select')
		control = html`<select ...${common} value=${value} onChange=${common.onInput}>${children}</select>`;
	else if (type === 'textarea')
		control = html`<textarea ...${common} value=${value} rows="6" ...${rest}></textarea>`;
	else
		control = html`<input ...${common} type=${type} value=${value} ...${rest} />`;
	return html`<div class=${'field' + (err ? ' has-error' : '')}>
		<label for=${id}>${label}${required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
		${control}
		${hint ? html`<small id=${id + '-hint'} class="hint">${hint}</small>` : ''}
		${err ? html`<p id=${id + '-err'} class="field-error">${err}</p>` : ''}
	</div>`;
}

// A date typed dd/mm/yyyy; the value kept is ISO (or the raw text while invalid).
export function DateField({ name, label, iso, onChange, errors, required }) {
	const [text, setText] = useState(fmtDate(iso));
	const [bad, setBad] = useState(null);
	const shown = errors && errors[name] ? errors : bad ? { [name]: bad } : errors;
	// data-local-error: the form refuses to send while the date is not one.
	return html`<${Field} name=${name} label=${label} errors=${shown} value=${text} required=${required}
		inputmode="numeric" placeholder="dd/mm/yyyy" autocomplete="off" hint=${t('map_date_hint')}
		data-local-error=${bad || undefined}
		onInput=${(v) => {
			setText(v);
			const p = parseDate(v);
			setBad(v && !p ? t('map_date_bad') : null);
			onChange(p || (v ? v : ''));
		}} />`;
}

// A column header that sorts its table: a button (Enter or Space with the
// keyboard), aria-sort on the cell; dir 1 ascending, -1 descending, 0 not
// the table's order.
export function SortTh({ label, dir, onSort, id }) {
	return html`<th scope="col" id=${id} aria-sort=${dir > 0 ? 'ascending' : dir < 0 ? 'descending' : 'none'}>
		<button type="button" class="sort" title=${t('sort_by', label)} onClick=${onSort}>
			${label}<span aria-hidden="true">${dir > 0 ? ' ▲' : dir < 0 ? ' ▼' : ''}</span>
		</button></th>`;
}

// Names in Vietnamese order (Đ after D, not after Z), as the server sorts them.
export const viCompare = new Intl.Collator('vi').compare;

// A table whose column headers sort it (buttons, with aria-sort).
export function SortTable({ columns, rows, caption, initial }) {
	const [sort, setSort] = useState(initial || { key: columns[0].key, dir: 1 });
	const col = columns.find((c) => c.key === sort.key) || columns[0];
	const val = col.sortValue || ((r) => r[col.key]);
	const sorted = rows.slice().sort((a, b) => {
		const x = val(a), y = val(b);
		if (x === y) return 0;
		if (x === null || x === undefined) return 1;
		if (y === null || y === undefined) return -1;
		if (typeof x === 'string' && typeof y === 'string')
			return viCompare(x, y) * sort.dir;
		return (x < y ? -1 : 1) * sort.dir;
	});
	return html`<div class="table-wrap"><table class="stack">
		${caption ? html`<caption>${caption}</caption>` : ''}
		<thead><tr>${columns.map((c) => html`<${SortTh} label=${c.label} dir=${sort.key === c.key ? sort.dir : 0}
			onSort=${() => setSort({ key: c.key, dir: sort.key === c.key ? -sort.dir : 1 })} />`)}</tr></thead>
		<tbody>${sorted.map((r) => html`<tr key=${r.code || r.id || JSON.stringify(r)}>${columns.map((c, i) => i === 0
			? html`<th scope="row">${c.render ? c.render(r) : r[c.key]}</th>`
			: html`<td data-label=${c.label}>${c.render ? c.render(r) : r[c.key]}</td>`)}</tr>`)}</tbody>
	</table></div>`;
}

// "In trang này" (hidden once printed), and the day printed, shown only on paper.
export function PrintButton() {
	return html`<button type="button" class="print-btn" onClick=${() => print()}>${t('print_page')}</button>`;
}
// On paper the folded parts (a week's table, the measures) are shown open.
if (typeof addEventListener === 'function')
	addEventListener('beforeprint', () => document.querySelectorAll('main details').forEach((d) => { d.open = true; }));
export function PrintedOn() {
	return html`<p class="print-only printed-on">${t('print_date', fmtDate(todayVN()))}</p>`;
}

// "Tải Excel": the list at path with the page's own filters, as an .xlsx
// file the server writes (the same rows the signed-in user may see).
export function XlsxLink({ id, path, params }) {
	return html`<a class="btnlink xlsx" id=${id} href=${'/api/v1' + path + qs({ ...(params || {}), format: 'xlsx' })}
		download>${t('download_xlsx')}</a>`;
}

// Generic rows of an endpoint whose exact shape may still change.
/* A table of API items.  cols: [[label, item => value], ...]; without it,
 * the first scalar fields with their names. */
export function GenericTable({ items, omit = [], cols = null }) {
	const [n, setN] = useState(200);     // rows shown; "show more" adds 200
	if (!items || !items.length)
		return html`<${NoData} />`;
	const shown = cols || Object.keys(items[0])
		.filter((k) => !omit.includes(k) && typeof items[0][k] !== 'object').slice(0, 7)
		.map((k) => [k, (it) => it[k]]);
	const cell = (v) => (v && typeof v === 'object' ? v : /^\d{4}-\d{2}-\d{2}$/.test(v) ? fmtDate(v) : String(v ?? '—'));
	return html`<div class="table-wrap"><table>
		<thead><tr>${shown.map(([label]) => html`<th scope="col">${label}</th>`)}</tr></thead>
		<tbody>${items.slice(0, n).map((it) => html`<tr>${shown.map(([, get]) => html`<td>${cell(get(it))}</td>`)}</tr>`)}</tbody>
	</table></div>
	${items.length > n ? html`<${MoreRows} pages=${{ items: items.slice(0, n), next: true, more: () => setN(n + 200) }} />` : ''}`;
}

// A unit chosen by name: the field holds the unit's code, as the
// API takes it (a code typed works too), and as a person types a name, with
// or without accents, the units of that name in `within` (the user's scope;
// '' or 'VN': anywhere) of the `levels` given are listed to choose from.
// The unit chosen or typed is named under the field.
export const CODE_SHAPE = /^\d{2}(\d|\d{3})?(-\d{3}(-\d{4})?)?$/;
export function UnitField({ name, label, value, onInput, errors, required, within, levels }) {
	const [found, setFound] = useState(null);     // { q, items }: the units of a name typed; null: no search shown
	const [named, setNamed] = useState(null);     // { code, unit }: what a code typed is (unit null: none)
	const text = String(value || '').trim();
	const isCode = CODE_SHAPE.test(text);
	useEffect(() => {
		let live = true;
		const timer = setTimeout(() => {
			if (isCode) {
				setFound(null);
				get('/units/' + encodeURIComponent(text)).then((r) => live && setNamed({ code: text, unit: r.ok ? r.data : null }));
			} else if (text.length >= 2) {
				setNamed(null);
				get('/units' + qs({ q: text, within: within && within !== 'VN' ? within : '', limit: 50 }))
					.then((r) => live && setFound({ q: text,
						items: r.ok ? r.data.items.filter((x) => !levels || levels.includes(x.level)).slice(0, 8) : [] }));
			} else {
				setFound(null);
				setNamed(null);
			}
		}, 250);
		return () => { live = false; clearTimeout(timer); };
	}, [text, within]);
	const listId = 'pick-' + name;
	// A code typed: the line under the field keeps its place (two lines, from
	// the first key) while the code is looked up, so that the form below
	// never moves under a finger or a pointer about to press its button.
	const u = named && named.code === text ? named.unit : null;
	const list = found ? found.items : null;
	const state = !isCode ? (text.length < 2 ? 'none' : found && found.q === text ? 'found' : 'resolving')
		: !named || named.code !== text ? 'resolving' : u ? 'named' : 'none';
	return html`<div class="unitpick" data-state=${state} data-for=${text}>
		<${Field} name=${name} label=${label} value=${value} onInput=${onInput} errors=${errors} required=${required}
			autocomplete="off" hint=${t('picker_hint')} role="combobox" aria-autocomplete="list"
			aria-expanded=${list && list.length ? 'true' : 'false'} aria-controls=${listId} />
		${list ? html`<div class="pick-results" id=${listId}>
			<p class="sr-status" role="status">${list.length ? t('picker_results') + ': ' + list.length : t('picker_none')}</p>
			${text.length === 2 ? html`<p class="pick-short">${t('picker_short')}</p>` : ''}
			${list.length ? html`<ul aria-label=${t('picker_results')}>${list.map((x) => html`<li><button type="button" class="pick"
				data-code=${x.code} onClick=${() => { onInput(x.code); setFound(null); }}>${x.name}
				<small>${t('level_' + x.level)} · ${x.code}</small></button></li>`)}</ul>` : ''}
		</div>` : ''}
		${isCode ? html`<div class="pick-line">${u ? html`<p class="picked">${t('picker_chosen', u.name + (u.path && u.path.length > 1
			? ' — ' + u.path.slice(0, -1).reverse().map((p) => p.name).join(', ') : ''))}</p>`
			: state === 'resolving' ? html`<p class="pick-wait">${t('picker_looking')}</p>` : ''}</div>` : ''}
	</div>`;
}
