/**
 * The monitor's page: what its state last said (alerts firing, each probe's metrics now vs its
 * baseline and over its last rounds, silences, the latest events). A pure function of that
 * state, so the same page is the file `dashboard:` rewrites after every round and the
 * dashboard's /monitor, read from the files whether or not the monitor is up.
 */
import { escapeHtml as esc } from '../report/escape.js';
import { page } from '../report/html.js';
import { chart, type Rule } from '../report/svg.js';
import { formatQuantity, formatPercent, signedPercent } from '../model/format.js';
import type { MonitorState, ProbeSummary, Silence } from './state.js';

export interface MonitorView {
  state: MonitorState;
  silences: Silence[];
  /** ms since the epoch. */
  now: number;
}

const when = (iso: string | number | undefined) => (iso === undefined ? '—' : new Date(iso).toISOString().replace('T', ' ').slice(0, 19));

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

const STATUS_CLASS = { inactive: 'ok', pending: 'warn', firing: 'bad' } as const;

/** Each rule metric of a probe over its last rounds, against the baseline's median and the rules' targets. */
function probeCharts(name: string, p: ProbeSummary, now: number): string {
  return Object.entries(p.recent ?? {})
    .map(([metric, points]) => {
      const m = p.metrics[metric];
      if (!m || points.length < 2) return '';
      const rules: Rule[] = [];
      if (m.baseline !== undefined) rules.push({ value: m.baseline, label: `baseline ${formatQuantity(m.baseline, m.dim)}`, cls: 'base' });
      for (const r of p.rules) if (r.metric === metric && r.targetValue !== undefined) rules.push({ value: r.targetValue, label: r.target ?? '', cls: 'target' });
      // Seconds for a compressed clock or a fast probe, minutes for the usual 30 s interval.
      const unit = (now - points[0]![0]) / 1000 > 600 ? { s: 60, label: 'minutes ago' } : { s: 1, label: 'seconds ago' };
      return chart({
        title: `${name} ${metric}: the last ${points.length} rounds`,
        width: 420,
        height: 190,
        x: { label: unit.label, format: (v) => String(Math.round(-v)) },
        y: { format: (v) => formatQuantity(v, m.dim) },
        lines: [{ name: `${name} ${metric}`, points: points.map(([t, v]) => [(t - now) / 1000 / unit.s, v] as [number, number]), cls: 's0' }],
        yRules: rules,
        fit: 'data',
      });
    })
    .join('');
}

/** `refresh`: seconds after which a browser loads the page again (for the file `dashboard:` rewrites). */
export function monitorPage(view: MonitorView | undefined, where: string, nav: string, refresh?: number): string {
  const head = refresh ? `<meta http-equiv="refresh" content="${Math.max(1, Math.round(refresh))}">` : '';
  if (!view) return page('perfgate monitor', `<h1>Monitor</h1><p>No monitor state in <code>${esc(where)}</code> yet: <code>perfgate monitor</code> writes it.</p>`, nav);
  const { state, silences, now } = view;
  const silenced = new Map(silences.map((s) => [s.rule, s]));
  const probeOf = new Map(Object.entries(state.probes).flatMap(([p, x]) => x.rules.map((r) => [r.id, p] as const)));
  const firing = Object.entries(state.rules).filter(([, r]) => r.status !== 'inactive');
  const alerts = firing.length
    ? `<table><tr><th>rule</th><th>probe</th><th>state</th><th>severity</th><th>since (UTC)</th><th>silenced</th></tr>${firing
        .map(([id, r]) => `<tr><td>${esc(id)}</td><td>${esc(probeOf.get(id) ?? '')}</td><td class="${STATUS_CLASS[r.status]}">${esc(r.status)}</td><td>${esc(r.severity ?? '')}</td><td>${esc(when(r.activeAt))}</td><td>${silenced.has(id) ? `until ${esc(when(silenced.get(id)!.until))}` : ''}</td></tr>`)
        .join('')}</table>`
    : '<p class="ok">No alert pending or firing.</p>';
  const rows = Object.entries(state.probes).flatMap(([name, p]) => {
    const first = `<td rowspan="${Math.max(1, p.rules.length)}">${esc(name)}</td><td rowspan="${Math.max(1, p.rules.length)}" class="${p.ok ? 'ok' : 'bad'}"${p.error ? ` title="${esc(p.error)}"` : ''}>${p.ok ? 'up' : 'error'} · ${esc(ago(p.at, now))}</td>`;
    if (!p.rules.length) return [`<tr>${first}<td colspan="6" class="mute">no rule</td></tr>`];
    return p.rules.map((r, i) => {
      const m = p.metrics[r.metric];
      const f = (x: number | undefined) => (x === undefined || !m ? '—' : formatQuantity(x, m.dim));
      const change = m?.value !== undefined && m.baseline ? signedPercent(m.value / m.baseline - 1) : '—';
      const rule = r.target ?? (r.degradation !== undefined ? `${formatPercent(r.degradation)} worse than baseline` : '');
      const s = state.rules[r.id]?.status ?? 'inactive';
      return `<tr>${i === 0 ? first : ''}<td>${esc(r.metric)}</td><td class="n">${esc(f(m?.value))}</td><td class="n">${esc(f(m?.baseline))}${i === 0 ? ` <span class="mute">(${p.baselineRounds} rounds)</span>` : ''}</td><td class="n">${esc(change)}</td><td>${esc(rule)}</td><td class="${STATUS_CLASS[s]}">${esc(s)}</td></tr>`;
    });
  });
  const probes = rows.length ? `<table><tr><th>probe</th><th>last round</th><th>metric</th><th>now</th><th>baseline</th><th>change</th><th>rule</th><th>alert</th></tr>${rows.join('')}</table>` : '<p class="mute">No round yet.</p>';
  const charts = Object.entries(state.probes).map(([name, p]) => probeCharts(name, p, now)).join('');
  const silenceList = silences.length ? `<table><tr><th>rule</th><th>until (UTC)</th><th>reason</th></tr>${silences.map((s) => `<tr><td>${esc(s.rule)}</td><td>${esc(when(s.until))}</td><td>${esc(s.by ?? '')}</td></tr>`).join('')}</table>` : '<p class="mute">None.</p>';
  const events = state.events.slice(-50).reverse();
  const eventList = events.length
    ? `<table><tr><th>at (UTC)</th><th>rule</th><th>change</th><th>notice</th><th>detail</th></tr>${events.map((e) => `<tr><td>${esc(when(e.at))}</td><td>${esc(e.rule)}</td><td>${esc(`${e.from} → ${e.to}`)}${e.severity ? ` <span class="mute">${esc(e.severity)}</span>` : ''}</td><td>${esc(e.notice ?? (e.held ? `held: ${e.held}` : ''))}</td><td>${esc(e.detail)}</td></tr>`).join('')}</table>`
    : '<p class="mute">No alert event yet.</p>';
  const outbox = state.outbox.length ? `<p class="warn">${state.outbox.length} notice(s) not yet acknowledged by their channel.</p>` : '';
  const body = `<h1>Monitor</h1><p class="mute">From <code>${esc(where)}</code>, as the monitor last saved it.</p>${outbox}<h2>Alerts</h2>${alerts}<h2>Probes</h2>${probes}${charts ? `<h2>The last rounds</h2><div class="charts">${charts}</div>` : ''}<h2>Silences</h2>${silenceList}<h2>Recent events</h2>${eventList}`;
  return page('perfgate monitor', body, nav, head);
}
