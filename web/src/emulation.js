// Emulation movements: a movement made from the benchmark indicators and
// their weights, then its ranking table (scores with decimal commas, the
// model unit of each indicator), a bar chart of the totals (uPlot) and the
// ranks month by month.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import { post } from './api.js';
import { fmtDate, fmtNumber, lang, t, todayVN, addDays } from './i18n.js';
import { DateField, ErrorBox, Field, html, Link, navigate, NoData, parseNumber, SortTable, UnitField, useGet, viCompare, XlsxLink } from './ui.js';
import { Outcome, required, useForm } from './entry.js';

const tr = (o) => (o ? o[lang()] || o.vi : '');

function NewMovement({ user, indicators }) {
	const g = (user.grants || []).find((x) => x.unit_code !== 'VN');
	const names = ['name', 'parent_code', 'period_from', 'period_to', ...indicators.map((i) => 'weight-' + i.code)];
	const init = { name: '', parent_code: g ? g.unit_code : '', period_from: addDays(todayVN(), -29), period_to: todayVN() };
	for (const i of indicators)
		init['weight-' + i.code] = '1';
	const f = useForm(init, names, (r) => {
		const m = /^indicators\[(\d+)\]/.exec(r.error?.field || '');
		return m ? 'weight-' + indicators[+m[1]]?.code : null;
	});
	const submit = (e) => f.run(e, async (v) => {
		const chosen = indicators.filter((i) => String(v['weight-' + i.code]).trim() !== '' && v['weight-' + i.code] !== '0');
		const r = await post('/emulation/movements', { name: v.name, parent_code: v.parent_code,
			period_from: v.period_from, period_to: v.period_to,
			indicators: chosen.map((i) => ({ code: i.code, weight: parseNumber(v['weight-' + i.code], true).value })) });
		if (r.ok)
			navigate('/emulation?id=' + r.data.id);
		return r;
	}, (v) => {
		const e = required(v, ['name', 'parent_code', 'period_from', 'period_to']);
		for (const i of indicators)
			if (parseNumber(v['weight-' + i.code], true).error)
				e['weight-' + i.code] = t('must_be_whole');
		return e;
	});
	return html`<form onSubmit=${submit} novalidate id="form-movement" aria-labelledby="h-movement">
		<h2 id="h-movement">${t('emu_new')}</h2>
		<div class="grid">
			<${Field} name="name" label=${t('emu_name')} value=${f.v.name} onInput=${f.set('name')} errors=${f.errors} required />
			<${UnitField} name="parent_code" label=${t('emu_parent')} value=${f.v.parent_code} onInput=${f.set('parent_code')} errors=${f.errors} required />
			<${DateField} name="period_from" label=${t('insp_from')} iso=${f.v.period_from} onChange=${f.set('period_from')} errors=${f.errors} required />
			<${DateField} name="period_to" label=${t('insp_to')} iso=${f.v.period_to} onChange=${f.set('period_to')} errors=${f.errors} required />
		</div>
		<fieldset class="weights"><legend>${t('emu_weights')}</legend>
			${indicators.map((i) => html`<${Field} name=${'weight-' + i.code} label=${tr(i.name)} value=${f.v['weight-' + i.code]}
				onInput=${f.set('weight-' + i.code)} errors=${f.errors} inputmode="numeric" />`)}
			<p class="hint">${t('emu_weights_hint')}</p>
		</fieldset>
		<${Outcome} f=${f} ok=${() => t('saved')} />
		<button type="submit" class="primary" disabled=${f.busy}>${t('emu_create')}</button>
	</form>`;
}

// The totals as bars, best first.
function TotalsChart({ items }) {
	const el = useRef(null);
	const sorted = items.slice().sort((a, b) => a.rank - b.rank || viCompare(a.name, b.name));
	useEffect(() => {
		if (!sorted.length)
			return undefined;
		const xs = sorted.map((_, i) => i + 1);
		const ys = sorted.map((x) => x.total);
		const width = Math.max(280, Math.min(900, el.current.clientWidth || 600));
		const plot = new uPlot({
			width, height: 220,
			scales: { x: { time: false, range: [0.4, sorted.length + 0.6] }, y: { range: [0, 100] } },
			series: [{ label: t('emu_rank'), value: (u, v) => (v == null ? '' : sorted[v - 1]?.name || '') },
				{ label: t('emu_total'), fill: 'rgba(11,83,148,0.75)', stroke: '#0b5394',
				  paths: uPlot.paths.bars({ size: [0.7, 40] }), points: { show: false },
				  value: (u, v) => (v == null ? '' : fmtNumber(v, 2)) }],
			axes: [{ values: (u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : '')) },
				{ label: t('emu_total'), values: (u, splits) => splits.map((s) => fmtNumber(s)) }],
		}, [xs, ys], el.current);
		return () => plot.destroy();
	}, [items]);
	return html`<div class="chart" ref=${el} role="img" aria-label=${t('emu_chart')}></div>`;
}

function Ranking({ id }) {
	const r = useGet(`/emulation/movements/${id}/rankings`);
	const hist = useGet(`/emulation/movements/${id}/history`);
	const inds = useGet('/emulation/indicators');
	if (!r || !inds)
		return html`<p class="loading" role="status">${t('loading')}</p>`;
	if (!r.ok)
		return html`<${ErrorBox} res=${r} />`;
	const m = r.data.movement;
	const names = Object.fromEntries((inds.ok ? inds.data.items : []).map((i) => [i.code, tr(i.name)]));
	const unitName = Object.fromEntries(r.data.items.map((i) => [i.unit_code, i.name]));
	const rows = r.data.items.map((i) => ({ ...i, code: i.unit_code }));
	const columns = [
		{ key: 'rank', label: t('emu_rank') },
		{ key: 'name', label: t('emu_unit') },
		{ key: 'total', label: t('emu_total'), render: (x) => fmtNumber(x.total, 2) },
		...m.indicators.map((i) => ({ key: i.code, label: names[i.code] || i.code,
			sortValue: (x) => x.scores[i.code].score,
			render: (x) => (x.scores[i.code].has_data ? fmtNumber(x.scores[i.code].score, 2) : '—') })),
	];
	return html`<section class="emulation">
		<p><${Link} href="/emulation">${t('emu_back')}<//></p>
		<h1>${m.name}</h1>
		<p>${fmtDate(r.data.from)} – ${fmtDate(r.data.to)}</p>
		<${SortTable} columns=${columns} rows=${rows} caption=${t('emu_ranking')} initial=${{ key: 'rank', dir: 1 }} />
		<p><${XlsxLink} id="emu-ranking-xlsx" path=${`/emulation/movements/${id}/rankings`} /></p>
		<${TotalsChart} items=${r.data.items} />
		<h2>${t('emu_models')}</h2>
		<ul class="models">${r.data.indicators.map((i) => html`<li>${names[i.code] || i.code} (${t('emu_weight')} ${i.weight}):
			<strong>${i.models.length ? i.models.map((c) => unitName[c]).join(', ') : t('no_data')}</strong></li>`)}</ul>
		<h2>${t('emu_history')}</h2>
		${!hist ? html`<p class="loading" role="status">${t('loading')}</p>` : !hist.ok ? html`<${ErrorBox} res=${hist} />` : html`
			<div class="table-wrap"><table class="history"><thead><tr><th scope="col">${t('emu_unit')}</th>
				${hist.data.periods.map((p) => html`<th scope="col">${fmtDate(p.from).slice(3)}</th>`)}</tr></thead>
			<tbody>${r.data.items.map((u) => html`<tr><th scope="row">${u.name}</th>${hist.data.periods.map((p) => {
				const x = p.items.find((i) => i.unit_code === u.unit_code);
				return html`<td>${x ? x.rank : '—'}</td>`;
			})}</tr>`)}</tbody></table></div>`}
	</section>`;
}

export function Emulation({ user, id }) {
	const list = useGet(id ? null : '/emulation/movements');
	const inds = useGet(id ? null : '/emulation/indicators');
	if (id)
		return html`<${Ranking} id=${id} key=${id} />`;
	return html`<section>
		<h1>${t('emu_title')}</h1>
		${!list ? html`<p class="loading" role="status">${t('loading')}</p>` : !list.ok ? html`<${ErrorBox} res=${list} />`
			: !list.data.items.length ? html`<${NoData} />` : html`<ul class="iso-list">${list.data.items.map((m) => html`<li class="iso-card">
				<h3><${Link} href=${'/emulation?id=' + m.id}>${m.name}<//></h3>
				<p>${fmtDate(m.period_from)} – ${fmtDate(m.period_to)}</p></li>`)}</ul>
			<p><${XlsxLink} id="emu-xlsx" path="/emulation/movements" /></p>`}
		${inds && inds.ok ? html`<${NewMovement} user=${user} indicators=${inds.data.items} />` : ''}
	</section>`;
}
