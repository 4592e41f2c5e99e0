// Citizen feedback at a glance for an official (/feedback/stats?unit=):
// per unit directly below, the open and overdue requests, the median days
// to answer and requests per 10,000 people (GET /api/v1/feedback/stats),
// then the same per department in charge (without population),
// as a sortable table and, for a province, on its districts' map coloured
// by the share of open requests that are overdue.
import L from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { qs } from './api.js';
import { fmtNumber, lang, t } from './i18n.js';
import { GEO, loadGeo } from './map.js';
import { grantsOf } from './roles.js';
import { ErrorBox, html, Link, navigate, NoData, SortTable, useGet } from './ui.js';

// Share of open requests overdue: none open, then 0, < 10 %, < 25 %, < 50 %, more.
const BINS = [[0, '#e3f3df'], [1e-9, '#fde7c4'], [0.1, '#f8b65c'], [0.25, '#e0662a'], [0.5, '#a51d2d']];
const share = (r) => (r.open ? r.overdue / r.open : null);
const colour = (v) => (v === null ? '#d0d0d0' : BINS.reduce((c, [lo, col]) => (v >= lo ? col : c), BINS[0][1]));
const pct = (v) => (v === null ? '—' : fmtNumber(v * 100, 0) + ' %');
const href = (code) => '/feedback/stats' + qs({ unit: code });

function ShareMap({ geo, rows }) {
	const el = useRef(null);
	const map = useRef(null);
	useEffect(() => {
		const by = Object.fromEntries(rows.map((r) => [r.code, r]));
		map.current = L.map(el.current, { attributionControl: false, zoomSnap: 0.25, minZoom: 5, maxZoom: 13 });
		const layer = L.geoJSON(geo, {
			style: (f) => ({ fillColor: colour(by[f.properties.code] ? share(by[f.properties.code]) : null),
				fillOpacity: 0.9, color: '#ffffff', weight: 1, className: 'unit-' + f.properties.code }),
			onEachFeature: (f, lyr) => {
				const r = by[f.properties.code];
				lyr.bindTooltip(t('fbs_tip', r ? r.name : f.properties.name, fmtNumber(r ? r.open : 0),
					fmtNumber(r ? r.overdue : 0)), { sticky: true });
				lyr.on({ click: () => navigate(href(f.properties.code)) });
			},
		}).addTo(map.current);
		if (layer.getBounds().isValid())
			map.current.fitBounds(layer.getBounds(), { padding: [6, 6] });
		return () => { map.current.remove(); map.current = null; };
	}, [geo, rows, lang()]);
	return html`<div class="map areamap" ref=${el} role="region" aria-label=${t('fbs_map_aria')}></div>`;
}

function Legend() {
	const labels = [t('fbs_none_overdue'), '< 10 %', '10–25 %', '25–50 %', '≥ 50 %'];
	return html`<ul class="ratescale" aria-label=${t('fbs_share')}>${BINS.map(([, c], i) => html`<li>
		<span class="swatch" style=${{ background: c }}></span>${labels[i]}</li>`)}</ul>`;
}

export function FeedbackStats({ user, unit }) {
	const code = unit || (grantsOf(user).find((g) => g.role !== 'citizen') || {}).unit_code || 'VN';
	const r = useGet('/feedback/stats' + qs({ unit: code }));
	const geoUrl = /^\d{2}$/.test(code) ? GEO.districts[code] : null;
	const [geo, setGeo] = useState(null);
	useEffect(() => {
		let live = true;
		if (geoUrl)
			loadGeo(geoUrl).then((g) => live && setGeo(g)).catch(() => live && setGeo(false));
		return () => { live = false; };
	}, [geoUrl]);
	if (!r)
		return html`<section><h1>${t('fb_stats_title')}</h1><p class="loading" role="status">${t('loading')}</p></section>`;
	if (!r.ok)
		return html`<section><h1>${t('fb_stats_title')}</h1><${ErrorBox} res=${r} /></section>`;
	const d = r.data;
	const own = { ...d.own, name: t('fbs_own', d.name), own: true };
	const rows = [...d.items, ...(own.total ? [own] : [])];
	const columns = [
		{ key: 'name', label: t('col_name'), render: (x) => (x.own ? x.name
			: html`<${Link} href=${href(x.code)}>${x.name}<//>`) },
		{ key: 'open', label: t('fbs_open'), render: (x) => fmtNumber(x.open) },
		{ key: 'overdue', label: t('fbs_overdue'), render: (x) => html`<span class=${x.overdue ? 'warm' : ''}>${fmtNumber(x.overdue)}</span>` },
		{ key: 'share', label: t('fbs_share'), sortValue: share, render: (x) => pct(share(x)) },
		{ key: 'escalated', label: t('fbs_escalated'), render: (x) => fmtNumber(x.escalated) },
		{ key: 'answered', label: t('fbs_answered'), render: (x) => fmtNumber(x.answered) },
		{ key: 'median_days', label: t('fbs_median'), render: (x) => fmtNumber(x.median_days, 1) },
		{ key: 'total', label: t('fbs_total'), render: (x) => fmtNumber(x.total) },
		{ key: 'per_10k', label: t('fbs_per_10k'), render: (x) => fmtNumber(x.per_10k, 1) },
	];
	// Per department: the same counts, no population.
	const deptColumns = [{ key: 'name', label: t('fb_department') },
		...columns.filter((c) => !['name', 'per_10k'].includes(c.key))];
	const sum = (k) => rows.reduce((s, x) => s + x[k], 0);
	return html`<section class="fb-stats area" id="fb-stats">
		<h1>${t('fb_stats_title')} — ${d.name}</h1>
		<p><${Link} href=${'/feedback/queue' + qs({ unit: d.unit === 'VN' ? '' : d.unit })}>${t('fb_queue_title')} →<//></p>
		<p id="fbs-sum">${t('fbs_sum', fmtNumber(sum('open')), fmtNumber(sum('overdue')), fmtNumber(sum('escalated')))}</p>
		${geoUrl && geo ? html`<${ShareMap} geo=${geo} rows=${d.items} /><${Legend} />`
			: geoUrl && geo === null ? html`<div class="map placeholder" role="status">${t('loading')}</div>` : ''}
		${rows.length ? html`<${SortTable} columns=${columns} rows=${rows} caption=${t('fbs_caption')}
			initial=${{ key: 'overdue', dir: -1 }} />` : html`<${NoData} />`}
		${d.departments && d.departments.length ? html`<div id="fbs-departments"><${SortTable} columns=${deptColumns}
			rows=${d.departments.map((x) => ({ ...x, code: 'd-' + (x.department || ''), name: x.department || t('fbs_dept_none') }))}
			caption=${t('fbs_dept_caption')} initial=${{ key: 'open', dir: -1 }} /></div>` : ''}
		<p class="hint">${t('fbs_note')}</p>
	</section>`;
}
