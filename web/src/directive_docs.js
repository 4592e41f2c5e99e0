// What a directive carries besides its tasks: the files attached to it
// (listed with their sizes, downloaded; attached and deleted by the issuing
// chain), its links to other directives (implements / replaces, and the
// other way round), and the list of directives a unit issued or received
// with their progress, searched by number, title and date.
import { useState } from 'preact/hooks';
import { api, post, qs } from './api.js';
import { fmtDate, fmtNumber, t } from './i18n.js';
import { DateField, ErrorBox, Field, fieldOf, html, humanize, Link, useGet } from './ui.js';

const FILE_MAX = 5 << 20;
const FILE_KINDS = '.pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png';

// Bytes as people read them here: "812 B", "1,2 KB", "4,8 MB" (decimal comma in Vietnamese).
export function fmtSize(n) {
	if (n < 1024)
		return t('size_b', fmtNumber(n));
	if (n < 1024 * 1024)
		return t('size_kb', fmtNumber(n / 1024, 1));
	return t('size_mb', fmtNumber(n / 1024 / 1024, 1));
}

function focusInvalid(form) {
	setTimeout(() => form.querySelector('[aria-invalid="true"]')?.focus(), 0);
}

function UploadForm({ id, count, onDone }) {
	const [file, setFile] = useState(null);
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		let bad = null;
		if (!file)
			bad = t('file_pick');
		else if (file.size > FILE_MAX)
			bad = t('file_too_big', fmtSize(file.size));
		else if (file.size === 0)
			bad = t('file_empty');
		if (bad) {
			setErrors({ file: bad });
			return focusInvalid(form);
		}
		setBusy(true);
		const r = await api('POST', `/directives/${id}/attachments` + qs({ filename: file.name }), file,
			'application/octet-stream');
		setBusy(false);
		setRes(r);
		const f = r.ok ? null : fieldOf(r.error, ['file', 'filename']);
		setErrors(f ? { file: humanize(r.error.message, null, true) } : {});
		if (!r.ok)
			return focusInvalid(form);
		form.reset();
		setFile(null);
		onDone();
	};
	const err = errors.file;
	return html`<form id="form-attach" class="inline-form" onSubmit=${submit} novalidate aria-label=${t('file_attach')}>
		<div class=${'field' + (err ? ' has-error' : '')}>
			<label for="attach-file">${t('f_file')}</label>
			<input id="attach-file" name="file" type="file" accept=${FILE_KINDS} aria-invalid=${err ? 'true' : undefined}
				aria-describedby=${'attach-hint' + (err ? ' attach-err' : '')}
				onChange=${(e) => { setFile(e.currentTarget.files[0] || null); setErrors({}); setRes(null); }} />
			<small id="attach-hint" class="hint">${t('file_hint', count)}</small>
			${err ? html`<p id="attach-err" class="field-error">${err}</p>` : ''}
		</div>
		${res && res.ok ? html`<p class="success" role="status">${t('file_attached', res.data.filename)}</p>` : ''}
		${res && !res.ok && !err ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('file_attach')}</button>
	</form>`;
}

export function Attachments({ d, onChanged }) {
	const [res, setRes] = useState(null);
	const remove = async (f) => {
		if (!confirm(t('file_delete_confirm', f.filename)))
			return;
		const r = await api('DELETE', `/directives/${d.id}/attachments/${f.id}`);
		setRes(r);
		if (r.ok)
			onChanged();
	};
	const files = d.attachments || [];
	return html`<section class="attachments" aria-labelledby="h-files">
		<h2 id="h-files">${t('files_title')}</h2>
		${files.length ? html`<ul class="files">${files.map((f) => html`<li data-file=${f.id}>
			<a href=${f.url} download=${f.filename}>${f.filename}</a>
			<small class="muted"> · ${fmtSize(f.size)}</small>
			${d.may_edit ? html` <button type="button" class="link" onClick=${() => remove(f)}
				aria-label=${t('file_delete_named', f.filename)}>${t('file_delete')}</button>` : ''}
		</li>`)}</ul>` : html`<p class="nodata">${t('files_none')}</p>`}
		${res && !res.ok ? html`<${ErrorBox} res=${res} />` : ''}
		${d.may_edit && files.length < 10 ? html`<${UploadForm} id=${d.id} count=${files.length} onDone=${onChanged} />` : ''}
	</section>`;
}

function Ref({ x }) {
	return html`<${Link} href=${'/directives/' + x.id}>${t('directive_ref', x.number, fmtDate(x.issued_on), x.title)}<//>`;
}

function LinkForm({ d, onDone }) {
	const [v, setV] = useState({ target: '', kind: 'implements' });
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	// The directives one may link to: those the issuer issued and received.
	const mine = useGet(`/units/${encodeURIComponent(d.issuer)}/directives?limit=100`);
	const got = useGet(`/units/${encodeURIComponent(d.issuer)}/directives?direction=received&limit=100`);
	const choices = [...(mine?.ok ? mine.data.items : []), ...(got?.ok ? got.data.items : [])]
		.filter((x, i, a) => x.id !== d.id && a.findIndex((y) => y.id === x.id) === i);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		if (!v.target) {
			setErrors({ target: t('link_pick') });
			return focusInvalid(form);
		}
		setBusy(true);
		const id = Number(v.target);
		const r = await post(`/directives/${d.id}/links`, v.kind === 'replaces' ? { replaces: id } : { implements: [id] });
		setBusy(false);
		setRes(r);
		const f = r.ok ? null : fieldOf(r.error, ['implements', 'replaces']);
		setErrors(f ? { target: humanize(r.error.message, null, true) } : {});
		if (!r.ok)
			return focusInvalid(form);
		onDone();
	};
	return html`<form id="form-link" class="inline-form" onSubmit=${submit} novalidate aria-label=${t('link_add')}>
		<div class="row2">
			<${Field} name="kind" type="select" label=${t('f_link_kind')} value=${v.kind} onInput=${set('kind')}>
				<option value="implements">${t('link_implements')}</option>
				<option value="replaces">${t('link_replaces')}</option>
			<//>
			<${Field} name="target" type="select" label=${t('f_link_target')} value=${v.target} onInput=${set('target')}
				errors=${errors} required>
				<option value="">${t('link_choose')}</option>
				${choices.map((x) => html`<option value=${String(x.id)}>${x.number} · ${x.title}</option>`)}
			<//>
		</div>
		${res && res.ok ? html`<p class="success" role="status">${t('link_saved')}</p>` : ''}
		${res && !res.ok && !errors.target ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('link_add')}</button>
	</form>`;
}

export function Links({ d, onChanged }) {
	const l = d.links || {};
	const rows = [
		['link_row_implements', l.implements || []], ['link_row_implemented_by', l.implemented_by || []],
		['link_row_replaces', l.replaces ? [l.replaces] : []],
	].filter((x) => x[1].length);
	return html`<section class="links" aria-labelledby="h-links">
		${l.replaced_by ? html`<p class="notice replaced" role="note" id="replaced-by">
			${t('replaced_by')} <${Ref} x=${l.replaced_by} /></p>` : ''}
		<h2 id="h-links">${t('links_title')}</h2>
		${rows.length ? html`<dl class="link-list">${rows.map(([k, xs]) => html`<dt>${t(k)}</dt>
			${xs.map((x) => html`<dd data-link=${x.id}><${Ref} x=${x} /></dd>`)}`)}</dl>`
			: html`<p class="nodata">${t('links_none')}</p>`}
		${d.may_edit ? html`<${LinkForm} d=${d} onDone=${onChanged} />` : ''}
	</section>`;
}

// The directives a unit issued (or received), newest first, a page at a time.
export function DirectiveList({ user, unit, direction }) {
	const grants = (user.grants || []).filter((g) => g.unit_code !== 'VN');
	const code = unit || (grants[0] && grants[0].unit_code) || '';
	const dir = direction === 'received' ? 'received' : 'issued';
	const [v, setV] = useState({ q: '', from: '', to: '' });
	const [query, setQuery] = useState({});
	const [errors, setErrors] = useState({});
	const [pages, setPages] = useState([]);       // later pages: { items, next }
	const first = useGet(code ? `/units/${encodeURIComponent(code)}/directives` + qs({ direction: dir, ...query }) : null);
	const [more, setMore] = useState(null);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const search = (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const bad = form.querySelector('[data-local-error]');
		if (bad) {
			setErrors({ [bad.name]: bad.getAttribute('data-local-error') });
			return focusInvalid(form);
		}
		if (v.from && v.to && v.from > v.to) {
			setErrors({ to: t('list_to_before_from') });
			return focusInvalid(form);
		}
		setErrors({});
		setPages([]);
		setMore(null);
		setQuery({ q: v.q.trim(), from: v.from, to: v.to });
	};
	const next = pages.length ? pages[pages.length - 1].next : first?.ok ? first.data.next : null;
	const loadMore = async () => {
		const r = await api('GET', `/units/${encodeURIComponent(code)}/directives` + qs({ direction: dir, ...query, cursor: next }));
		setMore(r);
		if (r.ok)
			setPages([...pages, r.data]);
	};
	const items = first?.ok ? [first.data.items, ...pages.map((p) => p.items)].flat() : [];
	const href = (d) => '/directives' + qs({ unit: code, direction: d });
	return html`<section class="directive-list">
		<h1>${t('dlist_title')}</h1>
		${grants.length > 1 ? html`<nav class="tabs" aria-label=${t('inbox_units')}><ul>${grants.map((g) => html`<li>
			<${Link} href=${'/directives' + qs({ unit: g.unit_code, direction: dir })} aria-current=${g.unit_code === code ? 'page' : undefined}>${g.unit_name || g.unit_code}<//></li>`)}</ul></nav>` : ''}
		<nav class="tabs" aria-label=${t('dlist_direction')}><ul>
			<li><${Link} href=${href('issued')} aria-current=${dir === 'issued' ? 'page' : undefined}>${t('dlist_issued')}<//></li>
			<li><${Link} href=${href('received')} aria-current=${dir === 'received' ? 'page' : undefined}>${t('dlist_received')}<//></li>
		</ul></nav>
		<p><${Link} href="/directives/new" class="button">${t('directive_new')}<//></p>
		<form id="form-dlist" class="inline-form" onSubmit=${search} novalidate role="search">
			<${Field} name="q" type="search" label=${t('f_dlist_q')} value=${v.q} onInput=${set('q')} errors=${errors} />
			<div class="row2">
				<${DateField} name="from" label=${t('f_dlist_from')} iso=${v.from} onChange=${set('from')} errors=${errors} />
				<${DateField} name="to" label=${t('f_dlist_to')} iso=${v.to} onChange=${set('to')} errors=${errors} />
			</div>
			<button type="submit" class="primary">${t('dlist_search')}</button>
		</form>
		${first === null ? html`<p class="loading" role="status">${t('loading')}</p>` : !first.ok ? html`<${ErrorBox} res=${first} />`
			: items.length ? html`<ul class="dlist">${items.map((x) => html`<li class="dlist-item" data-directive=${x.id}>
				<h3><${Link} href=${'/directives/' + x.id}>${x.number} · ${x.title}<//></h3>
				<p class="muted">${t('directive_meta', x.number, fmtDate(x.issued_on), x.issuer_name)}
					${x.replaced ? html` · <span class="flag kind">${t('dlist_replaced')}</span>` : ''}</p>
				<p class="dlist-progress">${t('dlist_progress', fmtNumber(x.progress.done), fmtNumber(x.progress.total))}
					${x.progress.open ? html` · <span class="flag task-open">${t('dlist_open', fmtNumber(x.progress.open))}</span>` : ''}
					${x.progress.overdue ? html` · <span class="flag task-overdue">${t('dlist_overdue', fmtNumber(x.progress.overdue))}</span>` : ''}</p>
			</li>`)}</ul>` : html`<p class="nodata">${t('dlist_none')}</p>`}
		${more && !more.ok ? html`<${ErrorBox} res=${more} />` : ''}
		${next ? html`<button type="button" id="dlist-more" onClick=${loadMore}>${t('dlist_more')}</button>` : ''}
	</section>`;
}
