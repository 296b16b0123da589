// A visitor browses the demo community, filters the list and searches, in a real site.browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withForum } from '../harness.mjs';

const site = withForum({ demo: true });

test('a visitor browses, filters and searches the demo community', async () => {
  const page = await site.browser.newPage();
  await page.goto(site.forum.url);
  const rows = page.locator('.q-list .q-row');
  assert.ok((await rows.count()) > 0, 'the home page lists questions');

  const first = rows.first().locator('a').first();
  const title = (await first.innerText()).trim();
  await first.click();
  await page.waitForURL(/\/questions\/\d+\//);
  assert.equal((await page.locator('h1').first().innerText()).trim(), title);

  await page.goto(`${site.forum.url}/questions?filter=unanswered`);
  const unanswered = await page.locator('.q-list .q-row').allInnerTexts();
  for (const row of unanswered) assert.doesNotMatch(row, /\b[1-9]\d* answers?\b/, row);

  const word = title.split(/\s+/).find((w) => w.length > 5).replace(/[^\p{L}\p{N}]/gu, '');
  await page.goto(site.forum.url);
  const box = page.getByRole('search').first().getByRole('textbox').first();
  await box.fill(word);
  await box.press('Enter');
  await page.waitForURL(/\/search\?/);
  assert.ok((await page.locator('.q-list .q-row').count()) > 0, `"${word}" finds questions`);
  assert.ok((await page.locator('.q-list mark').count()) > 0, 'the matching words are marked');
});
