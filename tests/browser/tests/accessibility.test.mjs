// Accessibility in a real browser, on the demo community: axe-core on every main page (no serious
// or critical violation, nor a measured contrast under 4.5:1 that axe left to review), and a
// question asked, answered and accepted with the keyboard alone, each control reached by Tab and
// showing where the focus is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { withForum, PASSWORD } from '../harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const site = withForum({ demo: true });

/** Serious and critical axe violations on the page now, described for a failure message. */
async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () => {
    const { violations, incomplete } = await window.axe.run(document);
    // axe leaves text the same colour as its background (1:1) "to review" rather than failing
    // it, as if it were hidden on purpose; nothing here hides text that way, so it counts.
    // Others it cannot measure at all (SVG text, text over a hidden span) stay out.
    const measured = (n) => n.any.some((c) => c.data?.contrastRatio > 0 && c.data.contrastRatio < 4.5);
    const unsettled = incomplete
      .filter((v) => v.id === 'color-contrast')
      .map((v) => ({ ...v, nodes: v.nodes.filter(measured) }))
      .filter((v) => v.nodes.length > 0);
    return [...violations, ...unsettled].filter((v) => v.impact === 'serious' || v.impact === 'critical');
  });
  return found.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

test('axe-core finds no serious or critical violation on the main pages', async () => {
  const { forum, browser } = site;
  // axe is injected as an inline script, which the site's Content-Security-Policy rightly refuses.
  const visitor = await (await browser.newContext({ bypassCSP: true })).newPage();
  const question = (await (await fetch(`${forum.url}/api/v1/questions?per_page=1`)).json()).items[0];
  const member = question.author.username;
  const pages = {
    home: '/',
    question: question.url,
    search: '/search?q=export+workspace',
    profile: `/users/${member}`,
    badges: '/badges',
    login: '/login',
    'sign-up': '/signup',
  };
  const failures = [];
  for (const [name, path] of Object.entries(pages)) {
    await visitor.goto(`${forum.url}${path}`);
    for (const v of await violations(visitor)) failures.push(`${name} (${path}): ${v}`);
  }

  forum.cli(['create-admin', '--username', 'axeadmin', '--email', 'axeadmin@example.test'], {
    PEERDESK_ADMIN_PASSWORD: PASSWORD,
  });
  const admin = await forum.logIn(browser, 'axeadmin', PASSWORD, { bypassCSP: true });
  const staffPages = {
    ask: '/questions/ask',
    'question (signed in)': question.url,
    dashboard: '/staff/kpis',
    'admin users': '/admin/users',
    'audit log': '/admin/audit',
    'profile (own)': '/users/axeadmin',
  };
  for (const [name, path] of Object.entries(staffPages)) {
    await admin.goto(`${forum.url}${path}`);
    for (const v of await violations(admin)) failures.push(`${name} (${path}): ${v}`);
  }
  assert.deepEqual(failures, []);
});

/** Presses Tab until the focused element matches `want` (its accessible name or label); fails
 *  if the page has no such stop. The focused element must show a visible focus ring. */
async function tabTo(page, want) {
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const label = (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent) || el.closest('label')?.textContent;
      const name = (el.getAttribute('aria-label') || label || el.textContent || el.value || '').trim();
      const style = getComputedStyle(el);
      return { name, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
    });
    if (focused && want.test(focused.name)) {
      assert.ok(focused.ring, `the focus on "${focused.name}" is visible`);
      return;
    }
  }
  assert.fail(`no keyboard stop matching ${want}`);
}

test('a question is asked, answered and accepted with the keyboard alone', async () => {
  const { forum, browser } = site;
  const asker = await forum.signUp(browser, 'keyasker');
  await asker.goto(forum.url);
  await tabTo(asker, /^Skip to content$/);
  await tabTo(asker, /^Ask a question$/);
  await asker.keyboard.press('Enter');
  await asker.waitForURL(/\/questions\/ask$/);

  await tabTo(asker, /^Title$/);
  await asker.keyboard.type('Keyboard shortcuts stop working in the editor');
  await tabTo(asker, /^Details$/);
  await asker.keyboard.type('After the last update, Ctrl+B and Ctrl+I do nothing in the editor.');
  await tabTo(asker, /^Category$/);
  await asker.keyboard.press('ArrowDown');
  await tabTo(asker, /^Tags$/);
  await asker.keyboard.type('editor shortcuts');
  await tabTo(asker, /^Post your question$/);
  await asker.keyboard.press('Enter');
  await asker.waitForURL(/\/questions\/\d+\//);
  const url = asker.url();
  assert.equal(await asker.getByRole('heading', { level: 1 }).innerText(), 'Keyboard shortcuts stop working in the editor');

  const helper = await forum.signUp(browser, 'keyhelper');
  await helper.goto(url);
  await tabTo(helper, /^Your answer$/);
  await helper.keyboard.type('Open Settings, Keyboard, and switch "Editor shortcuts" back on: the update reset it.');
  await tabTo(helper, /^Post your answer$/);
  await helper.keyboard.press('Enter');
  await helper.locator('article.answer', { hasText: 'Editor shortcuts' }).waitFor();

  await asker.reload();
  await tabTo(asker, /^Accept this answer$/);
  await asker.keyboard.press('Enter');
  await asker.locator('article.answer.accepted', { hasText: 'Editor shortcuts' }).waitFor();
  // The survey that follows is answerable by keyboard too: radio groups move with the arrows.
  await tabTo(asker, /^Yes$/);
  await asker.keyboard.press('Space');
  await tabTo(asker, /^0$/);
  await asker.keyboard.press('ArrowRight');
  await tabTo(asker, /^Send$/);
  await asker.keyboard.press('Enter');
  await asker.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
});
