// SPDX-License-Identifier: BSD-2-Clause
// Hostile input beyond hostile.mjs (which draws hostile names from folded lines):
// the same names as FILE NAMES in a scanned directory, as ARCHIVE ENTRIES (a
// tar given as PATH, a .tgz met with --archives) and on both sides of a DIFF
// are shown as text and nothing else. Fails if a dialog opens, if any script
// but duflame's own runs, if the DOM holds an element or attribute the
// renderer does not write, or on a page error; every hostile frame is
// hovered, one zoomed, and a search for markup run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { suite, duflame, fileUrl, openPage, frames, text, FLAME_JS, assert, eq, noProblems } from './lib.mjs';

// [file name bytes (no '/', no NUL), the name the graph shows: a scan shows
// names folded-escaped, so ';' is \x3b and '\' is \\]
const NAMES = [
    ['<script>alert(1)<script>', '<script>alert(1)<script>'],
    ['<img src=x onerror=alert(2)>', '<img src=x onerror=alert(2)>'],
    [']]>', ']]>'],
    ['x]]>y<![CDATA[z', 'x]]>y<![CDATA[z'],
    ['&amp;&lt;&#x3c;&#60;', '&amp\\x3b&lt\\x3b&#x3c\\x3b&#60\\x3b'],
    ['"onload="alert(3)" x="', '"onload="alert(3)" x="'],
    ["'onmouseover='alert(4)' \"dq\"", "'onmouseover='alert(4)' \"dq\""],
    ['<title><script>alert(5)<script><title>', '<title><script>alert(5)<script><title>'],
    ['<svg onload=alert(6)>', '<svg onload=alert(6)>'],
    ['--><!--<?xml x?>', '--><!--<?xml x?>'],
    ['<foreignObject><iframe src=javascript:alert(7)>', '<foreignObject><iframe src=javascript:alert(7)>'],
    ['<a href=javascript:alert(8)>x<a>', '<a href=javascript:alert(8)>x<a>'],
    ['<style>rect{fill:red}<style>', '<style>rect{fill:red}<style>'],
    ['back\\slash', 'back\\\\slash'],
    [Buffer.from([0x62, 0x61, 0x64, 0xff, 0x3c, 0x62, 0x3e]), 'bad\\xff<b>'],
    [Buffer.from('esc\x1b[31mred\x07'), 'esc\\x1b[31mred\\x07'],
];

const VIEWER_JS = readFileSync(new URL('../../src/assets/viewer.js', import.meta.url), 'utf8');

const work = mkdtempSync(join(tmpdir(), 'duflame-hostile-extra-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const bytes = (n) => (Buffer.isBuffer(n) ? n : Buffer.from(n));
const at = (...parts) => Buffer.concat(parts.map((p, i) => (i ? Buffer.concat([Buffer.from('/'), bytes(p)]) : bytes(p))));

// a directory: each hostile name as a file, and as a directory holding a file
function makeTree(dir, sizeOf) {
    mkdirSync(dir, { recursive: true });
    NAMES.forEach(([n], i) => {
        writeFileSync(at(dir, n), Buffer.alloc(sizeOf(i), 0x7a));
        mkdirSync(at(dir, Buffer.concat([Buffer.from('d-'), bytes(n)])));
        writeFileSync(at(dir, Buffer.concat([Buffer.from('d-'), bytes(n)]), 'inner'), Buffer.alloc(3000 + i, 0x79));
    });
}

function scan(args, name) {
    const out = join(work, name);
    execFileSync(duflame(), [...args, '-o', out], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    return out;
}

// Every script the page compiles in its own world (CDP): inline handlers and
// script elements carry the document's URL.
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

async function open(browser, url) {
    const p = await openPage(browser);
    const w = await watchScripts(p.page);
    await p.page.goto(url);
    await p.page.waitForTimeout(200);
    w.early = new Set(w.scripts.map((s) => s.id));
    return { p, w, url };
}

// only the renderer's elements and attributes, and its scripts: flame.js, and
// in a scan's SVG the page engine (viewer.js) with its inert data, whose
// elements live in one foreignObject and whose only links are to the SVG itself
async function finish({ p, w, url }) {
    const { bad, engine } = await p.page.evaluate(() => {
        const ok = new Set(['svg', 'defs', 'linearGradient', 'radialGradient', 'stop', 'style', 'script',
            'rect', 'text', 'tspan', 'g', 'title', 'desc', 'line', 'path']);
        const html = new Set(['div', 'table', 'tr', 'th', 'td', 'h1', 'h2', 'p', 'fieldset', 'legend', 'label', 'input', 'select', 'option',
            'button', 'span', 'nav', 'a', 'canvas', 'section', 'ol', 'li']);
        const engine = !!document.getElementById('dv-data');
        const fo = document.getElementsByTagName('foreignObject');
        const out = [];
        for (const e of document.getElementsByTagName('*')) {
            const inEngine = engine && fo.length === 1 && fo[0].contains(e);
            const known = e.namespaceURI === 'http://www.w3.org/2000/svg'
                ? ok.has(e.localName) || (inEngine && e === fo[0])
                : inEngine && e.namespaceURI === 'http://www.w3.org/1999/xhtml' && html.has(e.localName);
            if (!known) out.push('element ' + e.namespaceURI + ' ' + e.localName);
            for (const a of e.attributes) {
                const link = /href$|^src$|^action$/i.test(a.localName);
                const self = inEngine && a.localName === 'href' && e.localName === 'a' &&
                    (a.value === location.pathname || a.value.startsWith(location.pathname + '?'));
                if (/^on/i.test(a.localName) || (link && !self) || (/javascript:/i.test(a.value) && !(inEngine && a.localName === 'aria-label')))
                    out.push(`attribute ${a.name}="${a.value}" on ${e.localName}`);
            }
        }
        if (document.getElementsByTagName('script').length !== (engine ? 4 : 1)) out.push('unexpected script elements');
        if (document.styleSheets.length !== (engine ? 2 : 1)) out.push(document.styleSheets.length + ' style sheets');
        return { bad: out, engine };
    });
    eq(bad.join('\n'), '', 'unexpected DOM');
    const allowed = engine ? [FLAME_JS.trim(), VIEWER_JS.trim()] : [FLAME_JS.trim()];
    for (const s of w.scripts) {
        if (s.url === '' && !w.early.has(s.id)) continue; // playwright's helpers
        eq(s.url, url, 'a script from an unexpected place');
        const { scriptSource } = await w.cdp.send('Debugger.getScriptSource', { scriptId: s.id });
        assert(allowed.includes(scriptSource.trim()), 'a script other than flame.js or viewer.js ran (' + scriptSource.slice(0, 80) + ')');
    }
    eq(w.scripts.filter((s) => s.url === url).length, allowed.length, 'the document scripts (flame.js, viewer.js)');
    eq(p.dialogs.length, 0, 'dialogs opened');
    noProblems(p);
    await p.page.close();
}

// open the graph, find every name, hover every frame, zoom into the first
// hostile one, then search for markup in a second page
async function drive(browser, svg, want, minHits) {
    const o = await open(browser, fileUrl(svg));
    const page = o.p.page;
    const fs = await frames(page);
    for (const name of want) {
        const hits = fs.filter((f) => f.name === name);
        assert(hits.length >= minHits, `${hits.length} frames named ${JSON.stringify(name)} in ${svg}`);
    }
    const gs = page.locator('#frames > g');
    const hostile = new Set(want);
    for (let i = 0; i < fs.length; i++) {
        if (fs[i].rw < 4 || !hostile.has(fs[i].name)) continue;
        await gs.nth(i).locator('rect').hover();
        assert((await text(page, 'details')).endsWith(fs[i].title), 'details line of ' + JSON.stringify(fs[i].name));
    }
    const z = fs.findIndex((f) => f.name === want[0] && f.rw >= 4);
    if (z >= 0) {
        await gs.nth(z).locator('rect').click();
        const zoomed = await frames(page);
        for (const f of zoomed)
            if (f.shown && f.label) assert(f.name.startsWith(f.label.replace(/\.\.$/, '')), 'zoomed label ' + f.label);
    }
    await finish(o);
    const s = await open(browser, fileUrl(svg, '?s=' + encodeURIComponent('<script>|onload|\\]\\]>|&amp|javascript:')));
    assert(/^Matched: \d+\.\d\d%$/.test(await text(s.p.page, 'matched')), 'search over hostile names');
    await finish(s);
}

// a diff's SVG opens in the page engine at once: every name is a treeitem's
// text (aria-label NAME, BEFORE → AFTER) and the details line on hover; a
// search for markup is a search
async function driveDiff(browser, svg, want) {
    const o = await open(browser, fileUrl(svg));
    const page = o.p.page;
    await page.waitForFunction(() => window.duflameView, null, { timeout: 60000 });
    const labels = await page.evaluate(() => [...document.querySelectorAll('[role="treeitem"]')]
        .filter((e) => !e.hidden && parseFloat(e.style.width) >= 4).map((e) => e.getAttribute('aria-label')));
    for (const name of want) {
        const l = labels.find((x) => x.startsWith(name + ', ') && x.includes(' \u2192 '));
        assert(l, `a treeitem named ${JSON.stringify(name)}: ${labels.length} items`);
        await page.evaluate((lab) => {
            const e = [...document.querySelectorAll('[role="treeitem"]')].find((x) => x.getAttribute('aria-label') === lab);
            e.dispatchEvent(new MouseEvent('mousemove', { bubbles: true }));
        }, l);
        assert((await page.textContent('#dv-details')).includes(name), 'details line of ' + JSON.stringify(name));
    }
    assert(/^Matched: /.test(await page.evaluate(() => window.duflameView.search('<script>|onload|\\]\\]>|&amp|javascript:'))), 'search over hostile names');
    await finish(o);
}

const WANT = NAMES.map(([, shown]) => shown);
const t = suite('hostile_extra');

t.test('hostile file names in a scan are text', async (browser) => {
    makeTree(join(work, 'tree'), (i) => 5000 + 100 * i);
    await drive(browser, scan(['-q', 'tree'], 'tree.svg'), WANT, 1);
});

t.test('hostile archive entries (a tar as PATH, a .tgz with --archives) are text', async (browser) => {
    makeTree(join(work, 'src'), (i) => 4000 + 10 * i);
    execFileSync('tar', ['cf', 'hostile.tar', '-C', 'src', '.'], { cwd: work });
    mkdirSync(join(work, 'holder'));
    execFileSync('tar', ['czf', 'holder/hostile.tgz', '-C', 'src', '.'], { cwd: work });
    await drive(browser, scan(['-q', 'hostile.tar'], 'tar.svg'), WANT, 1);
    await drive(browser, scan(['-q', '--archives', 'holder'], 'archives.svg'), WANT, 1);
});

t.test('hostile names on both sides of a diff are text', async (browser) => {
    makeTree(join(work, 'before'), (i) => 1000 * (i % 4));
    makeTree(join(work, 'after'), (i) => 1000 * ((i + 1) % 4) + 500);
    // the engine shows names as typed: only control bytes and invalid UTF-8 as \xHH
    const typed = NAMES.map(([raw, shown]) => (Buffer.isBuffer(raw) ? shown : raw));
    await driveDiff(browser, scan(['diff', '-q', 'before', 'after'], 'diff.svg'), typed);
});

await t.run();
