// SPDX-License-Identifier: BSD-2-Clause
// Search in the page: a regular expression over every embedded entry's full
// path (as typed, with "/"); the matched share of the current metric equals
// the sum the folded output gives for the same expression (nested matches
// counted once), whole and zoomed, from ?s= and from the search box.
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { makeTree, scanPage, folded, ready, expectedShare, param } from './viewlib.mjs';

const files = {};
for (let i = 0; i < 400; i++) files[`src/m${i % 9}/f${i}.${['c', 'h', 'txt', 'log'][i % 4]}`] = 100 + i * 37;
for (let i = 0; i < 50; i++) files[`docs/d${i % 3}/page${i}.html`] = 5000 + i;
files['docs/c/notes.c'] = 777;
files['src/m2/naïve-€.c'] = 4321; // multi-byte names before others in the index
files['src/m2/zz-after.log'] = 999;
const root = makeTree(files);
const html = scanPage(root, ['-b']);
const fold = folded(root, ['-b']);

const t = suite('view_search');

const CASES = ['€', 'after\\.log$', '\\.c$', '/m[0-3]/', 'docs/c', 'page1', '^' + root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/src$', 'no-such-thing'];

t.test('the matched share equals the folded sum for the same expression', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    for (const re of CASES) {
        const got = await page.evaluate((s) => window.duflameView.search(s), re);
        const want = expectedShare(fold, new RegExp(re));
        assert(got.startsWith(`Matched: ${want} `), `search ${re}: got ${got}, want ${want}`);
    }
    // zoomed: the share of the view
    await page.evaluate((z) => window.duflameView.zoomTo(z), `${root}/src`);
    for (const re of ['\\.h$', 'm1', 'src']) {
        const got = await page.evaluate((s) => window.duflameView.search(s), re);
        const want = expectedShare(fold, new RegExp(re), `${root}/src`);
        assert(got.startsWith(`Matched: ${want} `), `zoomed search ${re}: got ${got}, want ${want}`);
    }
    noProblems(p);
    await page.close();
});

t.test('?s= opens searched; the box searches; matches are marked; a bad expression says so', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html, '?s=' + encodeURIComponent('\\.log$')));
    await ready(page);
    const want = expectedShare(fold, /\.log$/);
    assert((await page.textContent('#dv-matched')).startsWith(`Matched: ${want}`), 'share from ?s=');
    eq(await page.inputValue('#dv-search'), '\\.log$', 'the box shows the expression');
    await page.keyboard.press('/');
    eq(await page.evaluate(() => document.activeElement.id), 'dv-search', '/ focuses the search box');
    await page.fill('#dv-search', 'page4');
    await page.press('#dv-search', 'Enter');
    assert((await page.textContent('#dv-matched')).startsWith(`Matched: ${expectedShare(fold, /page4/)}`), 'share from the box');
    eq(await param(page, 's'), 'page4', 'the URL holds the search');
    await page.fill('#dv-search', '([');
    await page.press('#dv-search', 'Enter');
    eq(await page.textContent('#dv-matched'), 'Invalid regular expression', 'bad expression');
    noProblems(p);
    await page.close();
});

t.run();
