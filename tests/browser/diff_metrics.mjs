// SPDX-License-Identifier: BSD-2-Clause
// duflame diff of two scans in the page engine: the metric switch (disk
// usage, apparent size, entries) redraws without reloading, and in each
// metric the totals of BEFORE and AFTER are du's (du -sB1, du -sb,
// du -s --inodes) of each side; the ranking follows the metric. The
// aggregate frames ("N more") are drawn as stayed / grew / went away like
// any other frame, measured on the canvas's pixels, and their hover gives
// before and after.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync, writeFileSync, truncateSync } from 'node:fs';
import { suite, duflame, openPage, fileUrl, assert, eq, near, noProblems } from './lib.mjs';
import { work, ready, items, item, du } from './viewlib.mjs';

// real bytes (disk usage close to the size) and sparse files (disk usage
// far below it), so the three metrics rank the paths differently
function tree(name, files) {
    const root = join(work, name);
    for (const [rel, spec] of Object.entries(files)) {
        const p = join(root, rel);
        mkdirSync(join(p, '..'), { recursive: true });
        if (spec.sparse) {
            writeFileSync(p, '');
            truncateSync(p, spec.sparse);
        } else {
            writeFileSync(p, Buffer.alloc(spec, 7));
        }
    }
    return root;
}
const MiB = 1 << 20;
const many = (n, from, size) => Object.fromEntries([...Array(n)].map((_, i) => [`many/f${String(from + i).padStart(3, '0')}`, size]));
const B = tree('before', {
    'gone/a.bin': 3 * MiB,
    'src/main.c': 10000,
    'vm/disk.img': { sparse: 64 * MiB },
    ...many(200, 0, 1000),
});
const A = tree('after', {
    'src/main.c': 50000,
    'src/util.c': 7000,
    'vm/disk.img': { sparse: 16 * MiB },
    'lib/new.so': 2 * MiB,
    // f000..f099 went away, f100..f199 doubled, f200..f349 are new
    ...many(100, 100, 2000),
    ...many(150, 200, 1000),
});

const html = join(work, 'metrics.html');
execFileSync(duflame(), ['diff', '-q', '-o', html, B, A]);
const want = {
    disk: [du(['-sB1'], B), du(['-sB1'], A)],
    apparent: [du(['-sb'], B), du(['-sb'], A)],
    entries: [du(['-s', '--inodes'], B), du(['-s', '--inodes'], A)],
};

const t = suite('diff_metrics');

async function open(browser, file, query = '') {
    const p = await openPage(browser);
    await p.page.goto(fileUrl(file, query));
    await ready(p.page);
    return p;
}

async function legendTotals(page) {
    return page.evaluate(() => {
        const e = document.getElementById('dv-d-totals');
        return [Number(e.getAttribute('data-before')), Number(e.getAttribute('data-after')), e.getAttribute('data-metric'), e.textContent];
    });
}

t.test('the metric switch: disk, apparent and entries totals are du\'s of each side, without reloading', async (browser) => {
    const p = await open(browser, html);
    const page = p.page;
    eq(await page.evaluate(() => window.duflameView.state().metric), 2, 'opens on disk usage, both sides');
    assert(await page.isChecked('#dv-q-disk'), 'disk usage checked');
    assert(await page.isChecked('#dv-m-both'), 'both sides checked');
    await page.evaluate(() => { window.notReloaded = true; });
    const keys = ['disk', 'apparent', 'entries'];
    const firstRows = {};
    for (const [q, key] of keys.entries()) {
        await page.click('#dv-q-' + key);
        eq(await page.evaluate(() => window.notReloaded), true, key + ': the page was not reloaded');
        eq(await page.evaluate(() => window.duflameView.state().metric), 3 * q + 2, key + ': both sides of ' + key);
        const [b, a, m] = await legendTotals(page);
        eq(m, key, key + ': the legend says which metric');
        eq(b, want[key][0], `${key}: the legend's BEFORE total is du's of BEFORE`);
        eq(a, want[key][1], `${key}: the legend's AFTER total is du's of AFTER`);
        eq(await page.evaluate((i) => window.duflameView.total(i), 3 * q), want[key][0], key + ': BEFORE total');
        eq(await page.evaluate((i) => window.duflameView.total(i), 3 * q + 1), want[key][1], key + ': AFTER total');
        // the sides of this metric
        await page.click('#dv-m-before');
        eq(await page.evaluate(() => window.duflameView.total()), want[key][0], key + ': BEFORE drawn');
        await page.click('#dv-m-after');
        eq(await page.evaluate(() => window.duflameView.total()), want[key][1], key + ': AFTER drawn');
        await page.click('#dv-m-both');
        assert(await page.isChecked('#dv-q-' + key), key + ': stays checked when the side changes');
        firstRows[key] = await page.evaluate(() => document.querySelector('#dv-ranking tr:nth-child(2) td').textContent);
    }
    // the ranking follows the metric: disk usage and apparent size put the
    // sparse image at different places; entries put many/ first
    eq(firstRows.apparent, 'vm/disk.img', 'apparent size: the sparse image shrank most');
    eq(firstRows.disk, 'gone/', 'disk usage: gone/ shrank most');
    eq(firstRows.entries, 'many/', 'entries: many/ changed most');
    // the URL keeps metric and side; a reload restores them
    await page.click('#dv-q-apparent');
    await page.click('#dv-m-before');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('m') === 'apparent-before', null, { timeout: 10000 });
    await page.reload();
    await ready(page);
    eq(await page.evaluate(() => window.duflameView.state().metric), 3, 'reload: apparent size, BEFORE');
    assert(await page.isChecked('#dv-q-apparent') && await page.isChecked('#dv-m-before'), 'reload: the switches say so');
    eq((await legendTotals(page))[0], want.apparent[0], 'reload: the legend in apparent size');
    const img = (await items(page)).find((i) => i.label.startsWith('vm, '));
    eq(img && img.label, 'vm, 64.0 MiB \u2192 16.0 MiB', 'aria-label in apparent size');
    noProblems(p);
    await page.close();
});

t.test('aggregate frames are split into stayed, grew and went away; their hover gives before and after', async (browser) => {
    const p = await open(browser, html, '?m=apparent');
    const page = p.page;
    await page.setViewportSize({ width: 400, height: 800 });
    await page.waitForTimeout(300);
    // zoom to many/: its 350 children are each under 2 px, drawn as one aggregate
    await page.evaluate((path) => window.duflameView.zoomTo(path), A + '/many');
    const agg = (await items(page)).find((i) => / more, /.test(i.label));
    assert(agg, 'an aggregate frame: ' + (await items(page)).map((i) => i.label).join(' | '));
    eq(agg.label, '350 more, 195.3 KiB \u2192 341.8 KiB', 'aria-label: count, before \u2192 after');
    const segs = await page.evaluate((k) => window.duflameView.diffSegs(k), agg.k);
    eq(segs.map((s) => s.kind).join(), 'stay,grew,gone', 'three parts');
    // stayed 100 x 1000, grew 100 x 1000 + 150 x 1000, went away 100 x 1000
    near(segs[0].w / agg.w, 100000 / 450000, 'stayed', 0.002);
    near(segs[1].w / agg.w, 250000 / 450000, 'grew', 0.002);
    near(segs[2].w / agg.w, 100000 / 450000, 'went away', 0.002);
    // the pixels: the parts' colours, not the grey of a plain aggregate
    const px = await page.evaluate((k) => {
        const cv = document.getElementById('dv-canvas'), ctx = cv.getContext('2d');
        const dpr = cv.width / cv.clientWidth;
        const e = document.querySelector(`[role="treeitem"][data-k="${k}"]`), top = parseFloat(e.style.top);
        const at = (x) => [...ctx.getImageData(Math.round(x * dpr), Math.round((top + 1) * dpr), 1, 1).data].slice(0, 3);
        const cs = getComputedStyle(document.documentElement), rgb = (v) => {
            const c = document.createElement('canvas').getContext('2d');
            c.fillStyle = cs.getPropertyValue(v).trim();
            c.fillRect(0, 0, 1, 1);
            return [...c.getImageData(0, 0, 1, 1).data].slice(0, 3);
        };
        const s = window.duflameView.diffSegs(k);
        return { stay: at(s[0].x + 2), grew: at(s[1].x + 2), gone: at(s[2].x + s[2].w / 2), want: { stay: rgb('--d-stay'), grew: rgb('--d-grew'), agg: rgb('--agg') } };
    }, agg.k);
    eq(px.stay.join(), px.want.stay.join(), 'stayed part painted in the stayed colour');
    eq(px.grew.join(), px.want.grew.join(), 'grew part painted red');
    assert(px.gone.join() !== px.want.agg.join() && px.gone.join() !== px.want.stay.join(), 'went-away part hatched blue, not grey: ' + px.gone);
    await (await item(page, agg.label)).hover();
    const det = await page.textContent('#dv-details');
    assert(det.includes('350 more in '), 'hover names the aggregate: ' + det);
    assert(det.includes('before 195.3 KiB \u2192 after 341.8 KiB, +146.5 KiB (+75.0%)'), 'hover: before and after: ' + det);
    assert(det.includes('stayed 97.7 KiB, grew 244.1 KiB, went away 97.7 KiB'), 'hover: the parts: ' + det);
    noProblems(p);
    await page.close();
});

await t.run();
