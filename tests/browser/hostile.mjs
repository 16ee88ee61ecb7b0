// SPDX-License-Identifier: BSD-2-Clause
// Names that hold markup, event handlers, scripts, "]]>", entities,
// quotes and bytes that are not UTF-8 are shown as text and nothing else. Fails
// if a dialog opens, if any script but duflame's own runs, or on a page error.
import { writeFileSync } from 'node:fs';
import { suite, render, fileUrl, openPage, frames, text, FLAME_JS, assert, eq, noProblems } from './lib.mjs';

// [bytes of a frame name, what the graph must show as its name]
const NAMES = [
    ['<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    [']]>', ']]>'],
    ['x]]>y<![CDATA[z', 'x]]>y<![CDATA[z'],
    // ";" separates frames in folded text, so a frame name cannot end an entity:
    // "&amp;lt" is the frame "&amp" with a child "lt"; --title below has "&amp;"
    ['&amp', '&amp'],
    ['&#x3c&#60script&lt', '&#x3c&#60script&lt'],
    ['"onload="alert(3)" x="', '"onload="alert(3)" x="'],
    ["'onmouseover='alert(4)' \"dq\"", "'onmouseover='alert(4)' \"dq\""],
    ['</title><script>alert(5)</script><title>', '</title><script>alert(5)</script><title>'],
    ['<svg onload=alert(6)>', '<svg onload=alert(6)>'],
    ['--><!--<?xml x?>', '--><!--<?xml x?>'],
    ['<foreignObject><iframe src="javascript:alert(7)"></iframe></foreignObject>',
        '<foreignObject><iframe src="javascript:alert(7)"></iframe></foreignObject>'],
    ['<a href="javascript:alert(8)">link</a>', '<a href="javascript:alert(8)">link</a>'],
    [Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x65, 0x6e, 0x64]), /^bad\\x[fF]{2}\\x[fF][eE]end$/],
    [Buffer.from([0x63, 0x75, 0x74, 0xc3]), /^cut\\x[cC]3$/],
    [Buffer.from([0x63, 0x74, 0x6c, 0x01, 0x78]), /^ctl\\x01x$/],
    ['ünïcödé ✓', 'ünïcödé ✓'],
];

function folded() {
    const parts = [];
    NAMES.forEach(([n], i) => {
        parts.push(Buffer.from('hostile;'), Buffer.isBuffer(n) ? n : Buffer.from(n), Buffer.from(` ${i === 0 ? 400 : 40}\n`));
        parts.push(Buffer.from('wide;'), Buffer.isBuffer(n) ? n : Buffer.from(n), Buffer.from(`;child 5\n`));
    });
    return Buffer.concat(parts);
}

// Watch every script the page compiles in its own world (Chrome DevTools
// Protocol): inline handlers and script elements carry the document's URL.
async function watchScripts(page) {
    const cdp = await page.context().newCDPSession(page);
    const scripts = [];
    cdp.on('Debugger.scriptParsed', (e) => {
        const aux = e.executionContextAuxData || {};
        if (aux.type !== 'isolated') scripts.push({ id: e.scriptId, url: e.url });
    });
    await cdp.send('Debugger.enable');
    return { cdp, scripts };
}

async function checkScripts(w, url, beforeEvaluate) {
    for (const s of w.scripts) {
        if (s.url === '' && !beforeEvaluate.has(s.id)) continue; // playwright's own helpers, after our first evaluate
        eq(s.url, url, 'a script from an unexpected place');
        const { scriptSource } = await w.cdp.send('Debugger.getScriptSource', { scriptId: s.id });
        eq(scriptSource.trim(), FLAME_JS.trim(), 'a script other than flame.js ran (' + scriptSource.slice(0, 80) + ')');
    }
    const mine = w.scripts.filter((s) => s.url === url).length;
    eq(mine, 1, 'exactly one document script (flame.js)');
}

// The DOM holds only what the renderer draws: no handlers, no foreign content.
async function checkDom(page) {
    const bad = await page.evaluate(() => {
        const ok = new Set(['svg', 'defs', 'linearGradient', 'radialGradient', 'stop', 'style', 'script',
            'rect', 'text', 'tspan', 'g', 'title', 'desc', 'line', 'path']);
        const out = [];
        for (const e of document.getElementsByTagName('*')) {
            if (!ok.has(e.localName) || e.namespaceURI !== 'http://www.w3.org/2000/svg')
                out.push('element ' + e.namespaceURI + ' ' + e.localName);
            for (const a of e.attributes)
                if (/^on/i.test(a.localName) || /javascript:/i.test(a.value) || /href$/i.test(a.localName))
                    out.push(`attribute ${a.name}="${a.value}" on ${e.localName}`);
        }
        if (document.getElementsByTagName('script').length !== 1) out.push('more than one script element');
        return out;
    });
    eq(bad.join('\n'), '', 'unexpected DOM');
}

function matchName(got, want) {
    return typeof want === 'string' ? got === want : want.test(got);
}

const t = suite('hostile');

// Open url in a fresh page watched for scripts; the scripts compiled before our
// first evaluate are the page's own (playwright's helpers come later).
async function openWatched(browser, url) {
    const p = await openPage(browser);
    const w = await watchScripts(p.page);
    await p.page.goto(url);
    await p.page.waitForTimeout(200);
    w.early = new Set(w.scripts.map((s) => s.id));
    return { p, w, url };
}

async function finish({ p, w, url }) {
    await checkDom(p.page);
    await checkScripts(w, url, w.early);
    eq(p.dialogs.length, 0, 'dialogs opened');
    noProblems(p);
    await p.page.close();
}

t.test('hostile names are text: no dialog, no foreign script, no error', async (browser) => {
    const svg = render(folded());
    const o = await openWatched(browser, fileUrl(svg));
    const page = o.p.page;
    await checkDom(page);
    const fs = await frames(page);
    for (const [, want] of NAMES) {
        const hits = fs.filter((f) => matchName(f.name, want));
        eq(hits.length, 2, `frames named ${want} (under hostile and wide)`);
        for (const f of hits)
            if (f.label)
                assert(f.label === f.name || (f.label.endsWith('..') && f.name.startsWith(f.label.slice(0, -2))),
                    `label ${JSON.stringify(f.label)} of ${JSON.stringify(f.name)}`);
    }
    const big = fs.find((f) => f.name === NAMES[0][1] && f.d === 2);
    assert(big && big.label === NAMES[0][1], 'the widest hostile name is drawn in full as its label: ' + (big && big.label));

    // drive it: hover every hostile frame, zoom, search for markup
    const gs = page.locator('#frames > g');
    for (let i = 0; i < fs.length; i++) {
        if (fs[i].d !== 2 || fs[i].rw < 4) continue;
        await gs.nth(i).locator('rect').hover();
        eq(await text(page, 'details'), `Function: ${fs[i].title}`, 'details line of ' + fs[i].name);
    }
    const wide = fs.findIndex((f) => f.name === 'wide');
    await gs.nth(wide).locator('rect').click();
    const zoomed = await frames(page);
    for (const f of zoomed)
        if (f.shown && f.d === 2 && f.label) assert(f.name.startsWith(f.label.replace(/\.\.$/, '')), 'zoomed label ' + f.label);
    await finish(o);

    const s = await openWatched(browser, fileUrl(svg, '?s=' + encodeURIComponent('<script>|onload|\\]\\]>|&amp')));
    assert(/^Matched: \d+\.\d\d%$/.test(await text(s.p.page, 'matched')), 'search over hostile names');
    await finish(s);
});

t.test('hostile --title, --subtitle, --countname and --nametype are text', async (browser) => {
    const evil = '<script>alert(10)</script>]]>&amp;"onload="alert(11)';
    const svg = render('a;b 1\na;c 2\n', ['--title', evil, '--subtitle', evil, '--countname', evil, '--nametype', evil]);
    const o = await openWatched(browser, fileUrl(svg));
    const page = o.p.page;
    eq(await text(page, 'title'), evil, 'title text');
    eq(await text(page, 'subtitle'), evil, 'subtitle text');
    const fs = await frames(page);
    assert(fs[0].title.includes(evil), 'countname in the title: ' + fs[0].title);
    await page.locator('#frames > g').nth(0).locator('rect').hover();
    assert((await text(page, 'details')).startsWith(evil), 'nametype on the details line');
    await finish(o);
});

t.test('in an <img> the hostile graph is a picture: it loads, runs nothing, opens nothing', async (browser) => {
    const svg = render(folded());
    const html = svg.replace(/\.svg$/, '.html');
    writeFileSync(html, `<!doctype html><title>img</title><img id="i" src="${fileUrl(svg)}">`);
    const o = await openWatched(browser, fileUrl(html));
    const got = await o.p.page.evaluate(() => {
        const i = document.getElementById('i');
        return { complete: i.complete, w: i.naturalWidth, scripts: document.scripts.length };
    });
    assert(got.complete && got.w === 1200, 'the SVG loads as an image: ' + JSON.stringify(got));
    await o.p.page.locator('#i').hover();
    await o.p.page.locator('#i').click();
    eq(o.w.scripts.filter((s) => s.url !== '').length, 0, 'scripts compiled in the page (none expected)');
    eq(o.p.dialogs.length, 0, 'dialogs opened');
    noProblems(o.p);
    await o.p.page.close();
});

await t.run();
