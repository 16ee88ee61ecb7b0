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

        /* Everything about a frame is parsed once into parallel arrays, so zoom and
         * search are single linear passes even with tens of thousands of frames. */
        var els = [];
        for (var c = framesEl.firstElementChild; c; c = c.nextElementSibling)
            if (c.localName === 'g' && fgAttr(c, 'w') !== null)
                els.push(c);
        var n = els.length;
        if (n === 0)
            return;
        var W = new Array(n), X = new Array(n), D = new Array(n);
        var xs = new Array(n), parent = new Array(n), end = new Array(n);
        var rects = new Array(n), texts = new Array(n), names = new Array(n);
        var index = new Map();
        var stack = [];
        for (var i = 0; i < n; i++) {
            var e = els[i];
            index.set(e, i);
            W[i] = Number(fgAttr(e, 'w')) || 0;
            xs[i] = fgAttr(e, 'x') || '0';
            X[i] = Number(xs[i]) || 0;
            D[i] = parseInt(fgAttr(e, 'd'), 10) || 0;
            rects[i] = childByTag(e, 'rect');
            texts[i] = childByTag(e, 'text');
            names[i] = null;
            /* pre-order: the parent is the nearest open frame that is shallower */
            while (stack.length && D[stack[stack.length - 1]] >= D[i])
                end[stack.pop()] = i;
            parent[i] = stack.length ? stack[stack.length - 1] : -1;
            stack.push(i);
        }
        while (stack.length)
            end[stack.pop()] = n;
        /* Width of the drawing area: the root spans it. */
        var graphW = isFinite(svgWidth) ? svgWidth - 2 * xpad : NaN;
        if (!(graphW > 0) && rects[0])
            graphW = parseFloat(rects[0].getAttribute('width'));

        function titleText(i) {
            var t = childByTag(els[i], 'title');
            return t ? t.textContent : '';
        }
        /* The name is the title up to its last " (" (names may contain " (" too). */
        function nameOf(i) {
            if (names[i] === null) {
                var t = titleText(i);
                var k = t.lastIndexOf(' (');
                names[i] = k >= 0 ? t.slice(0, k) : t;
            }
            return names[i];
        }

        /* Label fitted to a width in pixels, the same rule as src/flame.c:
         * chars = floor((width - 3) / (fontsize * fontwidth)); fewer than 3: none;
         * too long: the first chars-2 characters and "..". */
        function fitLabel(name, width) {
            var chars = Math.floor((width - 3) / charW);
            if (!(chars >= 3))
                return '';
            if (name.length <= chars)
                return name;
            var cps = Array.from(name);
            if (cps.length <= chars)
                return name;
            return cps.slice(0, chars - 2).join('') + '..';
        }

        /* Original geometry, saved the first time a frame is changed. */
        var orig = new Array(n);
        var state = new Uint8Array(n); /* 0 as drawn, 1 hidden, 2 dimmed parent, 3 moved */
        function save(i) {
            if (orig[i])
                return;
            var r = rects[i], t = texts[i];
            orig[i] = {
                x: r ? r.getAttribute('x') : null,
                w: r ? r.getAttribute('width') : null,
                tx: t ? t.getAttribute('x') : null,
                label: t ? t.textContent : null
            };
        }
        function restore(i) {
            var o = orig[i];
            var el = els[i];
            if (state[i] === 1)
                el.classList.remove('hide');
            else if (state[i] === 2)
                el.classList.remove('parent');
            if (o) {
                if (rects[i]) {
                    rects[i].setAttribute('x', o.x);
                    rects[i].setAttribute('width', o.w);
                }
                if (texts[i]) {
                    texts[i].setAttribute('x', o.tx);
                    texts[i].textContent = o.label;
                }
            }
            state[i] = 0;
        }
        function place(i, px, pw) {
            save(i);
            var r = rects[i], t = texts[i];
            if (r) {
                r.setAttribute('x', px.toFixed(2));
                r.setAttribute('width', pw.toFixed(2));
            }
            if (t) {
                t.setAttribute('x', (px + 3).toFixed(2));
                t.textContent = fitLabel(nameOf(i), pw);
            }
        }
        function setState(i, s) {
            if (state[i] === s)
                return;
            var cl = els[i].classList;
            if (state[i] === 1)
                cl.remove('hide');
            else if (state[i] === 2)
                cl.remove('parent');
            if (s === 1)
                cl.add('hide');
            else if (s === 2)
                cl.add('parent');
            state[i] = s;
        }

        var zoomed = -1; /* index of the zoomed frame, -1 when showing everything */
        var re = null, term = null, ignoreCase = false;
        var matched = null; /* Uint8Array: frame i's name matches */
        var highlighted = new Uint8Array(n);
        var origFill = new Array(n);

        function unzoom() {
            if (zoomed < 0)
                return;
            for (var i = 0; i < n; i++)
                if (state[i] !== 0 || orig[i])
                    restore(i);
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
            var i;
            for (i = 0; i < z; i++)
                setState(i, 1);
            for (i = end[z]; i < n; i++)
                setState(i, 1);
            for (var a = parent[z]; a >= 0; a = parent[a]) {
                setState(a, 2);
                place(a, xpad, graphW);
            }
            setState(z, 3);
            place(z, xpad, graphW);
            for (i = z + 1; i < end[z]; i++) {
                setState(i, 3);
                place(i, xpad + (X[i] - x0) * scale, W[i] * scale);
            }
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
            for (var a = z; a >= 0; a = parent[a])
                if (matched[a])
                    return [W[z], W[z]];
            var sum = 0, inside = -1;
            for (var i = z + 1; i < end[z]; i++) {
                if (inside >= 0 && D[i] <= inside)
                    inside = -1;
                if (inside < 0 && matched[i]) {
                    sum += W[i];
                    inside = D[i];
                }
            }
            return [sum, W[z]];
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
                    if (rects[i])
                        rects[i].setAttribute('fill', origFill[i]);
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
                var rect = rects[i];
                if (m && !highlighted[i] && rect) {
                    origFill[i] = rect.getAttribute('fill');
                    rect.setAttribute('fill', searchColor);
                    highlighted[i] = 1;
                } else if (!m && highlighted[i]) {
                    if (rect)
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

        framesEl.addEventListener('click', function (ev) {
            var i = frameOf(ev.target);
            if (i < 0)
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
            if (k === 'F3' || (ev.ctrlKey && (k === 'f' || k === 'F'))) {
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
        /* exposed for tests and for other tools that drive the graph */
        svg.fgState = function () {
            return {
                zoomed: zoomed < 0 ? null : {x: xs[zoomed], d: D[zoomed]},
                search: term,
                ignoreCase: ignoreCase,
                frames: n
            };
        };
    }

    if (doc.readyState === 'loading')
        doc.addEventListener('DOMContentLoaded', init);
    else
        init();
})();
