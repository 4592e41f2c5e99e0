// The CSV import screen (/import): what to import, a template to download
// (the header row and one example row, UTF-8 with a BOM so that Excel reads
// the Vietnamese letters), the file sent as it is with the percent sent, then
// "checking" until the server answers, and a refusal as a table (the line as a spreadsheet counts it,
// the column in words, the message).  The server stores every row or none.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { upload } from './api.js';
import { fmtNumber, HAS_KEY, t } from './i18n.js';
import { ErrorBox, html, humanize } from './ui.js';
import { mayImport } from './roles.js';

// Each kind: its route, columns (required ones marked *), an example row.
export const IMPORTS = [
	{ id: 'cases', path: '/cases/import', done: (d) => t('imp_done_cases', fmtNumber(d.rows), fmtNumber(d.inserted),
		fmtNumber(d.updated), fmtNumber(d.skipped)),
	columns: ['external_id*', 'full_name', 'id_number', 'birth_year', 'sex', 'unit_code', 'phone', 'detected_on*', 'source',
		'test_type*', 'severity', 'needs_oxygen', 'care_place', 'outcome', 'outcome_on'],
	example: ['CB-2022-0001', 'Nguyễn Văn An', '001089000123', '1989', 'male', '00001', '0912345678', '2022-01-20', 'community',
		'rt-pcr', '', '0', '', '', ''] },
	{ id: 'indicators', path: '/levels/indicators', done: (d) => t('imp_done_stored', fmtNumber(d.stored)),
		columns: ['unit_code*', 'week_end*', 'population*', 'cases_week', 'cases_prev_week', 'oxygen_cases_week', 'deaths_week',
			'vax1_18plus_pct', 'vaxfull_elderly_pct', 'vaxfull_pct', 'vaxfull_highrisk_pct', 'capacity_met', 'capacity'],
		example: ['00001', '2022-01-23', '9500', '12', '8', '1', '0', '98.5', '92', '88', '90', '1', 'medium'] },
	{ id: 'vaccination', path: '/vaccination/import', done: (d) => t('imp_done_stored', fmtNumber(d.stored)),
		columns: ['unit_code*', 'week_end*', 'age_group*', 'population*', 'dose1*', 'full_dose*', 'booster'],
		example: ['00001', '2022-01-23', '18+', '7000', '6900', '6500', '3000'] },
	{ id: 'capacity', path: '/capacity/import', done: (d) => t('imp_done_stored', fmtNumber(d.stored)),
		columns: ['unit_code*', 'week_end*', 'capacity_met*', 'capacity*', 'beds_free', 'icu_beds_free', 'oxygen_ready', 'mobile_teams'],
		example: ['00001', '2022-01-23', '1', 'medium', '20', '2', '1', '3'] },
	{ id: 'levels', path: '/levels/import', done: (d) => t('imp_done_levels', fmtNumber(d.rows), fmtNumber(d.inserted)),
		columns: ['date*', 'unit_code*', 'level*', 'unit_name', 'listed', 'source'],
		example: ['2022-01-23', '00001', '2', 'Phường Phúc Xá', '', ''] },
];

const bare = (c) => c.replace('*', '');
// A column in words: the import's own name for it, else the form's label.
export const columnLabel = (c) => (HAS_KEY('imp_col_' + c) ? t('imp_col_' + c) : HAS_KEY('f_' + c) ? t('f_' + c) : c);

// The template: a BOM, the header and the example row (CRLF, as Excel writes).
export function templateText(kind) {
	const cell = (v) => (/[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
	return '\uFEFF' + kind.columns.map(bare).join(',') + '\r\n' + kind.example.map(cell).join(',') + '\r\n';
}

// A refusal's messages as table rows, one per bad line (error.errors, else
// the one message): "dòng 3: cột population: ..." gives line 3, the column
// in words and the rest; a message naming no line is one row without them.
export function errorRows(res) {
	const list = res.error?.errors?.length ? res.error.errors
		: ((res.error && res.error.message) || '').split(/\n/).filter(Boolean).map((message) => ({ message, field: res.error.field }));
	return list.map(({ message: m, field }) => {
		const x = /^(?:dòng|line) (\d+): (?:(?:cột|column) '?([A-Za-z0-9_]+)'?: )?(.*)$/s.exec(m);
		const col = x ? x[2] || (field || '').replace(/^@/, '') : '';
		return x ? { line: Number(x[1]), column: col ? columnLabel(col) : '—', message: humanize(x[3]) }
			: { line: null, column: '—', message: humanize(m) };
	});
}

// Data rows of a CSV text (lines with something on them, but the header).
const countRows = (text) => Math.max(0, text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).filter((l) => l.trim()).length - 1);

function Template({ kind }) {
	const url = useMemo(() => URL.createObjectURL(new Blob([templateText(kind)], { type: 'text/csv;charset=utf-8' })), [kind.id]);
	useEffect(() => () => URL.revokeObjectURL(url), [url]);
	return html`<section aria-labelledby="h-imp-cols"><h2 id="h-imp-cols">${t('imp_columns')}</h2>
		<p class="hint">${t('imp_columns_hint')}</p>
		<ul class="imp-cols">${kind.columns.map((c) => html`<li><code>${bare(c)}</code> — ${columnLabel(bare(c))}${
			c.endsWith('*') ? html` <strong>(${t('imp_required')})</strong>` : ''}</li>`)}</ul>
		<p><a class="btnlink" id="imp-template" href=${url} download=${'mau-' + kind.id + '.csv'}>${t('imp_template')}</a></p>
	</section>`;
}

function ErrorTable({ rows }) {
	return html`<div class="table-wrap"><table id="import-errors">
		<caption>${t('imp_errors_caption')}</caption>
		<thead><tr><th scope="col">${t('imp_col_line')}</th><th scope="col">${t('imp_col_column')}</th>
			<th scope="col">${t('imp_col_message')}</th></tr></thead>
		<tbody>${rows.map((r) => html`<tr><th scope="row">${r.line === null ? '—' : fmtNumber(r.line)}</th><td>${r.column}</td>
			<td>${r.message}</td></tr>`)}</tbody>
	</table></div>`;
}

// While sending: the percent of the file sent; then, until the answer,
// the server checking every line (no percent to show).
function Progress({ busy }) {
	const label = busy.checking ? t('imp_checking') : t('imp_uploading', fmtNumber(busy.pct));
	return html`<p role="status" class="imp-progress" id="imp-progress">
		${busy.checking ? html`<progress aria-label=${label}></progress>`
			: html`<progress max="100" value=${busy.pct} aria-label=${label}></progress>`}
		<span>${label}</span></p>`;
}

export function Import({ user, kind: kindParam }) {
	const kinds = IMPORTS.filter((k) => mayImport(user, k.id));
	const [kindId, setKindId] = useState((kinds.find((k) => k.id === kindParam) || kinds[0] || {}).id);
	const [file, setFile] = useState(null);       // { name, text }
	const [busy, setBusy] = useState(null);       // null, { pct } while sending, { checking: true }
	const [res, setRes] = useState(null);
	const [fieldErr, setFieldErr] = useState(null);
	const kind = kinds.find((k) => k.id === kindId);
	if (!kind)
		return html`<p class="error" role="alert">${t('forbidden')}</p>`;
	const onFile = async (e) => {
		const f = e.currentTarget.files[0];
		setRes(null);
		setFieldErr(null);
		setFile(f ? { name: f.name, text: await f.text() } : null);
	};
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const bad = !file ? t('imp_no_file') : countRows(file.text) === 0 ? t('imp_empty') : null;
		setFieldErr(bad);
		if (bad) {
			setRes(null);
			form.querySelector('#imp-file').focus();
			return;
		}
		setBusy({ pct: 0 });
		setRes(null);
		const r = await upload(kind.path, file.text, 'text/csv', (sent, total) =>
			setBusy(sent === null ? { checking: true } : { pct: total ? Math.floor((100 * sent) / total) : 0 }));
		setBusy(null);
		setRes(r);
	};
	const refused = res && !res.ok && res.status >= 400 && res.status < 500 && !res.missing;
	const rows = refused ? errorRows(res) : [];
	return html`<section class="import">
		<h1>${t('imp_title')}</h1>
		<p>${t('imp_intro')}</p>
		<form onSubmit=${submit} novalidate id="form-import" aria-labelledby="h-imp-form">
			<h2 id="h-imp-form">${t('imp_send')}</h2>
			<div class="field"><label for="imp-kind">${t('imp_kind')}</label>
				<select id="imp-kind" name="kind" value=${kindId} onChange=${(e) => { setKindId(e.currentTarget.value); setRes(null); }}>
					${kinds.map((k) => html`<option value=${k.id}>${t('imp_kind_' + k.id)}</option>`)}</select></div>
			<div class=${'field' + (fieldErr || refused ? ' has-error' : '')}><label for="imp-file">${t('f_csv')}</label>
				<input id="imp-file" name="file" type="file" accept=".csv,text/csv" onChange=${onFile}
					aria-invalid=${fieldErr || refused ? 'true' : undefined} aria-describedby=${fieldErr || refused ? 'imp-file-err' : 'imp-file-hint'} />
				<small id="imp-file-hint" class="hint">${file ? t('imp_file_rows', file.name, fmtNumber(countRows(file.text))) : t('imp_file_hint')}</small>
				${fieldErr ? html`<p id="imp-file-err" class="field-error">${fieldErr}</p>`
					: refused ? html`<p id="imp-file-err" class="field-error">${t('imp_refused')}</p>` : ''}</div>
			${busy ? html`<${Progress} busy=${busy} />` : ''}
			${res && res.ok ? html`<p class="success" role="status" id="import-done">${kind.done(res.data)}</p>` : ''}
			${refused ? html`<div role="alert"><${ErrorTable} rows=${rows} /></div>` : res && !res.ok ? html`<${ErrorBox} res=${res} />` : ''}
			<button type="submit" class="primary" disabled=${!!busy}>${t('imp_submit')}</button>
		</form>
		<${Template} kind=${kind} key=${kind.id} />
	</section>`;
}
