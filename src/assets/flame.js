/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * duflame: the interactive part of the SVG flame graph (embedded by src/flame.c).
 * The SVG is complete without this script; the script reads the DOM described in
 * docs/svg-format.md and adds zoom, search, hover details and URL state.
 * Plain ES2017, no libraries, no network. It must never contain the sequence that
 * ends a CDATA section (tools/embed.c refuses it), nor an HTML end-tag opener.
 */
(function () {
    'use strict';
    var NS = 'urn:duflame:fg';
    var doc = document;

    function byId(id) {
        return doc.getElementById(id);
    }

    /* A standalone SVG keeps fg:* in its namespace; an SVG pasted into HTML has
     * plain attributes literally named "fg:w". Both are read the same way. */
    function fgAttr(el, name) {
        var v = el.getAttributeNS(NS, name);
        if (v === null || v === '')
            v = el.getAttribute('fg:' + name);
        return v;
    }

    function setText(el, s) {
        if (el)
            el.textContent = s;
    }

    function childByTag(el, tag) {
        for (var c = el.firstElementChild; c; c = c.nextElementSibling)
            if (c.localName === tag)
                return c;
        return null;
    }

    function init() {
        var started = Date.now();
        var framesEl = byId('frames');
        if (!framesEl || framesEl.getAttribute('data-fg-ready'))
            return;
        framesEl.setAttribute('data-fg-ready', '1');
        var svg = framesEl.ownerSVGElement || doc.documentElement;
        var cfg = byId('fg-config');
        function cfgNum(name, dflt) {
            var v = cfg ? fgAttr(cfg, name) : null;
            var n = v === null || v === '' ? NaN : Number(v);
            return isFinite(n) ? n : dflt;
        }
        function cfgStr(name, dflt) {
            var v = cfg ? fgAttr(cfg, name) : null;
            return v === null || v === '' ? dflt : v;
        }
        var fontSize = cfgNum('fontsize', 12);
        var fontWidth = cfgNum('fontwidth', 0.59);
        var xpad = cfgNum('xpad', 10);
        var graphTotal = cfgNum('total', 0);
        var nameType = cfgStr('nametype', 'Function:');
        var searchColor = cfgStr('searchcolor', 'rgb(230,0,230)');
        var svgWidth = parseFloat(svg.getAttribute('width'));
        if (!isFinite(svgWidth) && svg.viewBox && svg.viewBox.baseVal)
            svgWidth = svg.viewBox.baseVal.width;
        var charW = fontSize * fontWidth;

        var details = byId('details');
        var unzoomBtn = byId('unzoom');
        var searchBtn = byId('search');
        var icBtn = byId('ignorecase');
        var matchedEl = byId('matched');

        /* What zoom and search need about every frame is parsed once into
         * parallel arrays; the rest (rect, text, name) is looked up the first time
         * it is needed. Zoom touches only the zoomed subtree and its ancestors:
         * everything else is hidden by one class on #frames (see flame.css). */
        var els = [];
        for (var c = framesEl.firstElementChild; c; c = c.nextElementSibling)
            if (c.localName === 'g' && fgAttr(c, 'w') !== null)
                els.push(c);
        var n = els.length;
        if (n === 0)
            return;
        var W = new Array(n), X = new Array(n), D = new Array(n);
        var xs = new Array(n), parent = new Array(n), end = new Array(n);
        var names = new Array(n), rects = new Array(n), texts = new Array(n);
        var index = new Map();
        var stack = [];
        for (var i = 0; i < n; i++) {
            var e = els[i];
            index.set(e, i);
            W[i] = Number(fgAttr(e, 'w')) || 0;
            xs[i] = fgAttr(e, 'x') || '0';
            X[i] = Number(xs[i]) || 0;
            D[i] = parseInt(fgAttr(e, 'd'), 10) || 0;
            names[i] = null;
            rects[i] = undefined;
            texts[i] = undefined;
            /* pre-order: the parent is the nearest open frame that is shallower */
            while (stack.length && D[stack[stack.length - 1]] >= D[i])
                end[stack.pop()] = i;
            parent[i] = stack.length ? stack[stack.length - 1] : -1;
            stack.push(i);
        }
        while (stack.length)
            end[stack.pop()] = n;

        function rectOf(i) {
            if (rects[i] === undefined)
                rects[i] = childByTag(els[i], 'rect');
            return rects[i];
        }
        function textOf(i) {
            if (texts[i] === undefined)
                texts[i] = childByTag(els[i], 'text');
            return texts[i];
        }
        /* Width of the drawing area: the root spans it. */
        var graphW = isFinite(svgWidth) ? svgWidth - 2 * xpad : NaN;
        if (!(graphW > 0) && rectOf(0))
            graphW = parseFloat(rectOf(0).getAttribute('width'));

        function titleText(i) {
            var t = childByTag(els[i], 'title');
            return t ? t.textContent : '';
        }
        /* The name is the title's first line up to its last " (" (names may
         * contain " (" too, never a newline: control bytes are shown as \xHH;
         * --nameattr's title is appended on a line of its own). */
        function nameOf(i) {
            if (names[i] === null) {
                var t = titleText(i);
                var nl = t.indexOf('\n');
                if (nl >= 0)
                    t = t.slice(0, nl);
                var k = t.lastIndexOf(' (');
                names[i] = k >= 0 ? t.slice(0, k) : t;
            }
            return names[i];
        }

        /* Label fitted to a width in pixels, the same rule as src/flame.c:
         * chars = floor((width - 3) / (fontsize * fontwidth)); fewer than 3: none;
         * too long: the first chars-2 characters (code points) and "..". */
        function fitLabel(i, width) {
            var chars = Math.floor((width - 3) / charW);
            if (!(chars >= 3))
                return '';
            var name = nameOf(i);
            if (name.length <= chars)
                return name;
            var cps = Array.from(name);
            if (cps.length <= chars)
                return name;
            return cps.slice(0, chars - 2).join('') + '..';
        }

        /* Frames whose geometry was changed, with what the renderer drew. */
        var moved = [];
        var origX = new Array(n), origW = new Array(n), origTX = new Array(n);
        var origLabel = new Array(n), label = new Array(n);
        function place(i, px, pw) {
            var r = rectOf(i), t = textOf(i);
            if (origX[i] === undefined) {
                origX[i] = r ? r.getAttribute('x') : null;
                origW[i] = r ? r.getAttribute('width') : null;
                origTX[i] = t ? t.getAttribute('x') : null;
                label[i] = origLabel[i] = t ? t.textContent : null;
                moved.push(i);
            }
            if (r) {
                r.setAttribute('x', px.toFixed(2));
                r.setAttribute('width', pw.toFixed(2));
            }
            if (t) {
                t.setAttribute('x', (px + 3).toFixed(2));
                var l = fitLabel(i, pw);
                if (label[i] !== l)
                    t.textContent = label[i] = l;
            }
        }
        function restoreAll() {
            for (var k = 0; k < moved.length; k++) {
                var i = moved[k], r = rectOf(i), t = textOf(i);
                if (r) {
                    r.setAttribute('x', origX[i]);
                    r.setAttribute('width', origW[i]);
                }
                if (t) {
                    t.setAttribute('x', origTX[i]);
                    if (label[i] !== origLabel[i])
                        t.textContent = origLabel[i];
                }
                origX[i] = origW[i] = origTX[i] = origLabel[i] = label[i] = undefined;
            }
            moved = [];
        }

        /* While zoomed, #frames has class "zoomed", which hides every frame
         * (flame.css) except the ancestors of the zoomed frame (class "parent",
         * dimmed) and its subtree: a contiguous run of children, shown by one
         * nth-child rule added to the style sheet, so a zoom costs no class
         * change per frame. */
        var pos = new Array(n);
        for (var k = 0, cnt = 0, ch = framesEl.firstElementChild; ch; ch = ch.nextElementSibling) {
            cnt++;
            if (k < n && ch === els[k])
                pos[k++] = cnt;
        }
        var sheet = null;
        var styles = doc.getElementsByTagName('style');
        if (styles.length && styles[0].sheet)
            sheet = styles[0].sheet;
        else {
            var st = doc.createElementNS('http://www.w3.org/2000/svg', 'style');
            svg.appendChild(st);
            sheet = st.sheet;
        }
        var subRule = null;
        function showRun(from, to) {
            if (subRule) {
                for (var r = sheet.cssRules.length - 1; r >= 0; r--)
                    if (sheet.cssRules[r] === subRule) {
                        sheet.deleteRule(r);
                        break;
                    }
                subRule = null;
            }
            if (from < 0)
                return;
            var idx = sheet.insertRule('#frames.zoomed > g:nth-child(n+' + pos[from] +
                                           '):nth-child(-n+' + pos[to] + ') { display: inline; }',
                                       sheet.cssRules.length);
            subRule = sheet.cssRules[idx];
        }
        var parents = [];
        function markParents(z) {
            var k;
            for (k = 0; k < parents.length; k++)
                els[parents[k]].classList.remove('parent');
            parents = [];
            for (var a = z >= 0 ? parent[z] : -1; a >= 0; a = parent[a]) {
                els[a].classList.add('parent');
                parents.push(a);
            }
        }

        var zoomed = -1; /* index of the zoomed frame, -1 when showing everything */
        var re = null, term = null, ignoreCase = false;
        var matched = null; /* Uint8Array: frame i's name matches */
        var highlighted = new Uint8Array(n);
        var origFill = new Array(n);

        function unzoom() {
            if (zoomed < 0)
                return;
            framesEl.classList.remove('zoomed');
            showRun(-1, -1);
            markParents(-1);
            restoreAll();
            zoomed = -1;
            if (unzoomBtn)
                unzoomBtn.classList.add('hide');
        }

        /* Zoom on frame z: its subtree (a contiguous run in pre-order) is laid out
         * again over the full width from the exact integer counts, its ancestors
         * span the width dimmed, everything else is hidden. */
        function zoom(z) {
            if (z <= 0 || D[z] === 0) {
                unzoom();
                return;
            }
            var x0 = X[z], w0 = W[z];
            if (!(w0 > 0))
                return;
            var scale = graphW / w0;
            markParents(z);
            for (var k = 0; k < parents.length; k++)
                place(parents[k], xpad, graphW);
            place(z, xpad, graphW);
            for (var i = z + 1; i < end[z]; i++)
                place(i, xpad + (X[i] - x0) * scale, W[i] * scale);
            showRun(z, end[z] - 1);
            framesEl.classList.add('zoomed');
            zoomed = z;
            if (unzoomBtn)
                unzoomBtn.classList.remove('hide');
        }

        function compile(s) {
            try {
                return new RegExp(s, ignoreCase ? 'i' : '');
            } catch (err) {
                return null;
            }
        }

        /* Share of the view matched: the samples of the view's root whose stack
         * holds a matching frame, as [sum, total]. A match inside a match is not
         * added again; a matching ancestor of the zoomed frame (or the frame
         * itself) covers the whole view. */
        function matchedShare() {
            var z = zoomed < 0 ? 0 : zoomed;
            /* unzoomed, the whole is fg:total (larger than the root with --total) */
            var whole = W[z];
            if (zoomed < 0 && graphTotal > whole)
                whole = graphTotal;
            for (var a = z; a >= 0; a = parent[a])
                if (matched[a])
                    return [W[z], whole];
            var sum = 0, inside = -1;
            for (var i = z + 1; i < end[z]; i++) {
                if (inside >= 0 && D[i] <= inside)
                    inside = -1;
                if (inside < 0 && matched[i]) {
                    sum += W[i];
                    inside = D[i];
                }
            }
            return [sum, whole];
        }

        /* 100 * sum / total rounded half up to two decimals by long division on
         * integers, so the text is exact for counts below 2^53 / 10. */
        function percentText(sum, total) {
            if (!(total > 0))
                return '0.00';
            var ip = Math.floor(sum / total);
            var r = sum - ip * total;
            if (r < 0) {
                ip--;
                r += total;
            } else if (r >= total) {
                ip++;
                r -= total;
            }
            var q = ip; /* sum / total in units of 1/10000 */
            for (var k = 0; k < 4; k++) {
                r *= 10;
                var dgt = Math.floor(r / total);
                if (dgt > 9)
                    dgt = 9;
                r -= dgt * total;
                q = q * 10 + dgt;
            }
            if (2 * r >= total)
                q++;
            var frac = q % 100;
            return Math.floor(q / 100) + '.' + (frac < 10 ? '0' : '') + frac;
        }

        function showMatched() {
            if (!matchedEl)
                return;
            if (!re) {
                setText(matchedEl, '');
                matchedEl.classList.add('hide');
                return;
            }
            var st = matchedShare();
            setText(matchedEl, 'Matched: ' + percentText(st[0], st[1]) + '%');
            matchedEl.classList.remove('hide');
        }

        function clearHighlight() {
            for (var i = 0; i < n; i++)
                if (highlighted[i]) {
                    rectOf(i).setAttribute('fill', origFill[i]);
                    highlighted[i] = 0;
                }
        }

        function search(s) {
            var r = compile(s);
            if (!r) {
                resetSearch();
                if (matchedEl) {
                    setText(matchedEl, 'Invalid regular expression');
                    matchedEl.classList.remove('hide');
                }
                return false;
            }
            re = r;
            term = s;
            if (!matched)
                matched = new Uint8Array(n);
            for (var i = 0; i < n; i++) {
                var m = r.test(nameOf(i));
                matched[i] = m ? 1 : 0;
                var rect = rectOf(i);
                if (m && !highlighted[i] && rect) {
                    origFill[i] = rect.getAttribute('fill');
                    rect.setAttribute('fill', searchColor);
                    highlighted[i] = 1;
                } else if (!m && highlighted[i]) {
                    rect.setAttribute('fill', origFill[i]);
                    highlighted[i] = 0;
                }
            }
            if (searchBtn) {
                searchBtn.classList.add('show');
                setText(searchBtn, 'Reset Search');
            }
            showMatched();
            return true;
        }

        function resetSearch() {
            clearHighlight();
            re = null;
            term = null;
            if (searchBtn) {
                searchBtn.classList.remove('show');
                setText(searchBtn, 'Search');
            }
            showMatched();
        }

        function updateUrl() {
            if (!window.history || !history.replaceState || typeof URLSearchParams !== 'function')
                return;
            try {
                var p = new URLSearchParams(location.search);
                ['x', 'y', 's', 'i'].forEach(function (k) {
                    p.delete(k);
                });
                if (zoomed > 0) {
                    p.set('x', xs[zoomed]);
                    p.set('y', String(D[zoomed]));
                }
                if (term !== null)
                    p.set('s', term);
                if (ignoreCase)
                    p.set('i', '1');
                var q = p.toString();
                history.replaceState(history.state, '',
                                     location.pathname + (q ? '?' + q : '') + location.hash);
            } catch (err) {
                /* a sandboxed or opaque-origin document: state stays out of the URL */
            }
        }

        function setIgnoreCase(on) {
            ignoreCase = on;
            if (icBtn) {
                if (on)
                    icBtn.classList.add('show');
                else
                    icBtn.classList.remove('show');
            }
            if (term !== null)
                search(term);
        }

        function promptSearch() {
            var s = window.prompt('Search: a regular expression (e.g. ^ext4_)' +
                                      (ignoreCase ? ', ignoring case' : '') +
                                      '\nCtrl-I toggles case sensitivity, Escape clears',
                                  term === null ? '' : term);
            if (s === null)
                return;
            if (s === '')
                resetSearch();
            else
                search(s);
            updateUrl();
        }

        function frameOf(target) {
            for (var el = target; el && el !== framesEl; el = el.parentNode) {
                var i = index.get(el);
                if (i !== undefined)
                    return i;
            }
            return -1;
        }

        /* the rank of frame i among its parent's drawn children: the same
         * as among all of them, since the ones not drawn come last */
        function ranksOf(i) {
            var r = [];
            for (var f = i; parent[f] >= 0; f = parent[f]) {
                var k = 0;
                for (var j = parent[f] + 1; j !== f; j = end[j])
                    k++;
                r.unshift(k);
            }
            return r;
        }
        framesEl.addEventListener('click', function (ev) {
            var i = frameOf(ev.target);
            if (i < 0)
                return;
            /* an SVG that embeds the whole tree: the page engine takes over,
             * zoomed on this frame, and shows everything below it */
            if (typeof window.duflameExplore === 'function' && window.duflameExplore({ ranks: ranksOf(i) }))
                return;
            zoom(i);
            showMatched();
            updateUrl();
        });
        framesEl.addEventListener('mouseover', function (ev) {
            var i = frameOf(ev.target);
            if (i >= 0 && details)
                setText(details, nameType + ' ' + titleText(i));
        });
        framesEl.addEventListener('mouseout', function (ev) {
            if (details && frameOf(ev.target) >= 0)
                setText(details, ' ');
        });
        if (unzoomBtn)
            unzoomBtn.addEventListener('click', function () {
                unzoom();
                showMatched();
                updateUrl();
            });
        if (searchBtn)
            searchBtn.addEventListener('click', function () {
                if (term !== null) {
                    resetSearch();
                    updateUrl();
                } else {
                    promptSearch();
                }
            });
        if (icBtn)
            icBtn.addEventListener('click', function () {
                setIgnoreCase(!ignoreCase);
                updateUrl();
            });
        window.addEventListener('keydown', function (ev) {
            var k = ev.key;
            if (k === 'F3' || ((ev.ctrlKey || ev.metaKey) && (k === 'f' || k === 'F'))) {
                ev.preventDefault();
                promptSearch();
            } else if (ev.ctrlKey && (k === 'i' || k === 'I')) {
                ev.preventDefault();
                setIgnoreCase(!ignoreCase);
                updateUrl();
            } else if (k === 'Escape' || k === 'Esc') {
                if (term !== null)
                    resetSearch();
                else {
                    unzoom();
                    showMatched();
                }
                updateUrl();
            }
        });

        /* Restore the state kept in the URL. */
        if (typeof URLSearchParams === 'function') {
            var p = new URLSearchParams(location.search);
            if (p.get('i') === '1')
                setIgnoreCase(true);
            var px = p.get('x'), py = p.get('y');
            if (px !== null && py !== null) {
                for (var j = 0; j < n; j++)
                    if (xs[j] === px && String(D[j]) === py) {
                        zoom(j);
                        break;
                    }
            }
            var ps = p.get('s');
            if (ps !== null && ps !== '')
                search(ps);
            else
                showMatched();
        }
        var initMs = Date.now() - started;
        /* exposed for tests and for other tools that drive the graph */
        svg.fgState = function () {
            return {
                zoomed: zoomed < 0 ? null : {x: xs[zoomed], d: D[zoomed]},
                search: term,
                ignoreCase: ignoreCase,
                frames: n,
                initMs: initMs
            };
        };
    }

    if (doc.readyState === 'loading')
        doc.addEventListener('DOMContentLoaded', init);
    else
        init();
})();
