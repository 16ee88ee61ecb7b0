// SPDX-License-Identifier: BSD-2-Clause
// The rest of the page's promises: ?zoom= with several PATHs (each a child of
// the root) and inside an archive (the archive's path, then the member's);
// breadcrumbs zoom back up; the width follows the window; the largest files
// below the zoom are links that zoom there; the hover text has the full
// path, the size in human units and bytes, the shares of the total and of
// the parent, and the entries below.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { makeTree, scanPage, ready, items, item, param, du } from './viewlib.mjs';

const one = makeTree({ 'docs/a.txt': 4000, 'docs/deep/b.txt': 6000, 'c.bin': 1000 });
const two = makeTree({ 'src/x.c': 3000, 'src/y.c': 500 });
const arcDir = makeTree({ 'in/sub/m1.txt': 700, 'in/sub/m2.txt': 300, 'in/top.txt': 100 });
const tar = join(arcDir, '..', 'members.tar');
execFileSync('tar', ['-cf', tar, '-C', arcDir, 'in']);
const several = scanPage([one, two], ['-b']);
const archive = scanPage([tar], ['-b']);

const t = suite('view_explore');

t.test('?zoom= names a PATH of several, and a member inside an archive', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(several, '?zoom=' + encodeURIComponent(`${two}/src`)));
    await ready(page);
    eq(await page.evaluate(() => window.duflameView.frames().find((f) => f.type === 0 && f.d === 2).path), `${two}/src`, 'zoomed into the second PATH');
    assert((await items(page)).some((i) => i.label.startsWith('x.c, ')), 'x.c drawn');
    const crumbs = await page.textContent('#dv-crumbs');
    assert(crumbs.includes(two) && crumbs.includes('src'), 'breadcrumbs: ' + crumbs);
    // a breadcrumb zooms back up to the PATH
    await page.locator('#dv-crumbs').getByRole('link', { name: two, exact: true }).click();
    eq(await param(page, 'zoom'), two, 'the breadcrumb zoomed to the PATH');
    await page.goto(fileUrl(archive, '?zoom=' + encodeURIComponent(`${tar}/in/sub`)));
    await ready(page);
    const labels = (await items(page)).map((i) => i.label);
    assert(labels.some((l) => l.startsWith('m1.txt, ')) && labels.some((l) => l.startsWith('m2.txt, ')), 'the member directory is zoomed: ' + labels.join(' | '));
    eq(await page.evaluate(() => window.duflameView.state().zoom > 0), true, 'zoomed');
    noProblems(p);
    await page.close();
});

t.test('the width follows the window', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(several));
    await ready(page);
    const rootW = async () => (await items(page)).find((i) => i.level === 1).w;
    const w0 = await rootW();
    await page.setViewportSize({ width: 700, height: 600 });
    await page.waitForFunction((w) => {
        const e = document.querySelector('[role=treeitem][aria-level="1"]');
        return e && parseFloat(e.style.width) < w - 100;
    }, w0, { timeout: 10000 });
    const w1 = await rootW();
    assert(w1 < w0 && w1 > 500, `root frame ${w0} px, then ${w1} px in a 700 px window`);
    noProblems(p);
    await page.close();
});

t.test('the largest files below the zoom link there; the hover text tells the truth', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(several));
    await ready(page);
    const links = await page.$$eval('#dv-largest li a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    eq(links[0][0], `${one}/docs/deep/b.txt`, 'the largest file first, by its full path');
    assert(links[0][1].includes('zoom=' + encodeURIComponent(`${one}/docs/deep/b.txt`).replace(/%2F/g, '/')), 'its link holds the zoom: ' + links[0][1]);
    eq(links.length, 5, 'every file of the picture listed (fewer than 20)');
    await page.click('#dv-largest li a >> nth=0');
    eq(await param(page, 'zoom'), `${one}/docs/deep/b.txt`, 'the link zoomed to the file');
    await page.goto(fileUrl(several, '?zoom=' + encodeURIComponent(`${one}/docs`)));
    await ready(page);
    const heading = await page.textContent('#dv-largest h2');
    assert(heading.includes(`${one}/docs`), 'the list is of the files below the zoom: ' + heading);
    eq(await page.$$eval('#dv-largest li', (l) => l.length), 2, 'two files below docs');
    const docs = (await items(page)).find((i) => i.label.startsWith('docs, '));
    await (await item(page, docs.label)).hover();
    const d = await page.textContent('#dv-details');
    assert(d.startsWith(`${one}/docs\n`), 'the full path: ' + d);
    const docsB = du(['-sb'], `${one}/docs`), parentB = du(['-sb'], one), total = parentB + du(['-sb'], two);
    assert(d.includes(`(${docsB.toLocaleString('en-US')} bytes)`), 'human units and bytes: ' + d);
    const pct = (a, b) => (100 * a / b).toFixed(2) + '%';
    assert(d.includes(`${pct(docsB, total)} of the total, ${pct(docsB, parentB)} of its parent`), 'shares of the total and the parent: ' + d);
    assert(/, 4 entries/.test(d), 'the entries below (docs, a.txt, deep, b.txt): ' + d);
    noProblems(p);
    await page.close();
});

t.run();
