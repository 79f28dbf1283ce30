// The ConnectorError a connector call failed with (its kind tells the engine what to do next);
// a success or any other error fails the test.
import { ConnectorError } from '../../src/main/core/connectors/connector';

export async function connectorFailure(p: Promise<unknown>): Promise<ConnectorError> {
  const error = await p.then(
    () => new Error('the call succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof ConnectorError)) throw error;
  return error;
}
