// "Chưa gửi": the header's count of the writes kept on this device, and
// the page (/outbox) that lists them: what each is, when it was recorded,
// its state in words and the server's refusal; "Gửi ngay", and per write
// "Bỏ" (after a confirm) or, for a check-in of an isolation that ended
// meanwhile, "Vẫn ghi vào đợt đã kết thúc".
import { useEffect, useState } from 'preact/hooks';
import { fmtDate, t } from './i18n.js';
import { CONFLICT, NEEDS_LOGIN, outbox, useOutbox } from './outbox.js';
import { html, humanize, Link } from './ui.js';

// An instant (ms) as dd/mm/yyyy HH:mm in Việt Nam.
function fmtWhen(ms) {
	const d = new Date(ms + 7 * 3600e3).toISOString();
	return `${fmtDate(d.slice(0, 10))} ${d.slice(11, 16)}`;
}

const SENT_SHOWN_MS = 15e3;

// In the header: "Chưa gửi (N)" while the user has writes waiting, and
// "Đã gửi N mục" for a moment after a round sent some.
export function OutboxLink({ current }) {
	const s = useOutbox();
	const [, redraw] = useState(0);
	const fresh = s.sent && Date.now() - s.sentAt < SENT_SHOWN_MS;
	useEffect(() => {
		if (!fresh)
			return undefined;
		const timer = setTimeout(() => redraw((x) => x + 1), SENT_SHOWN_MS);
		return () => clearTimeout(timer);
	}, [s.sentAt]);
	return html`<span class="outbox-live" aria-live="polite">${s.items.length
		? html`<${Link} href="/outbox" class="outbox-link" aria-current=${current ? 'page' : undefined}>${t('outbox_link', s.items.length)}<//>`
		: fresh ? html`<span class="outbox-sent">${t('outbox_sent', s.sent)}</span>` : ''}</span>`;
}

// What the server said of a write, in plain words at the write.
function ErrorText({ item }) {
	const e = item.error;
	if (!e)
		return null;
	if (item.state === CONFLICT && e.released_on)
		return html`<p class="error">${t('outbox_released', item.who || item.label, fmtDate(e.released_on))}</p>`;
	if (item.state === NEEDS_LOGIN)
		return html`<p class="warn">${t('outbox_needs_login_item')}</p>`;
	const msg = e.code === 'offline' ? t('outbox_no_connection')
		: e.status >= 500 ? t('outbox_server_busy') : humanize(e.message) || String(e.status || '');
	return html`<p class=${item.state === 'pending' ? 'hint' : 'error'}>${msg}</p>`;
}

function Item({ item, busy }) {
	const discard = () => {
		if (confirm(t('outbox_discard_confirm', item.label)))
			outbox.discard(item.key);
	};
	return html`<li class=${'outbox-item state-' + item.state} data-key=${item.key} data-kind=${item.kind}>
		<p class="outbox-label"><strong>${item.label}</strong></p>
		<p class="outbox-meta">${t('outbox_recorded', fmtWhen(item.created))} · <span class="outbox-state">${t('outbox_state_' + item.state)}</span></p>
		<${ErrorText} item=${item} />
		<div class="actions">
			${item.state === CONFLICT && item.kind === 'checkin' ? html`<button type="button" class="primary outbox-anyway" disabled=${busy}
				onClick=${() => outbox.recordAnyway(item.key)}>${t('outbox_record_anyway')}</button>` : ''}
			<button type="button" class="outbox-discard" disabled=${busy} onClick=${discard}>${t('outbox_discard')}</button>
		</div>
	</li>`;
}

export function OutboxPage({ user }) {
	const s = useOutbox();
	if (!user)
		return html`<p>${t('need_login')} <${Link} href="/login">${t('nav_login')}<//></p>`;
	if (!s.ready)
		return html`<p role="status">${t('loading')}</p>`;
	const login = s.items.some((i) => i.state === NEEDS_LOGIN);
	return html`<section class="outbox" aria-labelledby="h-outbox">
		<h1 id="h-outbox">${t('outbox_title')}</h1>
		<p class="hint">${t('outbox_help')}</p>
		<p role="status" class="outbox-status">${s.sending ? t('outbox_sending')
			: s.sent && !s.items.length ? t('outbox_sent', s.sent) : ''}</p>
		${login ? html`<p class="warn" id="outbox-login">${t('outbox_needs_login')} <${Link} href="/login">${t('outbox_login_again')}<//></p>` : ''}
		${s.items.length ? html`
			<p><button type="button" class="primary" id="outbox-send" disabled=${s.sending}
				onClick=${() => outbox.sync({ relogin: true })}>${t('outbox_send_now')}</button></p>
			<ul class="outbox-list">${s.items.map((i) => html`<${Item} key=${i.key} item=${i} busy=${s.sending} />`)}</ul>`
			: html`<p class="nodata">${t('outbox_empty')}</p>`}
	</section>`;
}
