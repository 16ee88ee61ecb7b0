// SPDX-License-Identifier: BSD-2-Clause
// duflame diff in the page engine (the HTML page, and the SVG, which a
// browser opens in the engine at once): a directory deleted between the two
// sides is found by its area and its hover text; the BEFORE / AFTER / both
// switch; the legend's totals and the ranking table against the text output;
// labels keep a contrast of 4.5:1 on every fill, measured on the canvas's
// pixels, light and dark; ?zoom=PATH, the keyboard and search as in a scan;
// two profiles give samples gained and lost.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { suite, duflame, openPage, fileUrl, assert, eq, near, noProblems } from './lib.mjs';
import { makeTree, work, ready, items, item } from './viewlib.mjs';

const MiB = 1 << 20;
const B = makeTree({ 'gone/a.bin': 2 * MiB, 'gone/sub/b.bin': MiB, 'src/main.c': 10000, 'src/same.h': 3000, shrinks: 90000 });
const A = makeTree({ 'src/main.c': 50000, 'src/same.h': 3000, 'lib/new.so': 500000, shrinks: 100 });
const run = (args) => execFileSync(duflame(), ['diff', '--apparent-size', ...args, B, A], { encoding: 'utf8' });
const html = join(work, 'd.html'), svg = join(work, 'd.svg');
run(['-o', html]);
run(['-o', svg]);
const textOut = run(['-f', 'text']);
// own sizes per path below AFTER's root: [before, after]
const own = new Map();
for (const line of run(['-f', 'folded']).trim().split('\n')) {
    const m = /^(.*) (\d+) (\d+)$/.exec(line);
    own.set(m[1].split(';').slice(1).join('/'), [Number(m[2]), Number(m[3])]);
}
const sumOwn = (pred, f) => [...own].filter(([p]) => pred(p)).reduce((s, [, v]) => s + f(v), 0);
const bothTotal = sumOwn(() => true, ([b, a]) => Math.max(b, a));
const goneBefore = sumOwn((p) => p === 'gone' || p.startsWith('gone/'), ([b]) => b);

const t = suite('diff_view');

// the page writes the URL a moment after a change (it is debounced)
async function urlParam(page, key, want) {
    await page.waitForFunction(([k, w]) => {
        const v = new URLSearchParams(location.search).get(k);
        return w === null ? v === null : v !== null && v.endsWith(w);
    }, [key, want], { timeout: 10000 }).catch(() => {});
    return new URL(page.url()).searchParams.get(key);
}

async function open(browser, file, query = '') {
    const p = await openPage(browser);
    await p.page.goto(fileUrl(file, query));
    await ready(p.page);
    return p;
}

t.test('the deleted directory has area, an aria-label "gone, 3.0 MiB → 0 B" and a hover text', async (browser) => {
    const p = await open(browser, html);
    const page = p.page;
    // a scan's page: three metrics, each before (3q), after (3q + 1) and both (3q + 2);
    // --apparent-size opens on apparent size (q = 1), both sides
    eq(await page.evaluate(() => window.duflameView.state().metric), 5, 'opens on both sides of apparent size');
    const gone = (await items(page)).find((i) => i.label.startsWith('gone, '));
    assert(gone, 'gone drawn: ' + (await items(page)).map((i) => i.label).join(' | '));
    eq(gone.label, 'gone, 3.0 MiB \u2192 0 B', 'aria-label: name, before \u2192 after');
    const chartW = await page.evaluate(() => document.getElementById('dv-chart').clientWidth);
    near(gone.w / chartW, goneBefore / bothTotal, 'gone: as wide as its BEFORE share of the larger sides', 0.005);
    assert(gone.w > chartW / 2, 'gone is most of the picture');
    // all of it went away: one part, hatched
    const segs = await page.evaluate((k) => window.duflameView.diffSegs(k), gone.k);
    eq(segs.map((s) => s.kind).join(), 'gone', 'one part: went away');
    await (await item(page, gone.label)).hover();
    const det = await page.textContent('#dv-details');
    assert(det.includes('/gone\n'), 'hover names the path: ' + det);
    assert(det.includes('removed: before 3.0 MiB \u2192 after 0 B, -3.0 MiB (-100.0%)'), 'hover: ' + det);
    assert(det.includes('went away 3.0 MiB'), 'hover: ' + det);
    // main.c grew: its frame is stayed plus grew, in proportion
    const main = (await items(page)).find((i) => i.label.startsWith('main.c, '));
    eq(main.label, 'main.c, 9.8 KiB \u2192 48.8 KiB', 'main.c label');
    const ms = await page.evaluate((k) => window.duflameView.diffSegs(k), main.k);
    eq(ms.map((s) => s.kind).join(), 'stay,grew', 'main.c parts');
    near(ms[0].w / (ms[0].w + ms[1].w), 10000 / 50000, 'main.c: a fifth stayed', 0.001);
    noProblems(p);
    await page.close();
});

t.test('the switch shows BEFORE, AFTER or both, and the URL keeps it', async (browser) => {
    const p = await open(browser, html);
    const page = p.page;
    const drawn = async (name) => (await items(page)).some((i) => i.label.startsWith(name + ', ') && i.w >= 1);
    assert((await drawn('gone')) && (await drawn('lib')), 'both: gone and lib drawn');
    await page.click('#dv-m-after');
    eq(await urlParam(page, 'm', 'after'), 'apparent-after', 'URL: m=apparent-after');
    assert(!(await drawn('gone')), 'AFTER: gone has no area');
    assert(await drawn('lib'), 'AFTER: lib drawn');
    const main = (await items(page)).find((i) => i.label.startsWith('main.c, '));
    eq((await page.evaluate((k) => window.duflameView.diffSegs(k), main.k)).map((s) => s.kind).join(), 'stay,grew', 'AFTER: main.c grew');
    await page.click('#dv-m-before');
    assert(await drawn('gone'), 'BEFORE: gone drawn');
    assert(!(await drawn('lib')), 'BEFORE: lib has no area');
    eq(await page.evaluate(() => window.duflameView.total()), Number(/^before .* ([\d,]+) bytes/m.exec(textOut)[1].replace(/,/g, '')), 'BEFORE: the total is the text output\'s');
    eq(await urlParam(page, 'm', 'before'), 'apparent-before', 'URL: m=apparent-before');
    await page.reload();
    await ready(page);
    eq(await page.evaluate(() => window.duflameView.state().metric), 3, 'reload keeps BEFORE');
    await page.click('#dv-m-both');
    eq(await urlParam(page, 'm', null), null, 'both is the default: not in the URL');
    noProblems(p);
    await page.close();
});

t.test('the legend and the ranking table say what the text output says', async (browser) => {
    const p = await open(browser, html);
    const page = p.page;
    const lb = /^before\s+(\S+ \S+)\s+([\d,]+) bytes/m.exec(textOut), la = /^after\s+(\S+ \S+)\s+([\d,]+) bytes/m.exec(textOut);
    const ch = /^change  (.*)$/m.exec(textOut)[1];
    const legend = await page.textContent('#dv-legend');
    for (const w of ['stayed', 'grew', 'went away']) assert(legend.includes(w), `legend names "${w}": ${legend}`);
    eq(await page.textContent('#dv-d-totals'), `Before ${lb[1]} \u2192 after ${la[1]}, change ${ch}`, 'legend totals');
    eq(await page.getAttribute('#dv-d-totals', 'data-before'), lb[2].replace(/,/g, ''), 'legend: exact BEFORE');
    eq(await page.getAttribute('#dv-d-totals', 'data-after'), la[2].replace(/,/g, ''), 'legend: exact AFTER');
    // the table: the text's rows, in order
    const want = textOut.split('\n').slice(textOut.split('\n').findIndex((l) => /^ +change +before/.test(l)) + 1)
        .filter((l) => l.trim()).map((l) => {
            const c = l.trim().split(/ {2,}/);
            return [c[4], c[1], c[2], c[0], c[3]].join(' | ');
        });
    const got = await page.evaluate(() => [...document.querySelectorAll('#dv-ranking tr')].slice(1)
        .map((tr) => [...tr.children].map((td) => td.textContent).join(' | ')));
    eq(got.join('\n'), want.join('\n'), 'ranking table');
    assert(got[0].startsWith('gone/ | 3.0 MiB | 0 B |') && got[0].endsWith('| removed'), 'gone/ first, removed: ' + got[0]);
    // a row is a link that zooms there
    await page.click('#dv-ranking a >> text=lib/');
    assert((await page.textContent('#dv-crumbs')).includes('lib'), 'the link zoomed to lib');
    noProblems(p);
    await page.close();
});

// contrast of two sRGB colours (WCAG 2)
function lum([r, g, b]) {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
function contrast(a, b) {
    const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

t.test('labels keep a contrast of 4.5:1 on every fill, light and dark (canvas pixels)', async (browser) => {
    const p = await open(browser, html, '?zoom=' + encodeURIComponent(A + '/src'));
    const page = p.page;
    for (const theme of ['light', 'dark']) {
        if (theme === 'dark') await page.click('#dv-dark');
        const r = await page.evaluate(() => {
            const cv = document.getElementById('dv-canvas'), ctx = cv.getContext('2d');
            const dpr = cv.width / cv.clientWidth;
            const img = ctx.getImageData(0, 0, cv.width, cv.height).data;
            const label = getComputedStyle(document.documentElement).getPropertyValue('--label').trim();
            const samples = [];
            for (const e of document.querySelectorAll('[role="treeitem"]')) {
                if (e.hidden || parseFloat(e.style.width) < 30) continue;
                const k = Number(e.dataset.k), top = parseFloat(e.style.top);
                const segs = window.duflameView.diffSegs(k) || [];
                for (const s of segs) {
                    // the row's top line, above the glyphs, inside the part
                    for (let x = Math.ceil(s.x + 1); x < s.x + s.w - 1; x++) {
                        const i = (Math.round((top + 1) * dpr) * cv.width + Math.round(x * dpr)) * 4;
                        samples.push([img[i], img[i + 1], img[i + 2], e.getAttribute('aria-label'), s.kind]);
                    }
                }
            }
            return { label, samples };
        });
        const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(r.label);
        assert(m, 'label colour: ' + r.label);
        const L = m.slice(1).map((h) => parseInt(h, 16));
        const kinds = new Set(r.samples.map((s) => s[4]));
        for (const k of ['stay', 'grew', 'gone']) assert(kinds.has(k), `${theme}: a ${k} part measured`);
        let worst = null;
        for (const s of r.samples) {
            const c = contrast(L, s.slice(0, 3));
            if (!worst || c < worst.c) worst = { c, s };
        }
        assert(worst.c >= 4.5, `${theme}: contrast ${worst.c.toFixed(2)} on ${worst.s.slice(0, 3)} (${worst.s[3]}, ${worst.s[4]})`);
    }
    noProblems(p);
    await page.close();
});

t.test('?zoom=PATH, the keyboard and search work as in a scan; the SVG opens in the engine', async (browser) => {
    let p = await open(browser, html, '?zoom=' + encodeURIComponent(A + '/gone'));
    let page = p.page;
    assert((await page.textContent('#dv-crumbs')).includes('gone'), 'zoomed on gone from the URL');
    const sub = (await items(page)).find((i) => i.label.startsWith('sub, '));
    eq(sub && sub.label, 'sub, 1.0 MiB \u2192 0 B', 'sub below gone');
    await (await item(page, sub.label)).focus();
    await page.keyboard.press('Enter');
    assert((await urlParam(page, 'zoom', '/gone/sub')).endsWith('/gone/sub'), 'Enter zoomed: ' + page.url());
    await page.keyboard.press('Escape');
    assert((await urlParam(page, 'zoom', '/gone')).endsWith('/gone'), 'Escape went up');
    await page.goto(fileUrl(html));
    await ready(page);
    const m = await page.evaluate(() => window.duflameView.search('/gone/'));
    const share = (100 * (goneBefore - sumOwn((q) => q === 'gone', ([b]) => b))) / bothTotal;
    eq(m, `Matched: ${share.toFixed(2)}% (3.0 MiB)`, 'search: what is below gone');
    noProblems(p);
    await page.close();
    p = await open(browser, svg);
    page = p.page;
    assert((await items(page)).some((i) => i.label === 'gone, 3.0 MiB \u2192 0 B'), 'the SVG opened in the engine');
    assert((await page.textContent('#dv-legend')).includes('went away'), 'the SVG has the legend');
    noProblems(p);
    await page.close();
});

t.test('two profiles: samples gained and lost', async (browser) => {
    const b = join(work, 'b.folded'), a = join(work, 'a.folded'), out = join(work, 'p.html');
    writeFileSync(b, 'main;foo;bar 30\nmain;foo 50\nmain;gone;x 10\nmain;baz 100\n');
    writeFileSync(a, 'main;foo;bar 60\nmain;foo 50\nmain;new;y 25\nmain;baz 80\n');
    execFileSync(duflame(), ['diff', '-o', out, b, a]);
    const p = await open(browser, out);
    const page = p.page;
    const labels = (await items(page)).map((i) => i.label);
    for (const l of ['bar, 30 \u2192 60 samples', 'gone, 10 \u2192 0 samples', 'new, 0 \u2192 25 samples', 'baz, 100 \u2192 80 samples'])
        assert(labels.includes(l), `${l} in ${labels.join(' | ')}`);
    eq(await page.textContent('#dv-d-totals'), 'Before 190 samples \u2192 after 215 samples, change +25 (+13.2%)', 'totals');
    const first = await page.evaluate(() => document.querySelector('#dv-ranking tr:nth-child(2)').textContent);
    eq(first, 'main;foo;bar30 samples60 samples+30+100.0%', 'the ranking\'s first row');
    noProblems(p);
    await page.close();
});

await t.run();
