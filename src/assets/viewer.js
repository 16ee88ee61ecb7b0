/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The page engine: reads the tree embedded by duflame (docs/viewer-data.md),
 * lays out only what the current zoom shows and paints it on a canvas. Every
 * painted frame also gets a transparent element with role="treeitem" on top
 * of it, which takes the mouse, the focus and the keys, and is what assistive
 * technology (and the tests) read. Children too narrow to draw are one
 * aggregate frame ("412 more, 38.1 MiB"); zooming into it shows them.
 * State (zoom, more, s, m, sort, view) lives in the URL.
 * This text must hold neither the end of a CDATA section nor a less-than sign followed by a slash
 * (tools/embed.c refuses both): it is embedded in a CDATA section or a
 * script element.
 */
(function () {
    'use strict';
    var MINW = 2;        /* narrower children than this (CSS px) are aggregated */
    var FH = 18;         /* frame height */
    var FONT = 12;
    var MAXROWS = 1200;  /* canvas height guard */
    var LARGEST = 20;

    var XHTML = 'http://www.w3.org/1999/xhtml', SVGNS = 'http://www.w3.org/2000/svg';
    var inHtml = document.documentElement.namespaceURI === XHTML;
    var cfgEl = document.getElementById('dv-config');
    var dataEl = document.getElementById('dv-data');
    if (!cfgEl || !dataEl) return;

    /* ---- container images: the "by layer" view and the tags ---------------- */
    /* A page of container images may carry a second data block, the images by
     * layer (one child per layer, as --layers draws them); ?layers=1 opens the
     * page on it. */
    var layersEl = document.getElementById('dv-data-layers');
    function imageByLayer() {
        return !!layersEl && new URLSearchParams(location.search).get('layers') === '1';
    }
    function imageDataEl() { return imageByLayer() ? layersEl : dataEl; }
    /* the tags block after the records (docs/viewer-data.md): each node's
     * image * 65536 + layer, -1 for none; null when there is no block */
    function readTags(buf, pos, n) {
        if (pos >= buf.length) return null;
        var tags = new Int32Array(n).fill(-1), at = 0;
        function v() {
            var x = 0, mul = 1, b;
            do { b = buf[pos++]; x += (b & 127) * mul; mul *= 128; } while ((b & 128) && pos < buf.length);
            return x;
        }
        while (pos < buf.length) {
            var gap = v();
            if (!gap) break;
            at += gap - 1;
            var tag = v();
            if (at >= n) break;
            tags[at++] = tag;
        }
        return tags;
    }

    /* the embedded bytes: base64 of raw DEFLATE, both undone natively
     * (Uint8Array.fromBase64 where the browser has it, DecompressionStream) */
    function fromBase64(s) {
        if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(s);
        var bin = atob(s.trim()), u = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
        return u;
    }
    function inflate(bytes) {
        var ds = new DecompressionStream('deflate-raw'), w = ds.writable.getWriter();
        w.write(bytes);
        w.close();
        return new Response(ds.readable).arrayBuffer().then(function (ab) { return new Uint8Array(ab); });
    }
    /* the engine in body once the data is unpacked; a promise */
    function load(body, afterRender) {
        var t0 = performance.now(), el = imageDataEl(), text = el.textContent;
        el.textContent = '';
        return inflate(fromBase64(text)).then(function (buf) { start(body, afterRender, buf, t0); });
    }

    /* n unsigned LEB128 numbers from buf at p into out; the position after */
    function varints(buf, p, out, n) {
        for (var i = 0; i < n; i++) {
            var b = buf[p++];
            if (b < 128) { out[i] = b; continue; }
            var v = b & 127, mul = 128;
            do {
                b = buf[p++];
                v += (b & 127) * mul;
                mul *= 128;
            } while (b & 128);
            out[i] = v;
        }
        return p;
    }

    /* the engine, drawing into body (the page's, or a div in an SVG's
     * foreignObject) from the unpacked data buf; afterRender is called after
     * every drawing */
    function start(body, afterRender, buf, t0) {
        var cfg = JSON.parse(cfgEl.textContent);
        var metrics = cfg.metrics;
        var sep = cfg.sep || '/';
        var scaleDiv = Math.pow(10, cfg.scale || 0);

        /* ---- data ---------------------------------------------------------- */
        var head = new Float64Array(5);
        var pos = varints(buf, 0, head, 5);
        var version = head[0], NW = head[1], N = head[2], NNAMES = head[3], NLEN = head[4];
        if (version !== 2) throw new Error('duflame: unknown data version ' + version);
        /* one string for all names, sliced on demand: a million small strings
         * made up front cost more than the whole parse */
        var nameBytes = buf.subarray(pos, pos + NLEN);
        var namesText = new TextDecoder().decode(nameBytes);
        pos += NLEN;
        var nameStart = new Int32Array(NNAMES + 1);
        (function () {
            for (var k = 0, at = 0; k < NNAMES; k++) {
                nameStart[k] = at;
                at = namesText.indexOf('\n', at) + 1;
                nameStart[k + 1] = at;
            }
        })();
        function nameAt(id) { return namesText.slice(nameStart[id], nameStart[id + 1] - 1); }
        /* the records, a column at a time */
        var parent = new Int32Array(N), size = new Int32Array(N), nameOf = new Int32Array(N);
        var kids = new Int32Array(N);
        pos = varints(buf, pos, kids, N);
        var f1 = buf.slice(pos, pos + N), f2 = buf.slice(pos + N, pos + 2 * N);
        pos = varints(buf, pos + 2 * N, nameOf, N);
        /* where each weight slot's column starts: a slot is decoded when it
         * is first used (below) */
        var own = [], tot = [], colAt = [], slotDone = new Uint8Array(NW);
        for (var m = 0; m < NW; m++) {
            colAt.push(pos);
            for (var left = N; left > 0;) if (buf[pos++] < 128) left--;
        }
        (function tree() {
            /* parents from the child counts, with a stack of open nodes and
             * how many children each still expects */
            var stN = new Int32Array(64), stLeft = new Float64Array(64), sp = 0, nextNew = 0, i;
            for (i = 0; i < N; i++) {
                parent[i] = sp ? stN[sp - 1] : -1;
                if (sp) stLeft[sp - 1]--;
                var nc = kids[i];
                if (nc > 0) {
                    if (sp === stN.length) {
                        var a = new Int32Array(sp * 2), b = new Float64Array(sp * 2);
                        a.set(stN); b.set(stLeft); stN = a; stLeft = b;
                    }
                    stN[sp] = i; stLeft[sp] = nc; sp++;
                } else {
                    while (sp && stLeft[sp - 1] <= 0) sp--;
                }
                /* a name reference: 0 the next new name, k the name k - 1 */
                if (!(f1[i] & 0x10)) { var r = nameOf[i]; nameOf[i] = r ? r - 1 : nextNew++; }
            }
        })();
        var tagOf = readTags(buf, pos, N);
        kids = null;
        size.fill(1);
        (function sums() {
            for (var i = N - 1; i > 0; i--) size[parent[i]] += size[i];
        })();
        /* a slot's own weights, summed into totals in place; the own parts
         * are kept only for a differential tree (diffSetup) */
        function slotTotals(m) {
            var T = new Float64Array(N);
            varints(buf, colAt[m], T, N);
            if (cfg.diff) own[m] = new Float64Array(T);
            for (var i = N - 1; i > 0; i--) T[parent[i]] += T[i];
            slotDone[m] = 1;
            return T;
        }
        /* tot[m] is decoded on its first use: the opening metric (and the
         * entry counts the details line gives) for the first picture, the
         * others while the page is idle after it, or at once when asked for */
        function lazySlot(m) {
            Object.defineProperty(tot, m, {
                configurable: true, enumerable: true,
                get: function () {
                    var T = slotTotals(m);
                    Object.defineProperty(tot, m, { value: T, writable: true, configurable: true, enumerable: true });
                    return T;
                },
            });
        }
        for (m = 0; m < NW; m++) {
            if (cfg.diff) tot.push(slotTotals(m));
            else lazySlot(m);
        }
        var tDecode = performance.now() - t0;
        var countMetric = -1;
        for (m = 0; m < NW; m++) if (metrics[m].unit === 'entries') countMetric = m;

        /* ---- differential (duflame diff) ----------------------------------- */
        /* The data's slots come in pairs, BEFORE and AFTER of a metric
         * (metrics[i].side): one pair for two profiles, three (disk usage,
         * apparent size, entries) for two scans. For each pair a third slot,
         * "both", is made here: each node's own part is the larger of its two
         * own parts, so a frame is as wide as the larger of its two sizes and
         * what went away keeps its area. The page's metrics are then three a
         * pair, 3q + side (0 before, 1 after, 2 both). Every total splits
         * exactly into what stayed, what grew and what went away, summed over
         * the subtree: with Tb, Ta, Tw its totals before, after and both,
         * grew = Tw - Tb, went away = Tw - Ta, stayed = Tb + Ta - Tw. */
        var DIFF = cfg.diff ? diffSetup() : null;
        function diffSetup() {
            var Q = NW >> 1, o2 = [], t2 = [], m2 = [], qs = [], i, q;
            var sideKeys = ['before', 'after', 'both'], sideLabels = ['Before', 'After', 'Both'];
            for (q = 0; q < Q; q++) {
                var ob = own[2 * q], oa = own[2 * q + 1], ow = new Float64Array(N);
                for (i = 0; i < N; i++) ow[i] = ob[i] > oa[i] ? ob[i] : oa[i];
                var tw = Float64Array.from(ow);
                for (i = N - 1; i > 0; i--) tw[parent[i]] += tw[i];
                o2.push(ob, oa, ow);
                t2.push(tot[2 * q], tot[2 * q + 1], tw);
                var mq = metrics[2 * q];
                qs.push({ key: mq.key, label: mq.label, unit: mq.unit });
                for (var sd = 0; sd < 3; sd++) {
                    /* URL keys: before, after (both is the default) for one
                     * pair; disk, disk-before, apparent-after, ... for three */
                    var key = Q === 1 ? sideKeys[sd] : sd === 2 ? mq.key : mq.key + '-' + sideKeys[sd];
                    m2.push({ key: key, label: sideLabels[sd], unit: mq.unit, q: q, side: sd });
                }
            }
            own.length = tot.length = metrics.length = 0;
            Array.prototype.push.apply(own, o2);
            Array.prototype.push.apply(tot, t2);
            Array.prototype.push.apply(metrics, m2);
            var q0 = Math.min(Q - 1, (cfg.metric || 0) >> 1);
            cfg.metric = 3 * q0 + 2;
            return { Q: Q, qs: qs, ranks: cfg.diffRanks || [], rows: cfg.diff.rows || [], base: cfg.diffBase || '', shownQ: -1 };
        }
        /* the metric (pair) and the side shown */
        function diffQ() { return (state.metric / 3) | 0; }
        function diffSide() { return state.metric % 3; }
        /* before, after and the three parts of frame k (for the aggregate
         * frames, of the children they stand for) */
        function diffParts(k) {
            var ns, q = diffQ(), Tb = tot[3 * q], Ta = tot[3 * q + 1], Tw = tot[3 * q + 2], w = 0;
            if (fT[k] === 2 || fT[k] === 3) ns = Array.prototype.slice.call(kidsOf(fA[k], true), fB[k]);
            else ns = [fN[k]];
            var p = { before: 0, after: 0, stay: 0, grew: 0, gone: 0 };
            ns.forEach(function (n) { p.before += Tb[n]; p.after += Ta[n]; w += Tw[n]; });
            p.grew = w - p.before;
            p.gone = w - p.after;
            p.stay = p.before + p.after - w;
            return p;
        }
        /* the parts drawn in the side shown: before has no growth, after
         * nothing that went away */
        function diffSegs(k) {
            var p = diffParts(k), m = diffSide();
            var parts = [['stay', p.stay], ['grew', m === 0 ? 0 : p.grew], ['gone', m === 1 ? 0 : p.gone]];
            var sum = parts[0][1] + parts[1][1] + parts[2][1], x = fX[k], out = [];
            parts.forEach(function (q) {
                if (!(q[1] > 0) || !(sum > 0)) return;
                var w = q[1] / sum * fW[k];
                out.push({ kind: q[0], x: x, w: w });
                x += w;
            });
            return out;
        }
        var diffHatch = null;
        function diffColors() {
            var cs = getComputedStyle(document.documentElement);
            ['--d-stay', '--d-grew', '--d-gone', '--d-hatch'].forEach(function (v) { colors[v] = cs.getPropertyValue(v).trim(); });
            var c = document.createElementNS(XHTML, 'canvas');
            c.width = c.height = 8;
            var g = c.getContext('2d');
            g.fillStyle = colors['--d-gone'];
            g.fillRect(0, 0, 8, 8);
            g.strokeStyle = colors['--d-hatch'];
            g.lineWidth = 2;
            g.beginPath();
            g.moveTo(-2, 10); g.lineTo(10, -2);
            g.moveTo(-2, 2); g.lineTo(2, -2);
            g.moveTo(6, 10); g.lineTo(10, 6);
            g.stroke();
            diffHatch = c;
        }
        /* frame k as its parts: stayed, grew (red), went away (blue, hatched) */
        function diffFill(ctx, k, y) {
            var segs = diffSegs(k), right = fX[k] + Math.max(fW[k] - (fW[k] > 2 ? 0.5 : 0), 0.5);
            segs.forEach(function (s) {
                ctx.fillStyle = s.kind === 'gone' ? ctx.createPattern(diffHatch, 'repeat') : colors['--d-' + s.kind];
                ctx.fillRect(s.x, y, Math.max(Math.min(s.x + s.w, right) - s.x, 0.5), FH - 1);
            });
            if (!segs.length) {
                ctx.fillStyle = colors['--d-stay'];
                ctx.fillRect(fX[k], y, Math.max(right - fX[k], 0.5), FH - 1);
            }
        }
        function diffSigned(b, a) {
            var d = Math.abs(a - b), s = a > b ? '+' : a < b ? '-' : '';
            return s + (isBytes(state.metric) ? human(d) : countText(d));
        }
        /* as the text report says a change: "+1.5 MiB (+12.3%)", "(new)" from 0 */
        function diffChange(b, a) {
            var s = a > b ? '+' : a < b ? '-' : '', amt = diffSigned(b, a);
            if (b === 0) return a > 0 ? amt + ' (new)' : amt + ' (0.0%)';
            return amt + ' (' + s + (Math.abs(a - b) * 100 / b).toFixed(1) + '%)';
        }
        function diffAmount(v) { return isBytes(state.metric) ? human(v) : countText(v) + ' ' + metrics[state.metric].unit; }
        function diffAria(k) {
            var p = diffParts(k);
            return frameName(k) + ', ' + (isBytes(state.metric) ? human(p.before) : countText(p.before)) + ' \u2192 ' + diffAmount(p.after);
        }
        function diffDescribe(k) {
            var p = diffParts(k), lines = [];
            if (fT[k] === 2 || fT[k] === 3) lines.push(frameName(k) + ' in ' + (pathOf(fA[k]) || cfg.title) + ' (too small to draw one by one; click to zoom into them)');
            else lines.push(fN[k] === 0 ? cfg.title : pathOf(fN[k]));
            var what = p.before === 0 && p.after > 0 ? 'new: ' : p.after === 0 && p.before > 0 ? 'removed: ' : '';
            lines.push(what + 'before ' + diffAmount(p.before) + ' \u2192 after ' + diffAmount(p.after) + ', ' + diffChange(p.before, p.after));
            lines.push('stayed ' + diffAmount(p.stay) + ', grew ' + diffAmount(p.grew) + ', went away ' + diffAmount(p.gone));
            return lines.join('\n');
        }
        var diffTotals = null, diffRankAt = null;
        function diffLegend(legend) {
            legend.classList.add('dv-diff-legend');
            legend.appendChild(el('span', { class: 'dv-d-stay' }, 'stayed (in both)'));
            legend.appendChild(el('span', { class: 'dv-d-grew' }, 'grew (only in AFTER)'));
            legend.appendChild(el('span', { class: 'dv-d-gone' }, 'went away (only in BEFORE)'));
            legend.appendChild(el('span', { style: '--c: var(--agg)' }, 'several small entries'));
            diffTotals = el('span', { class: 'dv-d-totals', id: 'dv-d-totals' });
            legend.appendChild(diffTotals);
        }
        /* after each drawing: the legend's totals and the ranking follow the
         * metric shown (a scan's page has the ranking in each) */
        function diffSync() {
            var q = diffQ();
            if (q === DIFF.shownQ) return;
            DIFF.shownQ = q;
            var b = tot[3 * q][0], a = tot[3 * q + 1][0];
            diffTotals.setAttribute('data-before', String(b));
            diffTotals.setAttribute('data-after', String(a));
            diffTotals.setAttribute('data-metric', DIFF.qs[q].key);
            diffTotals.textContent = 'Before ' + diffAmount(b) + ' \u2192 after ' + diffAmount(a) + ', change ' + diffChange(b, a);
            if (DIFF.ranks[q]) DIFF.rows = DIFF.ranks[q].rows || [];
            if (diffRankAt) {
                diffRankAt.textContent = '';
                diffTable(diffRankAt);
            }
        }
        /* the side and metric switches: metricInputs' entries, one per page
         * metric, check the radio buttons of its side and its metric */
        function diffSwitch(mset) {
            var sideIn = ['before', 'after', 'both'].map(function (key, sd) {
                var lab = el('label'), inp = el('input', { type: 'radio', name: 'dv-metric', value: key, id: 'dv-m-' + key });
                lab.appendChild(inp);
                lab.appendChild(document.createTextNode(' ' + ['Before', 'After', 'Both'][sd]));
                mset.appendChild(lab);
                inp.addEventListener('change', function () { if (inp.checked) setMetric(3 * diffQ() + sd); });
                return inp;
            });
            var qIn = [];
            if (DIFF.Q > 1) {
                var qset = el('fieldset', { id: 'dv-qty' });
                qset.appendChild(el('legend', null, 'Size'));
                qIn = DIFF.qs.map(function (x, q) {
                    var lab = el('label'), inp = el('input', { type: 'radio', name: 'dv-qty', value: x.key, id: 'dv-q-' + x.key });
                    lab.appendChild(inp);
                    lab.appendChild(document.createTextNode(' ' + x.label));
                    qset.appendChild(lab);
                    inp.addEventListener('change', function () { if (inp.checked) setMetric(3 * q + diffSide()); });
                    return inp;
                });
                bar.appendChild(qset);
            }
            return metrics.map(function (x) {
                return {
                    set checked(v) {
                        if (!v) return;
                        sideIn[x.side].checked = true;
                        if (qIn.length) qIn[x.q].checked = true;
                    }
                };
            });
        }
        /* the ranking of what changed most, as the text report lists it */
        function diffTable(where) {
            var sec = el('section', { class: 'dv-ranking', id: 'dv-ranking' });
            var d = DIFF.ranks[diffQ()] || cfg.diff;
            sec.appendChild(el('h2', null, 'Changed most' + (d.paths_changed > DIFF.rows.length ? ' (' + DIFF.rows.length + ' of ' + commas(d.paths_changed) + ' paths)' : '')));
            if (!DIFF.rows.length) {
                sec.appendChild(el('p', null, 'Nothing changed.'));
                where.appendChild(sec);
                return;
            }
            var tb = el('table'), hr = el('tr');
            ['Path', 'Before', 'After', 'Change', '%'].forEach(function (h) { hr.appendChild(el('th', { scope: 'col' }, h)); });
            tb.appendChild(hr);
            DIFF.rows.forEach(function (r) {
                var tr = el('tr', { class: 'dv-' + r.mark }), b = r.before * scaleDiv, a = r.after * scaleDiv;
                var td = el('td'), p = r.path, n = resolve(join(DIFF.base, p));
                var label = p + (r.dir && sep === '/' ? '/' : '');
                td.appendChild(n > 0 ? linkTo(n, 0, label) : document.createTextNode(label));
                tr.appendChild(td);
                tr.appendChild(el('td', null, diffAmount(b)));
                tr.appendChild(el('td', null, diffAmount(a)));
                tr.appendChild(el('td', null, diffSigned(b, a)));
                tr.appendChild(el('td', null, r.mark === 'changed' ? (r.percent >= 0 ? '+' : '') + r.percent.toFixed(1) + '%' : r.mark));
                tb.appendChild(tr);
            });
            sec.appendChild(tb);
            where.appendChild(sec);
        }

        function isAgg(i) { return (f1[i] & 0x10) !== 0; }
        function isDir(i) { return (f1[i] & 0x08) !== 0; }
        function nameStr(i) { return isAgg(i) ? nameOf[i] + ' more' : nameAt(nameOf[i]); }

        /* ---- numbers ------------------------------------------------------- */
        function commas(v) {
            var s = String(Math.round(v)), out = '';
            while (s.length > 3) { out = ',' + s.slice(-3) + out; s = s.slice(0, -3); }
            return s + out;
        }
        function human(b) {
            if (b < 1024) return Math.round(b) + ' B';
            var u = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'], v = b / 1024, k = 0;
            while (v >= 1024 && k + 1 < u.length) { v /= 1024; k++; }
            if (v >= 1023.95 && k + 1 < u.length) { v /= 1024; k++; }
            return v.toFixed(1) + ' ' + u[k];
        }
        function isBytes(mi) { return metrics[mi].unit === 'bytes'; }
        function countText(v) {
            var d = v / scaleDiv;
            return (scaleDiv === 1 ? commas(d) : d.toLocaleString('en-US', { maximumFractionDigits: cfg.scale }));
        }
        function sizeShort(v, mi) {
            if (isBytes(mi)) return human(v);
            return countText(v) + ' ' + metrics[mi].unit;
        }
        function sizeLong(v, mi) {
            if (isBytes(mi)) return human(v) + ' (' + commas(v) + ' bytes)';
            return countText(v) + ' ' + metrics[mi].unit;
        }
        function pct(a, b) { return b > 0 ? (100 * a / b).toFixed(2) + '%' : '0.00%'; }
        /* a share rounded half up to two decimals, exactly (integers below 2^53) */
        function exactPct(a, b) {
            if (!(b > 0)) return '0.00%';
            var A = BigInt(Math.round(a)), B = BigInt(Math.round(b));
            var q = (A * 20000n + B) / (2n * B), fr = q % 100n;
            return (q / 100n) + '.' + (fr < 10n ? '0' : '') + fr + '%';
        }

        /* ---- paths --------------------------------------------------------- */
        function join(pp, name) {
            if (pp === '') return name;
            return pp.charAt(pp.length - 1) === sep ? pp + name : pp + sep + name;
        }
        function pathOf(i) {
            var parts = [];
            for (var a = i; a > 0; a = parent[a]) parts.push(isAgg(a) ? '(' + nameOf[a] + ' more)' : nameAt(nameOf[a]));
            var s = '';
            for (var k = parts.length - 1; k >= 0; k--) s = join(s, parts[k]);
            return s;
        }
        function firstChild(i) { return size[i] > 1 ? i + 1 : -1; }
        function resolve(path) {
            var n = 0;
            if (!path) return 0;
            var here = '';
            for (;;) {
                var found = -1;
                for (var c = n + 1, end = n + size[n]; c < end; c += size[c]) {
                    if (isAgg(c)) continue;
                    var p = join(here, nameAt(nameOf[c]));
                    if (p === path) return c;
                    if (path.lastIndexOf(p, 0) === 0 && (p.charAt(p.length - 1) === sep || path.charAt(p.length) === sep)) {
                        found = c;
                        here = p;
                        break;
                    }
                }
                if (found < 0) return -1;
                n = found;
            }
        }

        /* ---- state --------------------------------------------------------- */
        var metricKeys = metrics.map(function (x) { return x.key; });
        var state = { zoom: 0, more: 0, metric: cfg.metric || 0, sort: cfg.sort || 'size', icicle: !!cfg.icicle, search: '' };
        var defaults = { metric: state.metric, sort: state.sort, icicle: state.icicle };

        /* sorted children, cached per order (by name; by size in each
         * metric), so switching back and forth sorts nothing again */
        var sortCaches = new Map();
        function kidsOf(n, bySize) {
            var byName = !bySize && state.sort === 'name';
            var key = byName ? 'name' : 'size' + state.metric;
            var cache = sortCaches.get(key);
            if (!cache || cache.size > 65536) { cache = new Map(); sortCaches.set(key, cache); }
            var hit = cache.get(n);
            if (hit) return hit;
            var ks = [], aggs = [], k;
            for (var c = n + 1, end = n + size[n]; c < end; c += size[c]) (isAgg(c) && byName ? aggs : ks).push(c);
            if (!byName) {
                var T = tot[state.metric];
                ks.sort(function (a, b) { return T[b] - T[a] || a - b; });
            } else {
                /* each name made once, not once per comparison */
                var names = new Map();
                for (k = 0; k < ks.length; k++) names.set(ks[k], nameStr(ks[k]));
                ks.sort(function (a, b) { var x = names.get(a), y = names.get(b); return x < y ? -1 : x > y ? 1 : 0; });
            }
            var out = new Int32Array(ks.length + aggs.length);
            out.set(ks);
            out.set(aggs, ks.length);
            cache.set(n, out);
            return out;
        }
        /* the children of z shown in a "more" view: by size, from index more on */
        function moreSet(z, more) {
            var all = kidsOf(z, true), set = [];
            for (var k = more; k < all.length; k++) set.push(all[k]);
            if (state.sort === 'name') set.sort(function (a, b) {
                if (isAgg(a) !== isAgg(b)) return isAgg(a) ? 1 : -1;
                var x = nameStr(a), y = nameStr(b); return x < y ? -1 : x > y ? 1 : 0;
            });
            return set;
        }
        function viewTotal() {
            var T = tot[state.metric];
            if (!state.more) return T[state.zoom];
            var s = 0, all = kidsOf(state.zoom, true);
            for (var k = state.more; k < all.length; k++) s += T[all[k]];
            return s;
        }

        /* ---- DOM ----------------------------------------------------------- */
        function el(tag, attrs, text) {
            var e = document.createElementNS(XHTML, tag);
            if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
            if (text != null) e.textContent = text;
            return e;
        }
        var h1 = el('h1', { id: 'dv-title' });
        body.appendChild(h1);
        if (cfg.subtitle) body.appendChild(el('p', { class: 'dv-sub', id: 'dv-subtitle' }, cfg.subtitle));
        if (cfg.merged > 0) {
            body.appendChild(el('p', { class: 'dv-note', id: 'dv-note' },
                'This page holds ' + commas(cfg.nodes - cfg.merged) + ' of ' + commas(cfg.nodes) +
                ' entries: the ' + commas(cfg.merged) + ' smallest are merged into ' + commas(cfg.aggregates) +
                ' aggregate frames (--max-entries).'));
        }
        var bar = el('div', { class: 'dv-bar' });
        body.appendChild(bar);
        var mset = el('fieldset', { id: 'dv-metric' });
        mset.appendChild(el('legend', null, DIFF ? 'Show' : 'Size'));
        var metricInputs = DIFF ? diffSwitch(mset) : metrics.map(function (x, k) {
            var lab = el('label'), inp = el('input', { type: 'radio', name: 'dv-metric', value: x.key, id: 'dv-m-' + x.key });
            lab.appendChild(inp);
            lab.appendChild(document.createTextNode(' ' + x.label));
            mset.appendChild(lab);
            inp.addEventListener('change', function () { if (inp.checked) setMetric(k); });
            return inp;
        });
        if (metrics.length > 1) bar.appendChild(mset);
        var sortSel = el('select', { id: 'dv-sort', 'aria-label': 'Sort' });
        sortSel.appendChild(el('option', { value: 'size' }, 'Largest first'));
        sortSel.appendChild(el('option', { value: 'name' }, 'By name'));
        bar.appendChild(sortSel);
        var icicleBtn = el('button', { id: 'dv-icicle', type: 'button', 'aria-pressed': 'false' }, 'Icicle');
        bar.appendChild(icicleBtn);
        var darkBtn = el('button', { id: 'dv-dark', type: 'button', 'aria-pressed': 'false' }, 'Dark');
        bar.appendChild(darkBtn);
        var searchIn = el('input', { id: 'dv-search', type: 'search', placeholder: 'Search paths (regular expression)', 'aria-label': 'Search paths by regular expression', spellcheck: 'false' });
        bar.appendChild(searchIn);
        var matchedEl = el('span', { id: 'dv-matched', 'aria-live': 'polite' });
        bar.appendChild(matchedEl);
        var crumbs = el('nav', { class: 'dv-crumbs', id: 'dv-crumbs', 'aria-label': 'Zoom path' });
        body.appendChild(crumbs);
        var chart = el('div', { class: 'dv-chart', id: 'dv-chart' });
        var canvas = el('canvas', { id: 'dv-canvas', 'aria-hidden': 'true' });
        var treeEl = el('div', { class: 'dv-tree', id: 'dv-tree', role: 'tree', 'aria-label': 'Flame graph: ' + cfg.title });
        chart.appendChild(canvas);
        chart.appendChild(treeEl);
        body.appendChild(chart);
        var details = el('div', { class: 'dv-details', id: 'dv-details', 'aria-live': 'polite' });
        body.appendChild(details);
        var legend = el('div', { class: 'dv-legend', id: 'dv-legend' });
        body.appendChild(legend);
        var largest = el('section', { class: 'dv-largest', id: 'dv-largest' });
        var largestH = el('h2', null, 'Largest files');
        var largestOl = el('ol');
        largest.appendChild(largestH);
        largest.appendChild(largestOl);
        body.appendChild(largest);
        var imagePanel = cfg.images ? imageSection() : null;

        if (DIFF) {
            diffRankAt = el('div');
            body.insertBefore(diffRankAt, largest);
            largest.hidden = true;
        }
        var kindNames = ['other', 'source', 'object/binary', 'archive', 'image', 'audio/video', 'document'];
        if (DIFF) diffLegend(legend);
        else (function () {
            var seen = new Uint8Array(8);
            for (var i = 0; i < N; i++) seen[isDir(i) ? 7 : f1[i] & 7] = 1;
            if (seen[7]) legend.appendChild(el('span', { style: '--c: var(--dir)' }, 'directory'));
            for (var k = 0; k < 7; k++) if (seen[k]) legend.appendChild(el('span', { style: '--c: var(--k' + k + ')' }, kindNames[k]));
            legend.appendChild(el('span', { style: '--c: var(--agg)' }, 'several small entries'));
        })();

        /* ---- layout -------------------------------------------------------- */
        /* frames: parallel arrays; type 0 a node, 1 an ancestor of the view,
         * 2 the aggregate of the too-narrow children of node fA[k] (starting at
         * index fB[k] of its children by size), 3 the "more" view's own root */
        var fN = [], fX = [], fW = [], fD = [], fT = [], fA = [], fB = [], fS = [];
        var maxRow = 0, width = 0;
        function addFrame(n, x, w, d, type, a, b, s) {
            fN.push(n); fX.push(x); fW.push(w); fD.push(d); fT.push(type); fA.push(a); fB.push(b); fS.push(s);
            if (d > maxRow) maxRow = d;
        }
        /* read once and on resize: reading it in every layout would force the
         * browser to lay the page out again first */
        function measureWidth() {
            width = Math.max(200, chart.clientWidth || document.documentElement.clientWidth - 24);
        }
        function layout() {
            fN = []; fX = []; fW = []; fD = []; fT = []; fA = []; fB = []; fS = [];
            maxRow = 0;
            if (!width) measureWidth();
            var T = tot[state.metric];
            var z = state.zoom, anc = [];
            for (var a = z; a >= 0; a = parent[a]) anc.push(a);
            anc.reverse();
            var d0 = anc.length - 1;
            for (var k = 0; k < anc.length; k++) addFrame(anc[k], 0, width, k, anc[k] === z && !state.more ? 0 : 1, -1, 0, T[anc[k]]);
            var stack = [];
            if (state.more) {
                var set = moreSet(z, state.more), vt = viewTotal();
                addFrame(-1, 0, width, d0 + 1, 3, z, state.more, vt);
                d0 += 1;
                var x = 0;
                placeKids(set, vt, 0, width, d0, z, state.more, stack);
            } else {
                stack.push(z, 0, width, d0);
            }
            while (stack.length) {
                var d = stack.pop(), w = stack.pop(), x0 = stack.pop(), n = stack.pop();
                if (d >= MAXROWS || !(T[n] > 0)) continue;
                x0 += ownOf(n, T) / T[n] * w;
                placeKids(kidsOf(n, false), T[n], x0, w, d, n, -1, stack);
            }
        }
        /* lay out children ks of n (whose total tn spans w px) from x; the ones
         * narrower than MINW become one aggregate frame after the others */
        function placeKids(ks, tn, x, w, d, n, moreBase, stack) {
            var T = tot[state.metric], narrow = 0, nsum = 0, first = -1;
            for (var k = 0; k < ks.length; k++) {
                var c = ks[k], cw = tn > 0 ? T[c] / tn * w : 0;
                if (cw >= MINW) {
                    addFrame(c, x, cw, d + 1, 0, -1, 0, T[c]);
                    x += cw;
                    if (size[c] > 1) stack.push(c, x - cw, cw, d + 1);
                } else {
                    narrow++;
                    nsum += T[c];
                    if (first < 0) first = c;
                }
            }
            if (narrow === 1 && !isAgg(first)) {
                addFrame(first, x, nsum / tn * w, d + 1, 0, -1, 0, nsum);
            } else if (narrow) {
                /* where the narrow ones start among n's children by size */
                var start;
                if (moreBase >= 0) start = moreBase + (ks.length - narrow);
                else start = kidsOf(n, true).length - narrow;
                addFrame(-1, x, tn > 0 ? nsum / tn * w : 0, d + 1, 2, n, start, nsum);
            }
        }
        /* a node's own part: its total less its children's */
        function ownOf(n, T) {
            var s = T[n];
            for (var c = n + 1, end = n + size[n]; c < end; c += size[c]) s -= T[c];
            return s > 0 ? s : 0;
        }
        function aggCount(k) { return kidsOf(fA[k], true).length - fB[k]; }

        /* ---- painting ------------------------------------------------------ */
        var colors = {};
        function readColors() {
            var cs = getComputedStyle(document.documentElement);
            ['--dir', '--k0', '--k1', '--k2', '--k3', '--k4', '--k5', '--k6', '--agg', '--label', '--bg', '--match', '--dim', '--line'].forEach(function (v) {
                colors[v] = cs.getPropertyValue(v).trim();
            });
            if (DIFF) diffColors();
        }
        var charW = FONT * 0.6, charMeasured = false;
        var matchSet = null; /* per drawn frame, whether its path matches */
        function frameName(k) {
            if (fT[k] === 2 || fT[k] === 3) return commas(fT[k] === 3 ? kidsOf(fA[k], true).length - fB[k] : aggCount(k)) + ' more';
            return fN[k] === 0 && NW ? (cfg.rootLabel || nameStr(0)) : nameStr(fN[k]);
        }
        function rowY(d) { return state.icicle ? d * FH : (maxRow - d) * FH; }
        function paint() {
            var dpr = window.devicePixelRatio || 1, h = (maxRow + 1) * FH;
            /* a new size reallocates the canvas: only when it changes */
            var cw = Math.round(width * dpr), ch = Math.round(h * dpr);
            if (canvas.width !== cw || canvas.height !== ch) {
                canvas.width = cw;
                canvas.height = ch;
                canvas.style.width = width + 'px';
                canvas.style.height = h + 'px';
                chart.style.height = h + 'px';
            }
            var ctx = canvas.getContext('2d');
            ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
            ctx.clearRect(0, 0, width, h);
            ctx.font = FONT + 'px system-ui, Verdana, sans-serif';
            if (!charMeasured) {
                charW = ctx.measureText('abcdefghijklmnopqrstuvwxyz0123456789.').width / 37 || charW;
                charMeasured = true;
            }
            ctx.textBaseline = 'middle';
            var dim = parseFloat(colors['--dim']) || 0.55;
            for (var k = 0; k < fN.length; k++) {
                var x = fX[k], w = fW[k], y = rowY(fD[k]), n = fN[k];
                if (w <= 0) continue;
                var agg = fT[k] >= 2 || (n >= 0 && isAgg(n));
                var c = agg ? colors['--agg'] : isDir(n) ? colors['--dir'] : colors['--k' + (f1[n] & 7)];
                if (matchSet && matchSet[k]) c = colors['--match'];
                ctx.globalAlpha = fT[k] === 1 || fT[k] === 3 ? dim : 1;
                ctx.fillStyle = c;
                if (DIFF && !(n >= 0 && isAgg(n)) && !(matchSet && matchSet[k])) diffFill(ctx, k, y);
                else ctx.fillRect(x, y, Math.max(w - (w > 2 ? 0.5 : 0), 0.5), FH - 1);
                if (n >= 0 && (f2[n] & 1)) {
                    ctx.strokeStyle = 'rgb(200,0,0)';
                    ctx.setLineDash([3, 2]);
                    ctx.strokeRect(x + 0.5, y + 0.5, Math.max(w - 1.5, 0.5), FH - 2);
                    ctx.setLineDash([]);
                }
                ctx.globalAlpha = 1;
                if (w < charW * 3 + 6) continue;
                var label = frameName(k), size = sizeShort(fS[k], state.metric);
                var room = Math.floor((w - 6) / charW);
                if (label.length + size.length + 1 <= room) label = label + ' ' + size;
                else if (label.length > room) label = label.slice(0, room - 2) + '..';
                ctx.fillStyle = colors['--label'];
                ctx.fillText(label, x + 3, y + FH / 2);
            }
        }

        /* ---- accessible items ---------------------------------------------- */
        var items = [], focusNode = null;
        function frameKey(k) { return fT[k] === 2 ? 'a' + fA[k] : fT[k] === 3 ? 'm' + fA[k] : 'n' + fN[k]; }
        function ariaLabel(k) { if (DIFF) return diffAria(k); return frameName(k) + ', ' + sizeShort(fS[k], state.metric); }
        /* what each item was last given: the DOM is touched only where a
         * frame changed, since style and attribute changes are what a
         * render costs most */
        var itLabel = [], itLevel = [], itX = [], itY = [], itW = [], itTab = [];
        function syncItems() {
            var nf = fN.length, frag = null;
            while (items.length < nf) {
                var it = document.createElementNS(XHTML, 'div');
                it.setAttribute('role', 'treeitem');
                it.dataset.k = items.length;
                it.tabIndex = -1;
                it.style.height = (FH - 1) + 'px';
                if (!frag) frag = document.createDocumentFragment();
                frag.appendChild(it);
                items.push(it);
                itLabel.push(''); itLevel.push(0); itX.push(NaN); itY.push(NaN); itW.push(NaN); itTab.push(-1);
            }
            if (frag) treeEl.appendChild(frag);
            var focusK = -1, zoomK = 0;
            for (var k = 0; k < nf; k++) {
                var e = items[k];
                if (e.hidden) e.hidden = false;
                var lab = ariaLabel(k);
                if (itLabel[k] !== lab) { e.setAttribute('aria-label', lab); itLabel[k] = lab; }
                if (itLevel[k] !== fD[k] + 1) { itLevel[k] = fD[k] + 1; e.setAttribute('aria-level', itLevel[k]); }
                var x = fX[k], y = rowY(fD[k]), w = Math.max(fW[k], 0);
                if (itX[k] !== x) { e.style.left = x + 'px'; itX[k] = x; }
                if (itY[k] !== y) { e.style.top = y + 'px'; itY[k] = y; }
                if (itW[k] !== w) { e.style.width = w + 'px'; itW[k] = w; }
                if (focusNode !== null && frameKey(k) === focusNode) focusK = k;
                if ((fT[k] === 0 && fN[k] === state.zoom && !state.more) || (fT[k] === 3)) zoomK = k;
            }
            for (k = nf; k < items.length; k++) if (!items[k].hidden) items[k].hidden = true;
            var tk = nf ? (focusK >= 0 ? focusK : zoomK) : -1;
            for (k = 0; k < items.length; k++) {
                var want = k === tk ? 0 : -1;
                if (itTab[k] !== want) { items[k].tabIndex = want; itTab[k] = want; }
            }
            return focusK >= 0 ? focusK : zoomK;
        }

        /* ---- search -------------------------------------------------------- */
        var index = null; /* { text, start: Int32Array } every embedded path, one a line */
        /* the text of every path, one a line (line i is node i), made as UTF-8
         * bytes from the names' bytes and decoded once: a million path strings
         * made one by one would cost seconds. It is built in slices while the
         * page is idle after the first picture; a search before it is done
         * finishes it at once. */
        var ib = null;
        function indexStep(budgetMs) {
            if (index) return true;
            var t = performance.now(), i, p, k;
            if (!ib) {
                var byteStart = new Int32Array(NNAMES + 1);
                for (k = 0, i = 0; k < NNAMES; k++) {
                    byteStart[k] = i;
                    i = nameBytes.indexOf(10, i) + 1;
                    byteStart[k + 1] = i;
                }
                var sepB = new TextEncoder().encode(sep);
                ib = { phase: 0, i: 1, byteStart: byteStart, sepB: sepB, plenB: new Int32Array(N), plenC: new Int32Array(N),
                    endSep: new Uint8Array(N), startB: new Int32Array(N + 1), start: new Int32Array(N + 1), out: null, ms: 0 };
                ib.startB[1] = ib.start[1] = 1;
            }
            var b = ib, bs = b.byteStart, sb = b.sepB.length, sepLast = b.sepB[sb - 1];
            var plenB = b.plenB, plenC = b.plenC, endSep = b.endSep, startB = b.startB, start = b.start;
            while (performance.now() - t < budgetMs) {
                var stop = Math.min(N, b.i + 65536);
                if (b.phase === 0) {
                    for (i = b.i; i < stop; i++) {
                        p = parent[i];
                        var id = isAgg(i) ? -1 : nameOf[i];
                        var nb = id < 0 ? 0 : bs[id + 1] - bs[id] - 1;
                        var nc = id < 0 ? 0 : nameStart[id + 1] - nameStart[id] - 1;
                        var joined = p === 0 || endSep[p] ? 0 : 1;
                        plenB[i] = (p === 0 ? 0 : plenB[p]) + joined * sb + nb;
                        plenC[i] = (p === 0 ? 0 : plenC[p]) + joined * sep.length + nc;
                        endSep[i] = nb > 0 && nameBytes[bs[id] + nb - 1] === sepLast ? 1 : 0;
                        startB[i + 1] = startB[i] + plenB[i] + 1;
                        start[i + 1] = start[i] + plenC[i] + 1;
                    }
                    b.i = stop;
                    if (stop === N) { b.phase = 1; b.i = 1; b.out = new Uint8Array(startB[N]); b.out[0] = 10; }
                } else if (b.phase === 1) {
                    var out = b.out, sepB = b.sepB;
                    for (i = b.i; i < stop; i++) {
                        p = parent[i];
                        var w = startB[i], j, e;
                        if (p !== 0) {
                            out.copyWithin(w, startB[p], startB[p] + plenB[p]);
                            w += plenB[p];
                            if (!endSep[p]) for (j = 0; j < sb; j++) out[w++] = sepB[j];
                        }
                        if (!isAgg(i)) for (j = bs[nameOf[i]], e = bs[nameOf[i] + 1] - 1; j < e; j++) out[w++] = nameBytes[j];
                        out[w] = 10;
                    }
                    b.i = stop;
                    if (stop === N) b.phase = 2;
                } else {
                    index = { text: new TextDecoder().decode(b.out), start: start };
                    b.ms += performance.now() - t;
                    index.ms = b.ms;
                    ib = null;
                    return true;
                }
            }
            b.ms += performance.now() - t;
            return false;
        }
        function buildIndex() {
            indexStep(Infinity);
            return index;
        }
        function buildIdle() {
            if (index) return;
            var go2 = function (dl) {
                var ms = dl && dl.timeRemaining ? Math.max(5, Math.min(20, dl.timeRemaining())) : 20;
                for (var m = 0; m < NW; m++) if (!slotDone[m]) { void tot[m]; return buildIdle(); }
                if (!indexStep(ms)) buildIdle();
            };
            if (window.requestIdleCallback) requestIdleCallback(go2, { timeout: 1000 });
            else setTimeout(go2, 50);
        }
        function lineOf(pos0) {
            var s = index.start, lo = 0, hi = N - 1;
            while (lo < hi) {
                var mid = (lo + hi + 1) >> 1;
                if (s[mid] <= pos0) lo = mid; else hi = mid - 1;
            }
            return lo;
        }
        var search = null; /* { re, one, top: matched nodes without a matched ancestor in the view, all } */
        function runSearch() {
            matchSet = null;
            if (!state.search) { search = null; return; }
            /* the same search in the same view (a metric, sort or layout
             * change): the matched nodes are the same */
            var key = state.zoom + ':' + state.more + ':' + state.search;
            if (search && search.key === key) return;
            var re, one;
            try {
                re = new RegExp(state.search, 'gm');
                one = new RegExp(state.search, 'm');
            } catch (e) {
                search = { bad: true };
                return;
            }
            buildIndex();
            var t = performance.now();
            var ix = index, z = state.zoom, top = [], all = false;
            /* Without lookarounds, a match that lies within one line says
             * that line matches (^, $ and \b see the same at a line's ends
             * as in the line alone); other matches are checked on the line. */
            var local = !/\(\?<?[=!]/.test(state.search);
            /* the view frame or one of its ancestors matches: the whole view */
            for (var a = z; a > 0; a = parent[a]) if (one.test(pathOf(a))) { all = true; break; }
            if (!all) {
                var from = z + 1, to = z + size[z], inSet = null;
                if (state.more) {
                    inSet = new Set(moreSet(z, state.more));
                }
                re.lastIndex = ix.start[from];
                var limit = ix.start[to];
                while (from < to) {
                    var mm = re.exec(ix.text);
                    if (!mm || mm.index >= limit) break;
                    var i = lineOf(mm.index);
                    if (i < from) i = from;
                    var ok = !isAgg(i) && ((local && mm.index >= ix.start[i] && mm.index + mm[0].length < ix.start[i + 1]) ||
                        one.test(ix.text.slice(ix.start[i], ix.start[i + 1] - 1)));
                    if (ok && inSet) {
                        var c = i;
                        while (parent[c] !== z) c = parent[c];
                        ok = inSet.has(c);
                    }
                    if (ok) {
                        top.push(i);
                        from = i + size[i];
                    } else {
                        from = i + 1;
                    }
                    re.lastIndex = ix.start[from];
                }
            }
            search = { re: one, top: top, all: all, key: key, ms: performance.now() - t };
        }
        function showMatched() {
            matchedEl.classList.remove('bad');
            if (!search) { matchedEl.textContent = ''; return; }
            if (search.bad) { matchedEl.textContent = 'Invalid regular expression'; matchedEl.classList.add('bad'); return; }
            var T = tot[state.metric], vt = viewTotal(), sum = 0, count = 0;
            if (search.all) sum = vt;
            else for (var k = 0; k < search.top.length; k++) sum += T[search.top[k]];
            matchedEl.textContent = 'Matched: ' + exactPct(sum, vt) + ' (' + sizeShort(sum, state.metric) + ')';
            matchedEl.dataset.sum = String(sum);
            matchedEl.dataset.total = String(vt);
        }
        function markMatches() {
            if (!search || search.bad) { matchSet = null; return; }
            matchSet = new Uint8Array(fN.length);
            for (var k = 0; k < fN.length; k++) {
                if (fT[k] >= 2 || fN[k] <= 0 || isAgg(fN[k])) continue;
                if (search.re.test(pathOf(fN[k]))) matchSet[k] = 1;
            }
        }

        /* ---- the rest of the view ----------------------------------------- */
        function viewLabel() {
            var p = pathOf(state.zoom);
            return p === '' ? cfg.title : p;
        }
        function showTitle() {
            var T = tot[state.metric][0];
            var h = DIFF && diffSide() === 2
                ? cfg.title + ' \u2014 ' + diffAmount(tot[state.metric - 2][0]) + ' \u2192 ' + diffAmount(tot[state.metric - 1][0])
                : cfg.title + ' \u2014 ' + (metrics.length > 1 ? metrics[state.metric].label + ' ' : '') + sizeLong(T, state.metric);
            if (h1.textContent !== h) h1.textContent = h;
        }
        function linkTo(zoom, more, text) {
            var a = el('a', { href: urlFor({ zoom: zoom, more: more }) }, text);
            a.addEventListener('click', function (ev) {
                ev.preventDefault();
                go({ zoom: zoom, more: more });
            });
            return a;
        }
        function showCrumbs() {
            crumbs.textContent = '';
            var anc = [];
            for (var a = state.zoom; a >= 0; a = parent[a]) anc.push(a);
            anc.reverse();
            anc.forEach(function (n, k) {
                if (k) crumbs.appendChild(el('span', { class: 'sep', 'aria-hidden': 'true' }, '\u203a'));
                var label = n === 0 ? cfg.title : nameStr(n);
                if (n === state.zoom && !state.more) crumbs.appendChild(el('span', { 'aria-current': 'page' }, label));
                else crumbs.appendChild(linkTo(n, 0, label));
            });
            if (state.more) {
                crumbs.appendChild(el('span', { class: 'sep', 'aria-hidden': 'true' }, '\u203a'));
                crumbs.appendChild(el('span', { 'aria-current': 'page' }, commas(kidsOf(state.zoom, true).length - state.more) + ' more'));
            }
        }
        var largestKey = '', largestCache = new Map();
        /* the largest files below the view: one pass over its subtree, kept
         * for the last views seen */
        function largestBelow() {
            var T = tot[state.metric], best = [], bestV = [], ranges = [];
            if (state.more) moreSet(state.zoom, state.more).forEach(function (c) { ranges.push(c, c + size[c]); });
            else ranges.push(state.zoom, state.zoom + size[state.zoom]);
            for (var r = 0; r < ranges.length; r += 2) {
                for (var i = ranges[r], end = ranges[r + 1]; i < end; i++) {
                    if ((f1[i] & 0x18) !== 0 || size[i] > 1) continue;
                    var v = T[i];
                    if (best.length === LARGEST && v <= bestV[LARGEST - 1]) continue;
                    var k = best.length < LARGEST ? best.length : LARGEST - 1;
                    while (k > 0 && bestV[k - 1] < v) { best[k] = best[k - 1]; bestV[k] = bestV[k - 1]; k--; }
                    best[k] = i; bestV[k] = v;
                }
            }
            return best;
        }
        function showLargest() {
            var key = state.zoom + ':' + state.more + ':' + state.metric;
            if (key === largestKey) return;
            largestKey = key;
            var best = largestCache.get(key);
            if (!best) {
                best = largestBelow();
                if (largestCache.size > 64) largestCache.clear();
                largestCache.set(key, best);
            }
            var T = tot[state.metric];
            largestH.textContent = state.zoom || state.more ? 'Largest files below ' + (state.more ? commas(kidsOf(state.zoom, true).length - state.more) + ' more in ' : '') + viewLabel() : 'Largest files';
            largestOl.textContent = '';
            best.forEach(function (n) {
                var li = el('li');
                li.appendChild(linkTo(n, 0, pathOf(n)));
                li.appendChild(el('span', { class: 'size' }, sizeShort(T[n], state.metric)));
                largestOl.appendChild(li);
            });
        }
        function describe(k) {
            if (DIFF) return diffDescribe(k);
            var T = tot[state.metric], mi = state.metric, total = T[0], lines = [];
            var v = fS[k], par;
            if (fT[k] === 2 || fT[k] === 3) {
                var cnt = fT[k] === 3 ? kidsOf(fA[k], true).length - fB[k] : aggCount(k);
                lines.push(commas(cnt) + ' more in ' + (pathOf(fA[k]) || cfg.title) + ' (too small to draw one by one; click to zoom into them)');
                par = T[fA[k]];
            } else {
                var n = fN[k];
                if (isAgg(n)) lines.push(pathOf(n) + ': ' + commas(nameOf[n]) + ' entries merged when the page was written (--max-entries)');
                else lines.push(n === 0 ? cfg.title : pathOf(n));
                par = n > 0 ? T[parent[n]] : v;
                var marks = [];
                if (f2[n] & 1) marks.push('unreadable');
                if (f2[n] & 2) marks.push('archive');
                if (f2[n] & 4) marks.push('label only');
                if (f2[n] & 8) marks.push('hard link');
                if (f2[n] & 16) marks.push('symbolic link');
                if (f2[n] & 64) marks.push('encrypted');
                if (marks.length) lines[0] += ' [' + marks.join(', ') + ']';
            }
            lines.push(sizeLong(v, mi));
            lines.push(pct(v, total) + ' of the total, ' + pct(v, par) + ' of its parent');
            if (fT[k] === 0 || fT[k] === 1) {
                var n2 = fN[k];
                if (countMetric >= 0 && countMetric !== mi) lines[lines.length - 1] += ', ' + commas(tot[countMetric][n2]) + ' entries';
                else if (size[n2] > 1) lines[lines.length - 1] += ', ' + commas(size[n2] - 1) + ' entries below';
                imageLines(lines, n2);
            }
            return lines.join('\n');
        }

        /* ---- container images ---------------------------------------------- */
        /* cfg.images: each image's layers (digest, command, sizes, wasted
         * bytes); tagOf: each node's image and layer */
        function imageOf(n) { return tagOf && n >= 0 && tagOf[n] >= 0 ? Math.floor(tagOf[n] / 65536) : -1; }
        function layerOf(n) { return tagOf && n >= 0 && tagOf[n] >= 0 ? tagOf[n] % 65536 : -1; }
        function imageCommand(l) {
            var c = l.createdBy || '';
            var nop = c.indexOf('#(nop) ');
            return nop >= 0 ? c.slice(nop + 7) : c;
        }
        function imageSummary(im) {
            var w = im.wasted, t = im.total;
            return im.layers.length + ' layers, ' + human(t) + ' in its layers, ' + human(w) + ' (' + commas(w) + ' bytes) wasted by later layers (' +
                pct(w, t) + '), efficiency ' + (t > 0 ? (100 - 100 * w / t).toFixed(2) + '%' : '100.00%') + '; ' + human(im.stored) + ' stored';
        }
        function imageLines(lines, n) {
            if (!cfg.images) return;
            for (var i = 0; i < cfg.images.length; i++)
                if (!imageByLayer() && pathOf(n) === cfg.images[i].path && n > 0) lines.push('Image of ' + imageSummary(cfg.images[i]));
            var im = cfg.images[imageOf(n)], l = layerOf(n);
            if (!im || !im.layers[l]) return;
            var ly = im.layers[l], cmd = imageCommand(ly);
            lines.push('From layer ' + (l + 1) + ' of ' + im.layers.length + (cmd ? ': ' + cmd : '') + ' (' + ly.digest + ')');
        }
        function imageSection() {
            var sec = el('section', { class: 'dv-image', id: 'dv-image' });
            body.insertBefore(sec, largest);
            cfg.images.forEach(function (im, i) {
                sec.appendChild(el('h2', null, 'Container image ' + im.path));
                sec.appendChild(el('p', { class: 'dv-image-summary', id: 'dv-image-summary-' + i }, im.byLayer ? im.layers.length + ' layers; ' + human(im.stored) + ' stored' : imageSummary(im)));
                var tb = el('table', { class: 'dv-layers', id: 'dv-layers-' + i }), hr = el('tr');
                ['Layer', 'Command', 'Size', 'Entries', 'Stored', 'Wasted', 'Digest'].forEach(function (h) { hr.appendChild(el('th', { scope: 'col' }, h)); });
                tb.appendChild(hr);
                im.layers.forEach(function (ly, k) {
                    var tr = el('tr'), td = el('td'), node = resolve(im.path + sep + 'layer-' + (k + 1));
                    if (imageByLayer() && node > 0) td.appendChild(linkTo(node, 0, String(k + 1)));
                    else td.textContent = String(k + 1);
                    tr.appendChild(td);
                    tr.appendChild(el('td', { class: 'cmd' }, imageCommand(ly)));
                    tr.appendChild(el('td', { class: 'size' }, human(ly.bytes)));
                    tr.appendChild(el('td', { class: 'size' }, commas(ly.entries)));
                    tr.appendChild(el('td', { class: 'size' }, human(ly.stored)));
                    tr.appendChild(el('td', { class: 'size' }, human(ly.wasted)));
                    tr.appendChild(el('td', { class: 'digest' }, ly.digest));
                    tb.appendChild(tr);
                });
                sec.appendChild(tb);
            });
            if (layersEl) {
                /* the switch: the final file system or the layers, each its
                 * own page load (the other data block) */
                var fs = el('fieldset', { id: 'dv-image-view' });
                fs.appendChild(el('legend', null, 'Show the image'));
                [['final', 'Final file system'], ['layers', 'By layer']].forEach(function (o) {
                    var lab = el('label'), inp = el('input', { type: 'radio', name: 'dv-image-view', value: o[0], id: 'dv-image-' + o[0] });
                    inp.checked = (o[0] === 'layers') === imageByLayer();
                    inp.addEventListener('change', function () {
                        if (!inp.checked) return;
                        var q = new URLSearchParams(location.search);
                        q.delete('zoom'); q.delete('more');
                        if (o[0] === 'layers') q.set('layers', '1'); else q.delete('layers');
                        var qs = q.toString();
                        location.href = location.pathname + (qs ? '?' + qs : '');
                    });
                    lab.appendChild(inp);
                    lab.appendChild(document.createTextNode(' ' + o[1]));
                    fs.appendChild(lab);
                });
                bar.appendChild(fs);
            }
            return sec;
        }

        /* ---- URL ----------------------------------------------------------- */
        function urlFor(s) {
            var q = [];
            var z = s.zoom != null ? s.zoom : state.zoom, more = s.more != null ? s.more : state.more;
            var mi = s.metric != null ? s.metric : state.metric, so = s.sort || state.sort;
            var ic = s.icicle != null ? s.icicle : state.icicle, se = s.search != null ? s.search : state.search;
            if (z > 0) q.push('zoom=' + encodeURIComponent(pathOf(z)).replace(/%2F/g, '/'));
            if (more > 0) q.push('more=' + more);
            if (se) q.push('s=' + encodeURIComponent(se));
            if (mi !== defaults.metric) q.push('m=' + encodeURIComponent(metricKeys[mi]));
            if (so !== defaults.sort) q.push('sort=' + so);
            if (ic !== defaults.icicle) q.push('view=' + (ic ? 'icicle' : 'flame'));
            if (imageByLayer()) q.push('layers=1');
            return location.pathname + (q.length ? '?' + q.join('&') : '');
        }
        function readUrl() {
            var q = new URLSearchParams(location.search);
            var z = q.has('zoom') ? resolve(q.get('zoom')) : 0;
            state.zoom = z < 0 ? 0 : isAgg(z) ? parent[z] : z;
            var more = parseInt(q.get('more') || '0', 10);
            state.more = more > 0 && more < kidsOf(state.zoom, true).length ? more : 0;
            state.search = q.get('s') || '';
            var mk = q.get('m'), mi = metricKeys.indexOf(mk);
            state.metric = mi >= 0 ? mi : defaults.metric;
            state.sort = q.get('sort') === 'name' ? 'name' : q.get('sort') === 'size' ? 'size' : defaults.sort;
            var v = q.get('view');
            state.icicle = v === 'icicle' ? true : v === 'flame' ? false : defaults.icicle;
            return z;
        }
        /* The URL is written once the view has been quiet for URL_QUIET ms,
         * off the path from a click to its picture: Chromium's pushState
         * costs tens of milliseconds, and it refuses a flood of them. Changes
         * in quick succession make one history entry (a push if any of them
         * asked for one). */
        var URL_QUIET = 350, urlTimer = 0, urlPush = false;
        function commitUrl(push) {
            if (push) urlPush = true;
            clearTimeout(urlTimer);
            urlTimer = setTimeout(flushUrl, URL_QUIET);
        }
        /* the document's title costs the browser as much as the URL: it is
         * set with it */
        function docTitle() {
            if (inHtml) document.title = cfg.title + (state.zoom ? ': ' + pathOf(state.zoom) : '');
        }
        function flushUrl() {
            if (!urlTimer) return;
            clearTimeout(urlTimer);
            urlTimer = 0;
            var u = urlFor({}), push = urlPush;
            urlPush = false;
            docTitle();
            if (u === location.pathname + location.search) return;
            try {
                if (push) history.pushState(null, '', u);
                else history.replaceState(null, '', u);
            } catch (e) { /* some file: origins refuse; the view still works */ }
        }
        window.addEventListener('pagehide', flushUrl);

        /* ---- driving ------------------------------------------------------- */
        var timings = { decode: tDecode };
        function render(why) {
            var t = performance.now();
            if (why !== 'resize' && why !== 'theme') runSearch();
            layout();
            markMatches();
            var t1 = performance.now();
            paint();
            var t2 = performance.now();
            var fk = syncItems();
            var t3 = performance.now();
            showMatched();
            showTitle();
            var t4 = performance.now();
            showCrumbs();
            var t5 = performance.now();
            showLargest();
            var t6 = performance.now();
            timings.parts = { layout: t1 - t, paint: t2 - t1, items: t3 - t2, title: t4 - t3, crumbs: t5 - t4, largest: t6 - t5, frames: fN.length };
            metricInputs.forEach(function (inp, k) { inp.checked = k === state.metric; });
            if (DIFF) diffSync();
            sortSel.value = state.sort;
            icicleBtn.setAttribute('aria-pressed', String(state.icicle));
            if (searchIn.value !== state.search && document.activeElement !== searchIn) searchIn.value = state.search;
            timings.last = performance.now() - t;
            timings.lastWhy = why;
            if (afterRender) afterRender();
            return fk;
        }
        function go(s, noPush) {
            for (var k in s) state[k] = s[k];
            if (state.zoom < 0) state.zoom = 0;
            if (s.zoom != null && s.more == null) state.more = 0;
            var fk = render('zoom');
            var t = performance.now();
            if (!noPush) commitUrl(true);
            var t1 = performance.now();
            details.textContent = describe(fk);
            timings.parts.url = t1 - t;
            timings.parts.details = performance.now() - t1;
            return fk;
        }
        function setMetric(k) {
            state.metric = k;
            if (state.more) state.more = 0;
            render('metric');
            commitUrl(false);
        }
        sortSel.addEventListener('change', function () { state.sort = sortSel.value; render('sort'); commitUrl(false); });
        icicleBtn.addEventListener('click', function () { state.icicle = !state.icicle; render('icicle'); commitUrl(false); });
        function systemDark() { return window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches; }
        function isDark() {
            var t = document.documentElement.getAttribute('data-theme');
            return t ? t === 'dark' : systemDark();
        }
        darkBtn.addEventListener('click', function () {
            document.documentElement.setAttribute('data-theme', isDark() ? 'light' : 'dark');
            darkBtn.setAttribute('aria-pressed', String(isDark()));
            readColors();
            render('theme');
        });
        var searchTimer = 0;
        searchIn.addEventListener('input', function () {
            clearTimeout(searchTimer);
            searchTimer = setTimeout(function () { state.search = searchIn.value; render('search'); commitUrl(false); }, 200);
        });
        searchIn.addEventListener('keydown', function (ev) {
            if (ev.key === 'Enter') {
                clearTimeout(searchTimer);
                state.search = searchIn.value;
                render('search');
                commitUrl(true);
            } else if (ev.key === 'Escape') {
                clearTimeout(searchTimer);
                searchIn.value = '';
                state.search = '';
                render('search');
                commitUrl(false);
                focusItem(0);
            }
        });
        function activate(k) {
            if (fT[k] === 2) return go({ zoom: fA[k], more: fB[k] });
            if (fT[k] === 3) return go({ zoom: fA[k], more: 0 });
            var n = fN[k];
            if (isAgg(n)) return go({ zoom: parent[n], more: 0 });
            return go({ zoom: n, more: 0 });
        }
        function up() {
            if (state.more) return go({ zoom: state.zoom, more: 0 });
            if (state.zoom > 0) return go({ zoom: parent[state.zoom], more: 0 });
            return -1;
        }
        function focusItem(k) {
            if (k < 0 || k >= fN.length) return;
            for (var j = 0; j < items.length; j++) if (itTab[j] !== (j === k ? 0 : -1)) { items[j].tabIndex = j === k ? 0 : -1; itTab[j] = j === k ? 0 : -1; }
            focusNode = frameKey(k);
            items[k].focus();
            details.textContent = describe(k);
        }
        function itemOf(ev) {
            var e = ev.target;
            return e && e.getAttribute && e.getAttribute('role') === 'treeitem' ? Number(e.dataset.k) : -1;
        }
        treeEl.addEventListener('click', function (ev) {
            var k = itemOf(ev);
            if (k < 0) return;
            focusNode = frameKey(k);
            var fk = activate(k);
            focusItem(fk);
        });
        treeEl.addEventListener('mousemove', function (ev) {
            var k = itemOf(ev);
            if (k >= 0) details.textContent = describe(k);
        });
        /* the frame in row d nearest to x */
        function nearest(d, x) {
            var best = -1, bd = Infinity;
            for (var k = 0; k < fN.length; k++) {
                if (fD[k] !== d) continue;
                var dist = x < fX[k] ? fX[k] - x : x > fX[k] + fW[k] ? x - fX[k] - fW[k] : 0;
                if (dist < bd) { bd = dist; best = k; }
            }
            return best;
        }
        treeEl.addEventListener('keydown', function (ev) {
            var k = itemOf(ev);
            if (k < 0) return;
            var mid = fX[k] + fW[k] / 2, next = -1;
            switch (ev.key) {
            case 'Enter':
            case ' ':
                focusNode = frameKey(k);
                focusItem(activate(k));
                break;
            case 'Backspace':
            case 'Escape':
                var fk = up();
                if (fk >= 0) focusItem(fk);
                break;
            case 'ArrowLeft':
            case 'ArrowRight':
                var best = -1;
                for (var j = 0; j < fN.length; j++) {
                    if (fD[j] !== fD[k] || j === k) continue;
                    if (ev.key === 'ArrowLeft' ? fX[j] < fX[k] && (best < 0 || fX[j] > fX[best]) : fX[j] > fX[k] && (best < 0 || fX[j] < fX[best])) best = j;
                }
                next = best;
                break;
            case 'ArrowUp':
                next = nearest(state.icicle ? fD[k] - 1 : fD[k] + 1, mid);
                break;
            case 'ArrowDown':
                next = nearest(state.icicle ? fD[k] + 1 : fD[k] - 1, mid);
                break;
            case 'Home':
                next = 0;
                break;
            default:
                return;
            }
            ev.preventDefault();
            if (next >= 0) focusItem(next);
        });
        document.addEventListener('keydown', function (ev) {
            if (ev.target === searchIn) return;
            if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey) {
                ev.preventDefault();
                searchIn.focus();
                searchIn.select();
            } else if ((ev.key === 'Escape' || ev.key === 'Backspace') && !(ev.target && ev.target.closest && ev.target.closest('[role="tree"]')) && !/^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName)) {
                var fk = up();
                if (fk >= 0) focusItem(fk);
            }
        });
        window.addEventListener('popstate', function () {
            clearTimeout(urlTimer);
            urlTimer = 0;
            urlPush = false;
            readUrl();
            render('history');
            docTitle();
        });
        var resizeQueued = false;
        window.addEventListener('resize', function () {
            if (resizeQueued) return;
            resizeQueued = true;
            requestAnimationFrame(function () { resizeQueued = false; measureWidth(); render('resize'); });
        });
        if (window.matchMedia) matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () { readColors(); render('theme'); });

        readColors();
        darkBtn.setAttribute('aria-pressed', String(isDark()));
        var missing = readUrl();
        var fk0 = render('load');
        docTitle();
        details.textContent = missing < 0 ? 'No entry at that path in this picture: showing the whole.' : describe(fk0);
        timings.firstPicture = performance.now() - t0;
        timings.firstPictureNav = performance.now(); /* since navigation started */
        setTimeout(buildIdle, 300);

        /* for the tests and the benchmark */
        window.duflameView = {
            N: N, timings: timings, state: function () { return JSON.parse(JSON.stringify(state)); },
            total: function (mi) { return tot[mi == null ? state.metric : mi][0]; },
            totalOf: function (path, mi) { var n = resolve(path); return n < 0 ? null : tot[mi == null ? state.metric : mi][n]; },
            zoomRanks: function (ranks) {
                var n = 0;
                for (var k = 0; k < ranks.length && size[n] > 1; k++) {
                    var c = n + 1, end = n + size[n];
                    for (var r = 0; r < ranks[k] && c < end; r++) c += size[c];
                    if (c >= end || isAgg(c)) break;
                    n = c;
                }
                go({ zoom: n, more: 0 });
                return n;
            },
            zoomTo: function (path) { var n = resolve(path); if (n < 0) return false; go({ zoom: n, more: 0 }); return true; },
            up: up,
            urlPending: function () { return urlTimer !== 0; },
            setMetric: function (key) { setMetric(metricKeys.indexOf(key)); },
            setSort: function (s) { state.sort = s; render('sort'); commitUrl(false); },
            setIcicle: function (b) { state.icicle = b; render('icicle'); commitUrl(false); },
            search: function (s) { state.search = s; render('search'); commitUrl(true); return matchedEl.textContent; },
            buildIndex: function () { return buildIndex().ms; },
            indexReady: function () { return !!index; },
            searchMs: function () { return search && search.ms; },
            frames: function () {
                var out = [];
                for (var k = 0; k < fN.length; k++) out.push({ node: fN[k], type: fT[k], x: fX[k], w: fW[k], d: fD[k], size: fS[k], own: fN[k] >= 0 ? ownOf(fN[k], tot[state.metric]) : 0, name: frameName(k), path: fN[k] >= 0 ? pathOf(fN[k]) : null, parentNode: fT[k] >= 2 ? fA[k] : fN[k] > 0 ? parent[fN[k]] : -1 });
                return out;
            },
            describe: function (k) { return describe(k); },
            diffSegs: function (k) { return DIFF ? diffSegs(k) : null; },
            diffParts: function (k) { return DIFF ? diffParts(k) : null; },
            layerOf: function (path) { var n = resolve(path); return n < 0 ? null : layerOf(n); },
            byLayer: imageByLayer,
        };
    }

    if (inHtml) {
        load(document.body, null);
        return;
    }
    /* In an SVG the static frames stay until a frame is clicked (flame.js
     * calls duflameExplore with the frame's place) or the URL names a zoom:
     * then a foreignObject over the whole SVG hosts the engine. */
    var host = null;
    window.duflameExplore = function (opts) {
        var svg = document.documentElement;
        if (!host) {
            for (var c = svg.firstElementChild; c; c = c.nextElementSibling)
                if (c.localName === 'g' || c.localName === 'rect' || c.localName === 'text') c.setAttribute('display', 'none');
            var fo = document.createElementNS(SVGNS, 'foreignObject');
            fo.setAttribute('x', '0');
            fo.setAttribute('y', '0');
            var div = document.createElementNS(XHTML, 'div');
            div.setAttribute('class', 'dv-page');
            fo.appendChild(div);
            svg.appendChild(fo);
            svg.removeAttribute('viewBox');
            var fit = function () {
                var w = Math.max(400, window.innerWidth), h = Math.max(200, div.scrollHeight + 24);
                fo.setAttribute('width', w);
                fo.setAttribute('height', h);
                svg.setAttribute('width', w);
                svg.setAttribute('height', h);
            };
            fit();
            host = load(div, fit);
            window.addEventListener('resize', fit);
        }
        if (opts && opts.ranks) host.then(function () { window.duflameView.zoomRanks(opts.ranks); });
        return true;
    };
    /* a differential picture opens in the engine at once: its legend and
     * parts are there; the static frames are for viewers without scripts */
    var q = new URLSearchParams(location.search);
    if (q.has('zoom') || q.has('more') || q.has('m') || imageByLayer() || /"diff":/.test(cfgEl.textContent))
        window.duflameExplore(null);
})();
