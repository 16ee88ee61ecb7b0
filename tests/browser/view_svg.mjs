// SPDX-License-Identifier: BSD-2-Clause
// A scan's SVG: without scripts its static frames are today's top-level
// picture; with them, clicking a frame hands over to the page engine zoomed
// on that frame, which shows what --minwidth pruned, down to single files;
// ?zoom= opens the engine directly.
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { makeTree, work, ready, items, item, human, param } from './viewlib.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duflame } from './lib.mjs';

const files = {};
for (let i = 0; i < 20; i++) files[`big/b${i}.bin`] = 50_000_000;
for (let i = 0; i < 2000; i++) files[`many/m${String(i).padStart(4, '0')}.txt`] = 100;
files['many/needle.txt'] = 4321;
const root = makeTree(files);
const svg = join(work, 'scan.svg');
execFileSync(duflame(), ['-q', '-b', '-o', svg, root]);

const t = suite('view_svg');

t.test('the static frames prune what is narrow; a click explores everything below', async (browser) => {
    const raw = readFileSync(svg, 'utf8');
    assert(!raw.includes('<title>needle.txt ('), 'needle.txt is not a static frame');
    assert(raw.includes('<title>many ('), 'many is a static frame');
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(svg));
    const gs = page.locator('#frames > g');
    const n = await gs.count();
    let many = -1;
    for (let i = 0; i < n; i++) if ((await gs.nth(i).locator('title').textContent()).startsWith('many (')) many = i;
    assert(many >= 0, 'a frame for many');
    await gs.nth(many).locator('rect').click({ force: true });
    await ready(page);
    eq(await param(page, 'zoom'), `${root}/many`, 'explorer zoomed on many');
    const its = await items(page);
    assert(its.some((i) => i.label === `needle.txt, ${human(4321)}`), 'needle.txt drawn: ' + its.map((i) => i.label).slice(0, 20).join(' | '));
    noProblems(p);
    await page.close();
});

t.test('?zoom= opens the explorer; the totals are du\'s', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(svg, '?zoom=' + encodeURIComponent(`${root}/many`)));
    await ready(page);
    const its = await items(page);
    assert(its.some((i) => i.label.startsWith('many, ')), 'many drawn');
    const apparent = Number(execFileSync('du', ['-sb', root], { encoding: 'utf8' }).split('\t')[0]);
    eq(await page.evaluate(() => window.duflameView.total()), apparent, 'apparent total against du -sb');
    noProblems(p);
    await page.close();
});

t.run();
