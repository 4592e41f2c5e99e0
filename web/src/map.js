// The public epidemic-level map: provinces coloured by level, drill down
// to a province's districts (boundaries) and a district's communes (table);
// any past date; legend with counts and measures; state in the URL.
import { PUBLISHED_DATES } from './constants.js';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, qs } from './api.js';
import { fmtDate, fmtNumber, lang, parseDate, t, todayVN } from './i18n.js';
import { ErrorBox, html, LEVEL_COLOURS, LevelBadge, Link, navigate, NoData, PrintButton, PrintedOn, SortTable } from './ui.js';

/* global __GEO__ */
export const GEO = __GEO__;   // hashed file names of the boundaries (build.mjs)
const PUBLISHED = PUBLISHED_DATES;

const geoCache = new Map();
export function loadGeo(url) {
	if (!geoCache.has(url))
		geoCache.set(url, fetch(url).then((r) => {
			if (!r.ok)
				throw new Error(String(r.status));
			return r.json();
		}).catch((e) => {
			geoCache.delete(url);
			throw e;
		}));
	return geoCache.get(url);
}

const mapHref = (date, unit) => '/' + qs({ date, unit });
// A level decided longer ago than this is flagged as possibly out of date.
const OLD_DAYS = 14;

function LevelMap({ geo, levels, date, label }) {
	const el = useRef(null);
	const map = useRef(null);
	const layer = useRef(null);
	useEffect(() => {
		map.current = L.map(el.current, {
			attributionControl: false, zoomSnap: 0.25, minZoom: 3, maxZoom: 13,
			keyboard: true, scrollWheelZoom: true,
		});
		return () => {
			map.current.remove();
			map.current = null;
		};
	}, []);
	useEffect(() => {
		const m = map.current;
		if (layer.current)
			layer.current.remove();
		layer.current = L.geoJSON(geo, {
			style: (f) => {
				const l = levels[f.properties.code]?.level || 0;
				return { fillColor: LEVEL_COLOURS[l], fillOpacity: 0.9, color: '#ffffff', weight: 0.8, opacity: 1 };
			},
			onEachFeature: (f, lyr) => {
				const u = levels[f.properties.code];
				const l = u?.level || 0;
				const name = u?.name || f.properties.name;
				lyr.bindTooltip(`${name}: ${l ? t('level_n', l) + ' (' + t('colour_' + l) + ') · ' + t('map_effective')
					+ ' ' + fmtDate(u.effective_from) : t('level_none')}`, { sticky: true });
				lyr.on({
					click: () => navigate(mapHref(date, f.properties.code)),
					mouseover: () => lyr.setStyle({ weight: 2.5, color: '#1b1b1b' }),
					mouseout: () => lyr.setStyle({ weight: 0.8, color: '#ffffff' }),
				});
			},
		}).addTo(m);
		const b = layer.current.getBounds();
		if (b.isValid())
			m.fitBounds(b, { padding: [8, 8] });
		m.invalidateSize();
	}, [geo, levels, date, lang()]);
	return html`<div class="map" ref=${el} role="region" aria-label=${label}></div>`;
}

function DatePicker({ date, unit }) {
	const [text, setText] = useState(fmtDate(date));
	const [bad, setBad] = useState(false);
	useEffect(() => setText(fmtDate(date)), [date]);
	const submit = (e) => {
		e.preventDefault();
		const iso = parseDate(text);
		setBad(!iso);
		if (iso)
			navigate(mapHref(iso, unit));
	};
	return html`<form class="datepick" onSubmit=${submit} novalidate>
		<label for="map-date">${t('map_date')}</label>
		<input id="map-date" name="date" value=${text} inputmode="numeric" placeholder="dd/mm/yyyy" autocomplete="off"
			aria-invalid=${bad ? 'true' : undefined} aria-describedby=${bad ? 'map-date-err' : undefined}
			onInput=${(e) => setText(e.currentTarget.value)} />
		<button type="submit">${t('map_show')}</button>
		<${Link} href=${mapHref(null, unit)} class="btnlink">${t('map_today')}<//>
		${bad ? html`<p id="map-date-err" class="field-error">${t('map_date_bad')}</p>` : ''}
		<p class="quick"><span>${t('map_published')}</span> ${PUBLISHED.map((d) => html`
			<${Link} href=${mapHref(d, unit)} aria-current=${d === date ? 'date' : undefined}>${fmtDate(d)}<//> `)}</p>
	</form>`;
}

function Legend({ data }) {
	const en = lang() === 'en';
	const counts = data.counts || {};
	const total = [1, 2, 3, 4].reduce((s, l) => s + (counts[l] || 0), counts.none || 0);
	return html`<section class="legend" aria-labelledby="legend-h">
		<h2 id="legend-h">${t('map_legend')} · ${t('map_counts')}</h2>
		<ul class="levels">
			${(data.legend || []).map((g) => html`<li>
				<span class="swatch" style=${{ background: LEVEL_COLOURS[g.level] }}></span>
				<span><strong>${t('level_n', g.level)} · ${t('colour_' + g.level)}</strong> — ${en ? g.name.en : g.name.vi}</span>
				<span class="count" data-level=${g.level}>${counts[g.level] ?? 0}</span>
			</li>`)}
			<li><span class="swatch" style=${{ background: LEVEL_COLOURS[0] }}></span>
				<span><strong>${t('level_none')}</strong></span>
				<span class="count" data-level="none">${counts.none ?? 0}</span></li>
		</ul>
		<p class="total">${total} ${t('map_units')}</p>
		<details class="measures">
			<summary>${t('map_measures')}</summary>
			${(data.legend || []).map((g) => html`<div>
				<h3><${LevelBadge} level=${g.level} /></h3>
				${g.measures && g.measures.length ? html`<ul>${g.measures.map((m) => html`<li>${en ? m.en : m.vi}</li>`)}</ul>`
					: html`<p class="nodata">${t('map_measures_none')}</p>`}
			</div>`)}
		</details>
	</section>`;
}

function Share() {
	const [done, setDone] = useState(false);
	const url = location.href;
	const copy = async (e) => {
		const input = e.currentTarget.previousElementSibling;
		input.select();
		try {
			await navigator.clipboard.writeText(url);
		} catch (err) {
			try { document.execCommand('copy'); } catch (err2) { /* selected for the user */ }
		}
		setDone(true);
	};
	return html`<div class="share">
		<label for="share-url">${t('map_share')}</label>
		<input id="share-url" readonly value=${url} onFocus=${(e) => e.currentTarget.select()} />
		<button type="button" onClick=${copy}>${done ? t('map_copied') : t('map_copy')}</button>
	</div>`;
}

export function MapPage({ date: dateParam, unit: unitParam }) {
	const date = dateParam && /^\d{4}-\d{2}-\d{2}$/.test(dateParam) ? dateParam : todayVN();
	const unit = unitParam && /^\d{2,3}$/.test(unitParam) ? unitParam : null;
	const [res, setRes] = useState(null);
	const [info, setInfo] = useState(null);
	const [geo, setGeo] = useState(null);
	const [geoErr, setGeoErr] = useState(false);
	const [tries, setTries] = useState(0);

	useEffect(() => {
		let live = true;
		setRes(null);
		get('/levels' + qs({ date, parent: unit })).then((r) => live && setRes(r));
		if (unit)
			get('/units/' + unit).then((r) => live && setInfo(r));
		else
			setInfo(null);
		return () => { live = false; };
	}, [date, unit, tries]);

	const geoUrl = !unit ? GEO.provinces : unit.length === 2 ? GEO.districts[unit] : null;
	useEffect(() => {
		let live = true;
		setGeo(null);
		setGeoErr(false);
		if (geoUrl)
			loadGeo(geoUrl).then((g) => live && setGeo(g)).catch(() => live && setGeoErr(true));
		return () => { live = false; };
	}, [geoUrl]);

	useEffect(() => {
		document.title = `${t('map_title')} — ${fmtDate(date)}`;
	}, [date, lang()]);

	const levels = {};
	for (const it of res?.data?.items || [])
		levels[it.code] = it;
	const path = info?.ok ? info.data.path : [];
	const here = info?.ok ? info.data : null;
	const upHref = path.length > 1 ? mapHref(dateParam, path[path.length - 2].code) : mapHref(dateParam, null);

	// How old each shown level is on the map's date; older than OLD_DAYS is flagged.
	const age = (r) => r.level && r.effective_from
		? Math.round((Date.parse(date) - Date.parse(r.effective_from)) / 86400e3) : null;
	const old = (res?.data?.items || []).filter((r) => age(r) > OLD_DAYS).length;
	const columns = [
		{ key: 'name', label: t('col_name'), render: (r) => html`<${Link} href=${mapHref(dateParam, r.code)}>${r.name}<//>` },
		{ key: 'code', label: t('col_code') },
		{ key: 'level', label: t('col_level'), sortValue: (r) => r.level || 0, render: (r) => html`<${LevelBadge} level=${r.level} />` },
		{ key: 'effective_from', label: t('map_col_decided'), render: (r) => fmtDate(r.effective_from) || '—' },
		{ key: 'age', label: t('map_col_age'), sortValue: age, render: (r) => age(r) === null ? '—'
			: html`<span class=${age(r) > OLD_DAYS ? 'old' : ''}>${t('map_days', fmtNumber(age(r)))}${age(r) > OLD_DAYS
				? html` · <strong>${t('map_old')}</strong>` : ''}</span>` },
	];

	return html`<div class="mappage">
		<div class="maphead">
			<h1>${t('map_title')}${here ? ' — ' + here.name : ''}</h1>
			<nav aria-label="breadcrumb" class="crumbs"><ol>
				<li><${Link} href=${mapHref(dateParam, null)} aria-current=${unit ? undefined : 'page'}>${t('map_country')}<//></li>
				${path.map((p, i) => html`<li><${Link} href=${mapHref(dateParam, p.code)}
					aria-current=${i === path.length - 1 ? 'page' : undefined}>${p.name}<//></li>`)}
			</ol></nav>
			<p class="asof">${t('map_as_of', fmtDate(date))}</p>
			<${PrintedOn} />
			<${DatePicker} date=${date} unit=${unit} />
		</div>
		${unit && info && !info.ok ? html`<${ErrorBox} res=${info} />` : ''}
		<div class="mapgrid">
			<div class="mapcol">
				${geoUrl && geo ? html`<${LevelMap} geo=${geo} levels=${levels} date=${dateParam} label=${t('map_aria')} />`
					: geoUrl && !geoErr ? html`<div class="map placeholder" role="status">${t('loading')}</div>` : ''}
				${geoErr ? html`<p class="error" role="alert">${t('offline')}</p>` : ''}
				${unit && unit.length === 2 && !geoUrl ? html`<p class="notice">${t('map_no_shapes', here?.name || unit)}</p>` : ''}
				${unit && unit.length === 3 ? html`<p class="notice">${t('map_no_shapes_commune')}</p>` : ''}
				${unit ? html`<p><${Link} href=${upHref}>↑ ${t('map_up')}<//></p>` : html`<p class="hint">${t('map_click_hint')}</p>`}
			</div>
			<aside class="sidecol">
				${res?.ok ? html`<${Legend} data=${res.data} />` : ''}
				<${Share} />
				<p><${PrintButton} /></p>
			</aside>
		</div>
		<section class="units" aria-labelledby="units-h">
			<h2 id="units-h">${here ? here.name : t('map_country')} · ${t('map_as_of', fmtDate(date))}</h2>
			${res === null ? html`<p role="status">${t('loading')}</p>`
				: !res.ok ? html`<${ErrorBox} res=${res} /><button type="button" onClick=${() => setTries(tries + 1)}>${t('retry')}</button>`
				: res.data.items.length === 0 ? html`<${NoData} />`
				: html`${old ? html`<p class="notice old" id="map-old" role="note">${t('map_old_notice', fmtNumber(old), OLD_DAYS)}</p>` : ''}
					<${SortTable} columns=${columns} rows=${res.data.items} initial=${{ key: 'code', dir: 1 }} />
					<p><a class="btnlink xlsx" id="map-xlsx" href=${'/api/v1/levels.xlsx' + qs({ parent: unit, date })} download>${t('download_xlsx')}</a></p>`}
		</section>
	</div>`;
}
