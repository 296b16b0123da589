// Starts a release PeerDesk for a test file on its own fresh database and data folder (emails land
// there as files the tests read back), and a headless Chromium beside it. Nothing here sleeps for a
// fixed time: it waits on conditions (the health check answering, a file appearing).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

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

/** With PEERDESK_BROWSER_DATABASE_URL (a PostgreSQL server URL), a new database on that server
 *  for one forum, dropped when it stops; otherwise the forum's own SQLite file. */
function databaseFor(name) {
  const server = process.env.PEERDESK_BROWSER_DATABASE_URL;
  if (!server) return { url: null, drop() {} };
  const psql = (sql) => execFileSync('psql', [server, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A running forum: `url`, `mailDir`, `cli(args)`, `mailTo(addr)`, `stop()`. `env` adds
 *  configuration (PEERDESK_SESSION_IDLE_SECONDS, say). */
export async function startForum({ demo = false, env: extra = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'peerdesk-browser-'));
  const port = await freePort();
  const database = databaseFor(`peerdesk_browser_${port}_${process.pid}`);
  const env = {
    ...process.env,
    PEERDESK_DATA_DIR: dir,
    PEERDESK_BIND: `127.0.0.1:${port}`,
    PEERDESK_BASE_URL: `http://127.0.0.1:${port}`,
    PEERDESK_LOG: 'warn',
    ...extra,
  };
  // The suite's own settings are not PeerDesk's (which refuses variables it does not know).
  delete env.PEERDESK_BROWSER_DATABASE_URL;
  delete env.PEERDESK_SCREENSHOTS_DIR;
  if (database.url) env.DATABASE_URL = database.url;
  else delete env.DATABASE_URL;
  const args = demo ? ['--demo'] : ['serve'];
  // Its stdout says what it set up (sample community, first category); only its errors are shown.
  const child = spawn(BINARY, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
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
    /** The plain-text body of the newest email to `to`, waited for. */
    async mailTo(to) {
      return until(`an email to ${to}`, () => {
        if (!existsSync(mailDir)) return null;
        const found = readdirSync(mailDir)
          .filter((f) => f.endsWith('.eml'))
          .map((f) => readFileSync(join(mailDir, f), 'latin1'))
          .filter((m) => new RegExp(`^To: .*<?${to.replace(/[.+]/g, '\\$&')}>?`, 'm').test(m));
        return found.length ? plainText(found.at(-1)) : null;
      });
    },
    /** Signs `username` up in a fresh browser context and returns that signed-in page. */
    async signUp(browser, username, password = PASSWORD) {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${url}/signup`);
      await page.getByLabel('Username', { exact: true }).fill(username);
      await page.getByLabel('Email', { exact: true }).fill(`${username}@example.test`);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/signup'));
      return page;
    },
    /** An admin account made by the command line, signed in in a fresh browser context. */
    async admin(browser, username) {
      const env = { PEERDESK_ADMIN_PASSWORD: PASSWORD };
      this.cli(['create-admin', '--username', username, '--email', `${username}@example.test`], env);
      return this.logIn(browser, username);
    },
    /** `username` (whose password is PASSWORD) logged in in a fresh browser context. */
    async logIn(browser, username, password = PASSWORD, contextOptions = {}) {
      const page = await (await browser.newContext(contextOptions)).newPage();
      await page.goto(`${url}/login`);
      await page.getByLabel('Username or email').fill(username);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      return page;
    },
    async stop() {
      child.kill('SIGTERM');
      await until('the forum to stop', () => child.exitCode !== null || child.signalCode !== null);
      rmSync(dir, { recursive: true, force: true });
      database.drop();
    },
  };
}

/** The password every account made by the tests has. */
export const PASSWORD = 'correct horse battery';

/** The text/plain part of a raw email, its transfer encoding undone. */
export function plainText(raw) {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const part = parts.find((p) => /^Content-Type: text\/plain/im.test(p)) ?? raw;
  const split = part.search(/\r?\n\r?\n/);
  const head = part.slice(0, split);
  const body = part.slice(split).trim();
  const encoding = /^Content-Transfer-Encoding: *(\S+)/im.exec(head)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return Buffer.from(body, 'latin1').toString('utf8');
}

/** The first link in `text` that contains `needle`. */
export function linkIn(text, needle) {
  const link = text.split(/\s+/).find((w) => w.startsWith('http') && w.includes(needle));
  if (!link) throw new Error(`no link with ${needle} in:\n${text}`);
  return link;
}

/** Headless Debian Chromium (no sandbox when running as root, as CI does). */
/** Every wait in a context gives up after 10 s (Playwright's 30 s makes a failure slow to see). */
export async function launchBrowser() {
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(10000);
    return context;
  };
  browser.newPage = async (options) => (await browser.newContext(options)).newPage();
  return browser;
}

/** Follows a link of the header's Admin menu (opening the menu first). */
export async function adminMenu(page, name) {
  await page.locator('details.nav-menu summary', { hasText: 'Admin' }).click();
  await page.locator('.nav-menu-panel').getByRole('link', { name, exact: true }).click();
}

/** The signed-in person's link in the header (its text is their name). */
export const profileLink = (page) => page.locator('a[title="Your profile"]');

/** A forum and a browser for one test file, started before its tests and stopped after them:
 *  `site.forum`, `site.browser`. */
export function withForum(options = {}) {
  const site = {};
  before(async () => {
    // Both start at once; if one fails, the other is still kept so that `after` stops it (a
    // browser left running would keep the test process alive).
    const [forum, browser] = await Promise.allSettled([startForum(options), launchBrowser()]);
    site.forum = forum.value;
    site.browser = browser.value;
    for (const r of [forum, browser]) if (r.status === 'rejected') throw r.reason;
  });
  after(async () => {
    await site.browser?.close();
    await site.forum?.stop();
  });
  return site;
}

/** Asks a question through the form as `page`'s member; returns the question page's address. */
export async function ask(page, forum, { title, body, tags = 'browser-tests' }) {
  await page.goto(`${forum.url}/questions/ask`);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Details').fill(body);
  await page.getByLabel('Category').selectOption({ index: 1 });
  await page.getByLabel('Tags').fill(tags);
  await page.getByRole('button', { name: 'Post your question' }).click();
  await page.waitForURL(/\/questions\/\d+\//);
  return page.url();
}
