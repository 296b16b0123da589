// Staff and admin work in a real site.browser, on the demo community: a role change and its audit
// entry, the KPI dashboard with a period switch and a CSV download, and the brand form refusing
// colours that fail WCAG AA contrast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { adminMenu, withForum } from '../harness.mjs';

const site = withForum({ demo: true });

test('an admin makes a member a moderator and the audit log shows it', async () => {
  const member = await site.forum.signUp(site.browser, 'promoted');
  const admin = await site.forum.admin(site.browser, 'rolesadmin');
  await adminMenu(admin, 'Manage users');
  await admin.getByLabel('Search users').fill('promoted');
  await admin.getByRole('button', { name: 'Search' }).click();
  await admin.getByRole('link', { name: 'promoted', exact: true }).first().click();
  await admin.waitForURL(/\/admin\/users\/\d+$/);
  const id = new URL(admin.url()).pathname.split('/').at(-1);
  await admin.getByLabel('Role').selectOption('moderator');
  await admin.getByRole('button', { name: 'Change role' }).click();
  await admin.getByRole('status').first().waitFor();
  assert.equal(await admin.getByLabel('Role').inputValue(), 'moderator');

  await adminMenu(admin, 'Audit log');
  await admin.getByLabel('Action').selectOption('user.role_change');
  await admin.getByRole('button', { name: 'Filter' }).click();
  const row = admin.locator('tbody tr', { hasText: 'user promoted' }).first();
  await row.waitFor();
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.equal(cells[1], 'rolesadmin');
  assert.equal(cells[2], 'user.role_change');
  assert.match(cells[4], /member/);
  assert.match(cells[5], /moderator/);
  // The target links to the member's admin page.
  await row.getByRole('link', { name: 'user promoted' }).click();
  await admin.waitForURL(new RegExp(`/admin/users/${id}$`));

  // The moderator's menu has only what moderators may do (suspensions, under Manage users); an
  // admin's menu works from the keyboard.
  await member.goto(site.forum.url);
  assert.deepEqual(await member.locator('.nav-menu-panel a').allTextContents(), ['Manage users']);
  const menu = admin.locator('details.nav-menu');
  await menu.locator('summary').focus();
  await admin.keyboard.press('Enter');
  assert.equal(await menu.evaluate((d) => d.open), true);
  await admin.keyboard.press('Escape');
  assert.equal(await menu.evaluate((d) => d.open), false, 'Escape closes it');

  // The member's own pages change with the role: a moderator sees the moderation tools.
  await member.goto(`${site.forum.url}/questions`);
  await member.locator('.q-list .q-row a').first().click();
  await member.getByRole('region', { name: 'Manage this question' }).waitFor();
});

test('staff open the KPI dashboard, switch the period and download a CSV', async () => {
  const admin = await site.forum.admin(site.browser, 'kpiadmin');
  await admin.getByRole('link', { name: 'Health', exact: true }).click();
  await admin.getByRole('heading', { name: 'Community health' }).waitFor();
  const asked = () =>
    admin.getByRole('row', { name: /^Questions asked/ }).getByRole('cell').first().innerText();
  const in30 = Number(await asked());
  assert.ok(in30 > 0, 'the demo community asked questions in the last 30 days');
  assert.ok((await admin.locator('figure.chart svg').count()) > 0, 'the trend is drawn');

  await admin.getByLabel('Period').selectOption('7');
  await admin.getByRole('button', { name: 'Show' }).click();
  await admin.waitForURL(/period=7/);
  const in7 = Number(await asked());
  assert.ok(in7 < in30, `7 days (${in7}) ask fewer than 30 (${in30})`);

  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.getByRole('table', { name: /Headline numbers/ }).getByRole('link', { name: 'CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^kpis-summary-.*\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const line = csv.split(/\r?\n/).find((l) => l.startsWith('questions_asked'));
  assert.ok(line, csv);
  assert.equal(Number(line.split(',')[1]), in7, 'the CSV has the 7-day numbers shown');
});

test('the brand form refuses a colour that fails contrast and keeps one that passes', async () => {
  const admin = await site.forum.admin(site.browser, 'brandadmin');
  await adminMenu(admin, 'Brand');
  const primary = admin.getByLabel(/Primary colour/);
  await primary.fill('#7fb3ff');
  const [refused] = await Promise.all([
    admin.waitForResponse((r) => r.request().method() === 'POST'),
    admin.getByRole('button', { name: 'Save' }).click(),
  ]);
  assert.equal(refused.status(), 422);
  assert.equal(await primary.getAttribute('aria-invalid'), 'true');
  const why = admin.locator(`#${await primary.getAttribute('aria-describedby').then((d) => d.split(' ').at(-1))}`);
  assert.match(await why.innerText(), /contrast/i);
  assert.match(await why.innerText(), /4\.5/);
  const header = () => admin.locator('header').first().evaluate((h) => getComputedStyle(h).backgroundColor);
  assert.notEqual(await header(), 'rgb(127, 179, 255)', 'the refused colour was not applied');

  await primary.fill('#1b4f9c');
  await admin.getByRole('button', { name: 'Save' }).click();
  await admin.getByRole('status').filter({ hasText: /saved/i }).waitFor();
  assert.equal(await header(), 'rgb(27, 79, 156)');
});
