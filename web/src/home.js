// A home per role: what the person signed in does today.
//  - commune officer: the level now, since when and why; this week's cases;
//    isolations overdue, with low SpO2, due to end; the contacts whose
//    quarantine runs today with no isolation opened; the forms of the day;
//  - district, province officer, admin: the level of their unit, the units
//    below whose level changed this week, their area at a glance (area.js:
//    a map of the units below with their counts, drill-down), the dashboard;
//  - health worker and community COVID team: the isolations to follow (and,
//    for the health worker, the contacts due);
//  - citizen and business: their commune's level today, what applies at
//    that level, the hotlines.
import { qs } from './api.js';
import { addDays, fmtDate, fmtNumber, lang, t, todayVN, weekEnd } from './i18n.js';
import { ErrorBox, html, LevelBadge, Link, MoreRows, NoData, useGet, usePages, XlsxLink } from './ui.js';
import { FollowUp } from './followup.js';
import { codeLevel, grantsOf, homeKind, isOfficial, mayUseForm } from './roles.js';
import { AreaOverview } from './area.js';

// The Sunday that ends the ISO week of `iso`.

function Loading() {
	return html`<p role="status">${t('loading')}</p>`;
}

// A unit's level in force today, from the public map of its parent:
// { item: {level, effective_from, source}, legend } once loaded.
function useLevelToday(code) {
	const info = useGet(code ? '/units/' + encodeURIComponent(code) : null);
	const parent = info && info.ok ? info.data.parent_code : null;
	const map = useGet(info && info.ok ? '/levels' + qs({ parent: parent === 'VN' ? '' : parent, date: todayVN() }) : null);
	if (info && !info.ok)
		return { res: info };
	if (map && !map.ok)
		return { res: map };
	if (!info || !map)
		return null;
	return { unit: info.data, item: map.data.items.find((i) => i.code === code) || null, legend: map.data.legend || [] };
}

// "Level 2 · yellow, since dd/mm/yyyy", and why: the decision's reason, or
// the explanation of the assessment it confirmed.
function LevelNow({ code, withWhy }) {
	const now = useLevelToday(code);
	const hist = useGet(withWhy ? `/units/${encodeURIComponent(code)}/levels?limit=20` : null);
	if (now === null)
		return html`<${Loading} />`;
	if (now.res)
		return html`<${ErrorBox} res=${now.res} />`;
	const it = now.item;
	let why = null;
	if (withWhy && hist && hist.ok && it && it.level) {
		const dec = hist.data.items.find((e) => e.kind === 'decision' && e.effective_from === it.effective_from);
		const ass = dec ? hist.data.items.find((e) => e.kind === 'assessment' && e.week_end === dec.week_end) : null;
		const en = lang() === 'en';
		why = dec && dec.reason ? dec.reason : ass ? (en ? ass.explanation.en : ass.explanation.vi) : null;
	}
	return html`<div class="levelnow" id="level-now">
		<p class="bignum"><${LevelBadge} level=${it ? it.level : null} /></p>
		${it && it.level ? html`<p>${t('level_since', fmtDate(it.effective_from))}</p>`
			: html`<p class="nodata">${t('level_not_decided')}</p>`}
		${why ? html`<p class="why"><strong>${t('level_why')}</strong> ${why}</p>` : ''}
		${withWhy && hist === null ? html`<${Loading} />` : ''}
	</div>`;
}

// This week's and last week's cases of a unit (public aggregates).
function WeekCases({ code }) {
	const end = weekEnd(todayVN());
	const w = useGet(`/units/${encodeURIComponent(code)}/weekly` + qs({ from: addDays(end, -7), to: end }));
	if (w === null)
		return html`<${Loading} />`;
	if (!w.ok)
		return html`<${ErrorBox} res=${w} />`;
	const cur = w.data.items.find((i) => i.week_end === end);
	const prev = w.data.items.find((i) => i.week_end === addDays(end, -7));
	return html`<div id="week-cases">
		<p class="bignum">${t('dash_cases_total', fmtNumber(cur ? cur.cases : 0))}</p>
		<p>${t('week_from_to', fmtDate(addDays(end, -6)), fmtDate(end))}${cur && cur.cases_per_100k !== null
			? ' · ' + fmtNumber(cur.cases_per_100k, 1) + ' ' + t('dash_per100k') : ''}</p>
		<p class="hint">${t('last_week_cases', fmtNumber(prev ? prev.cases : 0))}</p>
	</div>`;
}

// The follow-up counts of a unit: low SpO2, overdue, due to end today (the
// list answers the unit's counts beside its active isolations).
function FollowUpCounts({ code }) {
	const act = useGet('/isolations' + qs({ unit: code, state: 'active', limit: 1000 }));
	if (!act)
		return html`<${Loading} />`;
	if (!act.ok)
		return html`<${ErrorBox} res=${act} />`;
	const today = todayVN();
	const due = act.data.items.filter((i) => i.planned_end && i.planned_end <= today).length;
	const c = act.data.counts;
	return html`<ul class="todo" id="followup-todo">
		<li class=${c.low_spo2 ? 'hot' : ''}>${t('todo_low_spo2', fmtNumber(c.low_spo2))}</li>
		<li class=${c.overdue ? 'warm' : ''}>${t('todo_overdue', fmtNumber(c.overdue))}</li>
		<li>${t('todo_due_end', fmtNumber(due))}</li>
		<li>${t('todo_active', fmtNumber(c.active))}</li>
	</ul>
	<p><${Link} class="btnlink" href=${'/followup' + qs({ unit: code })}>${t('followup_open')}<//></p>`;
}

// The contacts whose quarantine runs today and who have no isolation yet:
// whom to call or visit; each opens its case's page, where an isolation is
// opened for a contact in one tap.
function ContactsDue({ code }) {
	const pages = usePages('/contacts/due' + qs({ unit: code }), 20);
	if (!pages.r)
		return html`<${Loading} />`;
	if (!pages.r.ok)
		return html`<${ErrorBox} res=${pages.r} />`;
	if (!pages.items.length)
		return html`<p class="nodata" id="contacts-due">${t('contacts_due_none')}</p>`;
	return html`<ul class="todo" id="contacts-due">${pages.items.map((k) => html`<li key=${k.id} data-id=${k.id}>
		<${Link} href=${'/cases/' + k.case_id}>${k.person.full_name}<//>
		${' · F' + k.degree} · ${t('contacts_due_until', fmtDate(k.exposure_on), fmtDate(k.quarantine_end))}</li>`)}</ul>
	<${MoreRows} pages=${pages} id="contacts-due-more" />`;
}

const FORM_LINKS = [['case', 'entry_case'], ['contact', 'entry_contact'], ['indicators', 'entry_indicators'],
	['assess', 'entry_assess'], ['decide', 'entry_decide'], ['zone', 'entry_zone']];

function TodayForms({ user }) {
	const forms = FORM_LINKS.filter(([f]) => mayUseForm(user, f));
	if (!forms.length)
		return null;
	return html`<p class="quicklinks">${forms.map(([f, label]) => html`<${Link} class="btnlink" href=${'/entry' + qs({ form: f })}>${t(label)}<//> `)}</p>`;
}

function CommuneHome({ user, code, name }) {
	return html`<section class="home">
		<h1>${t('home_title')} — ${name}</h1>
		<div class="cards">
			<article class="card" aria-labelledby="h-level"><h2 id="h-level">${t('home_level')}</h2>
				<${LevelNow} code=${code} withWhy=${true} /></article>
			<article class="card" aria-labelledby="h-week"><h2 id="h-week">${t('home_week_cases')}</h2>
				<${WeekCases} code=${code} /></article>
			<article class="card" aria-labelledby="h-todo"><h2 id="h-todo">${t('home_followup')}</h2>
				<${FollowUpCounts} code=${code} /></article>
			<article class="card" aria-labelledby="h-contacts"><h2 id="h-contacts">${t('home_contacts_due')}</h2>
				<${ContactsDue} code=${code} /></article>
			<article class="card" aria-labelledby="h-forms"><h2 id="h-forms">${t('home_forms')}</h2>
				<${TodayForms} user=${user} />
				<p><${Link} href=${'/dashboard' + qs({ unit: code })}>${t('nav_dashboard')} →<//></p>
				<p><${Link} href=${'/feedback/queue' + qs({ unit: code })}>${t('fb_queue_title')} →<//></p></article>
		</div>
	</section>`;
}

function OfficialHome({ user, code, name }) {
	const changes = useGet('/levels/changes' + qs({ parent: code === 'VN' ? '' : code, date: todayVN() }));
	return html`<section class="home">
		<h1>${t('home_title')} — ${name}</h1>
		<div class="cards">
			${code !== 'VN' ? html`<article class="card" aria-labelledby="h-level"><h2 id="h-level">${t('home_level')}</h2>
				<${LevelNow} code=${code} withWhy=${true} /></article>` : ''}
			<article class="card" aria-labelledby="h-changes"><h2 id="h-changes">${t('home_changes')}</h2>
				${changes === null ? html`<${Loading} />` : !changes.ok ? html`<${ErrorBox} res=${changes} />`
					: !changes.data.items.length ? html`<${NoData} text=${t('home_no_changes')} />`
					: html`<ul>${changes.data.items.map((c) => html`<li><${Link} href=${'/dashboard' + qs({ unit: c.code })}>${c.name}<//>:
						<${LevelBadge} level=${c.before} /> → <${LevelBadge} level=${c.after} /></li>`)}</ul>
						<p><${XlsxLink} id="home-changes-xlsx" path="/levels/changes" params=${{ parent: code === 'VN' ? '' : code, date: todayVN() }} /></p>`}</article>
			${/^\d{2,3}$/.test(code) ? html`<article class="card wide" aria-labelledby="h-area"><h2 id="h-area">${t('area_title')}</h2>
				<${AreaOverview} code=${code} official=${isOfficial(user)} /></article>` : ''}
			<article class="card" aria-labelledby="h-forms"><h2 id="h-forms">${t('home_forms')}</h2>
				<p><${Link} class="btnlink" href=${'/dashboard' + qs({ unit: code === 'VN' ? '' : code })}>${t('nav_dashboard')}<//>
					<${Link} class="btnlink" href=${'/' + qs({ unit: code === 'VN' ? '' : code })}>${t('nav_map')}<//>
					<${Link} class="btnlink" href=${'/feedback/stats' + qs({ unit: code })}>${t('fb_stats_title')}<//></p>
				<${TodayForms} user=${user} /></article>
		</div>
	</section>`;
}

function FollowHome({ user, code, name, health }) {
	return html`<section class="home">
		<h1>${t('home_title')} — ${name}</h1>
		<p class="hint">${t(health ? 'home_health_intro' : 'home_team_intro')}</p>
		${health ? html`<${TodayForms} user=${user} />
			<article class="card" aria-labelledby="h-contacts"><h2 id="h-contacts">${t('home_contacts_due')}</h2>
				<${ContactsDue} code=${code} /></article>` : ''}
		<${FollowUp} user=${user} unit=${code} embedded=${true} />
	</section>`;
}

// The national hotlines (numbers published by the Ministry of Health).
const HOTLINES = [['hotline_moh', '1900 9095', '19009095'], ['hotline_115', '115', '115']];

function PublicHome({ code }) {
	// A household's commune is the first five digits of its code.
	const commune = code.slice(0, 5);
	const now = useLevelToday(commune);
	const en = lang() === 'en';
	if (now === null)
		return html`<section class="home"><h1>${t('home_title')}</h1><${Loading} /></section>`;
	if (now.res)
		return html`<section class="home"><h1>${t('home_title')}</h1><${ErrorBox} res=${now.res} /></section>`;
	const level = now.item && now.item.level;
	const g = level ? now.legend.find((l) => l.level === level) : null;
	return html`<section class="home">
		<h1>${t('home_public_title', now.unit.name)}</h1>
		<div class="cards">
			<article class="card" aria-labelledby="h-level"><h2 id="h-level">${t('home_level_today', fmtDate(todayVN()))}</h2>
				<div id="level-now"><p class="bignum"><${LevelBadge} level=${level} /></p>
				${level ? html`<p>${t('level_since', fmtDate(now.item.effective_from))}</p>` : html`<p class="nodata">${t('level_not_decided')}</p>`}</div>
				<p><${Link} href=${'/' + qs({ unit: now.unit.parent_code })}>${t('home_see_map')}<//></p></article>
			<article class="card" aria-labelledby="h-measures"><h2 id="h-measures">${t('home_measures')}</h2>
				${g && g.measures && g.measures.length ? html`<ul class="measure-list" id="measures">${g.measures.map((m) => html`<li>${en ? m.en : m.vi}</li>`)}</ul>`
					: html`<${NoData} text=${level ? t('map_measures_none') : t('home_measures_when')} />`}</article>
			<article class="card" aria-labelledby="h-hotlines"><h2 id="h-hotlines">${t('home_hotlines')}</h2>
				<ul class="hotlines">${HOTLINES.map(([k, shown, tel]) => html`<li>${t(k)}: <a href=${'tel:' + tel}>${shown}</a></li>`)}</ul>
				<p class="hint">${t('hotline_station')}</p></article>
			<article class="card" aria-labelledby="h-feedback"><h2 id="h-feedback">${t('nav_feedback')}</h2>
				<p>${t('fb_home_intro')}</p>
				<p><${Link} class="btnlink" id="home-feedback" href="/feedback">${t('fb_tab_send')}<//>
					<${Link} class="btnlink" href="/feedback?tab=track">${t('fb_tab_track')}<//></p></article>
		</div>
	</section>`;
}

export function Home({ user }) {
	const kind = homeKind(user);
	const gs = grantsOf(user);
	const pick = (roles) => gs.find((g) => roles.includes(g.role)) || gs[0];
	let g;
	if (kind === 'commune')
		g = pick(['commune_officer']);
	else if (kind === 'official')
		g = pick(['district_officer', 'province_officer', 'admin']);
	else if (kind === 'health')
		g = pick(['health_worker']);
	else if (kind === 'team')
		g = pick(['team_member']);
	else
		g = pick(['citizen', 'business']);
	if (!g)
		return html`<p class="nodata">${t('no_data')}</p>`;
	const props = { user, code: g.unit_code, name: g.unit_name || g.unit_code };
	if (kind === 'commune')
		return html`<${CommuneHome} ...${props} />`;
	if (kind === 'official')
		return html`<${OfficialHome} ...${props} />`;
	if (kind === 'health' || kind === 'team')
		return html`<${FollowHome} ...${props} health=${kind === 'health'} />`;
	if (codeLevel(g.unit_code) === 'country')
		return html`<p class="nodata">${t('no_data')}</p>`;
	return html`<${PublicHome} code=${g.unit_code} />`;
}
