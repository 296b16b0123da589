// The heart of the forum in a real site.browser, on the demo community: asking (live preview, the
// similar-questions hint), answering, commenting, accepting, the survey, reputation and badges;
// voting with and without JavaScript; editing and the revision history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, PASSWORD, withForum } from '../harness.mjs';

const site = withForum({ demo: true });

/** A demo member (not staff: ranks 3 and on) with enough reputation to vote, given a password
 *  for this test and logged in; `context` options (JavaScript off, say) go to their site.browser. */
async function demoVoter(rank, context = {}) {
  const res = await fetch(`${site.forum.url}/api/v1/leaderboard?period=all`);
  const { items } = await res.json();
  const who = items.filter((i) => i.value >= 15)[2 + rank]?.user;
  assert.ok(who, 'the demo has members who may vote');
  site.forum.cli(['set-password', '--username', who.username], { PEERDESK_PASSWORD: PASSWORD });
  return site.forum.logIn(site.browser, who.username, PASSWORD, context);
}

const BODY = 'Since the update the **export** button does nothing.\n\n- Chrome 120\n- Firefox 121';

test('ask with preview and hint, answer, comment, accept, survey, reputation and badge', async () => {
  const asker = await site.forum.signUp(site.browser, 'asker');
  await asker.goto(`${site.forum.url}/questions/ask`);

  // The hint: a title like an existing question's lists it while the title is typed.
  const existing = (await (await fetch(`${site.forum.url}/api/v1/questions?per_page=1`)).json()).items[0];
  await asker.getByLabel('Title').pressSequentially(existing.title.slice(0, 60), { delay: 5 });
  const hint = asker.locator('#similar-live a').first();
  await hint.waitFor();
  assert.ok((await asker.locator('#similar-live a').allInnerTexts()).some((t) => t.startsWith(existing.title)));

  // The live preview renders the Markdown as it is typed.
  await asker.getByLabel('Details').fill(BODY);
  await asker.locator('#preview strong', { hasText: 'export' }).waitFor();
  assert.equal(await asker.locator('#preview li').count(), 2);

  // The Preview button works the same without a script, keeping what was typed.
  const title = 'Export button does nothing since the update';
  await asker.getByLabel('Title').fill(title);
  await asker.getByLabel('Category').selectOption({ index: 1 });
  await asker.getByLabel('Tags').fill('export browser-tests');
  await asker.getByRole('button', { name: 'Preview' }).click();
  await asker.locator('#preview strong', { hasText: 'export' }).waitFor();
  assert.equal(await asker.getByLabel('Title').inputValue(), title);
  assert.equal(await asker.getByLabel('Details').inputValue(), BODY);
  await asker.getByRole('button', { name: 'Post your question' }).click();
  await asker.waitForURL(/\/questions\/\d+\//);
  const question = asker.url();
  assert.equal(await asker.getByRole('heading', { level: 1 }).innerText(), title);

  const helper = await site.forum.signUp(site.browser, 'helper');
  await helper.goto(question);
  await helper.getByRole('textbox', { name: 'Your answer' }).fill('Clear the site data for the domain, then sign in again: the old export script is cached.');
  await helper.getByRole('button', { name: 'Post your answer' }).click();
  const answer = helper.locator('article.answer', { hasText: 'Clear the site data' });
  await answer.waitFor();
  await answer.getByText('Add a comment').click();
  await answer.getByLabel('Comment').fill('In Firefox it is under Settings, Privacy.');
  await answer.getByRole('button', { name: 'Comment' }).click();
  await helper.locator('.comment', { hasText: 'under Settings, Privacy' }).waitFor();

  await asker.reload();
  const seen = asker.locator('article.answer', { hasText: 'Clear the site data' });
  await seen.locator('.comment', { hasText: 'under Settings, Privacy' }).waitFor();
  await seen.getByRole('button', { name: 'Accept this answer' }).click();
  await asker.locator('article.answer.accepted', { hasText: 'Clear the site data' }).waitFor();

  const survey = asker.getByRole('region', { name: 'Your question has an accepted answer' });
  await survey.getByRole('radio', { name: 'Yes' }).check();
  await survey.getByRole('radio', { name: '9', exact: true }).check();
  await survey.getByRole('button', { name: 'Send' }).click();
  await asker.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
  await survey.getByRole('button', { name: 'Change my answer' }).waitFor();

  await helper.goto(`${site.forum.url}/users/helper`);
  assert.equal(await helper.locator('.rep-big').innerText(), '16', '1 to start, 15 for the accepted answer');
  await helper.goto(`${site.forum.url}/users/helper?tab=badges`);
  await helper.locator('.badge-list').getByRole('link', { name: 'Solved' }).waitFor();
  await helper.locator('.badge-list').getByRole('link', { name: 'First Answer' }).waitFor();
});

test('voting with JavaScript updates in place; without it the form posts and comes back', async () => {
  const author = await site.forum.signUp(site.browser, 'votee');
  const question = await ask(author, site.forum, {
    title: 'Dark mode resets after every restart',
    body: 'I switch on dark mode, restart the app, and it is light again.',
  });

  const voter = await demoVoter(0);
  await voter.goto(question);
  const box = voter.locator('article.question [data-vote-box]');
  const up = box.getByRole('button', { name: 'vote up' });
  let navigated = false;
  voter.on('framenavigated', () => (navigated = true));
  await up.click();
  await box.locator('.score-value', { hasText: '1' }).waitFor();
  await box.locator('button.vote.up[aria-pressed=true]').waitFor();
  assert.equal(navigated, false, 'the page did not reload');
  await voter.reload();
  assert.equal(await box.locator('.score-value').innerText(), '1', 'the vote was kept');

  const plain = await demoVoter(1, { javaScriptEnabled: false });
  await plain.goto(question);
  const plainBox = plain.locator('article.question [data-vote-box]');
  await Promise.all([plain.waitForNavigation(), plainBox.getByRole('button', { name: 'vote up' }).click()]);
  assert.equal(await plainBox.locator('.score-value').innerText(), '2');
  assert.equal(await plainBox.locator('button.vote.up').getAttribute('aria-pressed'), 'true');

  // Taking a vote back, again without a script.
  await Promise.all([plain.waitForNavigation(), plainBox.getByRole('button', { name: 'vote up' }).click()]);
  assert.equal(await plainBox.locator('.score-value').innerText(), '1');

  // A new member may not vote yet: the arrow explains why instead of posting.
  const newcomer = await site.forum.signUp(site.browser, 'novice');
  await newcomer.goto(question);
  const locked = newcomer.locator('article.question a.vote.up.locked');
  assert.match(await locked.getAttribute('title'), /reputation/i);
});

test('editing a question keeps its history on the revisions page', async () => {
  const author = await site.forum.signUp(site.browser, 'editor');
  const question = await ask(author, site.forum, {
    title: 'Invoices show the wrong currency symbol',
    body: 'My invoices show dollars although my account is in euros.',
  });
  await author.getByRole('link', { name: 'edit', exact: true }).first().click();
  await author.waitForURL(/\/edit$/);
  await author.getByLabel('Title').fill('Invoices show the dollar sign for euro accounts');
  await author.getByLabel('Details (Markdown)').fill('My invoices show dollars although my account is in euros.\n\nIt started with the March invoice.');
  await author.getByLabel('Edit summary (optional)').fill('added when it started');
  await author.getByRole('button', { name: /save/i }).click();
  await author.waitForURL(/\/questions\/\d+\//);
  assert.equal(await author.getByRole('heading', { level: 1 }).innerText(), 'Invoices show the dollar sign for euro accounts');
  await author.getByText('It started with the March invoice.').waitFor();

  const id = new URL(question).pathname.split('/')[2];
  await author.goto(`${site.forum.url}/questions/${id}/revisions`);
  await author.getByRole('heading', { name: /Revision 2/ }).waitFor();
  await author.getByRole('heading', { name: /Revision 1/ }).waitFor();
  const latest = author.locator('section.revision', { has: author.getByRole('heading', { name: /Revision 2/ }) });
  await latest.getByText('added when it started').waitFor();
  assert.equal(await latest.locator('del').first().innerText(), 'Invoices show the wrong currency symbol');
  await latest.locator('.diff-ins', { hasText: 'It started with the March invoice.' }).waitFor();
});
