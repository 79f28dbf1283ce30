// Which connector serves which kind. Only `portfolio` is built; the other kinds plug in here.
import type { Connector } from '../connectors/connector';
import { PortfolioConnector, type PusherSettings } from '../connectors/portfolio/portfolio-connector';
import type { AccountRow } from '../mirror/accounts-repo';

export interface PortfolioAccountConfig {
  pusher: PusherSettings;
  extensions: boolean;
}

export type ConnectorFactory = (account: AccountRow, token: () => string | undefined) => Connector;

export const createConnector =
  (log: (message: string) => void): ConnectorFactory =>
  (account, token) => {
    if (account.kind === 'portfolio') {
      const config = JSON.parse(account.config) as PortfolioAccountConfig;
      return new PortfolioConnector({ baseUrl: account.baseUrl, pusher: config.pusher, extensions: config.extensions, token, log });
    }
    throw new Error(`Accounts of kind "${account.kind}" are not supported yet.`);
  };
