// Both CLI flavours: Ctrl-C / SIGTERM close the backend (WebSockets get 4200) and exit 0.
export function closeOnSignals(backend: { close(): Promise<void> }): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('Shutting down…');
    backend
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
