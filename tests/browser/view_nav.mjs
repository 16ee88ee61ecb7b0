// SPDX-License-Identifier: BSD-2-Clause
// Navigating the page: back and forward restore the zoom; the keyboard moves
// between frames, Enter zooms, Backspace and Escape go up; the metric switch
// shows the totals du gives (-sB1, -sb, --inodes) without a reload; sort and
// icicle switch in place and are kept in the URL.
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { makeTree, scanPage, ready, items, item, du, param, settled } from './viewlib.mjs';
import { writeFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';

const files = {};
for (let i = 0; i < 30; i++) files[`alpha/a${i}.bin`] = 200000 + i;
for (let i = 0; i < 10; i++) files[`beta/sub/b${i}.bin`] = 900000 + i;
files['gamma.txt'] = 50000;
const root = makeTree(files, { real: true });
writeFileSync(join(root, 'gap.dat'), ''); // a sparse file: disk usage differs from apparent size
truncateSync(join(root, 'gap.dat'), 3_000_000);
const html = scanPage(root);

const t = suite('view_nav');

t.test('back and forward restore the zoom', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    const beta = (await items(page)).find((i) => i.label.startsWith('beta, '));
    await (await item(page, beta.label)).click();
    await settled(page); // a pause: changes in quick succession make one history entry
    const sub = (await items(page)).find((i) => i.label.startsWith('sub, '));
    await (await item(page, sub.label)).click();
    eq(await param(page, 'zoom'), `${root}/beta/sub`, 'zoomed twice');
    await page.goBack();
    eq(await page.evaluate(() => window.duflameView.state().zoom > 0), true, 'still zoomed after one back');
    eq(await param(page, 'zoom'), `${root}/beta`, 'back: beta');
    assert((await page.textContent('#dv-crumbs')).includes('beta'), 'breadcrumbs name beta');
    await page.goBack();
    eq(await param(page, 'zoom'), null, 'back: the whole');
    eq(await page.evaluate(() => window.duflameView.state().zoom), 0, 'unzoomed');
    await page.goForward();
    eq(await page.evaluate(() => window.duflameView.state().zoom > 0), true, 'forward: zoomed again');
    assert((await items(page)).some((i) => i.label.startsWith('sub, ')), 'forward: sub drawn');
    noProblems(p);
    await page.close();
});

t.test('keyboard: arrows move, Enter zooms, Backspace and Escape go up', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    const alpha = (await items(page)).find((i) => i.label.startsWith('alpha, '));
    await (await item(page, alpha.label)).focus();
    await page.keyboard.press('ArrowRight');
    const right = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    assert(right && right !== alpha.label, 'ArrowRight moved the focus: ' + right);
    await page.keyboard.press('ArrowLeft');
    eq(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), alpha.label, 'ArrowLeft back');
    await page.keyboard.press('ArrowUp');
    const above = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    assert(/^a\d+\.bin, /.test(above), 'ArrowUp goes to a child (flame: children above): ' + above);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    eq(await param(page, 'zoom'), `${root}/alpha`, 'Enter zoomed alpha');
    await page.keyboard.press('Backspace');
    eq(await param(page, 'zoom'), root, 'Backspace went up');
    await page.evaluate((z) => window.duflameView.zoomTo(z), `${root}/beta/sub`);
    await page.keyboard.press('Escape');
    eq(await param(page, 'zoom'), `${root}/beta`, 'Escape went up');
    noProblems(p);
    await page.close();
});

t.test('the metric switch gives du totals; sort and icicle switch in place', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    const want = { disk: du(['-sB1'], root), apparent: du(['-sb'], root), entries: du(['-s', '--inodes'], root) };
    assert(want.disk !== want.apparent, 'the tree has disk usage different from apparent size');
    for (const [key, v] of Object.entries(want)) {
        await page.check(`#dv-m-${key}`);
        eq(await page.evaluate(() => window.duflameView.total()), v, `${key} total against du`);
        const h = await page.textContent('#dv-title');
        const num = v.toLocaleString('en-US');
        assert(h.includes(num), `heading shows ${num}: ${h}`);
        if (key !== 'disk') eq(await param(page, 'm'), key, 'metric in the URL');
    }
    await page.check('#dv-m-disk');
    await page.selectOption('#dv-sort', 'name');
    const names = (await items(page)).filter((i) => i.level === 3).map((i) => i.label.split(',')[0]);
    eq(names.join(' '), [...names].sort().join(' '), 'children by name');
    eq(await param(page, 'sort'), 'name', 'sort in the URL');
    const before = await items(page);
    await page.click('#dv-icicle');
    eq(await param(page, 'view'), 'icicle', 'icicle in the URL');
    const after = await items(page);
    const top = (its) => its.reduce((a, i) => (a.level === 1 ? a : i.level === 1 ? i : a));
    const rootTop = await page.evaluate(() => parseFloat(document.querySelector('[role=treeitem][aria-level="1"]').style.top));
    eq(rootTop, 0, 'icicle: the root row is at the top');
    assert(before.length === after.length, 'the same frames');
    await page.reload();
    await ready(page);
    eq(JSON.stringify(await page.evaluate(() => { const s = window.duflameView.state(); return [s.sort, s.icicle]; })), '["name",true]', 'state from the URL after reload');
    noProblems(p);
    await page.close();
});

t.run();
