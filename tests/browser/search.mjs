// SPDX-License-Identifier: BSD-2-Clause
// Search: ?s=REGEX, the Search button, Ctrl-F and F3 highlight the matches and
// show the exact share matched in #matched (nested matches counted once,
// relative to the zoomed frame), ^name$ matches a whole name, ic / ?i=1 ignore
// case, and the search is kept in the URL.
import { suite, render, fileUrl, openPage, frames, text, parseFolded, expectedMatched, assert, eq, noProblems } from './lib.mjs';

// Counts chosen so the shares are not round: total 2,000,003.
const FOLDED = `main;foo;bar 300001
main;foo 500000
main;foo2;x 100000
main;baz;foo;qux 700000
main;baz;quux 110000
other;foo 40000
main;foobar 200001
main;baz;foo;foo;leaf 50001
main;Foo;zed 1
`;
const lines = parseFolded(FOLDED);

const CASES = [
    ['foo', 'substring, nested foo;foo counted once'],
    ['^foo$', 'exact name: not foo2, foobar'],
    ['bar', 'bar and foobar'],
    ['^(bar|qux)$', 'alternation'],
    ['o', 'matches the root-level main: 100%'],
    ['^zzz$', 'no match'],
    ['x$', 'ends with'],
];

const t = suite('search');

for (const [re, why] of CASES) {
    t.test(`?s=${re} (${why})`, async (browser) => {
        const svg = render(FOLDED);
        const p = await openPage(browser);
        await p.page.goto(fileUrl(svg, '?s=' + encodeURIComponent(re)));
        eq(await text(p.page, 'matched'), expectedMatched(lines, new RegExp(re)), '#matched');
        const rx = new RegExp(re);
        const fs = await frames(p.page);
        const plain = await frames(await (async () => {
            const q = await openPage(browser);
            await q.page.goto(fileUrl(svg));
            p.other = q;
            return q.page;
        })());
        fs.forEach((f, i) => {
            if (rx.test(f.name)) assert(f.fill !== plain[i].fill, `match ${f.name} highlighted`);
            else eq(f.fill, plain[i].fill, `non-match ${f.name} keeps its colour`);
        });
        noProblems(p);
        noProblems(p.other);
        await p.page.close();
        await p.other.page.close();
    });
}

t.test('share relative to the zoomed frame, restored from ?x=&y=&s=', async (browser) => {
    const svg = render(FOLDED);
    const p = await openPage(browser);
    await p.page.goto(fileUrl(svg));
    const fs = await frames(p.page);
    // zoom on main;baz (depth 2)
    const i = fs.findIndex((f, k) => f.name === 'baz' && f.d === 2);
    assert(i > 0, 'baz drawn');
    await p.page.goto(fileUrl(svg, `?x=${fs[i].x}&y=2&s=${encodeURIComponent('^foo$')}`));
    eq(await text(p.page, 'matched'), expectedMatched(lines, /^foo$/, ['all', 'main', 'baz']), 'zoomed #matched');
    // a match on an ancestor of the zoomed frame covers all of it
    await p.page.goto(fileUrl(svg, `?x=${fs[i].x}&y=2&s=main`));
    eq(await text(p.page, 'matched'), 'Matched: 100.00%', 'ancestor matched');
    // unzooming recomputes against the whole graph
    await p.page.goto(fileUrl(svg, `?x=${fs[i].x}&y=2&s=qux`));
    eq(await text(p.page, 'matched'), expectedMatched(lines, /qux/, ['all', 'main', 'baz']), 'zoomed qux');
    await p.page.locator('#unzoom').click();
    eq(await text(p.page, 'matched'), expectedMatched(lines, /qux/), 'qux after reset zoom');
    noProblems(p);
    await p.page.close();
});

t.test('with --total the share is of that total, like the titles', async (browser) => {
    const svg = render(FOLDED, ['--total', '5000000']);
    const p = await openPage(browser);
    await p.page.goto(fileUrl(svg, '?s=' + encodeURIComponent('^foo$')));
    eq(await text(p.page, 'matched'), expectedMatched(lines, /^foo$/, ['all'], 5000000n), '#matched with --total');
    await p.page.goto(fileUrl(svg, '?s=all'));
    eq(await text(p.page, 'matched'), expectedMatched(lines, /all/, ['all'], 5000000n), 'the root matched, with --total');
    noProblems(p);
    await p.page.close();
});

t.test('Search button, Ctrl-F, F3, Escape, ic and the URL', async (browser) => {
    const svg = render(FOLDED);
    const p = await openPage(browser, { answers: ['^foo$', 'FOO', 'qux'] });
    await p.page.goto(fileUrl(svg));
    eq(await text(p.page, 'matched'), '', '#matched empty before a search');

    await p.page.locator('#search').click();
    eq(p.dialogs.length, 1, 'Search opens a prompt');
    eq(await text(p.page, 'matched'), expectedMatched(lines, /^foo$/), 'after the Search button');
    eq(new URL(p.page.url()).searchParams.get('s'), '^foo$', 's in the URL');

    // clicking the button while searching resets, as flamegraph.pl does
    await p.page.locator('#search').click();
    eq(await text(p.page, 'matched'), '', 'reset by the Search button');
    eq(new URL(p.page.url()).searchParams.get('s'), null, 's gone from the URL');

    await p.page.keyboard.press('Control+f');
    eq(p.dialogs.length, 2, 'Ctrl-F opens a prompt');
    eq(await text(p.page, 'matched'), expectedMatched(lines, /FOO/), 'case-sensitive FOO');
    await p.page.locator('#ignorecase').click();
    eq(await text(p.page, 'matched'), expectedMatched(lines, /FOO/i), 'ic on: FOO ignoring case');
    eq(new URL(p.page.url()).searchParams.get('i'), '1', 'i=1 in the URL');
    const kept = p.page.url();

    await p.page.keyboard.press('F3');
    eq(p.dialogs.length, 3, 'F3 opens a prompt');
    eq(await text(p.page, 'matched'), expectedMatched(lines, /qux/i), 'F3 search');
    await p.page.keyboard.press('Escape');
    eq(await text(p.page, 'matched'), '', 'Escape clears the search');
    const fs = await frames(p.page);
    assert(fs.every((f) => f.fill !== 'rgb(230,0,230)'), 'no highlight left after Escape');

    // the URL kept earlier restores search and ignore case
    const p2 = await openPage(browser);
    await p2.page.goto(kept);
    eq(await text(p2.page, 'matched'), expectedMatched(lines, /FOO/i), 'restored from ' + kept);
    noProblems(p);
    noProblems(p2);
    await p.page.close();
    await p2.page.close();
});

t.test('an invalid regular expression is reported, not thrown', async (browser) => {
    const svg = render(FOLDED);
    const p = await openPage(browser);
    await p.page.goto(fileUrl(svg, '?s=' + encodeURIComponent('(')));
    assert(/invalid/i.test(await text(p.page, 'matched')), '#matched says invalid');
    noProblems(p);
    await p.page.close();
});

await t.run();
