// Directives and tasks: a unit's inbox of tasks with their deadlines (a
// list and a month calendar) and the reminders it got; completion reports
// and delegation to the units below; the form that issues a directive with
// its tasks and assignees; the issuer's progress table per unit, overdue
// rows marked, with the button that sends reminders.
import { useEffect, useState } from 'preact/hooks';
import { post, qs } from './api.js';
import { addDays, fmtDate, t, todayVN } from './i18n.js';
import { DateField, ErrorBox, Field, fieldOf, html, humanize, Link, navigate, UnitField, useGet, XlsxLink } from './ui.js';
import { codeLevel } from './roles.js';
import { Attachments, Links } from './directive_docs.js';

const CHILD = { country: 'province', province: 'district', district: 'commune' };

function focusInvalid(form) {
	setTimeout(() => form.querySelector('[aria-invalid="true"]')?.focus(), 0);
}

function Status({ s }) {
	return html`<span class=${'flag task-' + s}>${t('task_' + s)}</span>`;
}

// The errors of an answer at the form's own fields ({} when none is named).
function errorsAt(r, fields) {
	const f = r.ok ? null : fieldOf(r.error, fields);
	return f ? { [f]: humanize(r.error.message, null, true) } : {};
}

function ReportForm({ task, unit, onDone }) {
	const [v, setV] = useState({ note: '', evidence: '', done_on: todayVN() });
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const bad = form.querySelector('[data-local-error]');
		if (bad) {
			setErrors({ done_on: bad.getAttribute('data-local-error') });
			return focusInvalid(form);
		}
		setBusy(true);
		const r = await post(`/tasks/${task.task_id}/reports`, { unit_code: unit, note: v.note.trim(), done: true,
			evidence: v.evidence.trim() || undefined, done_on: v.done_on || undefined });
		setBusy(false);
		setRes(r);
		setErrors(errorsAt(r, ['note', 'evidence', 'done_on']));
		if (!r.ok)
			focusInvalid(form);
		else
			onDone();
	};
	return html`<form id=${'report-' + task.task_id} class="inline-form" onSubmit=${submit} novalidate aria-label=${t('task_report')}>
		<${Field} name="note" type="textarea" label=${t('f_task_note')} value=${v.note} onInput=${set('note')} errors=${errors} required />
		<${Field} name="evidence" label=${t('f_task_evidence')} value=${v.evidence} onInput=${set('evidence')} errors=${errors}
			hint=${t('task_evidence_hint')} />
		<${DateField} name="done_on" label=${t('f_task_done_on')} iso=${v.done_on} onChange=${set('done_on')} errors=${errors} />
		${res && res.ok ? html`<p class="success" role="status">${t('task_reported')}</p>` : ''}
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('task_report')}</button>
	</form>`;
}

function DelegateForm({ task, unit, onDone }) {
	const below = CHILD[codeLevel(unit)] || 'commune';
	const [v, setV] = useState({ title: task.title, deadline: addDays(task.deadline, -3) });
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		const bad = form.querySelector('[data-local-error]');
		if (bad) {
			setErrors({ deadline: bad.getAttribute('data-local-error') });
			return focusInvalid(form);
		}
		setBusy(true);
		const r = await post(`/tasks/${task.task_id}/delegate`, { unit_code: unit, title: v.title.trim() || undefined,
			deadline: v.deadline, assignees: { children_of: unit, level: below } });
		setBusy(false);
		setRes(r);
		setErrors(errorsAt(r, ['title', 'deadline']));
		if (!r.ok)
			focusInvalid(form);
		else
			onDone();
	};
	return html`<form id=${'delegate-' + task.task_id} class="inline-form" onSubmit=${submit} novalidate aria-label=${t('task_delegate')}>
		<p>${t('task_delegate_to', t('level_' + below))}</p>
		<${Field} name="title" label=${t('f_task_title')} value=${v.title} onInput=${set('title')} errors=${errors} />
		<${DateField} name="deadline" label=${t('f_task_deadline')} iso=${v.deadline} onChange=${set('deadline')} errors=${errors} required />
		<small class="hint">${t('task_delegate_hint', fmtDate(task.deadline))}</small>
		${res && res.ok ? html`<p class="success" role="status">${t('task_delegated', res.data.units)}</p>` : ''}
		${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
		<button type="submit" class="primary" disabled=${busy}>${t('task_delegate')}</button>
	</form>`;
}

function TaskItem({ task, unit, onChanged }) {
	const [open, setOpen] = useState(null);
	const toggle = (k) => setOpen(open === k ? null : k);
	return html`<li class=${'task-card task-' + task.status} data-task=${task.task_id}>
		<h3>${task.title}</h3>
		<p><${Status} s=${task.status} /> ${t('task_deadline', fmtDate(task.deadline))}
			${task.done_on ? ' · ' + t('task_done_on', fmtDate(task.done_on)) : ''}</p>
		<p class="muted">${t('task_from', task.number, task.directive_title)}
			· <${Link} href=${'/directives/' + task.directive_id}>${t('task_progress_link')}<//></p>
		${task.status !== 'done' ? html`<div class="actions">
			<button type="button" aria-expanded=${open === 'report'} onClick=${() => toggle('report')}>${t('task_report')}</button>
			${!task.delegated && CHILD[codeLevel(unit)] ? html`<button type="button" aria-expanded=${open === 'delegate'}
				onClick=${() => toggle('delegate')}>${t('task_delegate')}</button>` : ''}
		</div>` : ''}
		${open === 'report' ? html`<${ReportForm} task=${task} unit=${unit} onDone=${onChanged} />` : ''}
		${open === 'delegate' ? html`<${DelegateForm} task=${task} unit=${unit} onDone=${onChanged} />` : ''}
	</li>`;
}

// The month of `month` (YYYY-MM) as weeks Monday to Sunday, each day with its tasks.
function Calendar({ tasks, month, setMonth }) {
	const first = month + '-01';
	const dow = (new Date(first + 'T00:00:00Z').getUTCDay() + 6) % 7;
	const days = [];
	for (let d = addDays(first, -dow); days.length < 42; d = addDays(d, 1))
		days.push(d);
	const byDay = {};
	for (const x of tasks)
		(byDay[x.deadline] = byDay[x.deadline] || []).push(x);
	const [sel, setSel] = useState(null);
	const shift = (n) => {
		const [y, m] = month.split('-').map(Number);
		const d = new Date(Date.UTC(y, m - 1 + n, 1));
		setMonth(d.toISOString().slice(0, 7));
		setSel(null);
	};
	const [y, m] = month.split('-');
	return html`<div class="calendar">
		<div class="cal-head">
			<button type="button" onClick=${() => shift(-1)} aria-label=${t('cal_prev')}>‹</button>
			<h3 aria-live="polite">${t('cal_month', m, y)}</h3>
			<button type="button" onClick=${() => shift(1)} aria-label=${t('cal_next')}>›</button>
		</div>
		<div class="cal-grid" role="grid">
			${t('cal_days').split(',').map((d) => html`<div class="cal-dow" role="columnheader">${d}</div>`)}
			${days.map((d) => {
				const list = byDay[d] || [];
				const late = list.some((x) => x.status === 'overdue');
				return html`<button type="button" role="gridcell" data-day=${d}
					class=${'cal-day' + (d.slice(0, 7) !== month ? ' other' : '') + (list.length ? ' has' : '') + (late ? ' late' : '') + (sel === d ? ' sel' : '')}
					aria-label=${fmtDate(d) + (list.length ? ': ' + t('cal_n_tasks', list.length) : '')}
					onClick=${() => setSel(d)}>${Number(d.slice(8))}${list.length ? html`<span class="dot">${list.length}</span>` : ''}</button>`;
			})}
		</div>
		${sel ? html`<div class="cal-list"><h4>${fmtDate(sel)}</h4>
			${(byDay[sel] || []).length ? html`<ul>${byDay[sel].map((x) => html`<li><${Status} s=${x.status} /> ${x.title}</li>`)}</ul>`
				: html`<p class="nodata">${t('cal_none')}</p>`}</div>` : ''}
	</div>`;
}

// A unit's inbox: the tasks assigned to it and the reminders it got.
export function Inbox({ user, unit }) {
	const grants = (user.grants || []).filter((g) => g.unit_code !== 'VN');
	const code = unit || (grants[0] && grants[0].unit_code) || '';
	const [view, setView] = useState('list');
	const [month, setMonth] = useState(null);   // null: the month of the first task not done
	const [n, setN] = useState(0);
	// While a change reloads it, the inbox stays drawn: the form that made
	// the change keeps its answer.
	const fresh = useGet(code ? `/units/${encodeURIComponent(code)}/inbox?n=${n}` : null);
	const [last, setLast] = useState(null);
	useEffect(() => { if (fresh) setLast(fresh); }, [fresh]);
	const r = fresh || last;
	const changed = () => setN(n + 1);
	return html`<section class="inbox">
		<h1>${t('inbox_title')}</h1>
		${grants.length > 1 ? html`<nav class="tabs" aria-label=${t('inbox_units')}><ul>${grants.map((g) => html`<li>
			<${Link} href=${'/tasks?unit=' + g.unit_code} aria-current=${g.unit_code === code ? 'page' : undefined}>${g.unit_name || g.unit_code}<//></li>`)}</ul></nav>` : ''}
		<p><${Link} href="/directives/new" class="button">${t('directive_new')}<//>
			<${Link} href=${'/directives?unit=' + encodeURIComponent(code)}>${t('dlist_link')}<//></p>
		${r === null ? html`<p class="loading" role="status">${t('loading')}</p>` : !r.ok ? html`<${ErrorBox} res=${r} />` : html`
			<h2>${t('inbox_notices')}</h2>
			${r.data.notices.length ? html`<ul class="notices">${r.data.notices.map((x) => html`<li class="notice" data-task=${x.task_id}>
				<strong>${t('notice_from', x.from_name || x.from)}</strong> ${humanize(x.message)}</li>`)}</ul>` : html`<p class="nodata">${t('inbox_no_notices')}</p>`}
			<h2>${t('inbox_tasks')}</h2>
			<div class="tabs" role="group" aria-label=${t('inbox_view')}><ul>
				<li><a href="#" role="button" aria-current=${view === 'list' ? 'page' : undefined} onClick=${(e) => { e.preventDefault(); setView('list'); }}>${t('inbox_list')}</a></li>
				<li><a href="#" role="button" aria-current=${view === 'calendar' ? 'page' : undefined} onClick=${(e) => { e.preventDefault(); setView('calendar'); }}>${t('inbox_calendar')}</a></li>
			</ul></div>
			${view === 'calendar' ? html`<${Calendar} tasks=${r.data.tasks} setMonth=${setMonth}
				month=${month || (r.data.tasks.find((x) => x.status !== 'done') || { deadline: todayVN() }).deadline.slice(0, 7)} />`
				: r.data.tasks.length ? html`<ul class="tasks">${r.data.tasks.map((x) => html`<${TaskItem} key=${x.task_id} task=${x} unit=${code} onChanged=${changed} />`)}</ul>
					<p><${XlsxLink} id="inbox-xlsx" path=${`/units/${encodeURIComponent(code)}/inbox`} /></p>`
				: html`<p class="nodata">${t('inbox_no_tasks')}</p>`}`}
	</section>`;
}

// The issuer's table: one row per task and unit, delegated rows rolled up.
export function Progress({ id, date }) {
	const [day, setDay] = useState(date || todayVN());
	const [n, setN] = useState(0);
	const [sent, setSent] = useState(null);
	const [busy, setBusy] = useState(false);
	// While a change reloads it, the page stays drawn: the form that made
	// the change keeps its answer.
	const fresh = useGet(`/directives/${id}/progress` + qs({ date: day, n }));
	const [last, setLast] = useState(null);
	useEffect(() => { if (fresh) setLast(fresh); }, [fresh]);
	const r = fresh || last;
	const remind = async () => {
		setBusy(true);
		const x = await post(`/directives/${id}/reminders`, { date: day });
		setBusy(false);
		setSent(x);
		setN(n + 1);
	};
	if (r === null)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const d = r.data.directive;
	const tasks = [];
	for (const it of r.data.items) {
		let g = tasks.find((x) => x.id === it.task_id);
		if (!g)
			tasks.push(g = { id: it.task_id, title: it.task_title, by: it.assigned_by, rows: [] });
		g.rows.push(it);
	}
	const late = r.data.items.filter((x) => x.status === 'overdue').length;
	return html`<section class="progress">
		<h1>${d.title}</h1>
		<p>${t('directive_meta', d.number, fmtDate(d.issued_on), d.issuer_name)}</p>
		${d.summary ? html`<p class="summary-text">${d.summary}</p>` : ''}
		<${Links} d=${d} onChanged=${() => setN(n + 1)} />
		<${Attachments} d=${d} onChanged=${() => setN(n + 1)} />
		<h2>${t('progress_title')}</h2>
		<form class="inline-form" id="form-progress-date" onSubmit=${(e) => e.preventDefault()}>
			<${DateField} name="date" label=${t('progress_as_of')} iso=${day} onChange=${(v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && setDay(v)} />
		</form>
		<p class="summary" role="status">${t('progress_overdue_n', late)}</p>
		<button type="button" class="primary" id="send-reminders" disabled=${busy || !late} onClick=${remind}>${t('progress_remind')}</button>
		${sent ? sent.ok ? html`<p class="success" role="status" id="reminders-sent">${t('progress_reminded', sent.data.sent)}</p>` : html`<${ErrorBox} res=${sent} />` : ''}
		<p><${XlsxLink} id="progress-xlsx" path=${`/directives/${id}/progress`} params=${{ date: day }} /></p>
		${tasks.map((g) => html`<div class="table-wrap"><table class="progress-table" data-task=${g.id}>
			<caption>${g.title} · ${t('progress_assigned_by', g.by)}</caption>
			<thead><tr><th scope="col">${t('col_unit')}</th><th scope="col">${t('col_status')}</th>
				<th scope="col">${t('col_deadline')}</th><th scope="col">${t('col_below')}</th></tr></thead>
			<tbody>${g.rows.map((x) => html`<tr class=${'row-' + x.status} data-unit=${x.unit_code}>
				<th scope="row">${x.unit_name}</th>
				<td><${Status} s=${x.status} />${x.done_on ? html` <small>${fmtDate(x.done_on)}</small>` : ''}</td>
				<td>${fmtDate(x.deadline)}</td>
				<td class="below">${x.below ? t('progress_below', x.below.done, x.below.total, x.below.overdue) : '—'}</td>
			</tr>`)}</tbody>
		</table></div>`)}
	</section>`;
}

const LEVELS_BELOW = ['district', 'commune'];
// The levels a rule may name under a unit: a district has communes only.
const levelsUnder = (code) => (codeLevel((code || '').trim()) === 'district' ? ['commune'] : LEVELS_BELOW);

function TaskRow({ i, task, set, remove, errors, issuer }) {
	const f = (k) => (v) => set(i, k === 'under' && !levelsUnder(v).includes(task.level)
		? { ...task, under: v, level: levelsUnder(v)[0] } : { ...task, [k]: v });
	return html`<fieldset class="task-row" data-row=${i}>
		<legend>${t('directive_task_n', i + 1)}</legend>
		<${Field} name=${'title' + i} label=${t('f_task_title')} value=${task.title} onInput=${f('title')} errors=${errors} required />
		<${DateField} name=${'deadline' + i} label=${t('f_task_deadline')} iso=${task.deadline} onChange=${f('deadline')} errors=${errors} required />
		<${Field} name=${'mode' + i} type="select" label=${t('f_task_assignees')} value=${task.mode} onInput=${f('mode')}>
			<option value="rule">${t('assign_rule')}</option>
			<option value="unit">${t('assign_unit')}</option>
		<//>
		${task.mode === 'rule' ? html`<div class="row2">
			<${UnitField} name=${'under' + i} label=${t('f_assign_under')} value=${task.under} onInput=${f('under')} errors=${errors}
				within=${issuer} levels=${['province', 'district']} />
			<${Field} name=${'level' + i} type="select" label=${t('f_assign_level')} value=${task.level} onInput=${f('level')}>
				${levelsUnder(task.under).map((l) => html`<option value=${l}>${t('level_' + l)}</option>`)}
			<//>
		</div>` : html`<${UnitField} name=${'unit' + i} label=${t('f_assign_unit')} value=${task.unit} onInput=${f('unit')} errors=${errors}
			within=${issuer} levels=${['province', 'district', 'commune']} />`}
		${remove ? html`<button type="button" onClick=${() => remove(i)}>${t('directive_task_remove')}</button>` : ''}
	</fieldset>`;
}

// The form that issues a directive: its document, then its tasks.
export function NewDirective({ user }) {
	const home = ((user.grants || [])[0] || {}).unit_code || '';
	const [v, setV] = useState({ number: '', issued_on: todayVN(), issuer: home === 'VN' ? '' : home, title: '', summary: '' });
	const blank = () => ({ title: '', deadline: addDays(todayVN(), 14), mode: 'rule', under: v.issuer, level: levelsUnder(v.issuer)[0], unit: '' });
	const [tasks, setTasks] = useState([blank()]);
	const [errors, setErrors] = useState({});
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
	const setTask = (i, x) => setTasks(tasks.map((y, j) => (j === i ? x : y)));
	const submit = async (e) => {
		e.preventDefault();
		const form = e.currentTarget;
		// Every field left empty is said at once, not one per press.
		const local = {};
		for (const el of form.querySelectorAll('[data-local-error]'))
			local[el.name] = el.getAttribute('data-local-error');
		for (const k of ['number', 'issuer', 'title'])
			if (!v[k].trim())
				local[k] = t('required');
		tasks.forEach((x, i) => {
			if (!x.title.trim())
				local['title' + i] = t('required');
			if (x.mode === 'unit' && !x.unit.trim())
				local['unit' + i] = t('required');
		});
		if (Object.keys(local).length) {
			setErrors(local);
			return focusInvalid(form);
		}
		setBusy(true);
		const r = await post('/directives', { number: v.number.trim(), issued_on: v.issued_on, issuer: v.issuer.trim(),
			title: v.title.trim(), summary: v.summary.trim() || undefined,
			tasks: tasks.map((x) => ({ title: x.title.trim(), deadline: x.deadline,
				assignees: x.mode === 'rule' ? { children_of: (x.under || v.issuer).trim(), level: x.level } : { units: [x.unit.trim()] } })) });
		setBusy(false);
		setRes(r);
		if (r.ok)
			return navigate('/directives/' + r.data.id);
		// "tasks[1].assignees.level" is the field "level1" of the form.
		const m = /^tasks\[(\d+)\]\.(\w+)(?:\.(\w+))?/.exec(r.error?.field || '');
		const tf = m ? { title: 'title', deadline: 'deadline', assignees: m[3] === 'level' ? 'level' : tasks[+m[1]].mode === 'rule' ? 'under' : 'unit' }[m[2]] + m[1] : null;
		const f = tf || fieldOf(r.error, ['number', 'issued_on', 'issuer', 'title', 'summary']);
		setErrors(f ? { [f]: humanize(r.error.message, null, true) } : {});
		focusInvalid(form);
	};
	return html`<section>
		<h1>${t('directive_new')}</h1>
		<form id="form-directive" onSubmit=${submit} novalidate>
			<div class="row2">
				<${Field} name="number" label=${t('f_directive_number')} value=${v.number} onInput=${set('number')} errors=${errors} required placeholder="12-KH/TU" />
				<${DateField} name="issued_on" label=${t('f_directive_issued_on')} iso=${v.issued_on} onChange=${set('issued_on')} errors=${errors} required />
			</div>
			<${UnitField} name="issuer" label=${t('f_directive_issuer')} value=${v.issuer} onInput=${set('issuer')} errors=${errors} required
				within=${home} levels=${['province', 'district', 'commune']} />
			<${Field} name="title" label=${t('f_directive_title')} value=${v.title} onInput=${set('title')} errors=${errors} required />
			<${Field} name="summary" type="textarea" label=${t('f_directive_summary')} value=${v.summary} onInput=${set('summary')} errors=${errors} />
			${tasks.map((x, i) => html`<${TaskRow} i=${i} task=${x} set=${setTask} errors=${errors} issuer=${v.issuer}
				remove=${tasks.length > 1 ? (j) => setTasks(tasks.filter((_, k) => k !== j)) : null} />`)}
			<button type="button" id="add-task" onClick=${() => setTasks([...tasks, blank()])}>${t('directive_task_add')}</button>
			${res && !res.ok && !Object.keys(errors).length ? html`<${ErrorBox} res=${res} />` : ''}
			<button type="submit" class="primary" disabled=${busy}>${t('directive_issue')}</button>
		</form>
	</section>`;
}
