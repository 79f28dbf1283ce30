/**
 * IPC channel names shared by main and the preload. Kept apart from contract.ts so the
 * sandboxed preload bundle does not pull in zod.
 */
export const wire = {
  ipcInvoke: 'switchboard:invoke',
  ipcEvent: 'switchboard:event',
} as const;
