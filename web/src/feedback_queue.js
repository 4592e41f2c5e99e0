// The officials' feedback queue (/feedback/queue): the requests in their
// scope, filtered (status, category, department, unit, overdue,
// escalated), sorted by the server (deadline, received, last change; up or
// down), a page at a time with the API's cursor, downloadable as Excel;
// a request opened beside the list with its reporter's contact (when the
// API gives it: officials in scope, each read audited) and the actions its
// status allows: acknowledge, assign to a unit below, reassign to another
// unit or department with a reason, answer, close, reject with a reason.
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs } from './api.js';
import { fmtDate, t } from './i18n.js';
import { grantsOf, codeLevel } from './roles.js';
import { ErrorBox, Field, html, Link, NoData, UnitField, useGet } from './ui.js';
import { Badges, dayOf, History, StatusFlag, useCategories, useNames, useSend } from './feedback.js';

const STATUSES = ['new', 'acknowledged', 'in_progress', 'answered', 'closed', 'rejected'];
const OPEN = ['new', 'acknowledged', 'in_progress'];
const BELOW = { province: ['district', 'commune'], district: ['commune'], commune: ['hamlet'] };
const SORTS = ['due', 'created', 'updated'];
const enc = encodeURIComponent;

// One action of the detail pane: a small form that posts `body()`.
function Action({ id, action, label, fields, body, local, onDone, children }) {
	const { errors, res, busy, send } = useSend(fields);
	const submit = (e) => send(e, local ? local() : {}, () => post(`/feedback/${id}/${action}`, body ? body() : {}))
		.then((r) => r && r.ok && onDone(action));
	return html`<form id=${'form-fb-' + action} class="action-row" onSubmit=${submit} novalidate>
		${children ? children(errors) : ''}
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class=${children ? 'primary' : ''} disabled=${busy}>${label}</button>
	</form>`;
}

function TextAction({ id, action, label, field, fieldLabel, need, onDone }) {
	const [text, setText] = useState('');
	return html`<${Action} id=${id} action=${action} label=${label} fields=${[field]} onDone=${onDone}
		body=${() => ({ [field]: text.trim() })} local=${() => (text.trim() ? {} : { [field]: need })}>
		${(errors) => html`<${Field} name=${field} type="textarea" label=${fieldLabel} value=${text} onInput=${setText}
			errors=${errors} required />`}<//>`;
}

function AssignAction({ f, onDone }) {
	const [unit, setUnit] = useState('');
	const levels = BELOW[codeLevel(f.unit_code)] || ['hamlet'];
	return html`<${Action} id=${f.id} action="assign" label=${t('fb_do_assign')} fields=${['unit_code']} onDone=${onDone}
		body=${() => ({ unit_code: unit.trim() })} local=${() => (unit.trim() ? {} : { unit_code: t('fb_need_unit') })}>
		${(errors) => html`<${UnitField} name="unit_code" label=${t('fb_assign_to')} value=${unit} onInput=${setUnit}
			errors=${errors} required within=${f.unit_code} levels=${levels} />`}<//>`;
}

function ReassignAction({ f, cats, onDone }) {
	const [unit, setUnit] = useState('');
	const [dept, setDept] = useState('');
	const [reason, setReason] = useState('');
	const local = () => ({ ...(unit.trim() || dept.trim() ? {} : { unit_code: t('fb_reassign_need') }),
		...(reason.trim() ? {} : { reason: t('fb_need_reason') }) });
	const body = () => ({ ...(unit.trim() ? { unit_code: unit.trim() } : {}),
		...(dept.trim() ? { department: dept.trim() } : {}), reason: reason.trim() });
	return html`<${Action} id=${f.id} action="reassign" label=${t('fb_do_reassign')}
		fields=${['unit_code', 'department', 'reason']} onDone=${onDone} body=${body} local=${local}>
		${(errors) => html`<${UnitField} name="unit_code" label=${t('fb_reassign_to')} value=${unit} onInput=${setUnit}
			errors=${errors} levels=${['province', 'district', 'commune']} />
		<${Field} name="department" label=${t('fb_department')} value=${dept} onInput=${setDept} errors=${errors}
			hint=${t('fb_department_hint')} list="fb-departments" autocomplete="off" />
		<datalist id="fb-departments">${cats.departments.map((d) => html`<option value=${d} />`)}</datalist>
		<${Field} name="reason" type="textarea" label=${t('fb_reassign_reason')} value=${reason} onInput=${setReason}
			errors=${errors} required />`}<//>`;
}

function Actions({ f, cats, onDone }) {
	const s = f.status;
	const open = OPEN.includes(s);
	const [which, setWhich] = useState(null);
	const pick = (a) => html`<button type="button" class=${'fb-pick-' + a} aria-pressed=${which === a ? 'true' : 'false'}
		onClick=${() => setWhich(which === a ? null : a)}>${t('fb_do_' + a)}</button>`;
	const menu = [open && 'assign', open && s !== 'new' && 'answer', open && 'reassign', open && 'reject'].filter(Boolean);
	return html`<div class="fb-actions">
		<div class="actions">
			${s === 'new' ? html`<${Action} id=${f.id} action="acknowledge" label=${t('fb_do_acknowledge')} fields=${[]} onDone=${onDone} />` : ''}
			${s === 'answered' ? html`<${Action} id=${f.id} action="close" label=${t('fb_do_close')} fields=${[]} onDone=${onDone} />` : ''}
			${menu.map(pick)}
		</div>
		${which === 'assign' ? html`<${AssignAction} f=${f} onDone=${onDone} />` : ''}
		${which === 'answer' ? html`<${TextAction} id=${f.id} action="answer" label=${t('fb_do_answer')} field="answer"
			fieldLabel=${t('fb_answer')} need=${t('fb_need_answer')} onDone=${onDone} />` : ''}
		${which === 'reassign' ? html`<${ReassignAction} f=${f} cats=${cats} onDone=${onDone} />` : ''}
		${which === 'reject' ? html`<${TextAction} id=${f.id} action="reject" label=${t('fb_do_reject')} field="reason"
			fieldLabel=${t('fb_reject_reason')} need=${t('fb_need_reason')} onDone=${onDone} />` : ''}
		${!open && s !== 'answered' ? html`<p class="hint">${t('fb_no_action')}</p>` : ''}
	</div>`;
}

function Detail({ id, cats, onChanged }) {
	const [gen, setGen] = useState(0);
	const [done, setDone] = useState(null);
	const r = useGet(`/feedback/${id}` + (gen ? qs({ v: gen }) : ''));
	const name = useNames(r && r.ok ? [r.data.location_code, r.data.unit_code, r.data.assigned_code, r.data.holder_code] : []);
	// Opened below the list: the focus (and a phone's screen) moves to it.
	const shown = !!(r && r.ok);
	useEffect(() => {
		if (shown && !gen)
			document.getElementById('h-fb-detail')?.focus();
	}, [shown]);
	if (!r)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const f = r.data;
	const after = (action) => { setDone(action); setGen(gen + 1); onChanged(); };
	const who = f.reporter && (f.reporter.name || f.reporter.phone) ? f.reporter : null;
	return html`<article class="card fb-detail" id="fb-detail" data-id=${f.id} aria-labelledby="h-fb-detail">
		<h2 id="h-fb-detail" tabindex="-1">${t('fb_number', f.id)} · ${cats.name(f.category)}</h2>
		${done ? html`<p class="success" role="status" id="fb-done">${t('fb_done_' + done)}</p>` : ''}
		<p><${StatusFlag} status=${f.status} /><${Badges} f=${f} /></p>
		<dl class="facts">
			<dt>${t('fb_received')}</dt><dd>${fmtDate(dayOf(f.created_at))}</dd>
			<dt>${t('fb_deadline')}</dt><dd class=${'fb-deadline' + (f.overdue ? ' warm' : '')}>${fmtDate(f.deadline)}</dd>
			<dt>${t('fb_place')}</dt><dd>${name(f.location_code)}${f.address ? ' — ' + f.address : ''}</dd>
			<dt>${t('fb_responsible')}</dt><dd>${name(f.unit_code)}</dd>
			<dt>${t('fb_department')}</dt><dd class="fb-department">${f.department || '—'}</dd>
			${f.assigned_code ? html`<dt>${t('fb_assigned')}</dt><dd class="fb-assigned">${name(f.assigned_code)}</dd>` : ''}
			${f.holder_code !== f.unit_code ? html`<dt>${t('fb_holder')}</dt><dd>${name(f.holder_code)} (${t('fb_until', fmtDate(f.holder_deadline))})</dd>` : ''}
			<dt>${t('fb_description')}</dt><dd>${f.description}</dd>
			${f.answer ? html`<dt>${t('fb_answer')}</dt><dd class="fb-answer">${f.answer}</dd>` : ''}
			${f.reject_reason ? html`<dt>${t('fb_reject_reason')}</dt><dd>${f.reject_reason}</dd>` : ''}
		</dl>
		${who ? html`<p class="fb-reporter" id="fb-reporter"><strong>${t('fb_reporter')}:</strong> ${who.name || ''}
			${who.phone ? html` <a class="tel" href=${'tel:' + who.phone}>${who.phone}</a>` : ''}
			<br /><small class="hint">${t('fb_reporter_note')}</small></p>` : ''}
		<${Actions} f=${f} cats=${cats} onDone=${after} key=${f.status + gen} />
		<h3>${t('fb_history')}</h3>
		<${History} items=${f.history} />
	</article>`;
}

function Filters({ user, cats, q, onApply }) {
	const [v, setV] = useState(q);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const scope = grantsOf(user).find((g) => g.unit_code !== 'VN');
	const submit = (e) => { e.preventDefault(); onApply(v); };
	return html`<form id="fb-filters" class="filters" onSubmit=${submit} novalidate>
		<${Field} name="status" type="select" label=${t('fb_status')} value=${v.status} onInput=${set('status')}>
			<option value="">${t('fb_all')}</option>
			${STATUSES.map((s) => html`<option value=${s}>${t('fb_status_' + s)}</option>`)}<//>
		<${Field} name="category" type="select" label=${t('fb_category')} value=${v.category} onInput=${set('category')}>
			<option value="">${t('fb_all')}</option>
			${cats.list.map((c) => html`<option value=${c.code}>${cats.name(c.code)}</option>`)}<//>
		<${Field} name="department" type="select" label=${t('fb_department')} value=${v.department} onInput=${set('department')}>
			<option value="">${t('fb_all')}</option>
			${cats.departments.map((d) => html`<option value=${d}>${d}</option>`)}<//>
		<${UnitField} name="unit" label=${t('fb_unit')} value=${v.unit} onInput=${set('unit')}
			within=${scope ? scope.unit_code : ''} levels=${['province', 'district', 'commune', 'hamlet']} />
		<div class="field check"><label><input type="checkbox" name="overdue" checked=${v.overdue}
			onChange=${(e) => set('overdue')(e.currentTarget.checked)} /> ${t('fb_only_overdue')}</label></div>
		<div class="field check"><label><input type="checkbox" name="escalated" checked=${v.escalated}
			onChange=${(e) => set('escalated')(e.currentTarget.checked)} /> ${t('fb_only_escalated')}</label></div>
		<${Field} name="sort" type="select" label=${t('fb_sort')} value=${v.sort} onInput=${set('sort')}>
			${SORTS.map((k) => html`<option value=${k}>${t('fb_sort_' + k)}</option>`)}<//>
		<${Field} name="order" type="select" label=${t('fb_order')} value=${v.order} onInput=${set('order')}>
			<option value="asc">${t('fb_order_asc')}</option><option value="desc">${t('fb_order_desc')}</option><//>
		<button type="submit" class="primary">${t('fb_filter')}</button>
	</form>`;
}

const params = (q) => ({ status: q.status, category: q.category, department: q.department, unit: q.unit.trim(),
	overdue: q.overdue ? 1 : '', escalated: q.escalated ? 1 : '', sort: q.sort, order: q.order });

// Pages of the list: the first for `q`, then "more" with the cursor.
function useQueue(q, gen) {
	const [s, setS] = useState({ items: null, next: null, res: null, busy: true });
	const load = async (cursor, keep) => {
		setS((o) => ({ ...o, busy: true }));
		const r = await get('/feedback' + qs({ ...params(q), cursor, limit: 50 }));
		setS((o) => (r.ok ? { items: [...(keep ? o.items || [] : []), ...r.data.items], next: r.data.next, res: r, busy: false }
			: { ...o, res: r, busy: false, items: o.items || [] }));
	};
	useEffect(() => { load(null, false); }, [JSON.stringify(q), gen]);
	return { ...s, more: () => load(s.next, true) };
}

// The page as the server sorted it: no sorting here, so that "more"
// continues the same order.  Overdue rows stand out.
function QueueTable({ items, columns, caption }) {
	return html`<div class="table-wrap"><table class="stack">
		<caption>${caption}</caption>
		<thead><tr>${columns.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
		<tbody>${items.map((f) => html`<tr key=${f.id} data-id=${f.id} class=${f.overdue ? 'row-overdue' : ''}>
			${columns.map((c, i) => (i === 0 ? html`<th scope="row">${c.render(f)}</th>`
				: html`<td data-label=${c.label}>${c.render(f)}</td>`))}
		</tr>`)}</tbody>
	</table></div>`;
}

export function FeedbackQueue({ user, unit }) {
	const scope = (grantsOf(user).find((g) => g.unit_code !== 'VN') || {}).unit_code;
	const cats = useCategories(scope);
	const [q, setQ] = useState({ status: '', category: '', department: '', unit: unit || '', overdue: false,
		escalated: false, sort: 'due', order: 'asc' });
	const [gen, setGen] = useState(0);
	const [open, setOpen] = useState(null);
	const list = useQueue(q, gen);
	const name = useNames((list.items || []).map((f) => f.location_code));
	if (!cats.res)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	const columns = [
		{ label: t('fb_col_number'), render: (f) => html`<button type="button" class="linkish fb-open"
			data-id=${f.id} onClick=${() => setOpen(f.id)}>${t('fb_number', f.id)}</button>` },
		{ label: t('fb_deadline'), render: (f) => html`<span class=${'fb-due' + (f.overdue ? ' warm' : '')}>${fmtDate(f.deadline)}</span><${Badges} f=${f} />` },
		{ label: t('fb_status'), render: (f) => html`<${StatusFlag} status=${f.status} />` },
		{ label: t('fb_category'), render: (f) => cats.name(f.category) },
		{ label: t('fb_department'), render: (f) => html`<span class="fb-dept">${f.department || '—'}</span>` },
		{ label: t('fb_place'), render: (f) => name(f.location_code) },
		{ label: t('fb_received'), render: (f) => html`<span class="fb-received">${fmtDate(dayOf(f.created_at))}</span>` },
	];
	const xlsx = '/api/v1/feedback' + qs({ ...params(q), format: 'xlsx' });
	const home = scope || (grantsOf(user)[0] || {}).unit_code;
	return html`<section class="fb-queue">
		<h1>${t('fb_queue_title')}</h1>
		<p><${Link} href=${'/feedback/stats' + qs({ unit: q.unit.trim() || home })}>${t('fb_stats_title')} →<//>
			${/^\d{2}$/.test(home || '') ? html` · <${Link} href=${'/feedback/categories' + qs({ unit: home })}>${t('fb_cats_link')} →<//>` : ''}</p>
		<${Filters} user=${user} cats=${cats} q=${q} onApply=${(v) => { setQ(v); setOpen(null); }} />
		${list.res && !list.res.ok ? html`<${ErrorBox} res=${list.res} />` : ''}
		${list.items === null ? html`<p class="loading" role="status">${t('loading')}</p>`
			: !list.items.length ? html`<${NoData} text=${t('fb_queue_empty')} />`
			: html`<div id="fb-list"><${QueueTable} items=${list.items} columns=${columns}
				caption=${t('fb_queue_sorted', list.items.length, t('fb_sort_' + q.sort).toLowerCase())} /></div>`}
		${list.next ? html`<p><button type="button" id="fb-more" disabled=${list.busy} onClick=${list.more}>${t('fb_more')}</button></p>` : ''}
		<p><a class="btnlink" id="fb-xlsx" href=${xlsx} download>${t('download_xlsx')}</a></p>
		${open ? html`<${Detail} id=${open} cats=${cats} key=${open} onChanged=${() => setGen(gen + 1)} />` : ''}
	</section>`;
}
