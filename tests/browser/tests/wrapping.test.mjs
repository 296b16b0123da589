// Long words and URLs wrap everywhere: a member whose name, bio, website and location are single
// long tokens asks a question whose title, tags, body (a bare URL, a long word, a wide table, a
// code block) and comment are the same, and every page that shows them fits the screen at a
// phone's width and a desktop's, without scrolling sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, withForum } from '../harness.mjs';

const site = withForum();

const WORD = 'Supercalifragilistic'.repeat(6);
const URL_TOKEN = `https://downloads.example.com/firmware/${'a1b2c3d4e5'.repeat(12)}/release-notes.html?session=${'f'.repeat(60)}`;
const TAG = 'x'.repeat(35);

const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

/** The elements reaching past the viewport's right edge, outside boxes that scroll on purpose. */
function pastTheEdge(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el) => el.closest('pre, .table-wrap, .prose table, .visually-hidden');
    const past = [...document.body.querySelectorAll('*')]
      .filter((el) => !scrolls(el) && el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.localName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
    if (document.documentElement.scrollWidth > width + 1) past.push(`page ${document.documentElement.scrollWidth}`);
    return past.slice(0, 5);
  });
}

test('pages with hostile long tokens in every field never scroll sideways, on a phone or a desktop', async () => {
  const { forum, browser } = site;
  const page = await forum.signUp(browser, 'longtoken_member_name_30chars');
  await page.goto(`${forum.url}/settings/profile`);
  await page.getByLabel('Display name').fill(WORD.slice(0, 50));
  await page.getByLabel('Location').fill(WORD.slice(0, 60));
  await page.getByLabel('Website').fill(URL_TOKEN.slice(0, 200));
  await page.getByLabel('Bio (Markdown)').fill(`${WORD} ${URL_TOKEN}`);
  await page.getByRole('button', { name: /save/i }).click();
  await page.getByRole('status').first().waitFor();

  const table = `| ${WORD} | ${URL_TOKEN} |\n|---|---|\n| ${WORD} | ${WORD} |`;
  const body = `# ${WORD}\n\nSee ${URL_TOKEN} and ${WORD}.\n\n${table}\n\n\`\`\`\n${WORD}${WORD}\n\`\`\`\n\n\`${URL_TOKEN}\``;
  const question = await ask(page, forum, { title: WORD.slice(0, 150), body, tags: `${TAG} wrap-test` });
  const art = page.locator('article.question');
  await art.getByText('Add a comment').click();
  await art.getByLabel('Comment').fill(`${WORD} ${URL_TOKEN}`);
  await art.getByRole('button', { name: 'Comment' }).click();
  await page.waitForURL(/\/questions\/\d+\//);
  // The bare URL became a link (in the text and in the table).
  assert.equal(await page.locator(`article.question .prose a[href="${URL_TOKEN}"]`).count(), 2);

  const pages = [
    question,
    '/',
    '/questions?sort=newest',
    `/tags/${TAG}`,
    '/tags',
    `/search?q=${WORD.slice(0, 30)}`,
    '/users/longtoken_member_name_30chars',
    '/users',
  ];
  for (const viewport of SIZES) {
    const visitor = await (await browser.newContext({ viewport })).newPage();
    for (const path of pages) {
      const url = path.startsWith('http') ? path : `${forum.url}${path}`;
      const res = await visitor.goto(url);
      assert.equal(res.status(), 200, url);
      assert.deepEqual(await pastTheEdge(visitor), [], `${url} at ${viewport.width} px`);
    }
  }
});
