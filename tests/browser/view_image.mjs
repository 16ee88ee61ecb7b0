// SPDX-License-Identifier: BSD-2-Clause
// A container image's page: an OCI layout built here with umoci (two layers
// made with `umoci repack`, each from a fresh bundle, each with its own
// created_by; skipped with a message when umoci is missing) drawn as its
// final file system. Hovering a frame says the layer its bytes came from and
// that layer's command; the layer table lists each layer's command, sizes
// and wasted bytes, and the summary the wasted total and the efficiency;
// the switch opens the image by layer (one child per layer, what each adds,
// the replaced and removed files included) and back; the URL keeps the view.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, statSync, readdirSync, cpSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { suite, openPage, fileUrl, assert, eq, noProblems } from './lib.mjs';
import { work, scanPage, ready, items, param } from './viewlib.mjs';

function have(cmd) {
    try {
        execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
        return true;
    } catch {
        return false;
    }
}

if (!have('umoci')) {
    console.log('ok - view_image: skipped, umoci is not installed (apt-get install umoci)');
    process.exit(0);
}

const dir = join(work, 'image');
mkdirSync(dir, { recursive: true });
const run = (args) => execFileSync('umoci', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
run(['init', '--layout', 'img']);
run(['new', '--image', 'img:t']);
run(['unpack', '--rootless', '--image', 'img:t', 'b1']);
mkdirSync(join(dir, 'b1/rootfs/etc'), { recursive: true });
mkdirSync(join(dir, 'b1/rootfs/usr/bin'), { recursive: true });
writeFileSync(join(dir, 'b1/rootfs/etc/a'), 'aaaa');
writeFileSync(join(dir, 'b1/rootfs/etc/b'), Buffer.alloc(300));
writeFileSync(join(dir, 'b1/rootfs/usr/bin/big'), randomBytes(100000));
run(['repack', '--history.created_by', 'COPY base /', '--image', 'img:t', 'b1']);
run(['unpack', '--rootless', '--image', 'img:t', 'b2']);
rmSync(join(dir, 'b2/rootfs/etc/b'));
writeFileSync(join(dir, 'b2/rootfs/etc/a'), Buffer.alloc(2000));
mkdirSync(join(dir, 'b2/rootfs/var'), { recursive: true });
writeFileSync(join(dir, 'b2/rootfs/var/log'), Buffer.alloc(50));
run(['repack', '--history.created_by', 'RUN make app', '--image', 'img:t', 'b2']);
const img = join(dir, 'img');
let blobs = 0;
for (const f of readdirSync(join(img, 'blobs', 'sha256'))) blobs += statSync(join(img, 'blobs', 'sha256', f)).size;
const html = scanPage(img);

const t = suite('view_image');

t.test('hover says the layer and its command; the table, the waste and the efficiency', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    const rows = await page.evaluate(() => [...document.querySelectorAll('#dv-layers-0 tr')].map((r) => [...r.children].map((c) => c.textContent)));
    eq(rows.length, 3, 'a header and two layers: ' + JSON.stringify(rows));
    eq(rows[1][1], 'COPY base /', 'layer 1 command');
    eq(rows[2][1], 'RUN make app', 'layer 2 command');
    assert(/^sha256:[0-9a-f]{64}$/.test(rows[1][6]), 'layer 1 digest: ' + rows[1][6]);
    // layer 1's etc/a (4 bytes) and etc/b (300) are wasted by layer 2
    eq(rows[1][5], '304 B', 'layer 1 wasted');
    eq(rows[2][5], '0 B', 'layer 2 wasted');
    const sum = await page.textContent('#dv-image-summary-0');
    assert(/2 layers, .* \(304 bytes\) wasted by later layers \(0\.30%\), efficiency 99\.70%/.test(sum), 'summary: ' + sum);

    // the final file system: etc/a from layer 2, usr/bin/big from layer 1
    eq(await page.evaluate((p) => window.duflameView.totalOf(p + '/etc/b'), img), null, 'the removed file is not drawn');
    eq(await page.evaluate((p) => window.duflameView.layerOf(p + '/etc/a'), img), 1, 'etc/a comes from layer 2');
    eq(await page.evaluate((p) => window.duflameView.layerOf(p + '/usr/bin/big'), img), 0, 'usr/bin/big comes from layer 1');
    await page.evaluate((p) => window.duflameView.zoomTo(p + '/usr/bin'), img);
    const its = await items(page);
    const big = its.find((i) => i.label.startsWith('big, '));
    assert(big, 'big drawn: ' + its.map((i) => i.label).join(' | '));
    await page.hover(`[role="treeitem"][aria-label^="big, "]`);
    const d = await page.textContent('#dv-details');
    assert(/From layer 1 of 2: COPY base \/ \(sha256:[0-9a-f]{64}\)/.test(d), 'hover: ' + d);
    await page.evaluate((p) => window.duflameView.zoomTo(p + '/etc'), img);
    await page.hover(`[role="treeitem"][aria-label^="a, "]`);
    assert(/From layer 2 of 2: RUN make app/.test(await page.textContent('#dv-details')), 'hover on etc/a');
    noProblems(p);
    await page.close();
});

t.test('stored bytes of the image add up to its blobs', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html, '?m=stored'));
    await ready(page);
    eq(await page.evaluate(() => window.duflameView.total()), blobs, 'stored total is the sum of the blob files');
    const big = await page.evaluate((x) => window.duflameView.totalOf(x + '/usr/bin/big'), img);
    assert(big > 85000 && big < 115000, 'the random file costs about its size compressed: ' + big);
    noProblems(p);
    await page.close();
});

t.test('the switch shows the image by layer and back', async (browser) => {
    const p = await openPage(browser);
    const page = p.page;
    await page.goto(fileUrl(html));
    await ready(page);
    await Promise.all([page.waitForNavigation(), page.click('#dv-image-layers')]);
    await ready(page);
    eq(await page.evaluate(() => window.duflameView.byLayer()), true, 'the page is by layer');
    eq(new URL(page.url()).searchParams.get('layers'), '1', 'the URL says so');
    // each layer a child of the image: what it adds, replaced and removed files too
    eq(await page.evaluate((x) => window.duflameView.totalOf(x + '/layer-1/etc/b', 1), img), 300, 'layer 1 holds etc/b');
    eq(await page.evaluate((x) => window.duflameView.totalOf(x + '/layer-1/etc/a', 1), img), 4, 'layer 1 holds its etc/a');
    eq(await page.evaluate((x) => window.duflameView.totalOf(x + '/layer-2/etc/a', 1), img), 2000, 'layer 2 holds its etc/a');
    eq(await page.evaluate((x) => window.duflameView.layerOf(x + '/layer-2/var/log'), img), 1, 'layer 2 tag');
    eq(await page.evaluate(() => window.duflameView.total(1)), 100000 + 4 + 300 + 2000 + 50, 'every layer\'s bytes');
    await page.evaluate((x) => window.duflameView.zoomTo(x + '/layer-2'), img);
    eq(await param(page, 'layers'), '1', 'a zoom keeps the view in the URL');
    await page.hover(`[role="treeitem"][aria-label^="etc, "]`);
    assert(/From layer 2 of 2: RUN make app/.test(await page.textContent('#dv-details')), 'hover by layer');
    await Promise.all([page.waitForNavigation(), page.click('#dv-image-final')]);
    await ready(page);
    eq(await page.evaluate(() => window.duflameView.byLayer()), false, 'back to the final file system');
    eq(await page.evaluate(() => window.duflameView.total(1)), 100000 + 2000 + 50, 'the final file system\'s bytes');
    noProblems(p);
    await page.close();
});

t.run();
