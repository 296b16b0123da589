// Accounts in a real browser: signing up and confirming the email from the mail actually sent,
// logging in, the idle timeout, and a form posted with a token from an ended session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkIn, profileLink, PASSWORD, withForum } from '../harness.mjs';

const site = withForum();
// This forum ends sessions after 6 s of inactivity; the other keeps the default.
const idle = withForum({ env: { PEERDESK_SESSION_IDLE_SECONDS: '6' } });

test('sign up, confirm the email from the link sent, log out and log in again', async () => {
  const page = await site.forum.signUp(site.browser, 'newcomer');
  const bar = page.getByRole('status').filter({ hasText: 'Please confirm your email address' });
  await bar.waitFor();

  const mail = await site.forum.mailTo('newcomer@example.test');
  assert.match(mail, /Hello newcomer/);
  await page.goto(linkIn(mail, '/verify-email'));
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
  await page.goto(site.forum.url);
  assert.equal(await bar.count(), 0, 'the reminder is gone once the address is confirmed');

  // The same link a second time is refused with a clear page, not a crash.
  const again = await page.goto(linkIn(mail, '/verify-email'));
  assert.equal(again.status(), 400);
  await page.getByRole('heading', { name: 'Link not valid' }).waitFor();

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('status').filter({ hasText: 'You are logged out.' }).waitFor();
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Username or email').fill('newcomer@example.test');
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login', 'a wrong password stays on the form');

  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.equal(await profileLink(page).innerText(), 'newcomer');
});

test('an unattended screen is logged out after the idle timeout', async () => {
  const page = await idle.forum.signUp(idle.browser, 'idler');
  await page.goto(`${idle.forum.url}/settings`);
  await page.getByRole('heading', { name: /settings/i }).first().waitFor();
  // Nobody touches the page: the page's own timer sends it to the login screen, and the server
  // has ended the session by then.
  await page.waitForURL((u) => u.pathname === '/login', { timeout: 20000 });
  assert.equal(new URL(page.url()).searchParams.get('next'), '/settings');
  await page.getByRole('link', { name: 'Log in' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
  await page.getByText(/logged out after 6 seconds without activity/).waitFor();
  const res = await page.goto(`${idle.forum.url}/settings`);
  assert.equal(new URL(res.url()).pathname, '/login', 'the settings need a new login');
});

test('a form sent with the token of an ended session gets the 403 page', async () => {
  const page = await site.forum.signUp(site.browser, 'staleform');
  await page.goto(`${site.forum.url}/questions/ask`);
  const stale = await page.locator('input[name=csrf_token]').first().inputValue();

  // Another tab logs out and back in: the first tab's form now carries a dead token.
  const other = await page.context().newPage();
  await other.goto(site.forum.url);
  await other.getByRole('button', { name: 'Log out' }).click();
  await other.goto(`${site.forum.url}/login`);
  await other.getByLabel('Username or email').fill('staleform');
  await other.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await other.getByRole('button', { name: 'Log in' }).click();
  await profileLink(other).waitFor();

  await page.getByLabel('Title').fill('Printing invoices from the archive fails');
  await page.getByLabel('Details').fill('The archive page shows an error when I print an old invoice.');
  await page.getByLabel('Category').selectOption({ index: 1 });
  await page.getByLabel('Tags').fill('billing');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  assert.equal(response.status(), 403);
  await page.getByRole('heading', { name: 'Form expired' }).waitFor();
  assert.notEqual(await other.locator('input[name=csrf_token]').first().inputValue(), stale);
  const list = await page.goto(`${site.forum.url}/search?q=archive+invoice`);
  assert.equal(list.status(), 200);
  assert.equal(await page.locator('.q-list .q-row').count(), 0, 'nothing was posted');
});
