// SPDX-License-Identifier: BSD-2-Clause
// Screenshot an SVG or an HTML page that duflame drew, as headless Chromium
// shows it (used for docs/duflame.png; see README.md). Not a test: run.sh skips it.
//   node tests/browser/screenshot.mjs IN.svg|IN.html OUT.png [--query '?s=REGEX'] [--hover NAME]
//        [--scale N] [--dark] [--height N]
// The viewport is the SVG's own size, or 1200 px wide for a page (as tall as
// the page, at most --height, default 900 px); --hover puts the pointer on the first frame whose
// name is NAME (to show the outline and the details line); --dark asks for
// the dark colour scheme.
import { launch } from './lib.mjs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (k) => {
    const i = args.indexOf(k);
    if (i < 0) return null;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
};
const query = opt('--query') || '';
const hover = opt('--hover');
const scale = Number(opt('--scale') || 1);
const maxH = Number(opt('--height') || 900);
const dark = args.includes('--dark');
if (dark) args.splice(args.indexOf('--dark'), 1);
if (args.length !== 2) {
    console.error('usage: screenshot.mjs IN.svg OUT.png [--query Q] [--hover NAME] [--scale N]');
    process.exit(2);
}
const [inp, out] = args;
const browser = await launch();
async function page_html() {
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 }, deviceScaleFactor: scale,
        colorScheme: dark ? 'dark' : 'light' });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(resolve(inp)).href + query);
    await page.waitForFunction(() => window.duflameView, null, { timeout: 120000 });
    if (hover) {
        const k = await page.evaluate((name) => {
            for (const e of document.querySelectorAll('[role="treeitem"]'))
                if (!e.hidden && e.getAttribute('aria-label').startsWith(name + ', ')) return e.dataset.k;
            return null;
        }, hover);
        if (k == null) throw new Error(`no frame named ${hover}`);
        await page.locator(`[role="treeitem"][data-k="${k}"]`).hover();
    }
    const h = Math.min(maxH, await page.evaluate(() => document.documentElement.scrollHeight));
    await page.setViewportSize({ width: 1200, height: h });
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1200, height: h } });
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    console.log(`${out}: 1200x${h}`);
}
try {
    if (/\.html?$/.test(inp)) await page_html();
    else await page_svg();
} finally {
    await browser.close();
}

async function page_svg() {
    const page = await browser.newPage({ viewport: { width: 400, height: 300 }, deviceScaleFactor: scale });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(resolve(inp)).href + query);
    const size = await page.evaluate(() => {
        const s = document.documentElement;
        return { w: Math.ceil(Number(s.getAttribute('width'))), h: Math.ceil(Number(s.getAttribute('height'))) };
    });
    await page.setViewportSize({ width: size.w, height: size.h });
    if (hover) {
        const i = await page.evaluate((name) => {
            const gs = document.getElementById('frames').children;
            for (let k = 0; k < gs.length; k++) {
                const t = gs[k].querySelector('title').textContent;
                if (t.slice(0, t.lastIndexOf(' (')) === name) return k;
            }
            return -1;
        }, hover);
        if (i < 0) throw new Error(`no frame named ${hover}`);
        await page.locator('#frames > g').nth(i).locator('rect').hover();
    }
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width: size.w, height: size.h } });
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    console.log(`${out}: ${size.w}x${size.h}`);
}
