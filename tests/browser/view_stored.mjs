// SPDX-License-Identifier: BSD-2-Clause
// The page's metric switch has stored bytes: an archive drawn with
// --metric=stored opens on them (the total is the archive's file size, an
// "(archive overhead)" frame included, a random file wider than a larger
// text); the switch goes to extracted sizes and back, and the heading says
// which metric is shown.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { work, scanPage, ready, items, param } from './viewlib.mjs';

const dir = join(work, 'stored');
mkdirSync(join(dir, 'd'), { recursive: true });
writeFileSync(join(dir, 'd', 'rand.bin'), randomBytes(300000));
writeFileSync(join(dir, 'd', 'text.txt'), 'the same line again\n'.repeat(40000));
const tgz = join(dir, 'a.tar.gz');
execFileSync('tar', ['-czf', tgz, '-C', dir, 'd']);
const size = statSync(tgz).size;
const html = scanPage(tgz, ['--metric=stored']);

const t = suite('view_stored');

t.test('an archive opens on stored bytes; the switch goes to extracted sizes and back', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    const checked = await page.evaluate(() => document.querySelector('#dv-metric input:checked').value);
    eq(checked, 'stored', 'the stored metric is selected');
    eq(await page.evaluate(() => window.duflameView.total()), size, 'the total is the file size');
    assert(/Stored size/.test(await page.textContent('h1')), 'the heading names stored size');
    let its = await items(page);
    assert(its.some((i) => i.label.startsWith('(archive overhead), ')), 'an overhead frame: ' + its.map((i) => i.label).join(' | '));
    const w = (name) => its.find((i) => i.label.startsWith(name + ', '));
    assert(w('rand.bin') && w('text.txt'), 'both files drawn');
    assert(w('rand.bin').w > 10 * w('text.txt').w, 'the random file is much wider than the text');

    await page.click('#dv-m-apparent');
    eq(await page.evaluate(() => window.duflameView.total()), 300000 + 800000, 'apparent: the extracted bytes');
    eq(await param(page, 'm'), 'apparent', 'the URL says the metric');
    its = await items(page);
    const o = its.find((i) => i.label.startsWith('(archive overhead), '));
    assert(!o || (o.w === 0 && o.label === '(archive overhead), 0 B'), 'the overhead has no extracted bytes: ' + (o && o.label));
    assert(w('text.txt').w > w('rand.bin').w, 'extracted, the text is the wider');
    await page.click('#dv-m-stored');
    eq(await page.evaluate(() => window.duflameView.total()), size, 'back to stored bytes');
    noProblems(p);
    await page.close();
});

t.run();
