// How a failed sign-in reads to the user, the same for every kind.
import { ConsoleError } from '../../../shared/contract';
import { ConnectorError } from './connector';

/** Turns a connector failure during connect/sign-in into an error the user can act on. */
export function signInError(error: unknown, wrongCredentials = 'Wrong email or password.'): unknown {
  if (error instanceof ConsoleError) return error;
  if (error instanceof ConnectorError) {
    if (error.kind === 'auth') return new ConsoleError('forbidden', wrongCredentials);
    if (error.kind === 'transient') return new ConsoleError('unavailable', `The site cannot be reached: ${error.message}`);
    return new ConsoleError('bad-request', `This site did not answer as expected: ${error.message}`);
  }
  return error;
}
