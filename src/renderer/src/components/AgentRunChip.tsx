import { useTranslation } from 'react-i18next';
import type { AgentRun } from '../../../shared/domain';

/** What the conversation's agent is doing (agent kinds): running, finished, failed, stuck. */
export function AgentRunChip({ run, compact = false }: { run: AgentRun; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={`chip agent-run agent-${run}${compact ? ' compact' : ''}`} title={t(`agentRun.${run}`)}>
      {run === 'running' && <span className="spinner" aria-hidden="true" />}
      {t(`agentRun.${run}`)}
    </span>
  );
}
