// Makes sure a Chromium for the e2e tests exists: CHROMIUM_PATH, else Debian's /usr/bin/chromium,
// installed with apt-get when we run as root on Debian; otherwise says exactly what to install.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

if (process.env.CHROMIUM_PATH) {
  console.error(`CHROMIUM_PATH points at ${path}, which does not exist.`);
  process.exit(1);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log('Chromium is missing: installing Debian chromium with apt-get (about 30 s)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  if (existsSync(path)) process.exit(0);
}
console.error(
  `Chromium is needed for the end-to-end tests and was not found at ${path}.\n` +
    (hasApt ? '  Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' : '') +
    '  Or point CHROMIUM_PATH at any Chromium/Chrome binary:  CHROMIUM_PATH=/path/to/chrome npm test',
);
process.exit(1);
