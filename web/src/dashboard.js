// Dashboards for a unit in the user's scope (loaded on demand, with uPlot):
// weekly cases per 100,000, level history, the units below with their
// levels, overdue isolation check-ins, active zones, cases.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { qs } from './api.js';
import { fmtDate, fmtNumber, lang, t, todayVN } from './i18n.js';
import { ErrorBox, Field, GenericTable, html, LevelBadge, Link, MoreRows, NoData, PrintButton, PrintedOn, SortTable, useGet, usePages, XlsxLink } from './ui.js';
import { AreaOverview } from './area.js';

// The case list: a page at a time, sortable by each column.
const CASES_PAGE = 100;
const CASE_COLS = () => [
	{ key: 'id', label: t('col_case'), render: (c) => html`<${Link} href=${'/cases/' + c.id} class="case-link">#${c.id}<//>` },
	{ key: 'name', label: t('col_person'), sortValue: (c) => c.person?.full_name, render: (c) => c.person?.full_name ?? '—' },
	{ key: 'unit_code', label: t('col_unit') },
	{ key: 'detected_on', label: t('col_detected'), render: (c) => fmtDate(c.detected_on) },
	{ key: 'source', label: t('col_source'), render: (c) => t('src_' + c.source) },
	{ key: 'severity', label: t('col_severity'), render: (c) => t('sev_' + c.severity) },
	{ key: 'outcome', label: t('col_outcome'), render: (c) => (c.outcome ? t('out_' + c.outcome) : '—') },
];

// Loading, "no data" for an endpoint this server lacks, the error, or the body.
function Block({ r, children }) {
	if (r === null)
		return html`<p role="status">${t('loading')}</p>`;
	if (r.missing)
		return html`<${NoData} />`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	return children(r.data);
}

// The year(s) an axis of days spans ("2021" or "2021–2022"): the ticks say dd/mm.
function years(xs) {
	const y = (ts) => new Date(ts * 1000).getUTCFullYear();
	const a = y(Math.min(...xs)), b = y(Math.max(...xs));
	return a === b ? String(a) : `${a}–${b}`;
}

function WeeklyChart({ items }) {
	const el = useRef(null);
	useEffect(() => {
		const xs = items.map((i) => Date.parse(i.week_end + 'T00:00:00Z') / 1000);
		const ys = items.map((i) => i.cases_per_100k);
		const width = Math.max(280, Math.min(900, el.current.clientWidth || 600));
		// Dates read dd/mm (axis) and dd/mm/yyyy (legend), as everywhere in the app.
		const dm = (ts) => { const d = new Date(ts * 1000); const p = (n) => String(n).padStart(2, '0');
			return p(d.getUTCDate()) + '/' + p(d.getUTCMonth() + 1); };
		const dmy = (ts) => ts == null ? '' : dm(ts) + '/' + new Date(ts * 1000).getUTCFullYear();
		const plot = new uPlot({
			width, height: 240,
			scales: { x: { time: true } },
			series: [{ label: t('col_week'), value: (u, ts) => dmy(ts) },
				{ label: t('dash_per100k'), stroke: '#0b5394', width: 2, fill: 'rgba(11,83,148,0.12)' }],
			axes: [{ values: (u, splits) => splits.map(dm), label: years(xs) }, { label: t('dash_per100k') }],
			legend: { show: true },
		}, [xs, ys], el.current);
		return () => plot.destroy();
	}, [items]);
	return html`<div class="chart" ref=${el} role="img" aria-label=${t('dash_weekly')}></div>`;
}

/* Decided levels over time, as steps (a level holds until the next decision). */
function LevelChart({ items }) {
	const el = useRef(null);
	const decided = items.filter((e) => e.kind === 'decision' && e.level && e.effective_from)
		.sort((a, b) => a.effective_from < b.effective_from ? -1 : 1);
	useEffect(() => {
		if (!decided.length)
			return undefined;
		const xs = decided.map((e) => Date.parse(e.effective_from + 'T00:00:00Z') / 1000);
		const ys = decided.map((e) => e.level);
		// The last level holds until today: one more point draws its step (and
		// gives a single decision a line to stand on).
		const now = Date.parse(todayVN() + 'T00:00:00Z') / 1000;
		xs.push(Math.max(now, xs[xs.length - 1] + 86400));
		ys.push(ys[ys.length - 1]);
		const p2 = (n) => String(n).padStart(2, '0');
		const dmy = (ts) => { const d = new Date(ts * 1000);
			return p2(d.getUTCDate()) + '/' + p2(d.getUTCMonth() + 1) + '/' + d.getUTCFullYear(); };
		const width = Math.max(280, Math.min(900, el.current.clientWidth || 600));
		const plot = new uPlot({
			width, height: 160,
			scales: { x: { time: true }, y: { range: [0.5, 4.5] } },
			series: [{ label: t('col_from'), value: (u, ts) => ts == null ? '' : dmy(ts) },
				{ label: t('col_level'), stroke: '#b45309', width: 2,
				  paths: uPlot.paths.stepped({ align: 1 }), points: { size: 6 } }],
			axes: [{ values: (u, splits) => splits.map((ts) => dmy(ts).slice(0, 5)), label: years(xs) },
				{ label: t('col_level'), splits: () => [1, 2, 3, 4] }],
		}, [xs, ys], el.current);
		return () => plot.destroy();
	}, [items]);
	if (!decided.length)
		return '';
	return html`<div class="chart" ref=${el} role="img" aria-label=${t('dash_history')}></div>`;
}

// The overdue check-ins and the zones: a page at a time (the API's cursor),
// "show more" for the next; the Excel file with the same filters.
const PAGE = 50;

function OverdueList({ unit }) {
	const params = { unit, state: 'overdue' };
	const pages = usePages('/isolations' + qs(params), PAGE);
	return html`<${Block} r=${pages.r}>${() => html`<${GenericTable} items=${pages.items} cols=${[
		[t('col_isolation'), (x) => '#' + x.id],
		[t('col_person'), (x) => x.person?.full_name ?? x.full_name ?? ('#' + x.person_id)],
		[t('col_unit'), (x) => x.unit_code],
		[t('col_started'), (x) => x.started_on],
		[t('col_checkins'), (x) => x.checkins],
	]} />
	<${MoreRows} pages=${pages} id="dash-overdue-more" />
	<p><${XlsxLink} id="dash-overdue-xlsx" path="/isolations" params=${params} /></p>`}<//>`;
}

function ZoneList({ unit, today }) {
	const [status, setStatus] = useState('active');
	const params = { unit, active_on: today, status };
	const pages = usePages('/zones' + qs(params), PAGE);
	return html`<div class="filters"><${Field} name="zone_status" type="select" label=${t('zones_status')} value=${status}
		onInput=${setStatus}>${['active', 'ended', 'all'].map((k) => html`<option value=${k}>${t('zones_status_' + k)}</option>`)}<//></div>
	<${Block} r=${pages.r}>${() => html`<div id="dash-zones"><${GenericTable} items=${pages.items} cols=${[
		[t('col_zone'), (z) => '#' + z.id],
		[t('col_unit'), (z) => z.unit_name || z.unit_code],
		[t('col_area'), (z) => z.area_name],
		[t('col_reason'), (z) => z.reason],
		[t('col_started'), (z) => z.started_on],
		[t('col_planned_end'), (z) => z.planned_end],
	]} /></div>
	<${MoreRows} pages=${pages} id="dash-zones-more" />
	<p><${XlsxLink} id="dash-zones-xlsx" path="/zones" params=${params} /></p>`}<//>`;
}

export function Dashboard({ user, unit: unitParam }) {
	const grants = user.grants || [];
	const unit = unitParam || (grants[0] && grants[0].unit_code !== 'VN' ? grants[0].unit_code : null);
	const today = todayVN();
	const info = useGet(unit ? '/units/' + encodeURIComponent(unit) : null);
	const from = new Date(Date.parse(today) - 26 * 7 * 86400000).toISOString().slice(0, 10);
	// Up to the Sunday after today, so the week in progress is shown too.
	const toWeek = new Date(Date.parse(today) + 6 * 86400000).toISOString().slice(0, 10);
	const weekly = useGet(unit ? `/units/${encodeURIComponent(unit)}/weekly` + qs({ from, to: toWeek }) : null);
	const history = useGet(unit ? `/units/${encodeURIComponent(unit)}/levels` : null);
	const children = useGet('/levels' + qs({ parent: unit, date: today }));
	const units = useGet(unit ? '/units' + qs({ parent: unit, limit: 1000 }) : null);
	const cases = usePages(unit ? '/cases' + qs({ unit }) : null, CASES_PAGE);
	const en = lang() === 'en';
	// A province or district: its units below at a glance (area.js).
	const area = !!unit && /^\d{2,3}$/.test(unit) && !!info?.ok;

	if (info && !info.ok)
		return html`<section><h1>${t('dash_title')}</h1>
			<p class="error" role="alert" id="dash-refused">${t('not_found', unit)}</p></section>`;

	// The units below: levels where public ones have them, else the unit list.
	let rows = [];
	if (children?.ok && children.data.items.length)
		rows = children.data.items;
	else if (units?.ok)
		rows = units.data.items.map((u) => ({ code: u.code, name: u.name, unit_level: u.level, level: null }));
	const columns = [
		{ key: 'name', label: t('col_name'), render: (r) => html`<${Link} href=${'/dashboard?unit=' + encodeURIComponent(r.code)}>${r.name}<//>` },
		{ key: 'code', label: t('col_code') },
		{ key: 'level', label: t('col_level'), sortValue: (r) => r.level || 0, render: (r) => html`<${LevelBadge} level=${r.level} />` },
		{ key: 'effective_from', label: t('col_from'), render: (r) => fmtDate(r.effective_from) },
	];

	return html`<section class="dashboard">
		<h1>${t('dash_title')}${info?.ok ? ' — ' + info.data.name : ''}</h1>
		<${PrintedOn} />
		${info?.ok ? html`<nav aria-label="breadcrumb" class="crumbs"><ol>${info.data.path.map((p) => html`<li>
			<${Link} href=${'/dashboard?unit=' + encodeURIComponent(p.code)}>${p.name}<//></li>`)}</ol></nav>` : ''}
		${grants.length > 1 ? html`<p>${grants.map((g) => html`<${Link} class="btnlink" href=${'/dashboard?unit=' + encodeURIComponent(g.unit_code === 'VN' ? '' : g.unit_code)}>${g.unit_name || g.unit_code}<//> `)}</p>` : ''}
		${unit ? html`<p class="no-print"><${Link} href=${'/entry?unit=' + encodeURIComponent(unit)}>${t('nav_entry')} →<//></p>` : ''}
		<p><${PrintButton} /></p>
		<div class="cards">
			${area ? html`<article class="card wide" aria-labelledby="h-area">
				<h2 id="h-area">${t('area_title')}</h2><${AreaOverview} code=${unit} official=${true} /></article>` : ''}
			${unit ? html`<article class="card wide" aria-labelledby="h-weekly">
				<h2 id="h-weekly">${t('dash_weekly')}</h2>
				<${Block} r=${weekly}>${(d) => !d.items || !d.items.length ? html`<${NoData} />` : html`
					<${WeeklyChart} items=${d.items} />
					<details><summary>${t('dash_weekly_table')}</summary><div class="table-wrap"><table>
						<thead><tr><th scope="col">${t('col_week_end')}</th><th scope="col">${t('dash_cases')}</th>
							<th scope="col">${t('dash_community')}</th><th scope="col">${t('dash_oxygen')}</th>
							<th scope="col">${t('dash_deaths')}</th><th scope="col">${t('dash_per100k')}</th></tr></thead>
						<tbody>${d.items.map((w) => html`<tr><th scope="row">${fmtDate(w.week_end)}</th><td>${fmtNumber(w.cases)}</td>
							<td>${fmtNumber(w.community_cases)}</td><td>${fmtNumber(w.oxygen_cases)}</td><td>${fmtNumber(w.deaths)}</td>
							<td>${fmtNumber(w.cases_per_100k, 1)}</td></tr>`)}</tbody></table></div></details>
					<p><${XlsxLink} id="dash-weekly-xlsx" path=${`/units/${encodeURIComponent(unit)}/weekly`} params=${{ from, to: toWeek }} /></p>`}<//>
			</article>` : ''}
			${unit ? html`<article class="card" aria-labelledby="h-cases">
				<h2 id="h-cases">${t('dash_case_list')}</h2>
				<${Block} r=${cases.r}>${() => html`<p class="bignum" id="case-count">${cases.next ? t('dash_cases_more', fmtNumber(cases.items.length))
					: t('dash_cases_total', fmtNumber(cases.items.length))}</p>
					${cases.items.length ? html`<${SortTable} columns=${CASE_COLS()} rows=${cases.items} initial=${{ key: 'detected_on', dir: -1 }} />`
						: html`<${NoData} />`}
					<${MoreRows} pages=${cases} id="dash-cases-more" />
					<p><${XlsxLink} id="dash-cases-xlsx" path="/cases" params=${{ unit }} /></p>`}<//>
			</article>` : ''}
			${unit ? html`<article class="card" aria-labelledby="h-hist">
				<h2 id="h-hist">${t('dash_history')}</h2>
				<${Block} r=${history}>${(d) => !d.items.length ? html`<${NoData} />` : html`<${LevelChart} items=${d.items} /><div class="table-wrap"><table>
					<thead><tr><th scope="col">${t('col_week_end')}</th><th scope="col">${t('col_from')}</th><th scope="col">${t('col_level')}</th>
						<th scope="col">${t('col_kind')}</th><th scope="col">${t('col_note')}</th></tr></thead>
					<tbody>${d.items.map((e) => html`<tr><th scope="row">${fmtDate(e.week_end)}</th><td>${fmtDate(e.effective_from)}</td>
						<td><${LevelBadge} level=${e.level} /></td><td>${t('kind_' + e.kind)}${e.by ? ' · ' + e.by : ''}</td>
						<td>${e.explanation ? (en ? e.explanation.en : e.explanation.vi) : e.reason || ''}</td></tr>`)}</tbody>
				</table></div>
				<p><${XlsxLink} id="dash-history-xlsx" path=${`/units/${encodeURIComponent(unit)}/levels`} /></p>`}<//>
			</article>` : ''}
			<article class="card" aria-labelledby="h-over">
				<h2 id="h-over">${t('dash_isolations')}</h2>
				${unit ? html`<${OverdueList} unit=${unit} />` : html`<${NoData} />`}
			</article>
			<article class="card" aria-labelledby="h-zones">
				<h2 id="h-zones">${t('dash_zones')}</h2>
				${unit ? html`<${ZoneList} unit=${unit} today=${today} />` : html`<${NoData} />`}
			</article>
			${area ? '' : html`<article class="card wide" aria-labelledby="h-children">
				<h2 id="h-children">${t('dash_children')}</h2>
				${children === null || (unit && units === null) ? html`<p role="status">${t('loading')}</p>`
					: rows.length ? html`<${SortTable} columns=${columns} rows=${rows} initial=${{ key: 'level', dir: -1 }} />
						<p><a class="btnlink xlsx" id="dash-children-xlsx" href=${'/api/v1/levels.xlsx' + qs({ parent: unit, date: today })}
							download>${t('download_xlsx')}</a></p>`
					: html`<${NoData} />`}
			</article>`}
		</div>
	</section>`;
}
