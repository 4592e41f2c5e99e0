// The public page of a commune (/?unit=CODE): its level in force
// today, since when and whether that is old, what applies at it, its cases
// of the last 8 weeks and its decided levels.  A hamlet or household code
// (signed in, in scope) leads to its commune; any other code says it is not
// public, so `/?unit=` works for every level.
import { qs } from './api.js';
import { addDays, fmtDate, fmtNumber, lang, t, todayVN } from './i18n.js';
import { ErrorBox, html, LevelBadge, Link, NoData, useGet, XlsxLink } from './ui.js';

const DAY = 86400e3;
const OLD_DAYS = 14;

const Loading = () => html`<p role="status">${t('loading')}</p>`;

function Commune({ unit }) {
	const today = todayVN();
	const en = lang() === 'en';
	const map = useGet('/levels' + qs({ parent: unit.parent_code, date: today }));
	const weekly = useGet(`/units/${encodeURIComponent(unit.code)}/weekly` + qs({ from: addDays(today, -56), to: addDays(today, 6) }));
	const hist = useGet(`/units/${encodeURIComponent(unit.code)}/levels?limit=20`);
	if (!map || !weekly || !hist)
		return html`<${Loading} />`;
	const bad = [map, weekly, hist].find((r) => !r.ok);
	if (bad)
		return html`<${ErrorBox} res=${bad} />`;
	const it = map.data.items.find((i) => i.code === unit.code);
	const level = it && it.level;
	const days = level ? Math.round((Date.parse(today) - Date.parse(it.effective_from)) / DAY) : null;
	const g = level ? (map.data.legend || []).find((l) => l.level === level) : null;
	const decisions = hist.data.items.filter((e) => e.kind === 'decision');
	return html`<div class="cards">
		<article class="card" aria-labelledby="h-unit-level"><h2 id="h-unit-level">${t('unit_now')}</h2>
			<div id="unit-level"><p class="bignum"><${LevelBadge} level=${level} /></p>
			${level ? html`<p>${t('level_since', fmtDate(it.effective_from))} · ${t('map_days', fmtNumber(days))}</p>
				${days > OLD_DAYS ? html`<p class="notice old" role="note">${t('map_old_notice', '1', OLD_DAYS)}</p>` : ''}`
				: html`<p class="nodata">${t('level_not_decided')}</p>`}</div></article>
		<article class="card" aria-labelledby="h-unit-measures"><h2 id="h-unit-measures">${t('home_measures')}</h2>
			${g && g.measures && g.measures.length ? html`<ul class="measure-list">${g.measures.map((m) => html`<li>${en ? m.en : m.vi}</li>`)}</ul>`
				: html`<${NoData} text=${level ? t('map_measures_none') : t('home_measures_when')} />`}</article>
		<article class="card" aria-labelledby="h-unit-cases"><h2 id="h-unit-cases">${t('unit_cases')}</h2>
			<div class="table-wrap"><table><thead><tr><th scope="col">${t('col_week_end')}</th><th scope="col">${t('dash_cases')}</th>
				<th scope="col">${t('dash_per100k')}</th></tr></thead>
			<tbody>${weekly.data.items.map((w) => html`<tr><th scope="row">${fmtDate(w.week_end)}</th><td>${fmtNumber(w.cases)}</td>
				<td>${fmtNumber(w.cases_per_100k, 1)}</td></tr>`)}</tbody></table></div>
			<p><${XlsxLink} id="unit-weekly-xlsx" path=${`/units/${encodeURIComponent(unit.code)}/weekly`} params=${{ from: addDays(today, -56), to: addDays(today, 6) }} /></p></article>
		<article class="card" aria-labelledby="h-unit-hist"><h2 id="h-unit-hist">${t('dash_history')}</h2>
			${decisions.length ? html`<ul>${decisions.map((d) => html`<li><${LevelBadge} level=${d.level} /> ·
				${t('map_effective')} ${fmtDate(d.effective_from)}${d.reason ? ' · ' + d.reason : ''}</li>`)}</ul>
				<p><${XlsxLink} id="unit-history-xlsx" path=${`/units/${encodeURIComponent(unit.code)}/levels`} /></p>` : html`<${NoData} />`}</article>
	</div>`;
}

export function UnitPage({ code }) {
	const info = useGet('/units/' + encodeURIComponent(code));
	if (info === null)
		return html`<section><${Loading} /></section>`;
	if (!info.ok)
		return html`<section><h1>${t('map_title')}</h1>
			${info.status === 404 ? html`<p class="error" role="alert" id="unit-hidden">${t('unit_hidden')}</p>` : html`<${ErrorBox} res=${info} />`}
			<p><${Link} href="/">${t('nav_map')}<//></p></section>`;
	const u = info.data;
	const path = u.path || [];
	const commune = path.find((p) => p.level === 'commune');
	return html`<section class="unitpage">
		<h1>${t('unit_title', u.name)}</h1>
		<nav aria-label="breadcrumb" class="crumbs"><ol>
			<li><${Link} href="/">${t('map_country')}<//></li>
			${path.map((p, i) => html`<li><${Link} href=${'/' + qs({ unit: p.code })}
				aria-current=${i === path.length - 1 ? 'page' : undefined}>${p.name}<//></li>`)}
		</ol></nav>
		${['province', 'district', 'commune'].includes(u.level) ? html`<p><${Link} class="btnlink hotline-link"
			href=${'/hotlines' + qs({ unit: u.code })}>${t('home_hotlines')}<//></p>` : ''}
		${u.level === 'commune' ? html`<${Commune} unit=${u} key=${lang()} />`
			: commune ? html`<p><${Link} class="btnlink" href=${'/' + qs({ unit: commune.code })}>${t('unit_commune', commune.name)}<//></p>`
			: html`<p class="error" role="alert" id="unit-hidden">${t('unit_hidden')}</p>`}
	</section>`;
}
