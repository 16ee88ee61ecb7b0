// SPDX-License-Identifier: BSD-2-Clause
// Shared helpers for the browser tests: render folded input with the real
// duflame binary ($DUFLAME), open the SVG from a file:// URL in headless
// Chromium, and record every page error, console error and dialog.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FLAME_JS = readFileSync(join(REPO, 'src', 'assets', 'flame.js'), 'utf8');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

export function duflame() {
    const bin = process.env.DUFLAME;
    if (!bin) throw new Error('DUFLAME is not set (path to the duflame binary)');
    return bin;
}

const work = mkdtempSync(join(tmpdir(), 'duflame-browser-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// Render folded text (a string or a Buffer) to an SVG file; returns its path.
let serial = 0;
export function render(folded, args = []) {
    const n = ++serial;
    const inp = join(work, `in${n}.folded`);
    const out = join(work, `out${n}.svg`);
    writeFileSync(inp, folded);
    execFileSync(duflame(), ['render', ...args, '-o', out, inp], { stdio: ['ignore', 'ignore', 'inherit'] });
    return out;
}

export function fileUrl(path, query = '') {
    return pathToFileURL(path).href + query;
}

export async function launch() {
    return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// A page that records what must never happen. `dialogs` answers prompts in order
// (for the Search button / Ctrl-F); any dialog beyond them is an error.
export async function openPage(browser, opts = {}) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = [];
    const answers = opts.answers || [];
    const dialogs = [];
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('dialog', async (d) => {
        dialogs.push({ type: d.type(), message: d.message() });
        if (d.type() === 'prompt' && answers.length) await d.accept(answers.shift());
        else {
            if (!opts.allowDialogs) problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
            await d.dismiss();
        }
    });
    return { page, problems, dialogs, answers };
}

// Everything the tests need about the frames, read from the DOM in one call.
export async function frames(page) {
    return page.evaluate(() => {
        const NS = 'urn:duflame:fg';
        const out = [];
        for (const g of document.getElementById('frames').children) {
            const r = g.querySelector('rect');
            const t = g.querySelector('text');
            const title = g.querySelector('title').textContent;
            out.push({
                w: g.getAttributeNS(NS, 'w'),
                d: Number(g.getAttributeNS(NS, 'd')),
                x: g.getAttributeNS(NS, 'x'),
                title,
                name: title.slice(0, title.lastIndexOf(' (')),
                cls: g.getAttribute('class') || '',
                shown: getComputedStyle(g).display !== 'none',
                opacity: Number(getComputedStyle(g).opacity),
                rx: Number(r.getAttribute('x')),
                rw: Number(r.getAttribute('width')),
                ry: Number(r.getAttribute('y')),
                fill: r.getAttribute('fill'),
                label: t ? t.textContent : '',
                tx: t ? Number(t.getAttribute('x')) : NaN,
            });
        }
        return out;
    });
}

export async function config(page) {
    return page.evaluate(() => {
        const NS = 'urn:duflame:fg';
        const c = document.getElementById('fg-config');
        const svg = document.documentElement;
        const get = (k) => c.getAttributeNS(NS, k);
        return {
            total: get('total'), inverted: get('inverted'), fontsize: Number(get('fontsize')),
            fontwidth: Number(get('fontwidth')), xpad: Number(get('xpad')), nametype: get('nametype'),
            width: Number(svg.getAttribute('width')),
        };
    });
}

export async function text(page, id) {
    return page.evaluate((i) => {
        const e = document.getElementById(i);
        return e ? e.textContent : null;
    }, id);
}

// Parse folded text (as the tests write it: integer counts) into a list of
// [frames, count] with the root "all" first in each stack.
export function parseFolded(folded) {
    const out = [];
    for (const line of folded.split('\n')) {
        if (!line.trim()) continue;
        const k = line.lastIndexOf(' ');
        out.push([['all', ...line.slice(0, k).split(';')], BigInt(line.slice(k + 1))]);
    }
    return out;
}

// The exact percentage text the graph must show: the share of samples under the
// path `zoom` (names from the root, "all" first) whose stack holds a frame whose
// name matches `re`, rounded half up to two decimals, from the input counts;
// `whole` is a --total larger than the samples under the view.
export function expectedMatched(lines, re, zoom = ['all'], whole = 0n) {
    let sum = 0n, total = 0n;
    for (const [stack, c] of lines) {
        if (stack.length < zoom.length || zoom.some((z, i) => stack[i] !== z)) continue;
        total += c;
        if (stack.some((f) => re.test(f))) sum += c;
    }
    if (whole > total) total = whole; // --total
    const q = (sum * 20000n + total) / (2n * total);
    const frac = q % 100n;
    return `Matched: ${q / 100n}.${frac < 10n ? '0' : ''}${frac}%`;
}

// A tiny test runner: each case prints "ok - name" or "not ok - name: why".
export function suite(name) {
    const cases = [];
    return {
        test(title, fn) {
            cases.push([title, fn]);
        },
        async run() {
            let failed = 0;
            const browser = await launch();
            try {
                for (const [title, fn] of cases) {
                    try {
                        await fn(browser);
                        console.log(`ok - ${name}: ${title}`);
                    } catch (e) {
                        failed++;
                        console.log(`not ok - ${name}: ${title}: ${e && e.stack ? e.stack : e}`);
                    }
                }
            } finally {
                await browser.close();
            }
            process.exitCode = failed ? 1 : 0;
        },
    };
}

export function assert(cond, msg) {
    if (!cond) throw new Error(msg);
}

export function eq(a, b, msg) {
    if (a !== b) throw new Error(`${msg}: got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`);
}

export function near(a, b, msg, tol = 0.011) {
    if (!(Math.abs(a - b) <= tol)) throw new Error(`${msg}: got ${a}, want ${b}`);
}

export function noProblems(p) {
    if (p.problems.length) throw new Error(p.problems.join('\n'));
}
