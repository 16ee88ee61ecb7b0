// SPDX-License-Identifier: BSD-2-Clause
// bench/view-page.mjs PAGE.html [RUNS]: times duflame's HTML page in headless
// Chromium (playwright-core from tests/browser/node_modules). Each run opens
// the page afresh and measures, each until the next frame is painted: the
// first picture after navigation, zoom in, zoom out, metric switch, sort and
// icicle toggles (10 of each: median and 95th percentile), building the search
// index, three searches over every entry, and the JS heap after a garbage
// collection. Prints one JSON object: the median over RUNS (default 5) of
// each number, in milliseconds and bytes. On a loaded machine the wall-clock
// times mostly measure the wait for a core, so it also gives the CPU time
// the page's renderer process spent (Chromium's SystemInfo.getProcessInfo):
// cpu_load_ms from navigation to the first picture, and cpu_*_ms per
// interaction (the average over the 10 of each kind).
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');
const page0 = resolve(process.argv[2]);
const runs = Number(process.argv[3] || 5);

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]; };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc'] });
const bcdp = await browser.newBrowserCDPSession();
/* CPU seconds of every renderer process so far */
const rcpu = async () => (await bcdp.send('SystemInfo.getProcessInfo')).processInfo
    .filter((p) => p.type === 'renderer').reduce((a, p) => a + p.cpuTime, 0) * 1000;
/* another tool's SVG (flamegraph.pl's): only the time to its first picture */
if (/\.svg$/.test(page0)) {
    const wall = [], cpu = [];
    for (let r = 0; r < runs; r++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const c0 = await rcpu(), t0 = Date.now();
        const limit = Number(process.env.SVG_TIMEOUT_MS || 180000);
        try {
            await page.goto(pathToFileURL(page0).href, { timeout: limit, waitUntil: 'load' });
            await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
        } catch (e) {
            console.log(JSON.stringify({ runs, not_shown_within_ms: limit, cpu_ms: Math.round(await rcpu() - c0) }));
            process.exit(0);
        }
        wall.push(Date.now() - t0);
        cpu.push(await rcpu() - c0);
        await page.close();
    }
    await browser.close();
    console.log(JSON.stringify({ runs, first_picture_ms: median(wall), cpu_load_ms: Math.round(median(cpu)) }));
    process.exit(0);
}
const all = [];
for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const c0 = await rcpu();
    await page.goto(pathToFileURL(page0).href, { timeout: 300000 });
    await page.waitForFunction(() => window.duflameView, null, { timeout: 300000 });
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
    const cpuLoad = await rcpu() - c0;
    /* CPU per interaction: 10 of one kind between two readings */
    const cpu = {};
    for (const kind of ['zoom', 'metric', 'sort', 'icicle']) {
        const t0 = await rcpu();
        const n = await page.evaluate(async (kind) => {
            const v = window.duflameView;
            const painted = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
            const fr = v.frames().filter((f) => f.type === 0 && f.d >= 1 && f.d <= 4).sort((a, b) => b.w - a.w);
            const target = fr.length ? (fr.find((f) => f.d === 4) || fr[0]).path : '';
            const keys = ['disk', 'apparent', 'entries'];
            let n = 0;
            for (let i = 0; i < 10; i++) {
                if (kind === 'zoom') { v.zoomTo(target); await painted(); v.zoomTo(''); n++; }
                else if (kind === 'metric') v.setMetric(keys[(i + 2) % 3]);
                else if (kind === 'sort') v.setSort(i % 2 ? 'size' : 'name');
                else v.setIcicle(i % 2 === 0);
                n++;
                await painted();
            }
            v.setMetric('apparent'); v.setSort('size'); v.setIcicle(false);
            await painted();
            return n + 1;
        }, kind);
        cpu[kind] = (await rcpu() - t0) / n;
    }
    const res = await page.evaluate(async () => {
        const v = window.duflameView;
        const painted = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
        await painted();
        const first = v.timings.firstPictureNav;
        const time = async (f) => { const t = performance.now(); f(); await painted(); return performance.now() - t; };
        /* the deepest-reaching big directory: the largest child chain, 3 levels down */
        const fr = v.frames().filter((f) => f.type === 0 && f.d >= 1 && f.d <= 4).sort((a, b) => b.w - a.w);
        const target = fr.length ? (fr.find((f) => f.d === 4) || fr[0]).path : '';
        const zin = [], zout = [], metric = [], sort = [], icicle = [];
        const keys = ['disk', 'apparent', 'entries'];
        for (let i = 0; i < 10; i++) {
            zin.push(await time(() => v.zoomTo(target)));
            zout.push(await time(() => v.zoomTo('')));
            metric.push(await time(() => v.setMetric(keys[(i + 2) % 3])));
            sort.push(await time(() => v.setSort(i % 2 ? 'size' : 'name')));
            icicle.push(await time(() => v.setIcicle(i % 2 === 0)));
        }
        v.setMetric('apparent'); v.setSort('size'); v.setIcicle(false);
        const index = v.buildIndex();
        const searches = [];
        for (const re of ['\\.json$', 'd0001[0-9]/f', 'no-such-entry-anywhere']) searches.push(await time(() => v.search(re)));
        v.search('');
        return { N: v.N, first, zin, zout, metric, sort, icicle, index, searches };
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    /* the JS heap and the typed arrays' backing stores, which live outside it */
    const u = await cdp.send('Runtime.getHeapUsage');
    const heap = u.usedSize + (u.backingStorageSize || 0) + (u.embedderHeapUsedSize || 0);
    res.heap = heap;
    res.cpuLoad = cpuLoad;
    res.cpu = cpu;
    res.errors = errors;
    all.push(res);
    await page.close();
}
await browser.close();
const out = { entries: all[0].N, runs, errors: all.flatMap((r) => r.errors) };
out.first_picture_ms = median(all.map((r) => r.first));
for (const k of ['zin', 'zout', 'metric', 'sort', 'icicle']) {
    out[k + '_ms'] = median(all.map((r) => median(r[k])));
    out[k + '_p95_ms'] = median(all.map((r) => p95(r[k])));
}
out.search_index_ms = median(all.map((r) => r.index));
out.search_ms = median(all.map((r) => median(r.searches)));
out.search_max_ms = median(all.map((r) => Math.max(...r.searches)));
out.heap_bytes = median(all.map((r) => r.heap));
out.cpu_load_ms = median(all.map((r) => r.cpuLoad));
for (const k of ['zoom', 'metric', 'sort', 'icicle']) out[`cpu_${k}_ms`] = median(all.map((r) => r.cpu[k]));
for (const k in out) if (typeof out[k] === 'number' && !Number.isInteger(out[k])) out[k] = Math.round(out[k] * 10) / 10;
console.log(JSON.stringify(out));
