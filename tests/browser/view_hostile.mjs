// SPDX-License-Identifier: BSD-2-Clause
// Hostile names in the page stay text: no dialog, no foreign element or
// handler, only the page's own three scripts; names show as typed (spaces,
// semicolons, UTF-8) and only control bytes and invalid UTF-8 are escaped; a
// dark-mode screenshot of it is taken.
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { work, scanPage, ready, items } from './viewlib.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { duflame } from './lib.mjs';

const root = join(work, 'hostile');
mkdirSync(root);
const NAMES = ['<img src=x onerror=alert(1)>', '"\'&amp;<b>bold', 'Photos 2024', 'a;b.txt', 'naïve €.txt',
    'javascript:alert(3)', ']]><x>', '${alert(4)}'];
NAMES.forEach((n, i) => writeFileSync(join(root, n), Buffer.alloc(20000 + i * 1000, 1)));
writeFileSync(Buffer.from(join(root, 'ctl\x01name')), Buffer.alloc(30000, 1));
writeFileSync(Buffer.concat([Buffer.from(root + '/bad'), Buffer.from([0xff]), Buffer.from('utf8')]), Buffer.alloc(31000, 1));
const html = scanPage(root, ['-b']);

async function checkDom(page) {
    const bad = await page.evaluate(() => {
        const out = [];
        for (const e of document.getElementsByTagName('*')) {
            if (['img', 'iframe', 'object', 'embed', 'b', 'x'].includes(e.localName)) out.push('element ' + e.localName);
            for (const a of e.attributes)
                if (/^on/i.test(a.localName) || (/^(href|src|action)$/i.test(a.localName) && /^\s*javascript:/i.test(a.value))) out.push(`attribute ${a.name} on ${e.localName}`);
        }
        if (document.scripts.length !== 3) out.push(document.scripts.length + ' script elements');
        return out;
    });
    eq(bad.join('\n'), '', 'unexpected DOM');
}

const t = suite('view_hostile');

t.test('hostile names in a scan are inert and shown as typed', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html, '?s=' + encodeURIComponent('<script>alert(5)</script>|onerror')));
    await ready(page);
    await checkDom(page);
    const labels = (await items(page)).map((i) => i.label.slice(0, i.label.lastIndexOf(', ')));
    for (const n of [...NAMES, 'ctl\\x01name', 'bad\\xffutf8'])
        assert(labels.includes(n), `a frame labelled ${JSON.stringify(n)}: ${JSON.stringify(labels)}`);
    // hover and zoom every hostile frame
    for (const it of await items(page)) {
        if (it.level !== 3) continue;
        await page.locator(`[role="treeitem"][data-k="${it.k}"]`).hover();
        const d = await page.textContent('#dv-details');
        assert(d.startsWith(root + '/'), 'details start with the full path: ' + d);
    }
    await page.goto(fileUrl(html, '?zoom=' + encodeURIComponent(join(root, NAMES[0]))));
    await ready(page);
    eq(await page.evaluate(() => window.duflameView.state().zoom > 0), true, 'zoomed to the hostile name from the URL');
    await checkDom(page);
    eq(p.dialogs.length, 0, 'dialogs');
    noProblems(p);
    await page.close();
});

t.test('hostile frames of folded input are inert in render -o x.html', async (browser) => {
    const inp = join(work, 'hostile.folded');
    const out = join(work, 'hostile-render.html');
    writeFileSync(inp, 'main;</script><script>alert(6)</script> 10\nmain;<!--;x 5\nmain;<style>* {display:none}</style> 7\n');
    execFileSync(duflame(), ['render', '--title', '</title><script>alert(7)</script>', '-o', out, inp]);
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(out));
    await ready(page);
    await checkDom(page);
    const labels = (await items(page)).map((i) => i.label);
    assert(labels.some((l) => l.startsWith('</script><script>alert(6)</script>, 10 samples')), 'frame shown as typed: ' + labels.join(' | '));
    assert((await page.textContent('#dv-title')).startsWith('</title><script>alert(7)</script>'), 'title as text');
    eq(p.dialogs.length, 0, 'dialogs');
    noProblems(p);
    await page.close();
});

t.test('dark mode: by prefers-color-scheme, with a toggle; screenshot', async (browser) => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 }, colorScheme: 'dark' });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(fileUrl(html));
    await ready(page);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await bg();
    const lum = (c) => c.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0);
    assert(lum(dark) < 150, 'dark background by the system preference: ' + dark);
    eq(await page.getAttribute('#dv-dark', 'aria-pressed'), 'true', 'the toggle says dark');
    const shot = join(work, 'dark.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert(statSync(shot).size > 5000, 'a screenshot was written');
    await page.click('#dv-dark');
    assert(lum(await bg()) > 600, 'the toggle turns it light: ' + await bg());
    eq(errors.join('\n'), '', 'page errors');
    await page.close();
});

t.run();
