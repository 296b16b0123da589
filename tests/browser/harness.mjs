// Starts a release PeerDesk for a test file on its own fresh database and data folder (emails land
// there as files the tests read back), and a headless Chromium beside it. Nothing here sleeps for a
// fixed time: it waits on conditions (the health check answering, a file appearing).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
export const BINARY = process.env.PEERDESK_BIN ?? join(ROOT, 'target/release/peerdesk');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function until(what, check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** A running forum: `url`, `mailDir`, `cli(args)`, `stop()`. `DATABASE_URL` of the caller's
 *  environment points it at PostgreSQL instead (each forum then needs a database of its own). */
export async function startForum({ demo = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'peerdesk-browser-'));
  const port = await freePort();
  const env = {
    ...process.env,
    PEERDESK_DATA_DIR: dir,
    PEERDESK_BIND: `127.0.0.1:${port}`,
    PEERDESK_BASE_URL: `http://127.0.0.1:${port}`,
    PEERDESK_LOG: 'warn',
  };
  if (!process.env.PEERDESK_BROWSER_DATABASE_URL) delete env.DATABASE_URL;
  else env.DATABASE_URL = process.env.PEERDESK_BROWSER_DATABASE_URL;
  const args = demo ? ['--demo'] : ['serve'];
  const child = spawn(BINARY, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await until('the forum to answer', async () => {
    if (child.exitCode !== null) throw new Error(`peerdesk exited with ${child.exitCode}`);
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 60000);
  const mailDir = join(dir, 'mail');
  return {
    url,
    mailDir,
    /** Runs a `peerdesk` command against this forum's database. */
    cli(cmdArgs, extraEnv = {}) {
      return execFileSync(BINARY, cmdArgs, { env: { ...env, ...extraEnv }, encoding: 'utf8' });
    },
    /** The newest email to `to`, waited for. */
    async mailTo(to) {
      return until(`an email to ${to}`, () => {
        if (!existsSync(mailDir)) return null;
        const found = readdirSync(mailDir)
          .map((f) => readFileSync(join(mailDir, f), 'utf8'))
          .filter((m) => m.includes(`To: ${to}`));
        return found.at(-1) ?? null;
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await until('the forum to stop', () => child.exitCode !== null || child.signalCode !== null);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium (no sandbox when running as root, as CI does). */
export function launchBrowser() {
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}
