// Finds a Python 3 that sees Debian's Django packages. On this machine `python3` on PATH can be a
// pyenv shim that does not: /usr/bin/python3 (Debian's) is tried first.
import { spawnSync } from 'node:child_process';

const MODULES = 'import django, channels, daphne, rest_framework, rest_framework_simplejwt';

let found: string | undefined;

export function findPython(): string {
  if (found) return found;
  const candidates = [process.env.SWITCHBOARD_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const r = spawnSync(candidate, ['-c', MODULES], { stdio: 'ignore' });
    if (r.status === 0) return (found = candidate);
  }
  throw new Error(
    'No Python 3 with Django Channels found. Install the Debian packages: apt-get install -y python3-django ' +
      'python3-django-channels daphne python3-djangorestframework python3-djangorestframework-simplejwt',
  );
}
