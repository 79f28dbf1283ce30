// Which flavour of the portfolio site answers at a Site URL (backends.md §1): the plan's
// reference backend publishes GET /api/chat/config; a site as deployed has no config endpoint
// and signs in through its own /admin/login page.
import { ConsoleError } from '../../../../../shared/contract';

export type PortfolioFlavour = 'plan' | 'deployed';

async function probe(fetchFn: typeof fetch, url: URL): Promise<{ status: number; type: string; text: string } | null> {
  try {
    const res = await fetchFn(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(10_000), headers: { Accept: 'application/json, text/html' } });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: text.slice(0, 20_000) };
  } catch {
    return null;
  }
}

/** Throws a ConsoleError the user can read when the site cannot be reached at all. */
export async function detectPortfolioFlavour(baseUrl: string, fetchFn: typeof fetch): Promise<PortfolioFlavour> {
  const config = await probe(fetchFn, new URL('/api/chat/config', baseUrl));
  if (!config) throw new ConsoleError('unavailable', `The site cannot be reached at ${baseUrl}.`);
  if (config.status === 200 && config.type.includes('json')) {
    try {
      const body = JSON.parse(config.text) as { success?: unknown; data?: { pusher?: unknown } };
      if (body.success === true && body.data?.pusher) return 'plan';
    } catch {
      // Not JSON after all: look for the deployed site's login page.
    }
  }
  const login = await probe(fetchFn, new URL('/admin/login', baseUrl));
  if (login && login.status === 200 && login.type.includes('html') && /<form[^>]*>/i.test(login.text) && /name=["']?password/i.test(login.text)) return 'deployed';
  // A bare plan site (no extensions) has neither: its JSON login decides.
  return 'plan';
}
