// Hostile content in a real browser: questions, an answer, comments, a bio and display names made
// of the inputs in hostile-inputs.mjs are posted through the forms and shown on every page that
// shows them; the test proves no script ran (no dialog, no console marker, no request to the
// marker host, no window.__xss) and that no element in the page carries an event handler or a
// script URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, withForum } from '../harness.mjs';
import { HOSTILE, MARKER, MARKER_HOST } from '../hostile-inputs.mjs';

const site = withForum();

/** Watches every page of a browser context for any trace of a script that ran. */
function watch(context) {
  const traces = [];
  context.on('page', (page) => {
    page.on('dialog', (d) => {
      traces.push(`dialog: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on('console', (m) => {
      if (m.text().includes(MARKER)) traces.push(`console: ${m.text()}`);
    });
  });
  // A request *to* the marker host is a hit; our own server may be asked about the hostile text
  // (the similar-questions hint sends the typed title), which carries the host name as data.
  context.on('request', (r) => {
    let host = '';
    try {
      host = new URL(r.url()).hostname;
    } catch {
      host = r.url();
    }
    if (host.endsWith(MARKER_HOST)) traces.push(`request: ${r.url()}`);
  });
  return traces;
}

/** What in the rendered page could run a script: handlers, script URLs, foreign scripts, frames. */
function dangerIn(page) {
  return page.evaluate(() => {
    const found = [];
    const urlAttrs = /^(href|src|action|formaction|data|xlink:href|srcdoc|background|poster)$/i;
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) found.push(`<${el.localName} ${a.name}>`);
        if (urlAttrs.test(a.name) && /^\s*(javascript|vbscript|data:text\/html)/i.test(a.value.replace(/[\u0000-\u001f]/g, ''))) {
          found.push(`<${el.localName} ${a.name}="${a.value}">`);
        }
        if (a.name === 'style' && /url\(|expression/i.test(a.value)) found.push(`<${el.localName} style>`);
      }
    }
    for (const s of document.scripts) {
      if (!s.src.startsWith(`${location.origin}/assets/`)) found.push(`script ${s.src || s.textContent.slice(0, 40)}`);
    }
    for (const tag of ['iframe', 'frame', 'object', 'embed', 'base', 'link[rel=import]', 'body style', 'main style', 'meta[http-equiv]', 'form[action^="javascript"]']) {
      if (document.querySelector(tag)) found.push(tag);
    }
    if (window.__xss !== undefined) found.push('window.__xss');
    return found;
  });
}

/** Opens `url` and fails on anything dangerous in it or any trace so far. */
async function inspect(page, url, traces) {
  const res = await page.goto(url);
  assert.equal(res.status(), 200, url);
  // Late handlers (autofocus, media errors, animations) get their chance before we look.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  assert.deepEqual(await dangerIn(page), [], url);
  assert.deepEqual(traces, [], url);
}

/** Greedy chunks of the inputs joined by `sep`, each at most `max` characters. */
function chunks(max, sep, clean = (s) => s) {
  const out = [''];
  for (const raw of HOSTILE) {
    const h = clean(raw).slice(0, max);
    const next = out.at(-1) ? `${out.at(-1)}${sep}${h}` : h;
    if (next.length <= max) out[out.length - 1] = next;
    else out.push(h);
  }
  return out;
}

const oneLine = (s) => s.replace(/\s+/g, ' ');

/** Comments on the question at `url` through its form. */
async function comment(page, url, text) {
  await page.goto(url);
  const question = page.locator('article.question');
  await question.getByText('Add a comment').click();
  await question.getByLabel('Comment').fill(text);
  await question.getByRole('button', { name: 'Comment' }).click();
  await page.waitForURL(/\/questions\/\d+\//);
}

test(`${HOSTILE.length} hostile inputs in questions, an answer, comments, a bio and display names run nothing`, async () => {
  assert.ok(HOSTILE.length >= 50);
  const asker = await site.forum.signUp(site.browser, 'mallory');
  const traces = watch(asker.context());
  const page = await asker.context().newPage();
  const body = `\`\`\`\n<script>alert("shown as code")</script>\n\`\`\`\n\n${HOSTILE.join('\n\n')}`;

  // The live preview puts the server's rendering into the page while the body is typed.
  await page.goto(`${site.forum.url}/questions/ask`);
  await page.getByLabel('Details').fill(body);
  await page.locator('#preview code', { hasText: 'shown as code' }).waitFor();
  assert.deepEqual(await dangerIn(page), [], 'live preview');

  const questions = [];
  for (const [i, title] of chunks(150, ' ', oneLine).entries()) {
    const plain = `Hostile title number ${i}, body kept plain.`;
    questions.push(await ask(page, site.forum, { title: title.padEnd(15, '.'), body: i === 0 ? body : plain, tags: 'hostile' }));
  }
  const [first] = questions;
  for (const text of chunks(600, ' ', oneLine)) await comment(page, first, text);

  const helper = await site.forum.signUp(site.browser, 'trudy');
  const helperTraces = watch(helper.context());
  const answerPage = await helper.context().newPage();
  await answerPage.goto(first);
  await answerPage.getByRole('textbox', { name: 'Your answer' }).fill(body);
  await answerPage.getByRole('button', { name: 'Post your answer' }).click();
  await answerPage.locator('article.answer pre code', { hasText: 'shown as code' }).waitFor();

  for (const bio of chunks(3000, '\n\n')) {
    await page.goto(`${site.forum.url}/settings/profile`);
    await page.getByLabel('Bio (Markdown)').fill(bio);
    await page.getByRole('button', { name: /save/i }).click();
    await page.getByRole('status').first().waitFor();
    await inspect(page, `${site.forum.url}/users/mallory`, traces);
  }

  // Every input as a display name, seen where names are shown: a question's byline and comment
  // (a small question, so that the loop stays quick), the profile and the members directory.
  const small = await ask(page, site.forum, {
    title: 'Where do I see my display name shown?',
    body: 'A plain question, to show the display name beside it.',
    tags: 'hostile',
  });
  await comment(page, small, 'A plain comment under my name.');
  // The first name goes through the form as a person would; the rest post the same form from a
  // second tab (its own fields, token and session) to keep the loop quick.
  const form = await asker.context().newPage();
  await form.goto(`${site.forum.url}/settings/profile`);
  for (const [i, raw] of HOSTILE.entries()) {
    const name = oneLine(raw).trim().slice(0, 50);
    if (i === 0) {
      await page.goto(`${site.forum.url}/settings/profile`);
      await page.getByLabel('Display name').fill(name);
      await page.getByRole('button', { name: /save/i }).click();
      await page.getByRole('status').first().waitFor();
    } else {
      const status = await form.evaluate(async (name) => {
        const f = document.querySelector('form[action="/settings/profile"]');
        const data = new FormData(f);
        data.set('display_name', name);
        data.set('action', 'save');
        // (The form has a field named "action", which hides the form's own .action.)
        const r = await fetch(f.getAttribute('action'), { method: 'POST', body: new URLSearchParams(data) });
        return r.status;
      }, name);
      assert.equal(status, 200, name);
    }
    await inspect(page, small, traces);
    await inspect(page, `${site.forum.url}/users/mallory`, traces);
    // Shown as the text it is, not dropped.
    assert.equal((await page.locator('h1').first().innerText()).trim(), name.trim());
  }
  await inspect(page, `${site.forum.url}/users`, traces);

  // With the last name, the pages with everything on them.
  for (const url of questions) await inspect(page, url, traces);
  await inspect(page, site.forum.url, traces);
  await inspect(page, `${site.forum.url}/questions?sort=newest`, traces);
  await inspect(page, `${site.forum.url}/search?q=script+alert+onerror`, traces);
  assert.ok((await page.locator('.q-list mark').count()) > 0, 'search marks the words it found');
  await inspect(page, `${site.forum.url}/tags/hostile`, traces);
  await inspect(answerPage, first, helperTraces);

  // The content is shown, as text: the code block keeps its script tag visible.
  await page.goto(first);
  const code = await page.locator('article.question pre code').first().innerText();
  assert.match(code, /<script>alert\("shown as code"\)<\/script>/);
  assert.ok((await page.locator('article.question .prose').innerText()).includes('<textarea autofocus onfocus=alert(1)>'));
});
