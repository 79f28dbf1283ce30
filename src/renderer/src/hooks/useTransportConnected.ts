import { useEffect, useState } from 'react';

/** False while the transport to the core is down (browser mode's socket); always true over IPC. */
export function useTransportConnected(): boolean {
  const [connected, setConnected] = useState(true);
  useEffect(() => window.switchboard.onConnection?.(setConnected), []);
  return connected;
}
