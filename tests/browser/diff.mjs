// SPDX-License-Identifier: BSD-2-Clause
// duflame diff's SVG, its static frames (what a viewer without scripts
// shows; a browser opens the page engine at once, diff_view.mjs): two
// directories made here, compared; the frames carry before and after (fg:b,
// fg:a), --diff-width=after takes widths from AFTER, red frames grew and blue
// ones shrank, tooltips give before, after and the change; the default
// (max) draws a path that exists only in BEFORE; two folded profiles too.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, duflame, fileUrl, openPage, frames, config, text, assert, eq, near, noProblems } from './lib.mjs';

const work = mkdtempSync(join(tmpdir(), 'duflame-diff-browser-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function file(path, bytes) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, Buffer.alloc(bytes, 120));
}

// before: src/main.c 10000, docs/ (gone later), shrinks 90000, same.h 3000
// after:  src/main.c 50000, lib/ (new), shrinks 100, same.h 3000
const B = join(work, 'before'), A = join(work, 'after');
file(join(B, 'src/main.c'), 10000);
file(join(B, 'src/same.h'), 3000);
file(join(B, 'docs/api/index.html'), 20000);
file(join(B, 'shrinks'), 90000);
file(join(A, 'src/main.c'), 50000);
file(join(A, 'src/same.h'), 3000);
file(join(A, 'lib/deep/libnew.so'), 123456);
file(join(A, 'shrinks'), 100);

let serial = 0;
function diff(args, before = B, after = A) {
    const out = join(work, `diff${++serial}.svg`);
    execFileSync(duflame(), ['diff', '--apparent-size', ...args, '-o', out, before, after], {
        stdio: ['ignore', 'ignore', 'inherit'],
    });
    return out;
}

// paths of the DOM frames ("all;after;src;main.c"), from pre-order and depth
function paths(fs) {
    const st = [];
    return fs.map((f) => {
        st.length = f.d;
        st.push(f.name);
        return st.join(';');
    });
}

async function attrs(page) {
    return page.evaluate(() => {
        const NS = 'urn:duflame:fg';
        return [...document.getElementById('frames').children].map((g) => ({
            b: g.getAttributeNS(NS, 'b'),
            a: g.getAttributeNS(NS, 'a'),
        }));
    });
}

function rgb(fill) {
    const m = /^rgb\((\d+),(\d+),(\d+)\)$/.exec(fill);
    assert(m, 'fill is rgb(): ' + fill);
    return m.slice(1).map(Number);
}

const t = suite('diff');

t.test('directories: before/after attributes, widths from AFTER, colours, tooltips', async (browser) => {
    const svg = diff(['--diff-width=after']);
    const p = await openPage(browser);
    await p.page.goto(fileUrl(svg));
    const cfg = await config(p.page);
    const fs = await frames(p.page);
    const ab = await attrs(p.page);
    const ps = paths(fs);
    const at = (path) => {
        const i = ps.findIndex((x) => x.endsWith(path));
        assert(i >= 0, `frame ${path} drawn; frames: ${ps.join(' ')}`);
        return { ...fs[i], ...ab[i], i };
    };
    // every frame carries both sides, and its width is AFTER's
    fs.forEach((f, i) => {
        assert(ab[i].b !== null && ab[i].a !== null, `fg:b and fg:a on ${ps[i]}`);
        eq(f.w, ab[i].a, `fg:w is AFTER on ${ps[i]}`);
    });
    const root = at('all');
    eq(cfg.total, root.a, 'fg:total is the AFTER total');
    const main = at(';src;main.c');
    eq(main.b, '10000', 'main.c before');
    eq(main.a, '50000', 'main.c after');
    const G = root.rw; // the root spans the drawing width
    near(main.rw, (50000 * G) / Number(cfg.total), 'main.c width from AFTER', 0.02);
    // red for growth, blue for shrinkage, white when unchanged
    const [r1, g1, b1] = rgb(main.fill);
    assert(r1 === 255 && g1 === b1 && g1 < 255, 'main.c grew: red, got ' + main.fill);
    const [r2, g2, b2] = rgb(at(';shrinks').fill);
    assert(b2 === 255 && r2 === g2 && r2 < 255, 'shrinks shrank: blue');
    eq(at(';src;same.h').fill, 'rgb(255,255,255)', 'same.h unchanged: white');
    // the shade follows the size of the change: libnew.so (+123456) is
    // deeper red than main.c (+40000)
    const [, g3] = rgb(at(';lib;deep;libnew.so').fill);
    assert(g3 < g1, `bigger growth, deeper red (${g3} < ${g1})`);
    // the vanished directory is not drawn (width from AFTER is 0) and the
    // subtitle says so and how to draw it
    assert(!ps.some((x) => x.endsWith(';docs')), 'docs/ not drawn with AFTER widths');
    const sub = await text(p.page, 'subtitle');
    assert(/1 path only in BEFORE .* --diff-width=max/.test(sub), 'subtitle: ' + sub);
    // tooltip: before, after, change in bytes and percent
    assert(
        /^main\.c \(50,000 bytes, 48\.8 KiB, [0-9.]+%; before 10,000 bytes, \+40,000 bytes, \+400\.00%\)$/.test(main.title),
        'main.c title: ' + main.title,
    );
    // a browser hands the picture to the page engine at once
    await p.page.waitForFunction(() => window.duflameView, null, { timeout: 60000 });
    eq(await p.page.evaluate(() => getComputedStyle(document.getElementById('frames')).display), 'none',
        'the static frames give way to the engine');
    noProblems(p);
    await p.page.close();
});

t.test('the default (max) draws the path that exists only in BEFORE; --negate swaps hues', async (browser) => {
    const svg = diff(['--negate']);
    const p = await openPage(browser);
    await p.page.goto(fileUrl(svg));
    const fs = await frames(p.page);
    const ab = await attrs(p.page);
    const ps = paths(fs);
    const i = ps.findIndex((x) => x.endsWith(';docs'));
    assert(i >= 0, 'docs/ drawn with --diff-width=max: ' + ps.join(' '));
    eq(ab[i].a, '0', 'docs/ after');
    assert(Number(ab[i].b) >= 20000, 'docs/ before');
    eq(fs[i].w, ab[i].b, 'docs/ width from its BEFORE size');
    assert(fs[i].rw > 10, 'docs/ visible: ' + fs[i].rw);
    // negated: the vanished docs/ is red, the grown main.c blue
    const [r, g, b] = rgb(fs[i].fill);
    assert(r === 255 && g === b && g < 255, 'negated shrink is red: ' + fs[i].fill);
    const m = ps.findIndex((x) => x.endsWith(';src;main.c'));
    const [r2, g2, b2] = rgb(fs[m].fill);
    assert(b2 === 255 && r2 === g2, 'negated growth is blue: ' + fs[m].fill);
    eq(await text(p.page, 'subtitle').then((s) => /only in BEFORE/.test(s)), false, 'no note with max widths');
    noProblems(p);
    await p.page.close();
});

t.test('folded profiles: a differential graph with search', async (browser) => {
    const b = join(work, 'b.folded'), a = join(work, 'a.folded');
    writeFileSync(b, 'main;foo;bar 30\nmain;foo 50\nmain;gone;x 10\nmain;baz 100\n');
    writeFileSync(a, 'main;foo;bar 60\nmain;foo 50\nmain;new;y 25\nmain;baz 80\n');
    const out = join(work, 'profiles.svg');
    execFileSync(duflame(), ['diff', '-o', out, b, a], { stdio: ['ignore', 'ignore', 'inherit'] });
    const p = await openPage(browser);
    await p.page.goto(fileUrl(out));
    const cfg = await config(p.page);
    eq(cfg.total, '245', 'the sum of the larger sides (60 + 50 + 10 + 25 + 100)');
    const fs = await frames(p.page);
    const ab = await attrs(p.page);
    const ps = paths(fs);
    const bar = ps.indexOf('all;main;foo;bar');
    assert(bar >= 0, 'bar drawn: ' + ps.join(' '));
    eq(ab[bar].b, '30', 'bar before');
    eq(ab[bar].a, '60', 'bar after');
    // search in the engine, on AFTER: baz (80) and bar (60) of 215
    await p.page.waitForFunction(() => window.duflameView, null, { timeout: 60000 });
    await p.page.evaluate(() => window.duflameView.setMetric('after'));
    eq(await p.page.evaluate(() => window.duflameView.search(';ba[rz]$')), 'Matched: 65.12% (140 samples)', 'search on a differential graph');
    noProblems(p);
    await p.page.close();
});

await t.run();
