// Screenshots of the main pages at desktop and mobile widths, on the demo community. They go to
// PEERDESK_SCREENSHOTS_DIR (default tests/browser/screenshots, not kept in git); `npm run
// screenshots` writes the set committed under docs/screenshots that the README shows. Each page
// must also fit a phone's width without scrolling sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withForum, PASSWORD } from '../harness.mjs';

const DIR = resolve(process.env.PEERDESK_SCREENSHOTS_DIR ?? join(import.meta.dirname, '../screenshots'));
const site = withForum({ demo: true });

const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

/** Width and height of a PNG, from its header. */
function pngSize(file) {
  const b = readFileSync(file);
  assert.equal(b.subarray(1, 4).toString(), 'PNG', file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('the main pages are photographed at desktop and mobile widths and fit a phone', async () => {
  const { forum, browser } = site;
  mkdirSync(DIR, { recursive: true });
  const question = (await (await fetch(`${forum.url}/api/v1/questions?filter=unanswered&per_page=1`)).json()).items[0];
  const recent = (await (await fetch(`${forum.url}/api/v1/questions?per_page=50`)).json()).items;
  const answered = recent.filter((q) => q.resolved).sort((a, b) => b.answer_count - a.answer_count)[0];
  forum.cli(['create-admin', '--username', 'lee_admin', '--email', 'lee@example.test'], {
    PEERDESK_ADMIN_PASSWORD: PASSWORD,
  });
  const shots = [
    ['home', '/', false],
    ['question', answered.url, false],
    ['unanswered-question', question.url, false],
    ['search', '/search?q=export', false],
    ['profile', `/users/${answered.author.username}`, false],
    ['badges', '/badges', false],
    ['login', '/login', false],
    ['signup', '/signup', false],
    ['ask', '/questions/ask', true],
    ['dashboard', '/staff/kpis', true],
    ['admin-users', '/admin/users', true],
    ['audit-log', '/admin/audit', true],
  ];
  for (const [size, options] of Object.entries(SIZES)) {
    const visitor = await (await browser.newContext(options)).newPage();
    const admin = await forum.logIn(browser, 'lee_admin', PASSWORD, options);
    for (const [name, path, signedIn] of shots) {
      const page = signedIn ? admin : visitor;
      await page.goto(`${forum.url}${path}`);
      const file = join(DIR, `${name}-${size}.png`);
      await page.screenshot({ path: file });
      assert.deepEqual(pngSize(file), options.viewport, file);
      if (size === 'mobile') {
        // Nothing reaches past the screen's edge, except inside the boxes that scroll sideways
        // on purpose (code blocks, wide tables).
        const past = await page.evaluate((width) => {
          const scrolls = (el) => el.closest('pre, .table-wrap, .prose table, .visually-hidden');
          return [...document.body.querySelectorAll('*')]
            .filter((el) => !scrolls(el) && el.getBoundingClientRect().right > width + 1)
            .map((el) => `${el.localName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)
            .slice(0, 5);
        }, options.viewport.width);
        assert.deepEqual(past, [], `${path} is wider than a phone`);
      }
    }
  }
});
