// Pickers of records by what people know of them: a case by its number or
// the person's name or ID number, a person (to fill a form with a person
// already known), a rule set by its name; and the header's search box.
// They ask GET /search, which finds people and cases only in the reader's
// scope.  Each list is a listbox under a combobox: arrow keys move, Enter
// chooses, Esc closes.
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from './api.js';
import { fmtDate, lang, t } from './i18n.js';
import { Field, html, navigate } from './ui.js';

const NUMBER = /^#?\d+$/;

// The search's items for `text` of `kind` (null: none asked, or loading).
// Rule sets are listed even for an empty text; the rest from 2 characters
// (or one digit).
export function useSearch(text, kind, open = true) {
	const [items, setItems] = useState(null);
	const q = String(text || '').trim();
	useEffect(() => {
		let live = true;
		const wanted = open && (kind === 'ruleset' || q.length >= 2 || /^\d$/.test(q));
		const timer = setTimeout(() => {
			if (!wanted)
				setItems(null);
			else
				get('/search' + qs({ q, kind })).then((r) => live && setItems(r.ok ? r.data.items : []));
		}, 250);
		return () => { live = false; clearTimeout(timer); };
	}, [q, kind, open]);
	return items;
}

// Arrow keys over `n` options, Enter for the active one, Esc to close.
export function useListKeys(n, choose, close) {
	const [active, setActive] = useState(-1);
	useEffect(() => setActive(-1), [n]);
	const onKeyDown = (e) => {
		if (e.key === 'ArrowDown' && n) {
			e.preventDefault();
			setActive((active + 1) % n);
		} else if (e.key === 'ArrowUp' && n) {
			e.preventDefault();
			setActive(active <= 0 ? n - 1 : active - 1);
		} else if (e.key === 'Enter' && active >= 0 && active < n) {
			e.preventDefault();
			choose(active);
		} else if (e.key === 'Escape') {
			close();
		}
	};
	return [active, onKeyDown];
}

// Two letters are too few to look for inside names (the server looks for
// them only at a name's start): the lists say so under their status.
export const isShort = (text) => { const q = String(text || '').trim(); return q.length === 2 && !/\d/.test(q); };

// What one found item says: its name, then what tells it from another.
export function itemLabel(i) {
	if (i.kind === 'unit')
		return [i.name, `${t('level_' + i.level)} · ${i.code}`];
	if (i.kind === 'ruleset')
		return [(lang() === 'en' ? i.title.en : i.title.vi) || i.id, i.id];
	const who = [i.id_number ? t('pk_idn', i.id_number) : '', i.birth_year ? t('pk_born', i.birth_year) : '',
		i.unit_name || i.unit_code].filter(Boolean).join(' · ');
	if (i.kind === 'case')
		return [`#${i.id} · ${i.full_name}`, `${t('pk_detected', fmtDate(i.detected_on))}${i.outcome ? ' · ' + t('out_' + i.outcome) : ''} · ${who}`];
	return [i.full_name, who];
}

function Options({ id, items, active, choose, label, text }) {
	return html`<div class="pick-results">
		<p class="sr-status" role="status">${items.length ? t('pk_found', items.length) : t('pk_none')}</p>
		${isShort(text) ? html`<p class="pick-short">${t('pk_short')}</p>` : ''}
		${items.length ? html`<ul role="listbox" id=${id} aria-label=${label}>${items.map((it, k) => {
			const [main, sub] = itemLabel(it);
			return html`<li role="option" id=${id + '-' + k} aria-selected=${k === active ? 'true' : 'false'}
				class=${'pick-option' + (k === active ? ' active' : '')} data-id=${it.id ?? it.code}
				onMouseDown=${(e) => e.preventDefault()} onClick=${() => choose(k)}>${main}<small>${sub}</small></li>`;
		})}</ul>` : ''}
	</div>`;
}

// A field whose value is a record's id (a case number, a rule set's id),
// as the API takes it: typed, or chosen from what the text finds.  The
// record the value is, is named under the field.
function RecordField({ kind, name, label, value, onInput, errors, required, hint, placeholder, inputmode, isIt }) {
	const [open, setOpen] = useState(false);
	const items = useSearch(value, kind, open || kind !== 'ruleset');
	const text = String(value || '').trim();
	const chosen = items && text ? items.find((i) => isIt(i, text)) : null;
	const shown = open && items && !chosen ? items : null;
	const choose = (k) => { onInput(String(shown[k].id)); setOpen(false); };
	const [active, onKeyDown] = useListKeys(shown ? shown.length : 0, choose, () => setOpen(false));
	const listId = 'pick-' + name;
	return html`<div class="unitpick">
		<${Field} name=${name} label=${label} value=${value} errors=${errors} required=${required}
			onInput=${(v) => { onInput(v); setOpen(true); }} onFocus=${() => setOpen(true)} onBlur=${() => setOpen(false)}
			onKeyDown=${onKeyDown} autocomplete="off" hint=${hint} placeholder=${placeholder} inputmode=${inputmode}
			role="combobox" aria-autocomplete="list" aria-expanded=${shown && shown.length ? 'true' : 'false'} aria-controls=${listId}
			aria-activedescendant=${shown && active >= 0 ? listId + '-' + active : undefined} />
		${shown ? html`<${Options} id=${listId} items=${shown} active=${active} choose=${choose} label=${label} text=${text} />` : ''}
		${chosen ? html`<p class="picked">${t('picker_chosen', itemLabel(chosen).join(' — '))}</p>` : ''}
	</div>`;
}

// A case: its number typed, or found by the person's name or ID number.
export function CasePicker(props) {
	return html`<${RecordField} kind="case" hint=${t('pk_case_hint')} inputmode="search"
		isIt=${(i, text) => NUMBER.test(text) && String(i.id) === text.replace('#', '')} ...${props} />`;
}

// A rule set: its id, or found by its name ('' : chosen by the date).
export function RuleSetPicker(props) {
	return html`<${RecordField} kind="ruleset" hint=${t('pk_rules_hint')} placeholder=${t('pk_rules_placeholder')}
		isIt=${(i, text) => i.id === text} ...${props} />`;
}

// A person already recorded, found by name or ID number: choosing one
// hands the person to onChoose (the form fills its fields from it).
export function PersonPicker({ id, onChoose }) {
	const [text, setText] = useState('');
	const [open, setOpen] = useState(false);
	const [picked, setPicked] = useState(null);
	const items = useSearch(text, 'person', open);
	const shown = open && items ? items : null;
	const choose = (k) => { setPicked(shown[k]); onChoose(shown[k]); setText(''); setOpen(false); };
	const [active, onKeyDown] = useListKeys(shown ? shown.length : 0, choose, () => setOpen(false));
	const listId = id + '-list';
	return html`<div class="unitpick personpick" id=${id}>
		<${Field} name="find_person" label=${t('pk_person')} value=${text} hint=${t('pk_person_hint')}
			onInput=${(v) => { setText(v); setOpen(true); }} onBlur=${() => setOpen(false)} onKeyDown=${onKeyDown}
			autocomplete="off" inputmode="search" role="combobox" aria-autocomplete="list"
			aria-expanded=${shown && shown.length ? 'true' : 'false'} aria-controls=${listId}
			aria-activedescendant=${shown && active >= 0 ? listId + '-' + active : undefined} />
		${shown ? html`<${Options} id=${listId} items=${shown} active=${active} choose=${choose} label=${t('pk_person')} text=${text} />` : ''}
		${picked ? html`<p class="picked">${t('pk_person_filled', picked.full_name)}</p>` : ''}
	</div>`;
}

// Where a found item leads: a unit's dashboard, a case's page, a person's
// latest case (or, with none, the follow-up of the person's unit).
export function itemHref(i) {
	if (i.kind === 'unit')
		return '/dashboard' + qs({ unit: i.code });
	if (i.kind === 'case')
		return '/cases/' + i.id;
	return i.case_id ? '/cases/' + i.case_id : '/followup' + qs({ unit: i.unit_code });
}

const GROUPS = [['unit', 'gs_units'], ['case', 'gs_cases'], ['person', 'gs_people']];

// The header's search box: units, cases and people in one list, grouped.
export function GlobalSearch() {
	const [text, setText] = useState('');
	const [open, setOpen] = useState(false);
	const items = useSearch(text, 'all', open);
	const shown = open && items ? GROUPS.flatMap(([k]) => items.filter((i) => i.kind === k)) : null;
	const go = (k) => {
		const href = itemHref(shown[k]);
		setOpen(false);
		setText('');
		navigate(href);
	};
	const [active, onKeyDown] = useListKeys(shown ? shown.length : 0, go, () => { setOpen(false); setText(''); });
	let k = -1;
	return html`<div class="gsearch" role="search">
		<label for="gsearch-q" class="sr-only">${t('gs_label')}</label>
		<input id="gsearch-q" type="search" value=${text} placeholder=${t('gs_placeholder')} autocomplete="off"
			role="combobox" aria-autocomplete="list" aria-expanded=${shown && shown.length ? 'true' : 'false'}
			aria-controls="gsearch-list" aria-activedescendant=${shown && active >= 0 ? 'gsearch-' + active : undefined}
			onInput=${(e) => { setText(e.currentTarget.value); setOpen(true); }} onKeyDown=${onKeyDown}
			onFocus=${() => setOpen(true)} onBlur=${() => setOpen(false)} />
		${shown ? html`<div class="gsearch-results">
			<p class="sr-status" role="status">${shown.length ? t('pk_found', shown.length) : t('pk_none')}</p>
			${isShort(text) ? html`<p class="pick-short">${t('pk_short')}</p>` : ''}
			${shown.length ? html`<ul role="listbox" id="gsearch-list" aria-label=${t('gs_label')}>${GROUPS.map(([kind, title]) => {
				const group = shown.filter((i) => i.kind === kind);
				return group.length ? html`<li role="presentation" class="gs-group"><span class="gs-title" aria-hidden="true">${t(title)}</span>
					<ul role="group" aria-label=${t(title)}>${group.map((it) => {
						k++;
						const n = k, [main, sub] = itemLabel(it);
						return html`<li role="option" id=${'gsearch-' + n} aria-selected=${n === active ? 'true' : 'false'}
							class=${'pick-option' + (n === active ? ' active' : '')} data-kind=${kind}
							onMouseDown=${(e) => e.preventDefault()} onClick=${() => go(n)}>
							<a href=${itemHref(it)} tabindex="-1" onClick=${(e) => e.preventDefault()}>${main}</a><small>${sub}</small></li>`;
					})}</ul></li>` : '';
			})}</ul>` : ''}
		</div>` : ''}
	</div>`;
}
