import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../../shared/contract';
import { api } from '../api';

/** Subscribes to a pushed event for the component's lifetime; the latest handler is always used. */
export function useApiEvent<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => api().on(event, (payload) => ref.current(payload)), [event]);
}
