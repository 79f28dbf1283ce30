// Which Python runs the backend: Django and friends come from Debian's packages, so the system
// interpreter (/usr/bin/python3), not whatever `python3` a version manager puts first on PATH.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const OPENMANUS_DIR = __dirname;
export const MANAGE_PY = join(__dirname, 'manage.py');

export function pythonCommand(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPENMANUS_PYTHON) return env.OPENMANUS_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
