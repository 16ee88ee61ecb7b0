// SPDX-License-Identifier: BSD-2-Clause
// The page reaches every entry: a file too small for the top view is found by
// zooming (through the "N more" aggregate and down the directories, by clicks
// and by ?zoom=); what is on screen adds up to its parent; treeitems carry
// "name, size" and Enter on one zooms.
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { makeTree, scanPage, ready, items, item, human, param, settled } from './viewlib.mjs';

const files = {};
for (let i = 0; i < 40; i++) files[`big/b${String(i).padStart(2, '0')}.bin`] = 30_000_000 + i * 1000;
files['small1.txt'] = 100;
files['small2.txt'] = 200;
for (let i = 0; i < 3000; i++) files[`tiny/t${String(i).padStart(4, '0')}.txt`] = 10 + (i % 7);
files['tiny/deep/er/needle.txt'] = 12345;
const root = makeTree(files);
const html = scanPage(root, ['-b']);

const t = suite('view_zoom');

t.test('a tiny file the top view cannot show is reached by clicks through the aggregate', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    let its = await items(page);
    assert(!its.some((i) => i.label.startsWith('needle.txt,')), 'needle.txt is not drawn at the top');
    assert(!its.some((i) => i.label.startsWith('tiny,')), 'tiny is too narrow to draw at the top');
    const agg = its.find((i) => /^\d[\d,]* more, /.test(i.label) && i.level === 3);
    assert(agg, 'an aggregate frame stands for the narrow children: ' + its.map((i) => i.label).join(' | '));
    await (await item(page, agg.label)).click();
    its = await items(page);
    const tiny = its.find((i) => i.label.startsWith('tiny, '));
    assert(tiny, 'zooming into the aggregate shows tiny: ' + its.map((i) => i.label).join(' | '));
    await (await item(page, tiny.label)).click();
    // the deep directory is narrow among 3000 files: reach it again via its aggregate or directly
    for (let step = 0; step < 6; step++) {
        its = await items(page);
        const hit = its.find((i) => i.label === `needle.txt, ${human(12345)}`);
        if (hit) break;
        const next = its.find((i) => i.label.startsWith('deep, ')) || its.find((i) => i.label.startsWith('er, '));
        const more = its.filter((i) => /^\d[\d,]* more, /.test(i.label)).sort((a, b) => b.level - a.level)[0];
        await (await item(page, (next || more).label)).click();
    }
    its = await items(page);
    assert(its.some((i) => i.label === `needle.txt, ${human(12345)}`), 'needle.txt drawn: ' + its.map((i) => i.label).join(' | '));
    await (await item(page, `needle.txt, ${human(12345)}`)).click();
    await settled(page);
    const url = new URL(page.url());
    eq(url.searchParams.get('zoom'), `${root}/tiny/deep/er/needle.txt`, 'the URL holds the zoom as a path');
    assert(/needle\.txt\n12\.1 KiB \(12,345 bytes\)/.test(await page.textContent('#dv-details')), 'details of the file');
    noProblems(p);
    await page.close();
});

t.test('?zoom= opens zoomed; Enter on a treeitem zooms; frames add up to their parent', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html, '?zoom=' + encodeURIComponent(`${root}/tiny/deep`)));
    await ready(page);
    let its = await items(page);
    assert(its.some((i) => i.label === `er, ${human(12345 + 4096)}`), 'er drawn: ' + its.map((i) => i.label).join(' | '));
    assert(its.some((i) => i.label.startsWith('needle.txt, ')), 'needle.txt drawn');
    const er = await item(page, `er, ${human(12345 + 4096)}`);
    await er.focus();
    await page.keyboard.press('Enter');
    eq(await param(page, 'zoom'), `${root}/tiny/deep/er`, 'Enter zoomed');

    await page.goto(fileUrl(html));
    await ready(page);
    await (await item(page, (await items(page)).find((i) => i.label.startsWith('big, ')).label)).click();
    const fs = await page.evaluate(() => window.duflameView.frames());
    const byParent = new Map();
    for (const f of fs) if (f.type !== 1 && f.parentNode >= 0) {
        if (!byParent.has(f.parentNode)) byParent.set(f.parentNode, []);
        byParent.get(f.parentNode).push(f);
    }
    let checked = 0;
    for (const f of fs) {
        if (f.type !== 0 || !byParent.has(f.node)) continue;
        const kids = byParent.get(f.node);
        const sum = kids.reduce((a, k) => a + k.size, 0);
        eq(sum + f.own, f.size, `children plus own part of ${f.path}`);
        const wsum = kids.reduce((a, k) => a + k.w, 0);
        const ownW = f.own / f.size * f.w;
        assert(Math.abs(wsum + ownW - f.w) < 0.01, `widths under ${f.path}: ${wsum} + ${ownW} vs ${f.w}`);
        checked++;
    }
    assert(checked >= 1, 'some frame had children drawn');
    noProblems(p);
    await page.close();
});

t.test('--max-entries merges the smallest subtrees into aggregates that keep the totals', async (browser) => {
    const small = scanPage(root, ['-b', '--max-entries', '100']);
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(small));
    await ready(page);
    const note = await page.evaluate(() => document.getElementById('dv-note') && document.getElementById('dv-note').textContent);
    assert(note && /merged/.test(note), 'the page says entries were merged: ' + note);
    const n = await page.evaluate(() => window.duflameView.N);
    assert(n <= 100, `at most 100 records embedded, got ${n}`);
    const full = await openPage(browser);
    await full.page.goto(fileUrl(html));
    await ready(full.page);
    for (const m of ['disk', 'apparent', 'entries']) {
        const a = await page.evaluate((k) => { window.duflameView.setMetric(k); return window.duflameView.total(); }, m);
        const b = await full.page.evaluate((k) => { window.duflameView.setMetric(k); return window.duflameView.total(); }, m);
        eq(a, b, `${m} total kept by the merged page`);
    }
    noProblems(p);
    noProblems(full);
});

t.run();
