// The application shell: header, navigation by role, language switch,
// routes (/, /login, /me, /dashboard, /entry, /support, /support/posting, /feedback, /outbox...) kept in the URL;
// the writes kept on the device while offline (outbox.js) follow the signed-in user.
import 'leaflet/dist/leaflet.css';
import './style.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { forgetSession, get, hasSessionHint, post, setCsrf } from './api.js';
import { lang, setLang, t } from './i18n.js';
import { MapPage } from './map.js';
import { clearOnSignOut, registerWorker } from './pwa.js';
import { GlobalSearch } from './pickers.js';
import { lastProfile, outbox, saveProfile, startOutbox, submit as submitWrite } from './outbox.js';
import { OutboxLink, OutboxPage } from './outbox_page.js';
import { canEnter, isOfficial, mayBusiness, mayFollowUp, mayImport, mayIsolate } from './roles.js';
import { ErrorBox, Field, html, Link, navigate } from './ui.js';

export function roles(user) {
	return (user?.grants || []).map((g) => g.role);
}

function lazy(loader, name) {
	return function Lazy(props) {
		const [C, setC] = useState(null);
		const [failed, setFailed] = useState(false);
		useEffect(() => {
			loader().then((m) => setC(() => m[name])).catch(() => setFailed(true));
		}, []);
		if (failed)
			return html`<p class="error" role="alert">${t('offline')}</p>`;
		return C ? html`<${C} ...${props} />` : html`<p class="loading" role="status">${t('loading')}</p>`;
	};
}
// The dashboards and forms (and uPlot) load only when opened.
const Dashboard = lazy(() => import('./dashboard.js'), 'Dashboard');
const Entry = lazy(() => import('./entry.js'), 'Entry');
const Home = lazy(() => import('./home.js'), 'Home');
const FollowUp = lazy(() => import('./followup.js'), 'FollowUp');
// Directives and tasks: a unit's inbox, a directive's progress, the form that issues one.
const Inbox = lazy(() => import('./directives.js'), 'Inbox');
const Progress = lazy(() => import('./directives.js'), 'Progress');
const NewDirective = lazy(() => import('./directives.js'), 'NewDirective');
const DirectiveList = lazy(() => import('./directive_docs.js'), 'DirectiveList');
const Support = lazy(() => import('./support.js'), 'Support');
const Posting = lazy(() => import('./support.js'), 'Posting');
const SupportApply = lazy(() => import('./support_public.js'), 'SupportApply');
const SupportTrack = lazy(() => import('./support_public.js'), 'SupportTrack');
const Businesses = lazy(() => import('./business.js'), 'Businesses');
// A commune's page (/?unit=00001), or what a hamlet's or household's code leads to.
const UnitPage = lazy(() => import('./unit.js'), 'UnitPage');
const Inspections = lazy(() => import('./inspections.js'), 'Inspections');
const Emulation = lazy(() => import('./emulation.js'), 'Emulation');
const Rewards = lazy(() => import('./rewards.js'), 'Rewards');
const Hotlines = lazy(() => import('./hotlines.js'), 'Hotlines');
// Citizen feedback: the public form and tracking, the officials' queue and counts.
const FeedbackPage = lazy(() => import('./feedback.js'), 'FeedbackPage');
const FeedbackQueue = lazy(() => import('./feedback_queue.js'), 'FeedbackQueue');
const FeedbackStats = lazy(() => import('./feedback_stats.js'), 'FeedbackStats');
const FeedbackCategories = lazy(() => import('./feedback_categories.js'), 'FeedbackCategories');
// A case's page (officials and health workers).
const CasePage = lazy(() => import('./case.js'), 'CasePage');
// CSV files of cases, weekly figures, vaccination, capacity, published levels.
const Import = lazy(() => import('./import.js'), 'Import');

function Login({ onLogin }) {
	const [username, setUsername] = useState('');
	const [password, setPassword] = useState('');
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		setBusy(true);
		const r = await post('/login', { username, password });
		setBusy(false);
		setRes(r);
		if (r.ok) {
			setCsrf(r.data.csrf);
			onLogin(r.data.user);
			navigate('/home', true);
		}
	};
	return html`<section class="narrow">
		<h1>${t('login_title')}</h1>
		<form onSubmit=${submit} novalidate id="form-login">
			<${Field} name="username" label=${t('username')} value=${username} onInput=${setUsername}
				required autocomplete="username" autocapitalize="none" />
			<${Field} name="password" type="password" label=${t('password')} value=${password}
				onInput=${setPassword} required autocomplete="current-password" />
			${res && !res.ok ? html`<p class="error" role="alert">${t('login_failed')}: ${res.status === 0 ? t('offline') : res.error?.message}</p>` : ''}
			<button type="submit" class="primary" disabled=${busy}>${t('login_submit')}</button>
		</form>
	</section>`;
}

// The report on a supervision assignment (the household visit): its
// situation and a note, sent now or kept on the device until online.
function AssignmentReport({ a }) {
	const [v, setV] = useState({ status: a.status || 'stable', note: '' });
	const [res, setRes] = useState(null);
	const [busy, setBusy] = useState(false);
	const send = async (e) => {
		e.preventDefault();
		setBusy(true);
		const r = await submitWrite('POST', `/assignments/${a.id}/reports`, { status: v.status, note: v.note.trim() || undefined },
			{ kind: 'report', label: t('outbox_label_report', a.unit_name) });
		setBusy(false);
		setRes(r);
		if (r.ok || r.queued)
			setV((o) => ({ ...o, note: '' }));
	};
	return html`<form class="inline-form asg-report" id=${'asg-report-' + a.id} onSubmit=${send} novalidate
		aria-label=${t('asg_report') + ' — ' + a.unit_name}>
		<${Field} name="status" type="select" label=${t('asg_status')} value=${v.status} onInput=${(x) => setV((o) => ({ ...o, status: x }))}>
			${['stable', 'attention', 'urgent'].map((s) => html`<option value=${s}>${t('asg_status_' + s)}</option>`)}<//>
		<${Field} name="note" type="textarea" label=${t('f_note')} value=${v.note} onInput=${(x) => setV((o) => ({ ...o, note: x }))} />
		${res && res.queued ? html`<p class="queued" role="status">${t('outbox_saved_here')}</p>`
			: res && res.ok ? html`<p class="success" role="status">${t('asg_report_saved')}</p>` : html`<${ErrorBox} res=${res} />`}
		<button type="submit" class="primary" disabled=${busy}>${t('asg_report_submit')}</button>
	</form>`;
}

function Me({ user }) {
	const [asg, setAsg] = useState(null);
	useEffect(() => {
		get('/me/assignments').then(setAsg);
	}, [user?.id]);
	if (!user)
		return html`<p>${t('need_login')} <${Link} href="/login">${t('nav_login')}<//></p>`;
	return html`<section>
		<h1>${t('me_title')}</h1>
		<p><strong>${user.full_name}</strong> (${user.username})</p>
		${!isOfficial(user) ? html`<p>${t('public_info')}</p>` : ''}
		<h2>${t('me_grants')}</h2>
		<ul class="grants">${(user.grants || []).map((g) => html`<li>
			${t('role_' + g.role)} — ${g.unit_name || g.unit_code} (${g.unit_code})
			${isOfficial(user) ? html` · <${Link} href=${'/dashboard?unit=' + encodeURIComponent(g.unit_code === 'VN' ? '' : g.unit_code)}>${t('nav_dashboard')}<//>` : ''}
		</li>`)}</ul>
		<h2>${t('me_assignments')}</h2>
		${asg === null ? html`<p role="status">${t('loading')}</p>` : !asg.ok ? html`<${ErrorBox} res=${asg} />`
			: asg.data.items.length === 0 ? html`<p class="nodata">${t('no_data')}</p>`
			: html`<ul class="asg-list">${asg.data.items.map((a) => html`<li key=${a.id}>
				${a.unit_name} (${a.unit_code})${a.status ? ' — ' + t('asg_status_' + a.status) : ''}
				<details><summary>${t('asg_report')}</summary><${AssignmentReport} a=${a} /></details></li>`)}</ul>`}
	</section>`;
}

// What the device keeps of a user who signs out: their writes not sent
// and their profile (outbox.js's IndexedDB), and every cache but this build's shell (pwa.js).
async function forgetOnDevice(username) {
	await outbox.forget(username).catch(() => {});
	await clearOnSignOut();
}

function App() {
	const [loc, setLoc] = useState(location.pathname + location.search);
	const [, setLangState] = useState(lang());
	const [user, setUser] = useState(undefined);   // undefined: not known yet
	useEffect(() => {
		const on = () => {
			setLoc(location.pathname + location.search);
		};
		addEventListener('popstate', on);
		addEventListener('thc:navigate', on);
		document.documentElement.lang = lang();
		// Without a connection (status 0) the user's own /me answer kept on the
		// device stands in; a 401 is signed out (their writes kept stay).
		if (hasSessionHint())
			get('/me').then(async (r) => {
				if (r.ok)
					saveProfile(r.data);
				setUser(r.ok ? r.data : r.status === 0 ? await lastProfile() : null);
			});
		else
			setUser(null);
		const stop = startOutbox();
		return () => {
			stop();
			removeEventListener('popstate', on);
			removeEventListener('thc:navigate', on);
		};
	}, []);
	// The queue of the user signed in (none of another's), sent at the start and after a sign-in.
	useEffect(() => {
		if (user !== undefined)
			outbox.setUser(user && user.username).then(() => user && outbox.sync({ relogin: true }));
	}, [user && user.username]);
	const signedIn = (u) => {
		saveProfile(u);
		setUser(u);
	};
	// After a route change (not the first load) move focus to the content,
	// so screen readers start at the new page.
	const [first, setFirst] = useState(true);
	useEffect(() => {
		const main = document.getElementById('main');
		if (first)
			setFirst(false);
		else if (main && (document.activeElement === document.body || !main.contains(document.activeElement)))
			main.focus({ preventScroll: true });
	}, [location.pathname]);
	const switchLang = () => {
		setLang(lang() === 'vi' ? 'en' : 'vi');
		setLangState(lang());
	};
	// Signing out leaves nothing of the user on the device: their writes not
	// sent (after a confirm that says how many are lost) and their profile.
	const logout = async () => {
		const n = outbox.count();
		if (n && !confirm(t('outbox_logout_confirm', n)))
			return;
		await post('/logout');
		await forgetOnDevice(user.username);
		forgetSession();
		setUser(null);
		navigate('/');
	};
	const path = location.pathname;
	const params = new URLSearchParams(location.search);
	let page;
	if (path === '/login')
		page = html`<${Login} onLogin=${signedIn} />`;
	else if (path === '/me')
		page = html`<${Me} user=${user} />`;
	else if (path === '/outbox')
		page = user === undefined ? html`<p role="status">${t('loading')}</p>` : html`<${OutboxPage} user=${user} />`;
	else if (path === '/support/posting')
		page = html`<${Posting} unit=${params.get('unit')} programme=${params.get('programme')} key=${'p' + loc + lang()} />`;
	else if (path === '/support/apply')
		page = html`<${SupportApply} unit=${params.get('unit')} key=${'a' + lang()} />`;
	else if (path === '/support/track')
		page = html`<${SupportTrack} code=${params.get('code')} key=${'t' + loc + lang()} />`;
	else if (path === '/hotlines')
		page = html`<${Hotlines} unit=${params.get('unit')} user=${user} key=${'l' + loc + lang()} />`;
	else if (path === '/feedback')
		page = html`<${FeedbackPage} user=${user} code=${params.get('code')} tab=${params.get('tab')} key=${'fb' + loc} />`;
	else if (path === '/feedback/queue' || path === '/feedback/stats' || path === '/feedback/categories') {
		if (user === undefined)
			page = html`<p role="status">${t('loading')}</p>`;
		else if (!user)
			page = html`<p>${t('need_login')} <${Link} href="/login">${t('nav_login')}<//></p>`;
		else if (!isOfficial(user))
			page = html`<p class="error" role="alert">${t('forbidden')}</p>`;
		else if (path === '/feedback/queue')
			page = html`<${FeedbackQueue} user=${user} unit=${params.get('unit')} key=${'fq' + loc} />`;
		else if (path === '/feedback/categories')
			page = html`<${FeedbackCategories} user=${user} unit=${params.get('unit')} key=${'fc' + loc + lang()} />`;
		else
			page = html`<${FeedbackStats} user=${user} unit=${params.get('unit')} key=${'fs' + loc} />`;
	} else if (/^\/cases\/\d+$/.test(path)) {
		if (user === undefined)
			page = html`<p role="status">${t('loading')}</p>`;
		else if (!user)
			page = html`<p>${t('need_login')} <${Link} href="/login">${t('nav_login')}<//></p>`;
		else if (!mayIsolate(user))
			page = html`<p class="error" role="alert">${t('forbidden')}</p>`;
		else
			page = html`<${CasePage} user=${user} id=${path.split('/')[2]} key=${'c' + loc + lang()} />`;
	} else if (path === '/import')
		page = user === undefined ? html`<p role="status">${t('loading')}</p>`
			: !user ? html`<p>${t('need_login')} <${Link} href="/login">${t('nav_login')}<//></p>`
			: !mayImport(user, 'cases') && !mayImport(user, 'levels') ? html`<p class="error" role="alert">${t('forbidden')}</p>`
			: html`<${Import} user=${user} kind=${params.get('kind')} key=${'im' + lang()} />`;
	else if (path === '/rewards')
		page = html`<${Rewards} unit=${params.get('unit')} key=${'r' + loc + lang()} />`;
	else if (['/dashboard', '/entry', '/home', '/followup', '/tasks', '/support', '/business', '/inspections',
	          '/emulation', '/directives'].includes(path) || path.startsWith('/directives/')) {
		if (user === undefined)
			page = html`<p role="status">${t('loading')}</p>`;
		else if (!user)
			page = html`<p>${t('need_login')} <${Link} href="/login">${t('nav_login')}<//></p>`;
		else if (['/dashboard', '/support', '/inspections', '/emulation'].includes(path) && !isOfficial(user))
			page = html`<p class="error" role="alert">${t('forbidden')}</p>`;
		else if (path === '/entry' && !canEnter(user))
			page = html`<p class="error" role="alert">${t('forbidden')}</p>`;
		else if (path === '/followup' && !mayFollowUp(user))
			page = html`<p class="error" role="alert">${t('forbidden')}</p>`;
		else if ((path === '/tasks' || path === '/directives' || path.startsWith('/directives/')) && !isOfficial(user))
			page = html`<p class="error" role="alert">${t('forbidden')}</p>`;
		else if (path === '/tasks')
			page = html`<${Inbox} user=${user} unit=${params.get('unit')} key=${'t' + loc + lang()} />`;
		else if (path === '/directives')
			page = html`<${DirectiveList} user=${user} unit=${params.get('unit')} direction=${params.get('direction')} key=${'l' + loc + lang()} />`;
		else if (path === '/directives/new')
			page = html`<${NewDirective} user=${user} key=${'n' + lang()} />`;
		else if (/^\/directives\/\d+$/.test(path))
			page = html`<${Progress} id=${path.split('/')[2]} date=${params.get('date')} key=${'p' + loc + lang()} />`;
		else if (path === '/business' && !mayBusiness(user))
			page = html`<p class="error" role="alert">${t('forbidden')}</p>`;
		else if (path === '/business')
			page = html`<${Businesses} user=${user} key=${'b' + loc + lang()} />`;
		else if (path === '/home')
			page = html`<${Home} user=${user} key=${'h' + lang()} />`;
		else if (path === '/inspections')
			page = html`<${Inspections} user=${user} id=${params.get('id')} key=${'i' + loc + lang()} />`;
		else if (path === '/emulation')
			page = html`<${Emulation} user=${user} id=${params.get('id')} key=${'m' + loc + lang()} />`;
		else if (path === '/followup')
			page = html`<${FollowUp} user=${user} unit=${params.get('unit')} key=${'f' + loc + lang()} />`;
		else if (path === '/support')
			page = html`<${Support} user=${user} unit=${params.get('unit')} key=${'s' + loc + lang()} />`;
		else if (path === '/dashboard')
			page = html`<${Dashboard} user=${user} unit=${params.get('unit')} key=${'d' + loc + lang()} />`;
		else
			page = html`<${Entry} user=${user} unit=${params.get('unit')} form=${params.get('form')} caseId=${params.get('case')}
				key=${'e' + lang() + (params.get('case') || '')} />`;
	} else if (params.get('unit') && !/^(\d{2,3}|VN)$/.test(params.get('unit')))
		page = html`<${UnitPage} code=${params.get('unit')} key=${'u' + loc + lang()} />`;
	else
		page = html`<${MapPage} date=${params.get('date')} unit=${params.get('unit')} lang=${lang()} />`;
	const cur = (p) => (path === p ? 'page' : undefined);
	return html`
		<a class="skip" href="#main">${t('skip')}</a>
		<header class="top">
			<${Link} href="/" class="brand">${t('app')}<//>
			${mayIsolate(user) ? html`<${GlobalSearch} key=${'gs' + lang()} />` : ''}
			${user ? html`<${OutboxLink} current=${path === '/outbox'} />` : ''}
			<nav aria-label=${t('app')}>
				<ul>
					${user ? html`<li><${Link} href="/home" aria-current=${cur('/home')}>${t('nav_home')}<//></li>` : ''}
					<li><${Link} href="/" aria-current=${cur('/')}>${t('nav_map')}<//></li>
					${mayFollowUp(user) ? html`<li><${Link} href="/followup" aria-current=${cur('/followup')}>${t('nav_followup')}<//></li>` : ''}
					${isOfficial(user) ? html`<li><${Link} href="/tasks" aria-current=${cur('/tasks')}>${t('nav_tasks')}<//></li>` : ''}
					${isOfficial(user) ? html`<li><${Link} href="/dashboard" aria-current=${cur('/dashboard')}>${t('nav_dashboard')}<//></li>` : ''}
					${isOfficial(user) ? html`<li><${Link} href="/support" aria-current=${cur('/support')}>${t('nav_support')}<//></li>` : ''}
					${mayBusiness(user) ? html`<li><${Link} href="/business" aria-current=${cur('/business')}>${t('nav_business')}<//></li>` : ''}
					${canEnter(user) ? html`<li><${Link} href="/entry" aria-current=${cur('/entry')}>${t('nav_entry')}<//></li>` : ''}
					${mayImport(user, 'cases') || mayImport(user, 'levels') ? html`<li><${Link} href="/import" aria-current=${cur('/import')}>${t('nav_import')}<//></li>` : ''}
					${isOfficial(user) ? html`<li><${Link} href="/inspections" aria-current=${cur('/inspections')}>${t('nav_inspections')}<//></li>
					<li><${Link} href="/emulation" aria-current=${cur('/emulation')}>${t('nav_emulation')}<//></li>` : ''}
					<li><${Link} href="/rewards" aria-current=${cur('/rewards')}>${t('nav_rewards')}<//></li>
					${isOfficial(user) ? html`<li><${Link} href="/feedback/queue" aria-current=${cur('/feedback/queue')}>${t('nav_feedback_queue')}<//></li>`
						: html`<li><${Link} href="/feedback" aria-current=${cur('/feedback')}>${t('nav_feedback')}<//></li>`}
					${user ? html`<li><${Link} href="/me" aria-current=${cur('/me')}>${t('nav_me')}<//></li>` : ''}
					${user ? html`<li><button type="button" class="linkish" onClick=${logout}>${t('nav_logout')}</button></li>`
						: html`<li><${Link} href="/login" aria-current=${cur('/login')}>${t('nav_login')}<//></li>`}
					<li><button type="button" class="lang" lang=${lang() === 'vi' ? 'en' : 'vi'} aria-label=${t('lang_switch_label')}
						onClick=${switchLang}>${t('lang_switch')}</button></li>
				</ul>
			</nav>
		</header>
		<main id="main" tabindex="-1">${page}</main>
		<footer class="foot"><small>thichung · ${user ? t('signed_in_as', user.username) : ''}</small></footer>`;
}

render(html`<${App} />`, document.getElementById('app'));
registerWorker();
