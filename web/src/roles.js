// What each role may do in the web application, read from the server's role
// table (./constants.js): which pages and entry forms a user is shown, and
// which of its grants' units a form starts on, so that nobody is offered an
// action that the API would refuse for their own unit.
import { ROLES } from './constants.js';

const ROLE = Object.fromEntries(ROLES.map((r) => [r.name, r]));
const flag = (f) => (g) => !!(ROLE[g.role] && ROLE[g.role][f]);
const role = (...names) => (g) => names.includes(g.role);
const official = flag('official');
const personal = flag('personal');            // officials and health workers: names, cases
const householdRead = flag('household_read');  // also the community COVID team

// Which grants may use each entry form, and at which unit levels the form's
// unit may start (the API's rules, docs/api.md).
export const FORM_RULES = {
	case: { may: personal },
	contact: { may: personal },
	test: { may: personal },
	checkin: { may: householdRead },
	zone: { may: official, levels: ['commune', 'hamlet', 'household'] },
	zone_end: { may: official },
	hamlet: { may: official, levels: ['commune'] },
	household: { may: flag('household_write'), levels: ['hamlet'] },
	indicators: { may: personal, levels: ['province', 'district', 'commune'] },
	csv: { may: personal },
	assess: { may: personal, levels: ['province', 'district', 'commune'] },
	decide: { may: official, levels: ['province', 'district', 'commune'] },
};

export const grantsOf = (user) => (user && user.grants) || [];

// The level of a unit code, from its shape (docs/api.md, Units).
export function codeLevel(code) {
	if (!code || code === 'VN')
		return 'country';
	if (/^\d{2}$/.test(code)) return 'province';
	if (/^\d{3}$/.test(code)) return 'district';
	if (/^\d{5}$/.test(code)) return 'commune';
	if (/^\d{5}-\d{3}$/.test(code)) return 'hamlet';
	return 'household';
}

export const mayUseForm = (user, form) => grantsOf(user).some(FORM_RULES[form].may);

// The unit a form starts on: the first grant that may use it whose unit is
// of a level the form takes ('' when none fits: the person chooses).
export function formUnit(user, form) {
	const rule = FORM_RULES[form];
	for (const g of grantsOf(user).filter(rule.may))
		if (g.unit_code !== 'VN' && (!rule.levels || rule.levels.includes(codeLevel(g.unit_code))))
			return g.unit_code;
	return '';
}

export const isOfficial = (user) => grantsOf(user).some(official);
export const canEnter = (user) => Object.keys(FORM_RULES).some((f) => mayUseForm(user, f));
// Who follows isolations (list, check-ins): officials, health workers, team.
export const mayFollowUp = (user) => grantsOf(user).some(householdRead);
// Who has the businesses page: officials (their area's list) and a
// business's own account (its registration and self-assessment).
export const mayBusiness = (user) => grantsOf(user).some((g) => official(g) || g.role === 'business');
// Who opens and releases isolations.
export const mayIsolate = (user) => grantsOf(user).some(personal);
// Who imports a CSV file of a kind (the import screen): officials and
// health workers; published levels, admins and province officers.
export const mayImport = (user, kind) => grantsOf(user).some(kind === 'levels' ? role('admin', 'province_officer') : personal);
// The grants whose units a follow-up list may start on.
export const followUpGrants = (user) => grantsOf(user).filter(householdRead).filter((g) => g.unit_code !== 'VN');

// The kind of home a user sees first: one per role, the first grant's role
// deciding for a user with several.
export function homeKind(user) {
	const gs = grantsOf(user);
	if (gs.some(role('commune_officer')))
		return 'commune';
	if (gs.some(official))
		return 'official';
	if (gs.some(role('health_worker')))
		return 'health';
	if (gs.some(role('team_member')))
		return 'team';
	if (gs.some(role('citizen', 'business')))
		return 'public';
	return 'public';
}

// Where a form's unit picker searches: the unit of the first grant that may
// use the form ('' for the whole country, or none).
export function formScope(user, form) {
	const g = grantsOf(user).find(FORM_RULES[form].may);
	return g && g.unit_code !== 'VN' ? g.unit_code : '';
}
