// The public page of reward and discipline decisions: only those marked
// public, and of them only the name, the unit, the decision, the reason
// and the date (dd/mm/yyyy).
import { fmtDate, t } from './i18n.js';
import { ErrorBox, html, NoData, useGet, XlsxLink } from './ui.js';

export function Rewards({ unit }) {
	const r = useGet('/public/decisions' + (unit ? '?unit=' + encodeURIComponent(unit) : ''));
	return html`<section>
		<h1>${t('rewards_title')}</h1>
		<p class="hint">${t('rewards_intro')}</p>
		${!r ? html`<p class="loading" role="status">${t('loading')}</p>` : !r.ok ? html`<${ErrorBox} res=${r} />`
			: !r.data.items.length ? html`<${NoData} />` : html`<ul class="iso-list decisions">${r.data.items.map((d) => html`
			<li class=${'iso-card ' + d.decision.kind}>
				<h3>${d.name || d.unit}</h3>
				${d.name && d.unit ? html`<p>${d.unit}</p>` : ''}
				<p><span class="flag kind">${t('dec_kind_' + d.decision.kind)}</span> ${d.decision.form} · ${t('dec_number')} ${d.decision.number}</p>
				<p>${d.reason}</p>
				<p class="hint">${t('dec_date')}: ${fmtDate(d.date)}</p>
			</li>`)}</ul>
			<p><${XlsxLink} id="rewards-xlsx" path="/public/decisions" params=${{ unit }} /></p>`}
	</section>`;
}
