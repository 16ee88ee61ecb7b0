// SPDX-License-Identifier: BSD-2-Clause
// Zoom: clicking a frame lays its subtree over the full width from the exact
// counts, dims its ancestors, hides everything else; Reset Zoom, Escape and a
// click on the root restore the drawing; ?x=&y= restores a zoom on load.
import { suite, render, fileUrl, openPage, frames, config, text, parseFolded, assert, eq, near, noProblems } from './lib.mjs';

const FOLDED = `main;foo;bar 30
main;foo 50
main;foo2;x 10
main;baz;foo;qux 70
main;baz;quux 110
other;foo 40
main;foobar 20
main;baz;foo 5
main;baz;quux;deep;deeper;deepest 9
`;
const lines = parseFolded(FOLDED);

// path (names joined by ";", "all" first) -> exact total count, from the input
const totals = new Map();
for (const [stack, c] of lines)
    for (let i = 1; i <= stack.length; i++) {
        const k = stack.slice(0, i).join(';');
        totals.set(k, (totals.get(k) || 0n) + c);
    }

// Paths of the DOM frames, rebuilt from pre-order and depth.
function paths(fs) {
    const st = [];
    return fs.map((f) => {
        st.length = f.d;
        st.push(f.name);
        return st.join(';');
    });
}

function checkLabels(fs, cfg) {
    const cw = cfg.fontsize * cfg.fontwidth;
    for (const f of fs) {
        if (!f.shown || !f.label) continue;
        const fits = f.label.length * cw <= f.rw - 3 + 0.01;
        assert(fits, `label "${f.label}" (${f.label.length} chars) does not fit width ${f.rw}`);
        if (f.label !== f.name)
            assert(f.label.endsWith('..') && f.name.startsWith(f.label.slice(0, -2)),
                `label "${f.label}" is not a fitted "${f.name}"`);
        near(f.tx, f.rx + 3, `label x of ${f.name}`, 0.6);
    }
}

// The state after zooming on frame z, checked against the exact counts.
function checkZoomed(fs, z, cfg, before) {
    const ps = paths(fs);
    const G = cfg.width - 2 * cfg.xpad;
    const zp = ps[z];
    const x0 = Number(fs[z].x), w0 = Number(fs[z].w);
    let seen = 0;
    fs.forEach((f, i) => {
        const p = ps[i];
        eq(BigInt(f.w), totals.get(p), `fg:w of ${p}`);
        eq(f.ry, before[i].ry, `y of ${p} unchanged`);
        if (i === z) {
            assert(f.shown && f.opacity === 1, `zoomed frame ${p} shown, not dimmed`);
            near(f.rx, cfg.xpad, `zoomed ${p} x`);
            near(f.rw, G, `zoomed ${p} width`);
        } else if (zp.startsWith(p + ';')) {
            assert(f.shown, `ancestor ${p} shown`);
            assert(f.opacity < 1, `ancestor ${p} dimmed`);
            near(f.rx, cfg.xpad, `ancestor ${p} x`);
            near(f.rw, G, `ancestor ${p} width`);
        } else if (p.startsWith(zp + ';')) {
            seen++;
            assert(f.shown && f.opacity === 1, `descendant ${p} shown`);
            near(f.rx, cfg.xpad + ((Number(f.x) - x0) * G) / w0, `descendant ${p} x`);
            near(f.rw, (Number(f.w) * G) / w0, `descendant ${p} width`);
        } else {
            assert(!f.shown, `unrelated frame ${p} hidden`);
        }
    });
    return seen;
}

function same(a, b, what) {
    eq(a.length, b.length, `${what}: frame count`);
    a.forEach((f, i) => {
        for (const k of ['rx', 'rw', 'label', 'tx', 'shown', 'opacity', 'fill'])
            eq(f[k], b[i][k], `${what}: ${k} of frame ${i} (${f.name})`);
    });
}

async function clickFrame(page, path) {
    const fs = await frames(page);
    const i = paths(fs).indexOf(path);
    assert(i >= 0, `frame ${path} drawn`);
    await page.locator('#frames > g').nth(i).locator('rect').click();
    return i;
}

const t = suite('zoom');

for (const inverted of [false, true]) {
    const args = inverted ? ['--inverted'] : [];
    const tag = inverted ? ' (inverted)' : '';

    t.test('click spans the full width, dims ancestors, hides the rest; reset restores' + tag, async (browser) => {
        const svg = render(FOLDED, args);
        const p = await openPage(browser);
        await p.page.goto(fileUrl(svg));
        const cfg = await config(p.page);
        eq(cfg.inverted, inverted ? '1' : '0', 'fg:inverted');
        eq(cfg.total, String(totals.get('all')), 'fg:total');
        const before = await frames(p.page);
        checkLabels(before, cfg);
        eq(await p.page.locator('#unzoom').isVisible(), false, 'Reset Zoom hidden before zooming');

        const z = await clickFrame(p.page, 'all;main;baz');
        const after = await frames(p.page);
        assert(checkZoomed(after, z, cfg, before) >= 5, 'descendants of baz checked');
        checkLabels(after, cfg);
        const url = new URL(p.page.url());
        eq(url.searchParams.get('x'), after[z].x, 'x in the URL');
        eq(url.searchParams.get('y'), String(after[z].d), 'y in the URL');
        assert(await p.page.locator('#unzoom').isVisible(), 'Reset Zoom shown when zoomed');

        // zoom again from a zoomed state, deeper, then on a dimmed ancestor
        const z2 = await clickFrame(p.page, 'all;main;baz;quux');
        checkZoomed(await frames(p.page), z2, cfg, before);
        const z3 = await clickFrame(p.page, 'all;main');
        checkZoomed(await frames(p.page), z3, cfg, before);

        await p.page.locator('#unzoom').click();
        same(await frames(p.page), before, 'after Reset Zoom');
        eq(new URL(p.page.url()).search, '', 'URL without zoom after reset');
        eq(await p.page.locator('#unzoom').isVisible(), false, 'Reset Zoom hidden after reset');

        await clickFrame(p.page, 'all;main;foo');
        await p.page.keyboard.press('Escape');
        same(await frames(p.page), before, 'after Escape');

        await clickFrame(p.page, 'all;main;foo');
        await clickFrame(p.page, 'all');
        same(await frames(p.page), before, 'after a click on the root');
        noProblems(p);
        await p.page.close();
    });

    t.test('?x=&y= restores the zoom on load' + tag, async (browser) => {
        const svg = render(FOLDED, args);
        const p = await openPage(browser);
        await p.page.goto(fileUrl(svg));
        const cfg = await config(p.page);
        const before = await frames(p.page);
        const z = await clickFrame(p.page, 'all;main;baz;quux');
        const clicked = await frames(p.page);
        const q = new URL(p.page.url()).search;
        assert(/x=/.test(q) && /y=/.test(q), 'zoom kept in the URL: ' + q);

        const p2 = await openPage(browser);
        await p2.page.goto(fileUrl(svg, `?x=${before[z].x}&y=${before[z].d}`));
        const loaded = await frames(p2.page);
        checkZoomed(loaded, z, cfg, before);
        same(loaded, clicked, 'loaded with ?x=&y= vs clicked');
        noProblems(p);
        noProblems(p2);
        await p.page.close();
        await p2.page.close();
    });
}

t.test('hover shows the title on the details line', async (browser) => {
    const svg = render(FOLDED);
    const p = await openPage(browser);
    await p.page.goto(fileUrl(svg));
    const cfg = await config(p.page);
    const fs = await frames(p.page);
    const i = paths(fs).indexOf('all;main;baz;quux');
    await p.page.locator('#frames > g').nth(i).locator('rect').hover();
    eq(await text(p.page, 'details'), `${cfg.nametype} ${fs[i].title}`, 'details line');
    assert(/^quux \(119 samples, /.test(fs[i].title), 'title gives name and count: ' + fs[i].title);
    await p.page.mouse.move(1, 1);
    eq((await text(p.page, 'details')).trim(), '', 'details cleared on mouse out');
    noProblems(p);
    await p.page.close();
});

await t.run();
