// SPDX-License-Identifier: BSD-2-Clause
// Responsiveness with a big graph (not run by run.sh; speed goals are not
// timed tests): renders a deterministic folded profile with about N distinct
// frames (default 50,000) with $DUFLAME, then times in headless Chromium the
// load, a zoom, a search, and a reset, each until the next frame is painted.
//   DUFLAME=build/duflame node tests/browser/bench.mjs [FRAMES]
import { launch, render, fileUrl } from './lib.mjs';

const want = Number(process.argv[2] || 50000);
// a tree with fan-out 6 and depth up to 8; counts from a fixed LCG
let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const lines = [];
let frames = 0;
function gen(prefix, depth) {
    const kids = depth === 0 ? 8 : 6;
    for (let i = 0; i < kids && frames < want; i++) {
        const name = `${prefix.length ? 'fn' : 'root'}_${depth}_${i}_${Math.floor(rnd() * 1000)}`;
        frames++;
        const p = prefix.concat(name);
        if (depth < 7 && rnd() < 0.8) gen(p, depth + 1);
        else lines.push(`${p.join(';')} ${1 + Math.floor(rnd() * 1000)}`);
    }
}
while (frames < want) gen([], 0);
const svg = render(lines.join('\n') + '\n', ['--minwidth', '0']);

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const t0 = Date.now();
await page.goto(fileUrl(svg));
const loadMs = Date.now() - t0;
const res = await page.evaluate(async () => {
    const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const gs = document.getElementById('frames').children;
    const time = async (f) => {
        const t = performance.now();
        f();
        const s = performance.now() - t;
        await painted();
        return [s, performance.now() - t];
    };
    const click = (el) => el.querySelector('rect').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const z = 1; // a frame at depth 1 with a big subtree: nearly every frame
    // and a frame whose subtree holds about 5% of the frames
    const NS = 'urn:duflame:fg';
    const d = Array.from(gs, (g) => Number(g.getAttributeNS(NS, 'd')));
    const size = new Array(gs.length).fill(0);
    const st = [];
    for (let i = 0; i <= gs.length; i++) {
        while (st.length && (i === gs.length || d[st[st.length - 1]] >= d[i])) {
            const k = st.pop();
            size[k] = i - k;
        }
        st.push(i);
    }
    let mid = 1;
    for (let i = 1; i < gs.length; i++)
        if (Math.abs(size[i] - gs.length / 20) < Math.abs(size[mid] - gs.length / 20)) mid = i;
    const out = { frames: gs.length, initMs: document.documentElement.fgState().initMs };
    out.zoomMid = await time(() => click(gs[mid]));
    out.midFrames = size[mid];
    out.unzoomMid = await time(() => document.getElementById('unzoom').dispatchEvent(new MouseEvent('click', { bubbles: true })));
    out.zoom = await time(() => click(gs[z]));
    out.bigFrames = size[z];
    out.unzoom = await time(() => document.getElementById('unzoom').dispatchEvent(new MouseEvent('click', { bubbles: true })));
    window.prompt = () => '_3_';
    out.search = await time(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true })));
    out.zoomSearched = await time(() => click(gs[z]));
    out.escape = await time(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })));
    return out;
});
// search through the URL on a fresh load
const t1 = Date.now();
await page.goto(fileUrl(svg, '?s=' + encodeURIComponent('_3_')));
const searchLoadMs = Date.now() - t1;
const matched = await page.evaluate(() => document.getElementById('matched').textContent);
const fmt = ([s, p]) => `${s.toFixed(0)} ms script, ${p.toFixed(0)} ms to paint`;
console.log(`frames drawn: ${res.frames}; script init on load: ${res.initMs} ms`);
console.log(`load: ${loadMs} ms; load with ?s=: ${searchLoadMs} ms (${matched})`);
console.log(`zoomMid is a subtree of ${res.midFrames} frames, zoom of ${res.bigFrames}`);
for (const k of ['zoomMid', 'unzoomMid', 'zoom', 'unzoom', 'search', 'zoomSearched', 'escape']) console.log(`${k}: ${fmt(res[k])}`);
if (errors.length) console.log('page errors: ' + errors.join('; '));
await browser.close();
