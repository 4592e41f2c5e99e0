// A district or province officer's area at a glance: the units
// directly below on a map coloured by level or by cases per 100,000, with
// this week's cases, cases per 100,000, last week's, overdue isolations
// rolled up (officials), the units that rose a level in the last 7 days and
// the dates of each unit's last assessment and decided level.  A click on a
// unit (map or table) opens its own overview: a district's communes.
import L from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { qs } from './api.js';
import { addDays, fmtDate, fmtNumber, lang, t, todayVN, weekEnd } from './i18n.js';
import { GEO, loadGeo } from './map.js';
import { ErrorBox, html, LEVEL_COLOURS, LevelBadge, Link, navigate, NoData, SortTable, useGet } from './ui.js';

// The Sunday that ends the ISO week of `iso`.
export 
// Cases per 100,000 a week, by the thresholds of Decision 4800 (20, 50, 150).
const RATE_BINS = [[0, '#f1f4f8'], [1e-9, '#c6d7ee'], [20, '#86a9d8'], [50, '#3f74b8'], [150, '#0b3d7a']];
const rateColour = (v) => RATE_BINS.reduce((c, [lo, col]) => (v !== null && v >= lo ? col : c), '#d0d0d0');

const unitHref = (code) => '/dashboard' + qs({ unit: code });

function AreaMap({ geo, rows, by }) {
	const el = useRef(null);
	const map = useRef(null);
	const layer = useRef(null);
	useEffect(() => {
		map.current = L.map(el.current, { attributionControl: false, zoomSnap: 0.25, minZoom: 5, maxZoom: 13 });
		return () => { map.current.remove(); map.current = null; };
	}, []);
	useEffect(() => {
		const byCode = Object.fromEntries(rows.map((r) => [r.code, r]));
		if (layer.current)
			layer.current.remove();
		layer.current = L.geoJSON(geo, {
			style: (f) => {
				const r = byCode[f.properties.code];
				const fill = by === 'rate' ? rateColour(r ? r.cases_per_100k : null) : LEVEL_COLOURS[(r && r.level) || 0];
				return { fillColor: fill, fillOpacity: 0.9, color: '#ffffff', weight: 1, opacity: 1,
					className: 'unit-' + f.properties.code };
			},
			onEachFeature: (f, lyr) => {
				const r = byCode[f.properties.code];
				const name = r ? r.name : f.properties.name;
				const lv = r && r.level ? t('level_n', r.level) : t('level_none');
				lyr.bindTooltip(t('area_tip', name, lv, fmtNumber(r ? r.cases_per_100k : null, 1)), { sticky: true });
				lyr.on({ click: () => navigate(unitHref(f.properties.code)) });
			},
		}).addTo(map.current);
		const b = layer.current.getBounds();
		if (b.isValid())
			map.current.fitBounds(b, { padding: [6, 6] });
		map.current.invalidateSize();
	}, [geo, rows, by, lang()]);
	return html`<div class="map areamap" ref=${el} role="region"
		aria-label=${t('area_map_aria', by === 'rate' ? t('area_by_rate') : t('area_by_level'))}></div>`;
}

function RateLegend() {
	const labels = ['0', '< 20', '20–50', '50–150', '≥ 150'];
	return html`<ul class="ratescale" aria-label=${t('area_by_rate')}>${RATE_BINS.map(([, c], i) => html`<li>
		<span class="swatch" style=${{ background: c }}></span>${labels[i]}</li>`)}</ul>`;
}

// `code`: a province (its districts, drawn) or a district (its communes,
// a table: there are no commune boundaries).
export function AreaOverview({ code, official }) {
	const today = todayVN();
	const week = weekEnd(today);
	const fig = useGet(`/units/${encodeURIComponent(code)}/children/weekly` + qs({ week_end: week }));
	const lv = useGet('/levels' + qs({ parent: code, date: today }));
	const changes = useGet('/levels/changes' + qs({ parent: code, date: today }));
	const iso = useGet(official ? '/isolations/rollup' + qs({ unit: code }) : null);
	const geoUrl = code.length === 2 ? GEO.districts[code] : null;
	const [geo, setGeo] = useState(null);
	const [by, setBy] = useState('rate');
	useEffect(() => {
		let live = true;
		if (geoUrl)
			loadGeo(geoUrl).then((g) => live && setGeo(g)).catch(() => live && setGeo(false));
		return () => { live = false; };
	}, [geoUrl]);

	if (!fig || !lv || (official && !iso))
		return html`<p role="status">${t('loading')}</p>`;
	const bad = [fig, lv, iso].find((r) => r && !r.ok);
	if (bad)
		return html`<${ErrorBox} res=${bad} />`;
	const levels = Object.fromEntries(lv.data.items.map((i) => [i.code, i]));
	const overdue = iso ? Object.fromEntries(iso.data.items.map((i) => [i.code, i])) : {};
	const rows = fig.data.items.map((r) => ({ ...r, level: levels[r.code]?.level || null,
		effective_from: levels[r.code]?.effective_from || null, overdue: overdue[r.code]?.overdue ?? null }));
	const top = rows.filter((r) => r.cases_per_100k > 0)
		.sort((a, b) => b.cases_per_100k - a.cases_per_100k)[0];
	const rose = changes && changes.ok ? changes.data.items.filter((c) => (c.after || 0) > (c.before || 0)) : [];
	const totalOverdue = rows.reduce((s, r) => s + (r.overdue || 0), 0);
	// Officials get the week's situation (with the isolations in their
	// scope); others the public levels of the units below.
	const xlsx = official ? '/api/v1/reports/situation.xlsx' + qs({ unit: code, week_end: week })
		: '/api/v1/levels.xlsx' + qs({ parent: code, date: today });
	const columns = [
		{ key: 'name', label: t('col_name'), render: (r) => html`<${Link} href=${unitHref(r.code)}>${r.name}<//>` },
		{ key: 'level', label: t('col_level'), sortValue: (r) => r.level || 0, render: (r) => html`<${LevelBadge} level=${r.level} />` },
		{ key: 'cases', label: t('area_col_cases'), render: (r) => fmtNumber(r.cases) },
		{ key: 'cases_per_100k', label: t('area_col_rate'), render: (r) => fmtNumber(r.cases_per_100k, 1) },
		{ key: 'prev_cases', label: t('area_col_prev'), render: (r) => fmtNumber(r.prev_cases) },
		...(official ? [{ key: 'overdue', label: t('area_col_overdue'), render: (r) => fmtNumber(r.overdue) }] : []),
		{ key: 'last_assessed', label: t('area_col_assessed'), render: (r) => fmtDate(r.last_assessed) || '—' },
		{ key: 'last_decided', label: t('area_col_decided'), render: (r) => fmtDate(r.last_decided) || '—' },
	];
	return html`<div class="area" id="area">
		<p class="hint">${t('week_from_to', fmtDate(addDays(week, -6)), fmtDate(week))}</p>
		<p class="area-top" id="area-top">${top ? html`${t('area_top_label')}
			<${Link} href=${unitHref(top.code)}>${top.name}<//> — ${fmtNumber(top.cases_per_100k, 1)} ${t('dash_per100k')}`
			: t('area_top_none')}</p>
		${official ? html`<p id="area-overdue" class=${totalOverdue ? 'warm' : ''}>${t('area_overdue_total', fmtNumber(totalOverdue))}</p>` : ''}
		${geoUrl ? html`<fieldset class="colourby"><legend>${t('area_colour_by')}</legend>
			<label><input type="radio" name="area-by" value="rate" checked=${by === 'rate'} onChange=${() => setBy('rate')} /> ${t('area_by_rate')}</label>
			<label><input type="radio" name="area-by" value="level" checked=${by === 'level'} onChange=${() => setBy('level')} /> ${t('area_by_level')}</label>
		</fieldset>` : ''}
		${geoUrl && geo ? html`<${AreaMap} geo=${geo} rows=${rows} by=${by} />`
			: geoUrl && geo === null ? html`<div class="map placeholder" role="status">${t('loading')}</div>`
			: html`<p class="notice">${t('map_no_shapes_commune')}</p>`}
		${geoUrl && by === 'rate' ? html`<${RateLegend} />` : ''}
		<h3>${t('area_rose')}</h3>
		${changes === null ? html`<p role="status">${t('loading')}</p>` : !rose.length ? html`<${NoData} text=${t('area_rose_none')} />`
			: html`<ul id="area-rose">${rose.map((c) => html`<li><${Link} href=${unitHref(c.code)}>${c.name}<//>:
				<${LevelBadge} level=${c.before} /> → <${LevelBadge} level=${c.after} /></li>`)}</ul>`}
		<h3>${t('area_units')}</h3>
		${rows.length ? html`<${SortTable} columns=${columns} rows=${rows} initial=${{ key: 'cases_per_100k', dir: -1 }} />`
			: html`<${NoData} />`}
		<p><a class="btnlink" id="area-xlsx" href=${xlsx} download>${t('download_xlsx')}</a></p>
	</div>`;
}
