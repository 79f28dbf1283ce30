import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain';
import type { Stats } from '../../../shared/stats';
import { api } from '../api';
import { errorMeaning } from '../lib/errors';
import { BarChart } from './BarChart';
import { Modal } from './Modal';
import { InlineError } from './InlineError';

const PERIODS = [7, 30, 90];

/** "1 min", "2 h 5 min", in the UI language. */
export function duration(ms: number | null, lang: string): string {
  if (ms === null) return '—';
  const unit = (value: number, u: 'second' | 'minute' | 'hour') => new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 }).format(value);
  if (ms < 60_000) return unit(Math.round(ms / 1000), 'second');
  if (ms < 3_600_000) return unit(Math.round(ms / 60_000), 'minute');
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
}

/** Response-time stats from the mirror (offline): per day, busiest hours, first-response times. */
export function StatsDialog({ accounts, onClose }: { accounts: Account[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [days, setDays] = useState(30);
  const [accountId, setAccountId] = useState<number | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    void api()
      .invoke('stats.get', { days, utcOffsetMinutes: -new Date().getTimezoneOffset(), ...(accountId === null ? {} : { accountId }) })
      .then((s) => {
        if (!current) return;
        setStats(s);
        setError(null);
      })
      .catch((e: unknown) => current && setError(`${t('stats.failed')} ${errorMeaning(e, t)}`));
    return () => {
      current = false;
    };
  }, [days, accountId, attempt, t]);

  const dayLabels = useMemo(() => stats?.perDay.map((d) => new Date(d.day).toLocaleDateString(lang, { day: 'numeric', month: 'short' })) ?? [], [stats, lang]);
  const hourLabels = useMemo(() => Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')), []);
  const conversations = useMemo(() => stats?.perDay.map((d) => d.conversations) ?? [], [stats]);
  const replies = useMemo(() => stats?.perDay.map((d) => d.replies) ?? [], [stats]);
  const total = (values: number[]) => values.reduce((n, v) => n + v, 0);
  const busiest = stats ? stats.hours.indexOf(Math.max(...stats.hours)) : -1;
  const fr = stats?.firstResponse;

  return (
    <Modal label={t('stats.title')} onClose={onClose} className="stats-dialog">
      <h2>{t('stats.title')}</h2>
      <div className="row stats-controls">
        <label>
          {t('stats.period')}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t('stats.lastDays', { count: p })}
              </option>
            ))}
          </select>
        </label>
        {accounts.length > 1 && (
          <label>
            {t('stats.account')}
            <select value={accountId ?? ''} onChange={(e) => setAccountId(e.target.value ? Number(e.target.value) : null)}>
              <option value="">{t('stats.allAccounts')}</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {error && <InlineError text={error} onRetry={() => setAttempt((n) => n + 1)} />}
      {!stats && !error && <p className="muted">{t('pane.loading')}</p>}
      {stats && fr && (
        <div className="stats-body">
          <dl className="stats-summary">
            <div>
              <dt>{t('stats.median')}</dt>
              <dd>{duration(fr.medianMs, lang)}</dd>
            </div>
            <div>
              <dt>{t('stats.p90')}</dt>
              <dd>{duration(fr.p90Ms, lang)}</dd>
            </div>
            <div>
              <dt>{t('stats.conversations')}</dt>
              <dd>{total(conversations).toLocaleString(lang)}</dd>
            </div>
            <div>
              <dt>{t('stats.replies')}</dt>
              <dd>{total(replies).toLocaleString(lang)}</dd>
            </div>
            <div>
              <dt>{t('stats.unanswered')}</dt>
              <dd>{fr.unanswered.toLocaleString(lang)}</dd>
            </div>
          </dl>
          <p className="muted small-hint">{t('stats.firstResponseHint', { count: fr.answered })}</p>
          <ChartWithTable title={t('stats.perDay')} categories={dayLabels} values={conversations} valueLabel={t('stats.conversations')} />
          <ChartWithTable title={t('stats.repliesPerDay')} categories={dayLabels} values={replies} valueLabel={t('stats.replies')} colorVar="--ok" />
          <ChartWithTable
            title={busiest >= 0 && stats.hours[busiest]! > 0 ? t('stats.hoursBusiest', { hour: hourLabels[busiest] }) : t('stats.hours')}
            categories={hourLabels}
            values={stats.hours}
            valueLabel={t('stats.visitorMessages')}
            colorVar="--accent"
          />
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          {t('actions.done')}
        </button>
      </div>
    </Modal>
  );
}

function ChartWithTable({ title, categories, values, valueLabel, colorVar }: { title: string; categories: string[]; values: number[]; valueLabel: string; colorVar?: string }) {
  const { t } = useTranslation();
  return (
    <section className="stats-chart">
      <h3>{title}</h3>
      <BarChart label={title} categories={categories} values={values} {...(colorVar ? { colorVar } : {})} />
      <details>
        <summary>{t('stats.asTable')}</summary>
        <table className="stats-table">
          <thead>
            <tr>
              <th scope="col">{t('stats.when')}</th>
              <th scope="col">{valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {categories.map((c, i) => (
              <tr key={`${c}-${i}`}>
                <td>{c}</td>
                <td>{values[i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
