// SPDX-License-Identifier: BSD-2-Clause
// Helpers for the tests of the HTML page (view_*.mjs): build small trees,
// scan them with the real duflame into a page, read the page's treeitems.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, truncateSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { duflame } from './lib.mjs';

export const work = mkdtempSync(join(tmpdir(), 'duflame-view-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// files: { 'a/b/c.txt': size } (sparse files, or real bytes with opts.real) ->
// the tree's directory
let serial = 0;
export function makeTree(files, opts = {}) {
    const root = join(work, `tree${++serial}`);
    mkdirSync(root, { recursive: true });
    for (const [rel, sz] of Object.entries(files)) {
        const p = join(root, rel);
        mkdirSync(dirname(p), { recursive: true });
        if (opts.real) writeFileSync(p, Buffer.alloc(sz, 1));
        else {
            writeFileSync(p, '');
            if (sz) truncateSync(p, sz);
        }
    }
    return root;
}

// scan dir (PATHs) into a page; returns { html, stderr }
export function scanPage(paths, args = []) {
    const html = join(work, `page${++serial}.html`);
    const res = execFileSync(duflame(), [...args, '-q', '-o', html, ...[].concat(paths)], { stdio: ['ignore', 'pipe', 'pipe'] });
    return html;
}

export function folded(paths, args = []) {
    return execFileSync(duflame(), [...args, '-q', '-f', 'folded', ...[].concat(paths)], { encoding: 'utf8' });
}

export async function ready(page) {
    await page.waitForFunction(() => window.duflameView, null, { timeout: 60000 });
}

// the page writes the URL once the view has been quiet a moment: wait for it
export async function settled(page) {
    await page.waitForFunction(() => !window.duflameView.urlPending(), null, { timeout: 10000 });
}

// a parameter of the page's URL, once written
export async function param(page, key) {
    await settled(page);
    return new URL(page.url()).searchParams.get(key);
}

// the treeitems shown: [{ label, level, x, w, key }]
export async function items(page) {
    return page.evaluate(() => [...document.querySelectorAll('[role="tree"] [role="treeitem"]')]
        .filter((e) => !e.hidden)
        .map((e) => ({ label: e.getAttribute('aria-label'), level: Number(e.getAttribute('aria-level')),
            x: parseFloat(e.style.left), w: parseFloat(e.style.width), k: Number(e.dataset.k) })));
}

export async function item(page, label) {
    return page.locator(`[role="treeitem"][aria-label="${label.replace(/["\\]/g, '\\$&')}"]`).first();
}

export function human(b) {
    if (b < 1024) return `${b} B`;
    const u = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
    let v = b / 1024, k = 0;
    while (v >= 1024 && k + 1 < u.length) { v /= 1024; k++; }
    if (v >= 1023.95 && k + 1 < u.length) { v /= 1024; k++; }
    return `${v.toFixed(1)} ${u[k]}`;
}

// the share, as the page prints it, of folded lines (a scan's, with "/"
// joining) whose path or a prefix of it matches re, among lines under zoom
export function expectedShare(foldedText, re, zoom = '') {
    let sum = 0n, total = 0n;
    for (const line of foldedText.split('\n')) {
        if (!line) continue;
        const k = line.lastIndexOf(' ');
        const frames = line.slice(0, k).split(';');
        const c = BigInt(line.slice(k + 1));
        const path = frames.join('/');
        if (zoom && path !== zoom && !path.startsWith(zoom + '/')) continue;
        total += c;
        let p = '';
        for (const f of frames) {
            p = p ? p + '/' + f : f;
            if (re.test(p)) { sum += c; break; }
        }
    }
    const q = (sum * 20000n + total) / (2n * total);
    const fr = q % 100n;
    return `${q / 100n}.${fr < 10n ? '0' : ''}${fr}%`;
}

export function du(args, dir) {
    return Number(execFileSync('du', [...args, dir], { encoding: 'utf8' }).split('\t')[0]);
}
