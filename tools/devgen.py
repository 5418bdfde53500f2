#!/usr/bin/env python3
"""Generate templates/devices/*.json: device art (vector shapes) and callout layouts.
Art is authored in a local frame and mapped into the card's art region; callout boxes are
laid out in columns; leaders of outer columns are routed through gaps of the inner ones."""
import json, math, os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'templates', 'devices')
TOP, BOTTOM = 104, 1066
GAP = 6

def r1(v): return round(v, 1)

class Xf:
    """local frame (lw x lh) -> canvas region (x0,y0,w,h), uniform scale, centred. With
    mirror=True the frame is flipped left to right: a left-hand model drawn from the right-hand
    one (art and anchors both go through p, so they stay together)."""
    def __init__(self, lw, lh, x0, y0, w, h, mirror=False):
        s = min(w / lw, h / lh)
        self.s, self.lw, self.mirror = s, lw, mirror
        self.ox = x0 + (w - lw * s) / 2
        self.oy = y0 + (h - lh * s) / 2
    def p(self, x, y):
        if self.mirror: x = self.lw - x
        return [r1(self.ox + x * self.s), r1(self.oy + y * self.s)]
    def d(self, v): return r1(v * self.s)

class Art:
    def __init__(self, xf):
        self.xf, self.shapes = xf, []
        xf.art = self   # layout() routes leaders around this drawing
    def _st(self, sh, fill, stroke):
        if fill is not None: sh['fill'] = fill
        if stroke is not None: sh['stroke'] = stroke
        self.shapes.append(sh); return sh
    def path(self, d, fill='body', stroke=None):
        # d: list of tuples ('M',x,y) ('L',x,y) ('C',x1,y1,x2,y2,x,y) ('Z',)
        out = []
        for c in d:
            out.append(c[0])
            for i in range(1, len(c), 2):
                out += self.xf.p(c[i], c[i + 1])
        return self._st({'path': ' '.join(str(v) for v in out)}, fill, stroke)
    def rrect(self, x, y, w, h, r, fill='body', stroke=None):
        p = self.xf.p(x + w if self.xf.mirror else x, y)
        return self._st({'rrect': [p[0], p[1], self.xf.d(w), self.xf.d(h), self.xf.d(r)]}, fill, stroke)
    def circle(self, x, y, r, fill='control', stroke=None):
        p = self.xf.p(x, y)
        return self._st({'circle': [p[0], p[1], self.xf.d(r)]}, fill, stroke)
    def ellipse(self, x, y, rx, ry, fill='body', stroke=None):
        p = self.xf.p(x, y)
        return self._st({'ellipse': [p[0], p[1], self.xf.d(rx), self.xf.d(ry)]}, fill, stroke)
    def hat(self, x, y, r, ways=4):
        p = self.xf.p(x, y)
        return self._st({'hat': [p[0], p[1], self.xf.d(r), ways]}, None, None)
    def line(self, pts, stroke=None):
        return self._st({'line': [self.xf.p(x, y) for x, y in pts]}, None, stroke)
    def arc(self, x, y, r, a1, a2, stroke=None):
        p = self.xf.p(x, y)
        if self.xf.mirror: a1, a2 = 180 - a2, 180 - a1
        return self._st({'arc': [p[0], p[1], self.xf.d(r), a1, a2]}, None, stroke)
    def toggle(self, x, y, up=True):
        self.rrect(x - 9, y - 9, 18, 18, 3, fill='body2')
        self.line([(x, y), (x, y - 26 if up else y + 26)], stroke=5)
        self.circle(x, y - 26 if up else y + 26, 5, fill='dark')

# ---- callout specs ---------------------------------------------------------------------
def C(cid, label, controls, anchor, tags=None):
    return {'kind': 'c', 'id': cid, 'label': label, 'controls': controls, 'anchor': anchor,
            'tags': tags}

def AX(name, label, anchor):
    return C('axis_' + name, label, ['axis:' + name], anchor)

DIRS8 = ['up', 'upright', 'right', 'downright', 'down', 'downleft', 'left', 'upleft']
ARROW = {'up': '\u2191', 'upright': '\u2197', 'right': '\u2192', 'downright': '\u2198',
         'down': '\u2193', 'downleft': '\u2199', 'left': '\u2190', 'upleft': '\u2196', 'push': 'push'}
CELL = {'upleft': (0, 0), 'up': (1, 0), 'upright': (2, 0), 'left': (0, 1), 'push': (1, 1),
        'right': (2, 1), 'downleft': (0, 2), 'down': (1, 2), 'downright': (2, 2)}

def ROSE(gid, label, anchor, dirs):
    """dirs: {dir: [control ids]} ; dir in DIRS8 or 'push'"""
    return {'kind': 'r', 'id': gid, 'label': label, 'anchor': anchor, 'dirs': dirs}

def POV(n, gid, label, anchor, ways=8):
    ds = DIRS8 if ways == 8 else ['up', 'right', 'down', 'left']
    return ROSE(gid, label, anchor, {d: ['hat:%d:%s' % (n, d)] for d in ds})

def BHAT(gid, label, anchor, first, order=('up', 'right', 'down', 'left', 'push'), n=None):
    n = n or len(order)
    return ROSE(gid, label, anchor, {d: ['button:%d' % (first + i)] for i, d in enumerate(order[:n])})

def SPACER(rows=1): return {'kind': 's', 'rows': rows}

# ---- layout ----------------------------------------------------------------------------
# Callouts go on the side of the drawing their control is on, in the vertical order of the
# controls, each box as close to its control's height as the column allows (isotonic
# regression). A leader runs level from its box to just outside the drawing's outline, then
# to the control, so leaders stay off the drawing and do not cross. A side with more callouts
# than one column holds gets a second, outer column whose boxes sit on the gaps of the inner
# one (a brick pattern): their leaders pass level through those gaps.
LANE = 8        # clearance between a leader passing an inner column and the boxes there
MARGIN = 10     # where a leader turns in, off the drawing's outline

def _path_polys(d):
    """flatten an art path string into polygons (lists of points)"""
    toks = d.split(); polys, cur, i = [], [], 0
    while i < len(toks):
        c = toks[i]; i += 1
        if c == 'M':
            if cur: polys.append(cur)
            cur = [(float(toks[i]), float(toks[i + 1]))]; i += 2
        elif c == 'L':
            cur.append((float(toks[i]), float(toks[i + 1]))); i += 2
        elif c == 'C':
            x0, y0 = cur[-1]
            x1, y1, x2, y2, x3, y3 = (float(t) for t in toks[i:i + 6]); i += 6
            for k in range(1, 13):
                t = k / 12; u = 1 - t
                cur.append((u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3,
                            u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3))
        elif c == 'Z':
            if cur: cur.append(cur[0])
    if cur: polys.append(cur)
    return polys

def _poly_span(pts, y):
    xs = []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if (y0 <= y <= y1 or y1 <= y <= y0) and y0 != y1:
            xs.append(x0 + (x1 - x0) * (y - y0) / (y1 - y0))
        elif y0 == y1 == y:
            xs += [x0, x1]
    return xs

class Outline:
    """the drawing's horizontal extent at any height, from its shapes"""
    def __init__(self, shapes):
        self.items = []
        for sh in shapes:
            if 'path' in sh: self.items += [('poly', p) for p in _path_polys(sh['path'])]
            elif 'line' in sh: self.items.append(('poly', [tuple(p) for p in sh['line']]))
            elif 'rrect' in sh:
                x, y, w, h, _ = sh['rrect']; self.items.append(('box', (x, y, x + w, y + h)))
            elif 'circle' in sh or 'hat' in sh or 'arc' in sh:
                v = sh.get('circle') or sh.get('hat') or sh.get('arc')
                self.items.append(('ell', (v[0], v[1], v[2], v[2])))
            elif 'ellipse' in sh: self.items.append(('ell', tuple(sh['ellipse'])))
    def span(self, y):
        xs = []
        for kind, g in self.items:
            if kind == 'poly': xs += _poly_span(g, y)
            elif kind == 'box':
                if g[1] <= y <= g[3]: xs += [g[0], g[2]]
            else:
                cx, cy, rx, ry = g
                if abs(y - cy) <= ry:
                    dx = rx * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2)); xs += [cx - dx, cx + dx]
        return (min(xs), max(xs)) if xs else None
    def ink(self, y, x0, x1):
        """how much of the line y from x0 to x1 runs over the drawing"""
        iv = []
        for kind, g in self.items:
            if kind == 'poly':
                xs = sorted(_poly_span(g, y))
                iv += [(xs[k], xs[k + 1]) for k in range(0, len(xs) - 1, 2)]
            elif kind == 'box':
                if g[1] <= y <= g[3]: iv.append((g[0], g[2]))
            else:
                cx, cy, rx, ry = g
                if abs(y - cy) <= ry:
                    dx = rx * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2)); iv.append((cx - dx, cx + dx))
        tot, end = 0.0, x0
        for a, b in sorted((max(a, x0), min(b, x1)) for a, b in iv if b > x0 and a < x1):
            if b > end:
                tot += b - max(a, end); end = b
        return tot
    def extent(self, y0, y1):
        """(left, right) over the band y0..y1, or None where there is no drawing"""
        lo, hi = None, None
        y = y0
        while True:
            s = self.span(min(y, y1))
            if s:
                lo = s[0] if lo is None else min(lo, s[0]); hi = s[1] if hi is None else max(hi, s[1])
            if y >= y1: break
            y += 2
        return None if lo is None else (lo, hi)
    def bounds(self):
        xs = []
        for kind, g in self.items:
            if kind == 'poly': xs += [p[0] for p in g]
            elif kind == 'box': xs += [g[0], g[2]]
            else: xs += [g[0] - g[2], g[0] + g[2]]
        return min(xs), max(xs)

def _isotonic(t):
    """least-squares non-decreasing fit of t (pool adjacent violators)"""
    blocks = []  # [sum, count]
    for v in t:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop(); blocks[-1][0] += s; blocks[-1][1] += c
    out = []
    for s, c in blocks: out += [s / c] * c
    return out

def _sep(a, b):
    """least distance between the ports (leader heights) of consecutive items a, b"""
    if a['col'] == b['col']: return a['h'] / 2 + b['h'] / 2 + GAP
    if a['col'] == 0: return a['h'] / 2 + LANE     # b's leader passes under a's box
    return b['h'] / 2 + LANE                       # a's leader passes over b's box

def _place(seq):
    """ports for the items of one side, in order; False if they do not fit"""
    if not seq: return True
    n = len(seq)
    extra = [0.0] * n
    for _ in range(50):
        S = [0.0]
        for i in range(1, n): S.append(S[-1] + _sep(seq[i - 1], seq[i]) + extra[i])
        q = _isotonic([it['want'] - S[i] for i, it in enumerate(seq)])
        lo = TOP + seq[0]['h'] / 2
        hi = BOTTOM - seq[-1]['h'] / 2 - S[-1]
        if lo > hi + 0.01: return False
        for i in range(n):
            seq[i]['port'] = min(max(q[i], lo), hi) + S[i]
        # same-column neighbours that are not consecutive in the order must not overlap either
        bumped = False
        last = {}
        for i, it in enumerate(seq):
            k = last.get(it['col'])
            if k is not None:
                need = seq[k]['h'] / 2 + it['h'] / 2 + GAP - (it['port'] - seq[k]['port'])
                if need > 0.01: extra[i] += need; bumped = True
            last[it['col']] = i
        if not bumped: return True
    return False

def _assign_columns(seq, two):
    for it in seq: it['col'] = 0
    if not two or _place(seq): return _place(seq)
    # brick: each item takes the column where it can sit nearest its control's height
    lastport, lastcol, bottom = None, None, {0: -1e9, 1: -1e9}
    for it in seq:
        best = None
        for c in (0, 1):
            it['col'] = c
            p = max(it['want'], bottom[c] + GAP + it['h'] / 2)
            if lastport is not None: p = max(p, lastport + _sep(lastcol, it))
            if best is None or p < best[0] - 0.01: best = (p, c)
        it['col'] = best[1]; lastport = best[0]; lastcol = it; bottom[best[1]] = best[0] + it['h'] / 2
    return _place(seq)

def _leader(it, box, outline, left):
    """via point: level from the box to just outside the drawing's outline (its extent between
    the box's and the control's heights), then straight to the control"""
    ax, ay = it['ap']
    py = box[1] + box[3] / 2
    ext = outline.extent(min(py, ay) - 3, max(py, ay) + 3)
    if ext is None:
        if 'clear' not in it: return []
        ext = (it['clear'] + MARGIN, it['clear'] - MARGIN)
    if left:
        xv = max(min(ext[0] - MARGIN, it.get('cap', 1e9)), it.get('clear', 0))
        if xv >= ax - 1 and 'clear' in it: xv = it['clear']
        if xv <= box[0] + box[2] + 2 or xv >= ax - 1: return []
    else:
        xv = min(max(ext[1] + MARGIN, it.get('cap', 0)), it.get('clear', 1e9))
        if xv <= ax + 1 and 'clear' in it: xv = it['clear']
        if xv >= box[0] - 2 or xv <= ax + 1: return []
    return [[r1(xv), r1(py)]]

def _seg_cross(p1, p2, q1, q2):
    def cr(o, a, b): return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    d1, d2, d3, d4 = cr(q1, q2, p1), cr(q1, q2, p2), cr(p1, p2, q1), cr(p1, p2, q2)
    return ((d1 > 1e-6 and d2 < -1e-6) or (d1 < -1e-6 and d2 > 1e-6)) and \
           ((d3 > 1e-6 and d4 < -1e-6) or (d3 < -1e-6 and d4 > 1e-6))

def _polyline(box, via, anchor, left):
    start = [box[0] + box[2], box[1] + box[3] / 2] if left else [box[0], box[1] + box[3] / 2]
    return [start] + via + [anchor]

def _crossings(lines):
    out = []
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            a, b = lines[i], lines[j]
            if any(_seg_cross(a[s], a[s + 1], b[t], b[t + 1])
                   for s in range(len(a) - 1) for t in range(len(b) - 1)):
                out.append((i, j))
    return out

def layout(dev, xf, columns, pitch=60, center=True):
    """columns: cols2(left, right) or cols4(lo, li, ri, ro). The columns only say which kinds of
    columns the card has and how wide they are: every item goes to the side of its control."""
    bh = pitch - GAP
    items = [dict(it) for col in columns for it in col['items'] if it['kind'] != 's']
    shapes = xf.art.shapes if getattr(xf, 'art', None) else []
    outline = Outline(shapes)
    cx = sum(outline.bounds()) / 2 if shapes else 960
    for it in items:
        it['ap'] = xf.p(*it['anchor'])
        it['h'] = 3 * pitch - GAP if it['kind'] == 'r' else bh
        it['want'] = it['ap'][1]
    four = len(columns) == 4
    if four:
        geo = {True: (columns[1], columns[0]), False: (columns[2], columns[3])}
    else:
        geo = {True: (columns[0], None), False: (columns[1], None)}
    # a control's callout goes to the side a level line from it reaches crossing less of the
    # drawing (the near side of its own grip, not across a second grip); else by the centre line
    def goes_left(it):
        ax, ay = it['ap']
        l = outline.ink(ay, 0, ax - 22) if shapes else 0
        r = outline.ink(ay, ax + 22, 1920) if shapes else 0
        return l < r - 15 if abs(l - r) > 15 else ax < cx
    sides = {True: [], False: []}
    for it in items: sides[goes_left(it)].append(it)

    def solve(left):
        seq = sorted(sides[left], key=lambda it: (it['ap'][1], abs(it['ap'][0] - cx)))
        return seq, _assign_columns(seq, four)
    # move the callouts nearest the centre line to the other side while one side overflows
    for _ in range(len(items)):
        bad = [s for s in (True, False) if not solve(s)[1]]
        if not bad: break
        s = bad[0]
        if not sides[s] or not solve(not s)[1]:
            raise SystemExit('%s: too many callouts for the card' % dev)
        mv = min(sides[s], key=lambda it: abs(it['ap'][0] - cx))
        sides[s].remove(mv); sides[not s].append(mv)
        if not solve(not s)[1]:
            raise SystemExit('%s: too many callouts for the card' % dev)

    callouts, groups = [], []
    for left in (True, False):
        order = sorted(sides[left], key=lambda it: (it['ap'][1], abs(it['ap'][0] - cx)))
        inner, outer = geo[left]

        def place(order):
            for it in order: it['col'] = 0
            if not _assign_columns(order, four):
                raise SystemExit('%s: callouts do not fit after reordering' % dev)
            wide = four and all(o['col'] == 0 for o in order)
            for it in order:
                if not four: col = inner
                elif wide: col = {'x': min(inner['x'], outer['x']), 'w': 604}
                else: col = inner if it['col'] == 0 else outer
                it['box'] = [col['x'], r1(it['port'] - it['h'] / 2), col['w'], it['h']]
                if four and not wide and it['col'] == 1:  # an outer leader clears the inner column
                    it['clear'] = inner['x'] + inner['w'] + 8 if left else inner['x'] - 8
                else:
                    it.pop('clear', None)

        def route(order):
            for it in order: it['via'] = _leader(it, it['box'], outline, left)
            return _crossings([_polyline(it['box'], it['via'], it['ap'], left) for it in order])
        # Untangle: two crossing leaders swap places (boxes of one size swap in place, which
        # shortens both; otherwise the two swap in the order and the column is placed again).
        place(order)
        best = None
        for attempt in range(200):
            cross = route(order)
            if best is None or len(cross) < best[0]:
                best = (len(cross), list(order), [{k: (list(v) if isinstance(v, list) else v)
                                                   for k, v in it.items()} for it in order])
            if not cross: break
            i, j = cross[attempt % len(cross)]
            a, b = order[i], order[j]
            va, vb = (a['via'][0][0] if a['via'] else None), (b['via'][0][0] if b['via'] else None)
            if va is not None and vb is not None and abs(va - vb) > 0.5:
                # bend both at the same distance from the drawing: then a swap surely helps
                a['cap'] = b['cap'] = min(va, vb) if left else max(va, vb)
            elif a['h'] == b['h'] and a['box'][0] == b['box'][0]:
                a['box'][1], b['box'][1] = b['box'][1], a['box'][1]
                a['port'], b['port'] = b['port'], a['port']
                order[i], order[j] = b, a
            else:
                order[i], order[j] = b, a
                place(order)
        order = best[1]
        for it, saved in zip(order, best[2]):
            it.clear(); it.update(saved)
        route(order)
        for it in order:
            box = it['box']
            if it['kind'] == 'c':
                c = {'id': it['id'], 'label': it['label'], 'controls': it['controls'], 'box': box, 'anchor': it['ap']}
                if it.get('tags'): c['tags'] = it['tags']
                if it['via']: c['via'] = it['via']
                callouts.append(c)
                continue
            g = {'id': it['id'], 'label': it['label'], 'box': box, 'anchor': it['ap']}
            if it['via']: g['via'] = it['via']
            groups.append(g)
            gh = box[3]
            cw = (box[2] - 2 * GAP - 8) / 3
            ch = (gh - 2 * GAP - 8) / 3
            hatname = it['label'].split(' ')[0]
            for d, ctl in it['dirs'].items():
                ccx, ccy = CELL[d]
                callouts.append({'id': '%s_%s' % (it['id'], d), 'label': '%s %s' % (hatname, ARROW[d]),
                                 'controls': ctl, 'group': it['id'],
                                 'box': [r1(box[0] + 4 + ccx * (cw + GAP)), r1(box[1] + 4 + ccy * (ch + GAP)),
                                         r1(cw), r1(ch)]})
    return callouts, groups

def cols2(left, right):
    return [{'x': 24, 'w': 540, 'items': left}, {'x': 1356, 'w': 540, 'items': right}]

def cols4(lo, li, ri, ro):
    W = 292
    return [{'x': 14, 'w': W, 'items': lo, 'outer': True, 'inner': 1},
            {'x': 326, 'w': W, 'items': li, 'has_outer': True},
            {'x': 1302, 'w': W, 'items': ri, 'has_outer': True},
            {'x': 1614, 'w': W, 'items': ro, 'outer': True, 'inner': 2}]

# Drawings stay between the title (top 100 px) and the extras box (y 968 on).
ART2 = (600, 108, 720, 852)
ART4 = (640, 108, 640, 852)

def _art_box(shapes):
    """(x0, y0, x1, y1) of a drawing"""
    xs, ys = [], []
    for sh in shapes:
        if 'path' in sh:
            for poly in _path_polys(sh['path']): xs += [q[0] for q in poly]; ys += [q[1] for q in poly]
        elif 'line' in sh: xs += [q[0] for q in sh['line']]; ys += [q[1] for q in sh['line']]
        elif 'rrect' in sh:
            x, y, w, h, _ = sh['rrect']; xs += [x, x + w]; ys += [y, y + h]
        else:
            v = sh.get('circle') or sh.get('hat') or sh.get('arc') or sh.get('ellipse')
            rx = v[2]; ry = v[3] if 'ellipse' in sh else v[2]
            xs += [v[0] - rx, v[0] + rx]; ys += [v[1] - ry, v[1] + ry]
    return min(xs), min(ys), max(xs), max(ys)

def emit(dev):
    path = os.path.join(OUT, dev['id'] + '.json')
    dev = dict(dev)
    dev['background'] = 'baked/devices/%s.png' % dev['id']
    dev['canvas'] = {'width': 1920, 'height': 1080}
    order = ['id', 'name', 'kind', 'side', 'usb', 'games', 'notes', 'canvas', 'background', 'extras',
             'art', 'groups', 'callouts']
    out = {k: dev[k] for k in order if k in dev}
    if dev.get('kind') != 'keyboard' and dev.get('art'):
        x0, y0, x1, y1 = _art_box(dev['art'])
        ex = dev['extras']
        if y0 < 100 or (y1 > ex[1] and x1 > ex[0] and x0 < ex[0] + ex[2]):
            print('warning: %s: the drawing (%.0f..%.0f, %.0f..%.0f) reaches into the title or the extras box'
                  % (dev['id'], x0, x1, y0, y1), file=sys.stderr)
    with open(path, 'w') as f:
        s = json.dumps(out, indent=1, ensure_ascii=False)
        f.write(s + '\n')
    print('wrote', path, len(dev.get('callouts', [])), 'callouts')

EXTRAS2 = [640, 968, 640, 92]
EXTRAS4 = [660, 968, 600, 92]

# ---- archetype drawings (local frames) --------------------------------------------------
def stick_body(a, x0=0, scale=1.0, head='round', y0=0, base=True):
    """a stick seen from the pilot's seat, in a 1000x1300 frame (x0 shifts it); base=False leaves
    the base to the caller (desk bases differ between makers)"""
    def P(*v):
        return tuple(v[i] * scale + (x0 if i % 2 == 0 else y0) for i in range(len(v)))
    if base:
        a.rrect(*P(140, 1060), 720 * scale, 200 * scale, 40 * scale, fill='body2')
        a.rrect(*P(180, 1090), 640 * scale, 60 * scale, 24 * scale, fill='body')
    a.path([('M',) + P(400, 1072), ('L',) + P(440, 900), ('L',) + P(560, 900), ('L',) + P(600, 1072), ('Z',)],
           fill='body2')
    for yy in (940, 980, 1020):
        t = (yy - 900) / 172
        a.line([P(440 - 40 * t, yy), P(560 + 40 * t, yy)], stroke=1.5)
    a.rrect(*P(425, 858), 150 * scale, 46 * scale, 12 * scale, fill='body2')
    if head == 'round':
        g = [('M',) + P(392, 866), ('C',) + P(372, 760, 330, 640, 338, 520), ('C',) + P(344, 430, 300, 370, 300, 280),
             ('C',) + P(300, 160, 390, 100, 500, 100), ('C',) + P(640, 100, 720, 170, 716, 290),
             ('C',) + P(713, 380, 676, 420, 688, 500), ('C',) + P(700, 600, 768, 650, 746, 760),
             ('C',) + P(730, 830, 664, 866, 612, 866), ('Z',)]
    elif head == 'space':  # tall space-combat head with a flared thumb shelf
        g = [('M',) + P(392, 866), ('C',) + P(372, 760, 336, 650, 340, 540), ('C',) + P(344, 460, 280, 400, 282, 300),
             ('C',) + P(284, 170, 380, 80, 520, 84), ('C',) + P(660, 88, 760, 150, 752, 250),
             ('C',) + P(746, 330, 700, 380, 700, 470), ('C',) + P(700, 600, 770, 650, 748, 760),
             ('C',) + P(730, 830, 664, 866, 612, 866), ('Z',)]
    elif head == 'slim':  # slim flight grip, head barely wider than the handle
        g = [('M',) + P(400, 866), ('C',) + P(384, 760, 352, 640, 356, 520), ('C',) + P(360, 420, 330, 340, 336, 250),
             ('C',) + P(342, 150, 410, 110, 500, 110), ('C',) + P(600, 110, 672, 160, 670, 260),
             ('C',) + P(668, 360, 668, 420, 678, 500), ('C',) + P(692, 600, 756, 650, 740, 760),
             ('C',) + P(726, 830, 664, 866, 612, 866), ('Z',)]
    else:  # angular F-16-like head leaning forward
        g = [('M',) + P(392, 866), ('C',) + P(370, 760, 340, 650, 345, 540), ('L',) + P(330, 330),
             ('C',) + P(325, 250, 330, 160, 420, 130), ('L',) + P(640, 110), ('C',) + P(700, 108, 730, 150, 725, 220),
             ('L',) + P(700, 470), ('C',) + P(700, 600, 770, 650, 748, 760),
             ('C',) + P(732, 830, 664, 866, 612, 866), ('Z',)]
    a.path(g, fill='body')
    # palm rest seam
    a.path([('M',) + P(690, 520), ('C',) + P(640, 600, 640, 720, 690, 820)], fill='none', stroke=1.5)

def trigger_shape(a, x, y, s=1.0):
    a.path([('M', x, y), ('C', x - 50 * s, y + 8 * s, x - 70 * s, y + 60 * s, x - 55 * s, y + 115 * s),
            ('L', x - 38 * s, y + 112 * s), ('C', x - 45 * s, y + 70 * s, x - 30 * s, y + 42 * s, x + 6 * s, y + 36 * s),
            ('Z',)], fill='control')

def lever_shape(a, x, y, s=1.0):
    a.path([('M', x, y), ('C', x - 40 * s, y + 6 * s, x - 52 * s, y + 50 * s, x - 44 * s, y + 90 * s),
            ('L', x - 28 * s, y + 90 * s), ('C', x - 30 * s, y + 60 * s, x - 22 * s, y + 34 * s, x + 4 * s, y + 30 * s),
            ('Z',)], fill='control')

def throttle_base(a, x, y, w, h):
    a.path([('M', x, y + h), ('L', x, y + 90), ('C', x, y + 30, x + 60, y, x + 140, y), ('L', x + w - 140, y),
            ('C', x + w - 60, y, x + w, y + 30, x + w, y + 90), ('L', x + w, y + h), ('Z',)], fill='body2')
    a.line([(x + 24, y + h - 40), (x + w - 24, y + h - 40)], stroke=1.5)

def throttle_handle(a, x, y, w, h, lean=40):
    """a lever: arm from the base slot up to a rounded handle whose top-left is (x,y)"""
    cx = x + w / 2
    a.path([('M', cx - 30, y + h - 10), ('L', cx - 44 + lean / 2, y + h + 170), ('L', cx + 44 + lean / 2, y + h + 170),
            ('L', cx + 30, y + h - 10), ('Z',)], fill='body2')
    a.path([('M', x + 10, y + h), ('C', x - 16, y + h * 0.6, x - 6, y + h * 0.25, x + w * 0.25, y + 20),
            ('C', x + w * 0.45, y - 8, x + w * 0.8, y - 6, x + w - 6, y + 40),
            ('C', x + w + 18, y + h * 0.4, x + w + 10, y + h * 0.75, x + w - 14, y + h), ('Z',)], fill='body')

# ---- devices ---------------------------------------------------------------------------
def warthog_stick():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    stick_body(a, head='angular')
    trigger_shape(a, 350, 390)
    lever_shape(a, 372, 690)
    a.hat(430, 200, 34, 8)        # H1 trim
    a.hat(600, 175, 30, 4)        # H2 TMS
    a.hat(640, 300, 28, 4)        # H3 DMS
    a.hat(470, 330, 30, 4)        # H4 CMS
    a.circle(400, 270, 20)        # S1 NWS? master mode
    a.circle(520, 250, 16, fill='dark')  # S2 weapon release (red)
    a.rrect(560, 400, 60, 26, 10, fill='control')  # S3 pickle lever
    left = [POV(1, 'h1', 'H1 trim hat', (430, 200)), BHAT('h2', 'H2 target management', (600, 175), 7, n=4),
            C('tg1', 'TG1 trigger, 1st stage', ['button:1'], (320, 440)),
            C('tg2', 'TG2 trigger, 2nd stage', ['button:6'], (310, 480)),
            C('s4', 'S4 paddle switch', ['button:4'], (345, 740)),
            AX('x', 'X axis (roll)', (500, 880))]
    right = [BHAT('h3', 'H3 data management', (640, 300), 11, n=4),
             BHAT('h4', 'H4 countermeasures', (470, 330), 15, n=5),
             C('s1', 'S1 index button', ['button:5'], (400, 270)),
             C('s2', 'S2 weapon release', ['button:2'], (520, 250)),
             C('s3', 'S3 pinky / nosewheel', ['button:3'], (590, 413)),
             AX('y', 'Y axis (pitch)', (500, 930))]
    cs, gs = layout('warthog-stick', xf, cols2(left, right), pitch=62)
    return dict(id='warthog-stick', name='Thrustmaster HOTAS Warthog Joystick', kind='stick',
                usb=['044F:0402'],
                games={'elite': ['ThrustMasterWarthogJoystick'], 'msfs2020': ['Joystick - HOTAS Warthog'],
                       'dcs': ['Joystick - HOTAS Warthog'], 'squadrons': ['Joystick - HOTAS Warthog']},
                notes='Button numbers as Windows reports the grip: TG1=1, S2=2, S3=3, S4=4, S1=5, TG2=6, '
                      'H2=7-10, H3=11-14, H4=15-19 (push 19), H1 is POV 1.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def warthog_throttle():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    throttle_base(a, 60, 900, 880, 340)
    a.rrect(330, 930, 340, 26, 12, fill='dark')
    throttle_handle(a, 200, 420, 270, 300)
    throttle_handle(a, 520, 420, 270, 300)
    a.rrect(470, 520, 60, 40, 10, fill='body2')  # coupling
    a.hat(290, 520, 30, 4)        # coolie (left handle top)
    a.hat(380, 600, 26, 4)        # mic switch
    a.circle(260, 620, 18)        # slew
    a.rrect(230, 470, 50, 22, 8, fill='control')   # speedbrake
    a.rrect(330, 480, 60, 20, 8, fill='control')   # boat switch
    a.rrect(620, 470, 60, 20, 8, fill='control')   # china hat
    a.circle(700, 560, 16)        # pinky
    a.circle(300, 690, 14)        # LTB
    for i, lx in enumerate((150, 220, 290, 360, 430)):
        a.toggle(lx, 1080)
    for i, lx in enumerate((600, 670, 740, 810)):
        a.toggle(lx, 1080)
    a.rrect(540, 1150, 360, 40, 10, fill='body')
    for lx in (580, 660, 740, 820):
        a.circle(lx, 1170, 11)
    left = [ROSE('ms', 'MS mic switch', (380, 600), {'up': ['button:3'], 'right': ['button:4'], 'down': ['button:5'],
                                                      'left': ['button:6'], 'push': ['button:2']}),
            POV(1, 'cs', 'CS coolie switch', (290, 520), ways=4),
            C('sc', 'SC slew control push', ['button:1'], (260, 620)),
            C('spd', 'SPD speedbrake', ['button:7', 'button:8'], (255, 481), tags=['fwd', 'aft']),
            C('bs', 'BS boat switch', ['button:9', 'button:10'], (360, 490), tags=['fwd', 'aft']),
            C('ch', 'CH china hat', ['button:11', 'button:12'], (650, 480), tags=['fwd', 'aft']),
            C('ps', 'PS pinky switch', ['button:13', 'button:14'], (700, 560), tags=['fwd', 'aft']),
            C('ltb', 'LTB left throttle button', ['button:15'], (300, 690)),
            AX('rz', 'Left throttle (RZ)', (330, 800)),
            AX('z', 'Right throttle (Z)', (660, 800))]
    right = [AX('x', 'Slew X', (248, 610)), AX('y', 'Slew Y', (272, 632)), AX('slider1', 'Friction slider', (500, 980)),
             C('efl', 'EFL fuel flow left', ['button:16'], (150, 1060)),
             C('efr', 'EFR fuel flow right', ['button:17'], (220, 1060)),
             C('eol', 'EOL engine left', ['button:31', 'button:18'], (290, 1060), tags=['ign', 'motor']),
             C('eor', 'EOR engine right', ['button:32', 'button:19'], (360, 1060), tags=['ign', 'motor']),
             C('apu', 'APU start', ['button:20'], (430, 1060)),
             C('lg', 'L/G warning silence', ['button:21'], (610, 1160)),
             C('flaps', 'FLAPS', ['button:22', 'button:23'], (600, 1060), tags=['up', 'down']),
             C('eac', 'EAC arm', ['button:24'], (670, 1060)),
             C('rdr', 'RDR altimeter', ['button:25'], (740, 1060)),
             C('ape', 'Autopilot engage', ['button:26'], (660, 1170)),
             C('apm', 'Autopilot mode', ['button:27', 'button:28'], (740, 1170), tags=['path', 'alt']),
             C('idle', 'Engine idle / cut-off', ['button:30', 'button:29'], (500, 900), tags=['left', 'right'])]
    cs, gs = layout('warthog-throttle', xf, cols2(left, right), pitch=60)
    return dict(id='warthog-throttle', name='Thrustmaster HOTAS Warthog Throttle', kind='throttle',
                usb=['044F:0404'],
                games={'elite': ['ThrustMasterWarthogThrottle'], 'msfs2020': ['Throttle - HOTAS Warthog'],
                       'dcs': ['Throttle - HOTAS Warthog'], 'squadrons': ['Throttle - HOTAS Warthog']},
                notes='Buttons 1-32 as Windows reports them; coolie switch is POV 1. Axis assignment '
                      '(left throttle RZ, right throttle Z, slew X/Y, friction slider) follows common '
                      'Elite/DCS profiles; verify on a device.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def t16000m():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    stick_body(a, head='round')
    trigger_shape(a, 345, 380)
    a.hat(500, 190, 34, 8)
    a.circle(380, 250, 20)  # b3 left
    a.circle(620, 250, 20)  # b4 right
    a.circle(330, 560, 18)  # b2 thumb
    bl = [(230, 1120), (290, 1120), (350, 1120), (350, 1180), (290, 1180), (230, 1180)]
    br = [(650, 1120), (710, 1120), (770, 1120), (770, 1180), (710, 1180), (650, 1180)]
    for p in bl + br: a.circle(p[0], p[1], 16)
    a.ellipse(840, 1000, 30, 60, fill='body2')  # throttle wheel
    left = [POV(1, 'hat', 'Hat 8-way', (500, 190)),
            C('b1', 'Trigger', ['button:1'], (310, 430)),
            C('b2', 'Thumb button', ['button:2'], (330, 560)),
            C('b3', 'Head button left', ['button:3'], (380, 250)),
            C('b4', 'Head button right', ['button:4'], (620, 250)),
            AX('x', 'X axis (roll)', (470, 880)), AX('y', 'Y axis (pitch)', (530, 880)),
            AX('rz', 'Twist (RZ, yaw)', (500, 120))]
    right = [C('b%d' % (5 + i), 'Base left, button %d' % (5 + i), ['button:%d' % (5 + i)], bl[i]) for i in range(6)] + \
            [C('b%d' % (11 + i), 'Base right, button %d' % (11 + i), ['button:%d' % (11 + i)], br[i]) for i in range(6)] + \
            [AX('slider1', 'Throttle wheel (slider)', (840, 1000))]
    cs, gs = layout('t16000m', xf, cols2(left, right), pitch=62)
    return dict(id='t16000m', name='Thrustmaster T.16000M FCS Joystick', kind='stick', usb=['044F:B10A'],
                games={'elite': ['T16000M', 'T16000MFCS'], 'msfs2020': ['T.16000M'], 'dcs': ['T.16000M'],
                       'squadrons': ['T.16000M']},
                notes='Base buttons 5-10 (left block) and 11-16 (right block) in Windows order; the '
                      'top row runs outward-in then the bottom row back, as on the right-hand setting.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def twcs():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    throttle_base(a, 100, 900, 800, 340)
    a.rrect(250, 930, 420, 26, 12, fill='dark')
    throttle_handle(a, 300, 300, 380, 420)
    a.hat(420, 400, 34, 8)      # POV
    a.hat(560, 420, 26, 4)      # hat B
    a.hat(560, 520, 26, 4)      # hat C
    a.circle(420, 520, 26, fill='body2'); a.circle(420, 520, 12)  # mini stick
    a.circle(380, 620, 16)      # b1
    a.circle(470, 640, 16)      # b2
    a.circle(640, 630, 14)      # b3
    a.rrect(320, 320, 80, 24, 10, fill='control')  # rocker switch top
    a.rrect(180, 1000, 120, 40, 14, fill='control')  # paddle/rocker axis
    a.rrect(700, 1000, 120, 40, 14, fill='control')  # antenna/friction
    left = [POV(1, 'pov', 'POV hat 8-way', (420, 400)), BHAT('hb', 'Hat B', (560, 420), 5, n=4),
            C('b1', 'Button 1 (thumb, lower)', ['button:1'], (380, 620)),
            C('b2', 'Button 2 (thumb, upper)', ['button:2'], (470, 640)),
            C('b3', 'Button 3 (index)', ['button:3'], (640, 630)),
            C('b4', 'Mini-stick push', ['button:4'], (420, 520)),
            C('rocker', 'Rocker switch', ['button:13', 'button:14'], (360, 332), tags=['up', 'down'])]
    right = [BHAT('hc', 'Hat C', (560, 520), 9, n=4),
             AX('z', 'Throttle (Z)', (500, 930)), AX('rz', 'Paddle rocker (RZ)', (240, 1020)),
             AX('x', 'Mini-stick X', (408, 512)), AX('y', 'Mini-stick Y', (432, 528)),
             AX('slider1', 'Antenna / slider', (760, 1020))]
    cs, gs = layout('twcs', xf, cols2(left, right), pitch=62)
    return dict(id='twcs', name='Thrustmaster TWCS Throttle', kind='throttle', usb=['044F:B687'],
                games={'elite': ['T16000MTHROTTLE', 'TWCSThrottle'], 'msfs2020': ['TWCS Throttle'],
                       'dcs': ['TWCS Throttle'], 'squadrons': ['TWCS Throttle']},
                notes='Buttons 1-14 and POV as Windows reports them; the exact placement of buttons 1-4 '
                      'and the two 4-way hats follows the manual from memory: verify on a device.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def x52():
    xf = Xf(1400, 1300, *ART4); a = Art(xf)
    # stick on the left (its callouts are on the left), throttle on the right
    T = 820
    throttle_base(a, T + 20, 900, 560, 340)
    a.rrect(T + 140, 930, 320, 24, 12, fill='dark')
    throttle_handle(a, T + 130, 360, 320, 380)
    a.hat(T + 230, 460, 26, 4)          # throttle hat H3
    a.circle(T + 340, 460, 16)          # E
    a.circle(T + 230, 560, 18)          # D
    a.circle(T + 350, 560, 14, fill='dark'); a.circle(T + 350, 560, 22, fill='none')  # mouse nub + i
    a.ellipse(T + 300, 650, 40, 14, fill='body2')  # slider
    a.circle(T + 140, 500, 24, fill='body2')  # rotary I
    a.circle(T + 150, 620, 22, fill='body2')  # rotary E
    a.rrect(T + 400, 640, 40, 30, 8, fill='control')  # scroll
    for i, lx in enumerate((120, 200, 280)): a.toggle(T + lx, 1080)
    a.rrect(T + 330, 1040, 200, 80, 12, fill='body')   # MFD
    S0, SC, SY = -40, 0.8, 250
    stick_body(a, x0=S0, scale=SC, y0=SY)
    sx = lambda v: S0 + v * SC
    sy = lambda v: SY + v * SC
    trigger_shape(a, sx(345), sy(380), SC)
    lever_shape(a, sx(372), sy(690), SC)
    a.hat(sx(420), sy(200), 24, 8); a.hat(sx(600), sy(190), 22, 4)
    a.circle(sx(510), sy(280), 14, fill='dark')     # fire
    a.circle(sx(380), sy(300), 12); a.circle(sx(640), sy(300), 12)  # A, B
    a.circle(sx(700), sy(420), 12)   # C
    a.rrect(sx(380), sy(1100), 180 * SC, 40 * SC, 8, fill='control')  # mode
    lo = [POV(1, 'pov1', 'POV 1 stick hat', (sx(420), sy(200))),
          BHAT('pov2', 'POV 2 stick hat', (sx(600), sy(190)), 16, n=4),
          C('mode', 'Mode selector', ['button:24', 'button:25', 'button:26'], (sx(440), sy(1113)),
            tags=['Mode 1', 'Mode 2', 'Mode 3']),
          C('b6', 'Pinky switch', ['button:6'], (sx(345), sy(740))),
          AX('rz', 'Stick twist (RZ)', (sx(500), sy(110)))]
    li = [C('b1', 'Trigger, 1st stage', ['button:1'], (sx(320), sy(430))),
          C('b15', 'Trigger, 2nd stage', ['button:15'], (sx(305), sy(470))),
          C('b2', 'Fire button (red)', ['button:2'], (sx(510), sy(280))),
          C('b3', 'A button', ['button:3'], (sx(380), sy(300))),
          C('b4', 'B button', ['button:4'], (sx(640), sy(300))),
          C('b5', 'C button', ['button:5'], (sx(700), sy(420))),
          AX('x', 'Stick X (roll)', (sx(470), sy(880))), AX('y', 'Stick Y (pitch)', (sx(530), sy(880)))]
    ri = [C('b7', 'D button', ['button:7'], (T + 230, 560)),
          C('b8', 'E button', ['button:8'], (T + 340, 460)),
          C('b30', 'i button', ['button:30'], (T + 372, 560)),
          C('b31', 'Mouse button', ['button:31'], (T + 350, 560)),
          C('scroll', 'Scroll wheel', ['button:32', 'button:33', 'button:34'], (T + 420, 655),
            tags=['push', 'down', 'up']),
          AX('z', 'Throttle (Z)', (T + 290, 930)), AX('rx', 'Rotary I (RX)', (T + 140, 500)),
          AX('ry', 'Rotary E (RY)', (T + 150, 620)), AX('slider1', 'Slider (throttle)', (T + 300, 650))]
    ro = [BHAT('h3', 'H3 throttle hat', (T + 230, 460), 20, n=4),
          C('t12', 'T1 / T2 toggle', ['button:9', 'button:10'], (T + 120, 1060), tags=['up', 'down']),
          C('t34', 'T3 / T4 toggle', ['button:11', 'button:12'], (T + 200, 1060), tags=['up', 'down']),
          C('t56', 'T5 / T6 toggle', ['button:13', 'button:14'], (T + 280, 1060), tags=['up', 'down']),
          C('mfd', 'MFD function / start / reset', ['button:27', 'button:28', 'button:29'], (T + 430, 1080),
            tags=['fn', 'start', 'reset'])]
    cs, gs = layout('x52', xf, cols4(lo, li, ri, ro), pitch=72)
    return dict(id='x52', name='Saitek / Logitech X52 and X52 Pro', kind='stick',
                usb=['06A3:0255', '06A3:075C', '06A3:0762'],
                games={'elite': ['SaitekX52', 'SaitekX52Pro'],
                       'msfs2020': ['Saitek X52 Flight Control System', 'Saitek X52 Pro Flight Control System',
                                    'X52 H.O.T.A.S.', 'X52 Professional H.O.T.A.S.'],
                       'dcs': ['Saitek X52 Flight Control System', 'Saitek X52 Pro Flight Control System'],
                       'squadrons': ['Saitek X52 Flight Control System']},
                notes='Stick and throttle are one USB device. 06A3:0762 is the X52 Pro; 0255 and 075C are '
                      'X52 revisions. Buttons 30-34 (i, mouse, scroll) vary between X52 and X52 Pro '
                      'drivers: verify.',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)

def x56_stick():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    stick_body(a, head='round')
    trigger_shape(a, 345, 380)
    lever_shape(a, 372, 690)
    a.hat(420, 200, 30, 8)    # H1
    a.hat(600, 190, 26, 4)    # H2
    a.hat(640, 330, 26, 4)    # H3
    a.circle(500, 270, 18, fill='dark')   # A
    a.circle(380, 320, 16)    # B
    a.circle(470, 380, 22, fill='body2'); a.circle(470, 380, 10)  # C mini-stick
    left = [POV(1, 'h1', 'H1 hat', (420, 200)), BHAT('h2', 'H2 hat', (600, 190), 7, n=4),
            C('b1', 'Trigger', ['button:1'], (310, 430)), C('b2', 'A button (red)', ['button:2'], (500, 270)),
            C('b3', 'B button', ['button:3'], (380, 320)), C('b4', 'C mini-stick push', ['button:4'], (470, 380))]
    right = [BHAT('h3', 'H3 hat', (640, 330), 11, n=4),
             C('b5', 'D pinky trigger', ['button:5'], (345, 740)),
             AX('x', 'X axis (roll)', (470, 880)), AX('y', 'Y axis (pitch)', (530, 880)),
             AX('rz', 'Twist (RZ)', (500, 120)), AX('rx', 'Mini-stick X', (458, 372)),
             AX('ry', 'Mini-stick Y', (482, 388))]
    cs, gs = layout('x56-stick', xf, cols2(left, right), pitch=62)
    return dict(id='x56-stick', name='Saitek / Logitech X56 H.O.T.A.S. Stick', kind='stick',
                usb=['0738:2221'],
                games={'elite': ['SaitekX56Joystick'],
                       'msfs2020': ['X56 H.O.T.A.S. Stick', 'Saitek Pro Flight X-56 Rhino Stick'],
                       'dcs': ['Saitek Pro Flight X-56 Rhino Stick', 'X56 H.O.T.A.S. Stick'],
                       'squadrons': ['X56 H.O.T.A.S. Stick']},
                notes='0738:2221 is the Mad Catz/Saitek Rhino stick; Logitech kept that id for the X56. '
                      'Button order (trigger, A, B, C, D, H2, H3) from the manual, from memory.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def x56_throttle():
    xf = Xf(1000, 1300, *ART4); a = Art(xf)
    throttle_base(a, 40, 880, 920, 360)
    a.rrect(300, 910, 400, 26, 12, fill='dark')
    throttle_handle(a, 180, 400, 280, 320)
    throttle_handle(a, 540, 400, 280, 320)
    a.hat(260, 480, 24, 4)     # H3
    a.hat(360, 520, 24, 4)     # H4
    a.circle(300, 600, 20, fill='body2'); a.circle(300, 600, 9)   # mini stick
    a.circle(390, 430, 14)     # E
    a.circle(640, 470, 20, fill='body2')  # F rotary
    a.circle(720, 520, 20, fill='body2')  # G rotary
    a.circle(230, 650, 14)     # I
    a.circle(700, 620, 14)     # H
    a.rrect(600, 660, 60, 22, 8, fill='control')  # K1 wheel
    a.rrect(380, 650, 24, 60, 8, fill='control')  # SLD
    for lx in (180, 270, 360): a.circle(lx, 1000, 15, fill='dark')  # SW1-3
    for lx in (640, 730, 820): a.circle(lx, 1000, 15, fill='dark')  # SW4-6
    for lx in (200, 340, 660, 800): a.toggle(lx, 1130)
    a.circle(500, 1140, 26, fill='body2'); a.circle(500, 1060, 20, fill='body2')  # RTY3/4
    a.rrect(440, 1180, 120, 34, 10, fill='control')  # mode
    lo = [BHAT('h3', 'H3 hat', (260, 480), 20, n=4), BHAT('h4', 'H4 hat', (360, 520), 24, n=4),
          C('e', 'E button', ['button:1'], (390, 430)), C('f', 'F rotary push', ['button:2'], (640, 470)),
          C('g', 'G rotary push', ['button:3'], (720, 520)), C('i', 'I button', ['button:4'], (230, 650)),
          C('h', 'H button', ['button:5'], (700, 620)),
          C('k1', 'K1 wheel', ['button:28', 'button:29'], (630, 671), tags=['up', 'down']),
          C('ms', 'Mini-stick push', ['button:30'], (300, 600)),
          C('sld', 'SLD slide switch', ['button:31'], (392, 680))]
    li = [C('sw%d' % (i + 1), 'SW%d base button' % (i + 1), ['button:%d' % (6 + i)], p)
          for i, p in enumerate([(180, 1000), (270, 1000), (360, 1000), (640, 1000), (730, 1000), (820, 1000)])] + \
         [C('tgl%d' % (i + 1), 'TGL%d toggle' % (i + 1), ['button:%d' % (12 + 2 * i), 'button:%d' % (13 + 2 * i)], p,
            tags=['up', 'down']) for i, p in enumerate([(200, 1104), (340, 1104), (660, 1104), (800, 1104)])] + \
         [C('mode', 'Mode M1 / M2 / S1', ['button:32', 'button:33', 'button:34'], (500, 1197),
            tags=['M1', 'M2', 'S1'])]
    ri = [AX('x', 'Left throttle (X)', (320, 820)), AX('y', 'Right throttle (Y)', (680, 820)),
          AX('z', 'F rotary (Z)', (655, 470)), AX('rx', 'Mini-stick X (RX)', (290, 592)),
          AX('ry', 'Mini-stick Y (RY)', (310, 608)), AX('rz', 'G rotary (RZ)', (730, 520)),
          AX('slider1', 'RTY3 rotary (slider 1)', (500, 1060)), AX('slider2', 'RTY4 rotary (slider 2)', (500, 1140))]
    cs, gs = layout('x56-throttle', xf, cols4(lo, li, ri, []), pitch=60)
    return dict(id='x56-throttle', name='Saitek / Logitech X56 H.O.T.A.S. Throttle', kind='throttle',
                usb=['0738:A221'],
                games={'elite': ['SaitekX56Throttle'],
                       'msfs2020': ['X56 H.O.T.A.S. Throttle', 'Saitek Pro Flight X-56 Rhino Throttle'],
                       'dcs': ['Saitek Pro Flight X-56 Rhino Throttle', 'X56 H.O.T.A.S. Throttle'],
                       'squadrons': ['X56 H.O.T.A.S. Throttle']},
                notes='0738:A221 is the Mad Catz/Saitek Rhino throttle; Logitech kept that id for the X56 '
                      '(06A3:0C2D is the Pro Flight Throttle Quadrant, not an X56). Button and axis numbering from the manual, from memory: verify on a device.',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)

def vkb_gladiator(left_hand=False):
    xf = Xf(1000, 1300, *ART2, mirror=left_hand); a = Art(xf)
    stick_body(a, head='round')
    trigger_shape(a, 345, 380)
    a.hat(430, 190, 26, 8)    # A1 hat + ministick
    a.hat(590, 200, 26, 4)    # A3
    a.hat(640, 330, 24, 4)    # A4
    a.hat(380, 420, 24, 4)    # C1
    a.circle(510, 260, 16, fill='dark')   # A2
    a.circle(640, 430, 14)    # B1
    a.circle(360, 560, 14)    # D1
    a.rrect(440, 330, 40, 20, 7, fill='control')  # rapid fire
    for lx in (300, 370, 440): a.circle(lx, 1120, 14)  # F1-F3
    a.circle(620, 1120, 20, fill='body2')  # En1
    a.toggle(720, 1140)       # Sw1
    left = [POV(1, 'a1', 'A1 hat', (430, 190)), BHAT('a3', 'A3 hat', (590, 200), 6),
            C('b1', 'Trigger, 1st stage', ['button:1'], (310, 430)),
            C('b2', 'Trigger, 2nd stage', ['button:2'], (300, 470)),
            C('b3', 'A2 button (red)', ['button:3'], (510, 260)),
            C('b4', 'B1 button', ['button:4'], (640, 430)),
            C('b5', 'D1 button', ['button:5'], (360, 560)),
            C('rf', 'Rapid-fire lever', ['button:21', 'button:22'], (460, 340), tags=['fwd', 'back'])]
    right = [BHAT('a4', 'A4 hat', (640, 330), 11), BHAT('c1', 'C1 hat', (380, 420), 16),
             C('en1', 'En1 encoder', ['button:23', 'button:24'], (620, 1120), tags=['up', 'down']),
             C('sw1', 'Sw1 switch', ['button:25', 'button:26'], (720, 1114), tags=['up', 'down']),
             C('f', 'F1 / F2 / F3', ['button:27', 'button:28', 'button:29'], (370, 1120), tags=['F1', 'F2', 'F3']),
             AX('x', 'X (roll)', (470, 880)), AX('y', 'Y (pitch)', (530, 880)), AX('rz', 'Twist (RZ)', (500, 110)),
             AX('rx', 'A1 mini-stick X', (418, 182)), AX('ry', 'A1 mini-stick Y', (442, 198))]
    did = 'vkb-gladiator-nxt-evo-left' if left_hand else 'vkb-gladiator-nxt-evo'
    cs, gs = layout(did, xf, cols2(left, right), pitch=57)
    if left_hand:
        usb = ['231D:0201', '231D:3201']
        names = ['VKBsim Gladiator EVO L', 'VKBsim Gladiator EVO OT L', 'VKB-Sim Gladiator NXT L', 'VKB-Sim Gladiator EVO L']
        elite = ['VKBsimGladiatorEVOL']
    else:
        usb = ['231D:0200', '231D:0204']
        names = ['VKBsim Gladiator EVO R', 'VKB-Sim Gladiator EVO R', 'VKB-Sim Gladiator NXT R', 'VKBsim Gladiator NXT R SEM']
        elite = ['VKBGladiatorNXTEVO', 'VKBsimGladiatorEVOR']
    side = 'left' if left_hand else 'right'
    return dict(id=did, name='VKB Gladiator NXT EVO (%s hand)' % side, kind='stick', side=side, usb=usb,
                games={'elite': elite, 'msfs2020': names, 'dcs': names, 'starcitizen': names, 'il2': names,
                       'bms': names, 'squadrons': names},
                notes='231D:0200 is the right-hand EVO, 0201 the left-hand one (EDRefCard maps both); 0204 is '
                      'reported as "VKBsim Gladiator NXT R SEM" and 3201 as "VKBsim Gladiator EVO OT L" '
                      '(linux-hardware.org). Star Citizen writes the name with padding, e.g. " VKBsim Gladiator EVO '
                      ' L    {0201231D-...}". Button numbers are VKB\'s factory profile (Space Combat grip); hats '
                      'A3/A4/C1 are buttons up, right, down, left, push. The left grip is the right one mirrored '
                      'with the same numbers. VKBDevCfg can renumber everything.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def vpc_alpha(left_hand=False):
    xf = Xf(1000, 1300, *ART2, mirror=left_hand); a = Art(xf)
    stick_body(a, head='angular')
    trigger_shape(a, 350, 390)
    lever_shape(a, 372, 700)
    a.hat(430, 190, 28, 4)    # A1 hat
    a.hat(610, 180, 26, 4)    # B1 hat
    a.hat(650, 320, 24, 4)    # C1 hat
    a.hat(470, 330, 24, 4)    # D1 hat
    a.circle(520, 250, 14, fill='dark')   # A2
    a.circle(380, 290, 14)    # B2
    a.circle(420, 470, 20, fill='body2'); a.circle(420, 470, 9)  # E1 ministick
    a.rrect(560, 420, 60, 22, 8, fill='control')  # flip trigger
    lo = [BHAT('a1', 'A1 hat', (430, 190), 5), BHAT('d1', 'D1 hat', (470, 330), 20)]
    li = [BHAT('b1', 'B1 hat', (610, 180), 10), BHAT('c1', 'C1 hat', (650, 320), 15),
          C('t1', 'Trigger, 1st stage', ['button:1'], (320, 440)),
          C('t2', 'Trigger, 2nd stage', ['button:2'], (310, 480)),
          C('flip', 'Flip trigger', ['button:3'], (590, 431)),
          C('a2', 'A2 button', ['button:4'], (520, 250)),
          C('b2', 'B2 button', ['button:25'], (380, 290)),
          C('e1', 'E1 mini-stick push', ['button:26'], (420, 470)),
          C('pinky', 'Pinky lever', ['button:27'], (345, 750)),
          AX('x', 'X (roll)', (470, 880)), AX('y', 'Y (pitch)', (530, 880)), AX('rz', 'Twist (RZ)', (500, 110)),
          AX('rx', 'E1 mini-stick X', (408, 462)), AX('ry', 'E1 mini-stick Y', (432, 478))]
    lo += li[2:7]; li = li[:2] + li[7:]
    did = 'vpc-constellation-alpha-left' if left_hand else 'vpc-constellation-alpha'
    cs, gs = layout(did, xf, cols2(lo, li), pitch=60)
    if left_hand:
        usb = ['3344:838F', '03EB:2046']
        names = ['L-VPC Stick MT-50CM3', 'LEFT VPC Stick MT-50CM3', 'VPC Constellation ALPHA-L']
        elite = ['VPCConstellationAlphaL']
    else:
        usb = ['3344:4130', '3344:8130', '03EB:2048']
        names = ['R-VPC Stick MT-50CM3', 'RIGHT VPC Stick MT-50CM3', 'VPC Stick MT-50CM3', 'VPC Constellation ALPHA-R']
        elite = ['VPCConstellationAlpha']
    side = 'left' if left_hand else 'right'
    return dict(id=did, name='Virpil Constellation Alpha (%s hand)' % side, kind='stick', side=side, usb=usb,
                games={'elite': elite, 'msfs2020': names, 'dcs': names, 'starcitizen': names, 'il2': names,
                       'bms': names, 'squadrons': names},
                notes='Virpil devices report the base\'s USB id and name (here the MT-50CM3 base), and the PID '
                      'depends on base, hand and firmware profile: 3344:838F is reported as "L-VPC Stick '
                      'MT-50CM3" (linux-hardware.org), 4130 as the right MT-50CM3; 03EB:2046/2048 are the older '
                      'left/right ALPHA ids EDRefCard knows; 8130 is seen in profiles. Elite writes Virpil devices '
                      'as hex VID+PID. Button numbers follow a typical VPC Configurator profile: verify.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def mongoost():
    xf = Xf(1000, 1300, *ART4); a = Art(xf)
    throttle_base(a, 40, 880, 920, 360)
    a.rrect(300, 910, 400, 26, 12, fill='dark')
    throttle_handle(a, 170, 380, 290, 340)
    throttle_handle(a, 540, 380, 290, 340)
    a.hat(250, 460, 24, 4); a.hat(360, 470, 24, 4)      # left handle A, B
    a.hat(620, 460, 24, 4); a.hat(730, 480, 24, 4)      # right handle C, D
    a.circle(300, 580, 20, fill='body2'); a.circle(300, 580, 9)   # mini-stick
    a.circle(400, 600, 14); a.circle(660, 600, 14); a.circle(760, 610, 14)
    a.rrect(560, 660, 60, 22, 8, fill='control')
    for i, lx in enumerate((160, 240, 320, 400)): a.toggle(lx, 1120)
    for i, lx in enumerate((600, 680, 760, 840)): a.circle(lx, 1110, 15, fill='dark')
    a.circle(500, 1160, 24, fill='body2')
    lo = [BHAT('a', 'A hat', (250, 460), 1), BHAT('b', 'B hat', (360, 470), 6),
          C('ms', 'Mini-stick push', ['button:21'], (300, 580)),
          C('lb', 'Left handle button', ['button:22'], (400, 600)),
          C('li', 'Left index button', ['button:23'], (230, 520)),
          C('lp', 'Left pinky button', ['button:24'], (200, 650)),
          C('ltg', 'Left thumb toggle', ['button:25', 'button:26'], (330, 520), tags=['fwd', 'aft'])]
    li = [C('tgl%d' % (i + 1), 'Base toggle T%d' % (i + 1), ['button:%d' % (35 + 2 * i), 'button:%d' % (36 + 2 * i)],
            (lx, 1094), tags=['up', 'down']) for i, lx in enumerate((160, 240, 320, 400))] + \
         [C('bb%d' % (i + 1), 'Base button B%d' % (i + 1), ['button:%d' % (43 + i)], (lx, 1110))
          for i, lx in enumerate((600, 680, 760, 840))] + \
         [C('enc', 'Base encoder', ['button:47', 'button:48'], (500, 1160), tags=['cw', 'ccw']),
          AX('z', 'Left lever (Z)', (330, 820)), AX('rz', 'Right lever (RZ)', (680, 820)),
          AX('x', 'Mini-stick X', (288, 572)), AX('y', 'Mini-stick Y', (312, 588))]
    ri = [BHAT('c', 'C hat', (620, 460), 11), BHAT('d', 'D hat', (730, 480), 16),
          C('rb', 'Right handle button', ['button:27'], (660, 600)),
          C('rb2', 'Right thumb button', ['button:28'], (760, 610)),
          C('ri', 'Right index button', ['button:29'], (600, 520)),
          C('rp', 'Right pinky button', ['button:30'], (820, 650)),
          C('rw', 'Right wheel', ['button:31', 'button:32'], (590, 671), tags=['fwd', 'aft']),
          C('rtg', 'Right toggle', ['button:33', 'button:34'], (700, 530), tags=['fwd', 'aft'])]
    ro = [AX('slider1', 'Left rotary (slider 1)', (230, 760)), AX('slider2', 'Right rotary (slider 2)', (780, 760)),
          AX('rx', 'Friction / slider (RX)', (500, 960)), AX('ry', 'Base rotary (RY)', (500, 1180))]
    cs, gs = layout('vpc-mongoost-50cm3', xf, cols4(lo, li, ri, ro), pitch=60)
    return dict(id='vpc-mongoost-50cm3', name='Virpil MongoosT-50CM3 Throttle', kind='throttle',
                usb=['3344:0194', '3344:8194', '3344:0197', '3344:0501'],
                games={'elite': ['VPCMongoosT50CM3Throttle'],
                       'msfs2020': ['VPC MongoosT-50CM3 Throttle', 'LEFT VPC MongoosT-50CM3 Throttle'],
                       'dcs': ['VPC MongoosT-50CM3 Throttle', 'LEFT VPC MongoosT-50CM3 Throttle'],
                       'squadrons': ['VPC MongoosT-50CM3 Throttle']},
                notes='Virpil PIDs depend on the firmware profile (0194 is the MT-50CM3 throttle in fredemmott\'s '
                      'device database; 8194, 0197 and 0501 have also been reported). '
                      'Button numbers follow a plain VPC Configurator profile and are illustrative: a user who '
                      'renumbered gets every binding on the card anyway (controls not on this layout are '
                      'listed under "also bound").',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)

def tflight():
    xf = Xf(1400, 1300, *ART2); a = Art(xf)
    # the throttle sits low, so level lines from the stick's left face pass above it
    throttle_base(a, 20, 1040, 460, 240)
    a.rrect(120, 1070, 260, 24, 12, fill='dark')
    throttle_handle(a, 110, 600, 280, 300)
    a.circle(200, 690, 16); a.circle(300, 710, 16)
    a.circle(200, 790, 16); a.circle(300, 810, 16)
    a.rrect(170, 850, 160, 30, 12, fill='control')  # rocker

    stick_body(a, x0=560, scale=0.8, y0=230)
    sx = lambda v: 560 + v * 0.8
    sy = lambda v: 230 + v * 0.8
    trigger_shape(a, sx(345), sy(380), 0.8)
    a.hat(sx(500), sy(190), 26, 8)
    a.circle(sx(380), sy(260), 16); a.circle(sx(620), sy(260), 16); a.circle(sx(340), sy(540), 14)
    left = [POV(1, 'hat', 'Hat 8-way', (sx(500), sy(190))),
            C('b1', 'Trigger', ['button:1'], (sx(310), sy(430))), C('b2', 'Thumb button', ['button:2'], (sx(340), sy(540))),
            C('b3', 'Head button left', ['button:3'], (sx(380), sy(260))),
            C('b4', 'Head button right', ['button:4'], (sx(620), sy(260))),
            AX('x', 'X axis (roll)', (sx(470), sy(880))), AX('y', 'Y axis (pitch)', (sx(530), sy(880))),
            AX('rz', 'Twist (RZ)', (sx(500), sy(110)))]
    right = [C('b5', 'Throttle button 5', ['button:5'], (200, 690)), C('b6', 'Throttle button 6', ['button:6'], (300, 710)),
             C('b7', 'Throttle button 7', ['button:7'], (200, 790)), C('b8', 'Throttle button 8', ['button:8'], (300, 810)),
             C('b9', 'SE (select)', ['button:9'], (sx(230), sy(1120))), C('b10', 'ST (start)', ['button:10'], (sx(290), sy(1120))),
             C('b11', 'Button 11 (base)', ['button:11'], (220, 1200)), C('b12', 'Button 12 (base)', ['button:12'], (280, 1200)),
             AX('z', 'Throttle lever (Z)', (250, 1070)), AX('slider1', 'Rocker (slider)', (250, 865))]
    a.circle(220, 1200, 13); a.circle(280, 1200, 13)
    a.circle(sx(230), sy(1120), 12); a.circle(sx(290), sy(1120), 12)
    cs, gs = layout('tflight-hotas', xf, cols2(left, right), pitch=62)
    return dict(id='tflight-hotas', name='Thrustmaster T.Flight HOTAS X / HOTAS 4', kind='stick',
                usb=['044F:B108', '044F:B67B', '044F:B67C'],
                games={'elite': ['ThrustMasterTFlightHOTASX', 'TFlightHOTASX', 'ThrustMasterHOTAS4', 'TFlightHotas4'],
                       'msfs2020': ['T.Flight Hotas X', 'T.Flight Hotas 4'],
                       'dcs': ['T.Flight Hotas X', 'T.Flight Hotas 4'],
                       'squadrons': ['T.Flight Hotas X', 'T.Flight Hotas 4']},
                notes='One USB device with stick and detachable throttle. B108 is the HOTAS X; B67B/B67C are '
                      'reported for the HOTAS 4 (PC and PS modes). Elite device names for these are not '
                      'certain; the hex VID+PID form is understood anyway.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def pedals(dev_id, name, usb, games, notes, rudder='rz'):
    xf = Xf(1400, 1000, *ART2); a = Art(xf)
    a.rrect(100, 700, 1200, 160, 40, fill='body2')
    a.rrect(200, 740, 1000, 60, 20, fill='body')
    a.path([('M', 560, 760), ('C', 620, 640, 780, 640, 840, 760)], fill='none', stroke=4)  # rudder linkage
    a.circle(700, 700, 30, fill='body2')
    for cx, tilt in ((380, -1), (1020, 1)):
        a.path([('M', cx - 150, 720), ('L', cx - 120, 200), ('C', cx - 118, 150, cx + 118, 150, cx + 120, 200),
                ('L', cx + 150, 720), ('Z',)], fill='body')
        a.rrect(cx - 100, 240, 200, 330, 24, fill='control')
        for yy in range(280, 560, 40):
            a.line([(cx - 70, yy), (cx + 70, yy)], stroke=1.2)
        a.rrect(cx - 110, 180, 220, 60, 18, fill='body2')   # toe brake plate
    left = [AX('x', 'Left toe brake (X)', (380, 210))]
    right = [AX('y', 'Right toe brake (Y)', (1020, 210))]
    left.append(AX(rudder, 'Rudder (%s)' % rudder.upper(), (700, 700)))
    cs, gs = layout(dev_id, xf, cols2(left, right), pitch=90)
    return dict(id=dev_id, name=name, kind='pedals', usb=usb, games=games, notes=notes,
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def gamepad():
    xf = Xf(1400, 1000, 600, 112, 720, 856); a = Art(xf)
    # triggers and bumpers, seen over the top edge
    a.rrect(250, 150, 200, 90, 30, fill='body2'); a.rrect(950, 150, 200, 90, 30, fill='body2')
    a.rrect(230, 230, 260, 50, 22, fill='control'); a.rrect(910, 230, 260, 50, 22, fill='control')
    a.path([('M', 300, 270), ('C', 500, 240, 900, 240, 1100, 270), ('C', 1250, 290, 1330, 420, 1360, 600),
            ('C', 1390, 800, 1350, 900, 1250, 910), ('C', 1150, 920, 1080, 800, 1000, 720),
            ('C', 900, 640, 500, 640, 400, 720), ('C', 320, 800, 250, 920, 150, 910),
            ('C', 50, 900, 10, 800, 40, 600), ('C', 70, 420, 150, 290, 300, 270), ('Z',)], fill='body')
    a.circle(330, 430, 70, fill='body2'); a.circle(330, 430, 45, fill='control')     # left stick
    a.circle(880, 600, 70, fill='body2'); a.circle(880, 600, 45, fill='control')     # right stick
    a.hat(520, 600, 60, 4)                                                            # d-pad
    for (bx, by, f) in ((1070, 360, 'control'), (1150, 440, 'control'), (990, 440, 'control'), (1070, 520, 'control')):
        a.circle(bx, by, 36, fill=f)
    a.circle(600, 420, 20); a.circle(800, 420, 20)   # back / start
    a.circle(700, 330, 34, fill='body2')             # guide
    lt = [C('lt', 'LT left trigger', ['pad:lt', 'axis:z'], (350, 180)),
          C('lb', 'LB left bumper', ['pad:lb', 'button:5'], (360, 255)),
          C('ls', 'LS left stick click', ['pad:ls', 'button:9'], (330, 430)),
          C('lx', 'Left stick X', ['pad:lx', 'axis:x'], (280, 430)),
          C('ly', 'Left stick Y', ['pad:ly', 'axis:y'], (330, 380)),
          ROSE('dpad', 'D-pad', (520, 600), {'up': ['pad:dpad_up', 'hat:1:up'], 'right': ['pad:dpad_right', 'hat:1:right'],
                                             'down': ['pad:dpad_down', 'hat:1:down'], 'left': ['pad:dpad_left', 'hat:1:left']}),
          C('back', 'Back / View', ['pad:back', 'button:7'], (600, 420))]
    rt = [C('rt', 'RT right trigger', ['pad:rt'], (1050, 180)),
          C('rb', 'RB right bumper', ['pad:rb', 'button:6'], (1040, 255)),
          C('y', 'Y button', ['pad:y', 'button:4'], (1070, 360)),
          C('b', 'B button', ['pad:b', 'button:2'], (1150, 440)),
          C('x', 'X button', ['pad:x', 'button:3'], (990, 440)),
          C('a', 'A button', ['pad:a', 'button:1'], (1070, 520)),
          C('start', 'Start / Menu', ['pad:start', 'button:8'], (800, 420)),
          C('rs', 'RS right stick click', ['pad:rs', 'button:10'], (880, 600)),
          C('rx', 'Right stick X', ['pad:rx', 'axis:rx'], (930, 600)),
          C('ry', 'Right stick Y', ['pad:ry', 'axis:ry'], (880, 650))]
    cs, gs = layout('xbox-gamepad', xf, cols2(lt, rt), pitch=72)
    return dict(id='xbox-gamepad', name='Xbox-style gamepad', kind='gamepad',
                usb=['045E:028E', '045E:02DD', '045E:02EA', '045E:0B12', '045E:0B13'],
                games={'elite': ['GamePad', 'XB360 Pad'],
                       'msfs2020': ['Controller (Xbox One For Windows)', 'Xbox Controller',
                                    'Controller (XBOX 360 For Windows)', 'XInput Gamepad'],
                       'dcs': ['Controller (Xbox One For Windows)', 'Controller (XBOX 360 For Windows)'],
                       'squadrons': ['Gamepad', 'XInput Controller'],
                       'starcitizen': ['Gamepad', 'Controller (Gamepad)']},
                notes='Xbox 360 (028E), Xbox One (02DD, 02EA) and Series (0B12, 0B13) controllers. Through '
                      'DirectInput both triggers share the Z axis (shown on LT); XInput games name them pad:lt '
                      'and pad:rt.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

# ---- more sticks, throttles and HOTAS (issue 11) -----------------------------------------
def gunfighter_base(a):
    """VKB Gunfighter: a heavy square pedestal with a round collar"""
    a.rrect(170, 1030, 660, 230, 28, fill='body2')
    a.rrect(215, 1180, 570, 46, 16, fill='body')
    a.ellipse(500, 1062, 190, 34, fill='body')

def compact_base(a):
    """a low round desk base (Virpil WarBRD)"""
    a.rrect(220, 1040, 560, 210, 80, fill='body2')
    a.ellipse(500, 1062, 170, 26, fill='body')
    a.path([('M', 405, 1062), ('L', 435, 890), ('L', 565, 890), ('L', 595, 1062), ('Z',)], fill='body2')

def stick_grip(a, head, base):
    if base == 'gunfighter': gunfighter_base(a)
    elif base == 'compact': compact_base(a)
    stick_body(a, head=head, base=(base == 'std'))

def extreme_3d_pro():
    xf = Xf(1200, 1300, *ART2); a = Art(xf)
    X = lambda v: v + 200
    a.rrect(40, 1030, 1120, 240, 60, fill='body2')           # the wide base
    a.rrect(70, 1050, 44, 190, 16, fill='body')              # throttle slot
    a.rrect(62, 1110, 60, 34, 10, fill='control')            # throttle lever
    a.rrect(140, 1060, 220, 190, 24, fill='body')            # button block
    bank = [(190, 1095), (300, 1095), (190, 1155), (300, 1155), (190, 1215), (300, 1215)]
    for bx, by in bank: a.circle(bx, by, 17)
    stick_body(a, x0=200, head='round')
    trigger_shape(a, X(345), 380)
    a.hat(X(500), 190, 32, 8)
    a.circle(X(390), 235, 17); a.circle(X(610), 235, 17)       # 5, 6
    a.circle(X(385), 318, 17); a.circle(X(615), 318, 17)       # 3, 4
    a.rrect(X(318), 500, 30, 60, 12, fill='control')           # thumb button 2
    left = [POV(1, 'hat', 'Hat 8-way', (X(500), 190)),
            C('b1', 'Trigger', ['button:1'], (X(310), 430)),
            C('b2', 'Thumb button', ['button:2'], (X(333), 530)),
            C('b3', 'Button 3 (head, lower left)', ['button:3'], (X(385), 318)),
            C('b5', 'Button 5 (head, upper left)', ['button:5'], (X(390), 235)),
            AX('slider1', 'Throttle lever (slider)', (92, 1127))] + \
           [C('b%d' % (7 + i), 'Button %d (base)' % (7 + i), ['button:%d' % (7 + i)], bank[i]) for i in range(6)]
    right = [C('b4', 'Button 4 (head, lower right)', ['button:4'], (X(615), 318)),
             C('b6', 'Button 6 (head, upper right)', ['button:6'], (X(610), 235)),
             AX('rz', 'Twist (RZ)', (X(500), 112)),
             AX('x', 'X axis (roll)', (X(470), 880)), AX('y', 'Y axis (pitch)', (X(530), 880))]
    cs, gs = layout('extreme-3d-pro', xf, cols2(left, right), pitch=62)
    return dict(id='extreme-3d-pro', name='Logitech Extreme 3D Pro', kind='stick', usb=['046D:C215'],
                games={'elite': ['LogitechExtreme3DPro'],
                       'msfs2020': ['Logitech Extreme 3D', 'Logitech Extreme 3D Pro'],
                       'dcs': ['Logitech Extreme 3D'], 'starcitizen': ['Logitech Extreme 3D'],
                       'il2': ['Logitech Extreme 3D'], 'bms': ['Logitech Extreme 3D'],
                       'squadrons': ['Logitech Extreme 3D']},
                notes='046D:C215 (usb.ids "Extreme 3D Pro", SDL lists it as a flight stick). Windows names it '
                      '"Logitech Extreme 3D". Buttons as printed on the stick: 1 trigger, 2 thumb, 3-6 on the '
                      'head, 7-12 on the base; twist is RZ and the base lever the slider (Elite Joy_UAxis).',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def g940_stick():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    stick_body(a, head='angular')
    trigger_shape(a, 350, 390)
    lever_shape(a, 372, 690)                                   # S5 pinky lever
    a.circle(520, 165, 18, fill='dark')                         # fire
    a.circle(405, 220, 16)                                      # S1
    a.hat(625, 250, 30, 8)                                      # POV hat
    a.circle(440, 330, 22, fill='body2'); a.circle(440, 330, 10)   # mini-stick
    a.circle(660, 370, 15)                                      # S2
    a.circle(630, 450, 15)                                      # S3
    a.rrect(320, 520, 28, 50, 10, fill='control')              # S4
    for i, wx in enumerate((620, 700, 780)):                    # trim wheels on the base
        a.ellipse(wx, 1160, 14, 36, fill='control')
        a.line([(wx - 10, 1150), (wx + 10, 1150)], stroke=1.2); a.line([(wx - 10, 1170), (wx + 10, 1170)], stroke=1.2)
    left = [C('tg', 'Trigger', ['button:1', 'button:9'], (320, 440), tags=['half', 'full']),
            C('s1', 'S1 button', ['button:3'], (405, 220)),
            C('ms', 'Mini-stick push', ['button:8'], (440, 330)),
            AX('slider2', 'Mini-stick X (V)', (428, 322)), AX('slider1', 'Mini-stick Y (U)', (452, 338)),
            C('s4', 'S4 button', ['button:6'], (334, 545)),
            C('s5', 'S5 pinky lever', ['button:7'], (345, 740)),
            AX('x', 'X axis (roll)', (470, 880))]
    right = [C('fire', 'Fire button', ['button:2'], (520, 165)),
             POV(1, 'hat', 'Hat 8-way', (625, 250)),
             C('s2', 'S2 button', ['button:4'], (660, 370)), C('s3', 'S3 button', ['button:5'], (630, 450)),
             AX('y', 'Y axis (pitch)', (530, 880)),
             AX('rz', 'Trim wheel 1 (RZ)', (620, 1160)), AX('rx', 'Trim wheel 2 (RX)', (700, 1160)),
             AX('ry', 'Trim wheel 3 (RY)', (780, 1160))]
    cs, gs = layout('g940-stick', xf, cols2(left, right), pitch=62)
    return dict(id='g940-stick', name='Logitech G940 Joystick', kind='stick', usb=['046D:C287'],
                games={'elite': ['LogitechG940Joystick'], 'msfs2020': ['Logitech G940 Joystick'],
                       'dcs': ['Logitech G940 Joystick'], 'starcitizen': ['Logitech G940 Joystick'],
                       'il2': ['Logitech G940 Joystick'], 'bms': ['Logitech G940 Joystick'],
                       'squadrons': ['Logitech G940 Joystick']},
                notes='046D:C287 is the G940 (usb.ids "Flight System G940"; the Linux force-feedback driver binds '
                      'it to the stick). Throttle and pedals are further game controllers of the same USB device, '
                      'so they are matched by name. Numbering from EDRefCard\'s G940 layout: trigger 1 (half) and '
                      '9 (full), fire 2, S1-S5 3-7, mini-stick push 8, mini-stick U/V, trims RZ/RX/RY.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def g940_throttle():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    throttle_base(a, 60, 880, 880, 360)
    a.rrect(250, 910, 500, 26, 12, fill='dark')
    throttle_handle(a, 190, 420, 280, 320)
    throttle_handle(a, 530, 420, 280, 320)
    a.hat(620, 480, 28, 8)                                     # hat on the right handle
    a.circle(720, 540, 16); a.circle(700, 620, 16)             # T1, T2
    a.circle(300, 500, 16); a.circle(380, 560, 16)             # T3, T4
    a.circle(240, 640, 22, fill='body2'); a.circle(240, 640, 9)   # R1 rotary
    a.circle(770, 690, 22, fill='body2'); a.circle(770, 690, 9)   # R2 rotary
    pb = [(200 + 85 * (i % 4), 1040 + 80 * (i // 4)) for i in range(8)]
    for bx, by in pb: a.rrect(bx - 26, by - 18, 52, 36, 8, fill='control')
    a.rrect(600, 1030, 260, 40, 12, fill='body')               # mode switch
    for i, mx in enumerate((640, 730, 820)): a.circle(mx, 1050, 9, fill='dark')
    left = [C('t3', 'T3 button', ['button:3'], (300, 500)), C('t4', 'T4 button', ['button:4'], (380, 560)),
            AX('z', 'R1 rotary (Z)', (240, 640)), AX('x', 'Left throttle (X)', (330, 800))] + \
           [C('p%d' % (i + 1), 'P%d button (base)' % (i + 1), ['button:%d' % (5 + i)], pb[i]) for i in range(8)]
    right = [POV(1, 'hat', 'Throttle hat 8-way', (620, 480)),
             C('t1', 'T1 button', ['button:1'], (720, 540)), C('t2', 'T2 button', ['button:2'], (700, 620)),
             AX('rx', 'R2 rotary (RX)', (770, 690)), AX('y', 'Right throttle (Y)', (670, 800)),
             C('mode', 'Mode switch', ['button:13', 'button:14', 'button:15'], (730, 1050),
               tags=['M1', 'M2', 'M3'])]
    cs, gs = layout('g940-throttle', xf, cols2(left, right), pitch=60)
    return dict(id='g940-throttle', name='Logitech G940 Throttle', kind='throttle', usb=[],
                games={'elite': ['LogitechG940Throttle'], 'msfs2020': ['Logitech G940 Throttle'],
                       'dcs': ['Logitech G940 Throttle'], 'starcitizen': ['Logitech G940 Throttle'],
                       'il2': ['Logitech G940 Throttle'], 'bms': ['Logitech G940 Throttle'],
                       'squadrons': ['Logitech G940 Throttle']},
                notes='No USB id of its own: the throttle is a second game controller of the G940\'s USB device '
                      '(046D:C287, shown as the stick), so games name it and that is how it is matched. Button '
                      'and axis numbers follow the labels T1-T4, P1-P8 and the mode switch in order; EDRefCard '
                      'has no layout for it: verify on a device.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def x55_stick():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    stick_body(a, head='round')
    trigger_shape(a, 345, 380)
    lever_shape(a, 372, 700)                                   # pinky trigger
    a.hat(420, 200, 30, 8)                                     # H1 POV
    a.circle(520, 150, 17, fill='dark')                        # A (top)
    a.hat(610, 210, 26, 4)                                     # H2 witch hat
    a.hat(650, 350, 26, 4)                                     # H3 castle hat
    a.rrect(318, 520, 28, 54, 10, fill='control')              # B side button
    a.circle(480, 380, 15)                                     # C
    a.circle(700, 620, 15)                                     # pinky button
    left = [POV(1, 'h1', 'H1 hat', (420, 200)),
            C('b1', 'Trigger', ['button:1'], (310, 430)),
            C('b3', 'B button (side)', ['button:3'], (332, 547)),
            C('b4', 'C button', ['button:4'], (480, 380)),
            C('b6', 'Pinky trigger', ['button:6'], (345, 750)),
            AX('x', 'X axis (roll)', (470, 880))]
    right = [C('b2', 'A button (top)', ['button:2'], (520, 150)),
             BHAT('h2', 'H2 hat', (610, 210), 7, n=4), BHAT('h3', 'H3 hat', (650, 350), 11, n=4),
             C('b5', 'Pinky button', ['button:5'], (700, 620)),
             AX('rz', 'Twist (RZ)', (560, 100)), AX('y', 'Y axis (pitch)', (530, 880))]
    cs, gs = layout('x55-stick', xf, cols2(left, right), pitch=62)
    return dict(id='x55-stick', name='Saitek X-55 Rhino Stick', kind='stick', usb=['0738:2215'],
                games={'elite': ['SaitekX55Joystick'],
                       'msfs2020': ['Saitek Pro Flight X-55 Rhino Stick', 'Madcatz Saitek Pro Flight X-55 Rhino Stick'],
                       'dcs': ['Saitek Pro Flight X-55 Rhino Stick'], 'starcitizen': ['Saitek Pro Flight X-55 Rhino Stick'],
                       'il2': ['Saitek Pro Flight X-55 Rhino Stick'], 'bms': ['Saitek Pro Flight X-55 Rhino Stick'],
                       'squadrons': ['Saitek Pro Flight X-55 Rhino Stick']},
                notes='0738:2215 (usb.ids "X-55 Rhino Stick"). Buttons as EDRefCard maps the stick: trigger 1, '
                      'A 2, B 3, C 4, pinky button 5, pinky trigger 6, H2 7-10, H3 11-14 (up, right, down, left), '
                      'H1 is POV 1; X, Y and twist RZ.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def x55_throttle():
    xf = Xf(1000, 1300, *ART4); a = Art(xf)
    throttle_base(a, 40, 880, 920, 360)
    a.rrect(300, 910, 400, 26, 12, fill='dark')
    throttle_handle(a, 180, 400, 280, 320)
    throttle_handle(a, 540, 400, 280, 320)
    a.hat(270, 470, 24, 4)                                     # H3
    a.hat(370, 560, 24, 4)                                     # H4
    a.circle(300, 640, 18, fill='body2'); a.circle(300, 640, 8)   # mouse nub
    a.circle(390, 440, 14)                                     # E
    a.circle(650, 470, 20, fill='body2')                       # F rotary
    a.circle(730, 530, 20, fill='body2')                       # G rotary
    a.circle(610, 600, 14); a.circle(700, 620, 14)             # H, I
    a.rrect(770, 600, 26, 56, 8, fill='control')               # pinky rocker K1
    a.rrect(760, 670, 44, 20, 8, fill='control')               # pinky spin wheel
    sw = [(170, 990), (250, 990), (330, 990), (670, 990), (750, 990), (830, 990)]
    for bx, by in sw: a.circle(bx, by, 15, fill='dark')
    tg = [(200, 1130), (320, 1130), (680, 1130), (800, 1130)]
    for tx, ty in tg: a.toggle(tx, ty)
    a.circle(440, 1130, 26, fill='body2'); a.circle(560, 1130, 26, fill='body2')  # RTY1, RTY2
    lo = [BHAT('h3', 'H3 hat', (270, 470), 20, n=4), BHAT('h4', 'H4 hat', (370, 560), 24, n=4),
          C('e', 'E button', ['button:1'], (390, 440)),
          AX('slider1', 'Mouse nub X (U)', (290, 632)), AX('slider2', 'Mouse nub Y (V)', (310, 648)),
          AX('x', 'Left throttle (X)', (320, 820))]
    li = [C('sw%d' % (i + 1), 'SW%d base button' % (i + 1), ['button:%d' % (6 + i)], sw[i]) for i in range(6)] + \
         [C('tgl%d' % (i + 1), 'TGL%d toggle' % (i + 1), ['button:%d' % (12 + 2 * i), 'button:%d' % (13 + 2 * i)],
            (tg[i][0], tg[i][1] - 26), tags=['up', 'down']) for i in range(4)] + \
         [AX('rz', 'RTY1 rotary (RZ)', (440, 1130)), AX('ry', 'RTY2 rotary (RY)', (560, 1130))]
    ri = [C('f', 'F rotary push', ['button:2'], (650, 470)), AX('z', 'F rotary (Z)', (664, 482)),
          C('g', 'G rotary push', ['button:3'], (730, 530)), AX('rx', 'G rotary (RX)', (744, 542)),
          C('h', 'H button', ['button:4'], (610, 600)), C('i', 'I button', ['button:5'], (700, 620)),
          C('k1', 'K1 pinky rocker', ['button:28', 'button:29'], (783, 628), tags=['up', 'down']),
          C('spin', 'Pinky spin wheel', ['button:30', 'button:31'], (782, 680), tags=['up', 'down']),
          AX('y', 'Right throttle (Y)', (680, 820))]
    cs, gs = layout('x55-throttle', xf, cols4(lo, li, ri, []), pitch=60)
    return dict(id='x55-throttle', name='Saitek X-55 Rhino Throttle', kind='throttle', usb=['0738:A215'],
                games={'elite': ['SaitekX55Throttle'],
                       'msfs2020': ['Saitek Pro Flight X-55 Rhino Throttle',
                                    'Madcatz Saitek Pro Flight X-55 Rhino Throttle'],
                       'dcs': ['Saitek Pro Flight X-55 Rhino Throttle'],
                       'starcitizen': ['Saitek Pro Flight X-55 Rhino Throttle'],
                       'il2': ['Saitek Pro Flight X-55 Rhino Throttle'], 'bms': ['Saitek Pro Flight X-55 Rhino Throttle'],
                       'squadrons': ['Saitek Pro Flight X-55 Rhino Throttle']},
                notes='0738:A215 (usb.ids "X-55 Rhino Throttle"). Buttons as EDRefCard maps the throttle: E 1, '
                      'F/G push 2-3, H 4, I 5, SW1-6 6-11, TGL1-4 12-19, H3 20-23, H4 24-27, K1 28-29, spin wheel '
                      '30-31; mouse nub U/V, F rotary Z, G rotary RX, RTY1 RZ, RTY2 RY. EDRefCard names only X '
                      'for the levers; the split right lever as Y is from the manual: verify.',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)

def x45():
    xf = Xf(1400, 1300, *ART4); a = Art(xf)
    T = 820   # stick on the left, throttle on the right, as on the X52 card
    throttle_base(a, T + 20, 900, 560, 340)
    a.rrect(T + 140, 930, 320, 24, 12, fill='dark')
    throttle_handle(a, T + 130, 380, 320, 360)
    a.hat(T + 240, 470, 26, 4)                                 # rear hat
    a.hat(T + 340, 560, 22, 4)                                 # mouse hat
    a.circle(T + 230, 570, 16)                                 # D
    a.circle(T + 300, 650, 14, fill='dark')                    # mouse fire
    a.circle(T + 140, 520, 24, fill='body2'); a.circle(T + 150, 640, 22, fill='body2')  # rotaries
    a.rrect(T + 380, 420, 30, 90, 10, fill='control')          # rudder rocker
    S0, SC, SY = -40, 0.8, 250
    stick_body(a, x0=S0, scale=SC, y0=SY)
    sx = lambda v: S0 + v * SC
    sy = lambda v: SY + v * SC
    trigger_shape(a, sx(345), sy(380), SC)
    lever_shape(a, sx(372), sy(690), SC)
    a.hat(sx(420), sy(200), 24, 4); a.hat(sx(600), sy(200), 22, 4)
    a.circle(sx(520), sy(150), 13, fill='dark')     # launch
    a.circle(sx(380), sy(310), 12); a.circle(sx(640), sy(310), 12)  # A, B
    a.circle(sx(700), sy(430), 12)                  # C
    for i, lx in enumerate((300, 420, 540)): a.toggle(sx(lx), sy(1150))
    lo = [POV(1, 'pov1', 'POV 1 stick hat', (sx(420), sy(200)), ways=4),
          BHAT('pov2', 'POV 2 stick hat', (sx(600), sy(200)), 15, n=4),
          C('b7', 'Pinky button', ['button:7'], (sx(345), sy(740))),
          C('b9', 'Stick base switch 1', ['button:9', 'button:10'], (sx(300), sy(1118)), tags=['up', 'down'])]
    li = [C('b1', 'Trigger', ['button:1'], (sx(320), sy(430))),
          C('b4', 'Launch button', ['button:4'], (sx(520), sy(150))),
          C('b2', 'A button', ['button:2'], (sx(380), sy(310))),
          C('b3', 'B button', ['button:3'], (sx(640), sy(310))),
          C('b8', 'C button', ['button:8'], (sx(700), sy(430))),
          C('b11', 'Stick base switch 2', ['button:11', 'button:12'], (sx(420), sy(1118)), tags=['up', 'down']),
          C('b13', 'Stick base switch 3', ['button:13', 'button:14'], (sx(540), sy(1118)), tags=['up', 'down']),
          AX('x', 'Stick X (roll)', (sx(470), sy(880))), AX('y', 'Stick Y (pitch)', (sx(530), sy(880)))]
    ri = [C('b5', 'D button', ['button:5'], (T + 230, 570)),
          C('b6', 'Mouse fire', ['button:6'], (T + 300, 650)),
          AX('slider1', 'Throttle (U slider)', (T + 290, 930)),
          AX('rz', 'Rudder rocker (RZ)', (T + 395, 465)),
          AX('ry', 'Top rotary (RY)', (T + 140, 520)), AX('rx', 'Bottom rotary (RX)', (T + 150, 640))]
    ro = [BHAT('rear', 'Rear hat (throttle)', (T + 240, 470), 19, n=4),
          BHAT('mouse', 'Mouse hat (throttle)', (T + 340, 560), 23, n=4)]
    cs, gs = layout('x45', xf, cols4(lo, li, ri, ro), pitch=72)
    return dict(id='x45', name='Saitek X45 Flight Controller', kind='stick', usb=['06A3:053C', '06A3:2541'],
                games={'elite': ['SaitekX45'],
                       'msfs2020': ['Saitek X45 Flight Controller', 'Saitek X45', 'X45 Flight Controller'],
                       'dcs': ['Saitek X45 Flight Controller', 'Saitek X45'], 'starcitizen': ['Saitek X45'],
                       'il2': ['Saitek X45'], 'bms': ['Saitek X45'], 'squadrons': ['Saitek X45']},
                notes='Stick and throttle are one USB device (usb.ids lists 06A3:053C and 06A3:2541 as "X45 '
                      'Flight Controller"). Numbering as EDRefCard maps it: stick 1-4, 7-8, base switches 9-14, '
                      'POV 2 as buttons 15-18; throttle D 5, mouse fire 6, rear hat 19-22, mouse hat 23-26; throttle '
                      'on the U slider, rudder rocker RZ, rotaries RX/RY.',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)

def vkb_gladiator_classic():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    a.rrect(100, 1030, 800, 240, 40, fill='body2')            # base with the throttle and buttons
    stick_body(a, head='slim', base=False)
    a.rrect(170, 1060, 660, 50, 18, fill='body')
    a.rrect(120, 1120, 40, 130, 14, fill='body'); a.rrect(112, 1160, 56, 30, 10, fill='control')  # throttle
    a.toggle(230, 1180)                                         # flaps
    a.circle(330, 1150, 15, fill='dark'); a.circle(330, 1215, 15, fill='dark')   # engine start, eject
    grid = [(620 + 70 * (i % 3), 1140 + 50 * (i // 3)) for i in range(9)]
    for bx, by in grid: a.circle(bx, by, 14)
    trigger_shape(a, 350, 390)
    a.hat(500, 190, 30, 4)
    a.rrect(360, 260, 60, 26, 10, fill='dark')                  # thumb trigger
    labels = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'C1', 'C2', 'C3']
    left = [POV(1, 'hat1', 'Hat (mode 1)', (500, 190), ways=4),
            C('hat1s', 'Hat, mode 1 shifted', ['button:22', 'button:25', 'button:23', 'button:24'], (490, 180),
              tags=['up', 'right', 'down', 'left']),
            C('tg', 'Trigger', ['button:14', 'button:15', 'button:16', 'button:17'], (320, 440),
              tags=['M1', 'M1 shift', 'M2', 'M2 shift']),
            C('thumb', 'Thumb trigger', ['button:18', 'button:19', 'button:20', 'button:21'], (390, 273),
              tags=['M1', 'M1 shift', 'M2', 'M2 shift']),
            AX('z', 'Throttle lever (Z)', (140, 1175)),
            C('flaps', 'Flaps switch', ['button:1', 'button:2'], (230, 1154), tags=['up', 'down']),
            C('start', 'Engine start', ['button:12'], (330, 1150)), C('eject', 'Eject', ['button:13'], (330, 1215))]
    right = [POV(2, 'hat2', 'Hat (mode 2)', (510, 200), ways=4),
             C('hat2s', 'Hat, mode 2 shifted', ['button:26', 'button:29', 'button:27', 'button:28'], (512, 180),
               tags=['up', 'right', 'down', 'left']),
             AX('rx', 'Twist (RX)', (560, 112)),
             AX('x', 'X (roll)', (470, 880)), AX('y', 'Y (pitch)', (530, 880))] + \
            [C('b%d' % (3 + i), '%s base button' % labels[i], ['button:%d' % (3 + i)], grid[i]) for i in range(9)]
    cs, gs = layout('vkb-gladiator', xf, cols2(left, right), pitch=56)
    return dict(id='vkb-gladiator', name='VKB Gladiator (classic / Mk.II)', kind='stick', usb=['231D:0121'],
                games={'msfs2020': ['VKBsim Gladiator'], 'dcs': ['VKBsim Gladiator'], 'starcitizen': ['VKBsim Gladiator'],
                       'il2': ['VKBsim Gladiator'], 'bms': ['VKBsim Gladiator'], 'squadrons': ['VKBsim Gladiator']},
                notes='231D:0121, USB string "VKBsim Gladiator" (linux-hardware.org); Elite writes it as the hex '
                      'name 231D0121. Numbering is the factory profile EDRefCard maps: flaps 1-2, base A1-C3 3-11, '
                      'engine start 12, eject 13, trigger 14-17 and thumb trigger 18-21 (mode 1/2, shifted), hat '
                      'POV 1 in mode 1 and POV 2 in mode 2 with shifted directions 22-29; twist is RX, the base '
                      'lever Z.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def vkb_kosmosima(left_hand=False):
    xf = Xf(1000, 1300, *ART2, mirror=left_hand); a = Art(xf)
    stick_grip(a, 'space', 'gunfighter')
    trigger_shape(a, 345, 390)
    a.hat(420, 170, 26, 8)                                      # A1 hat + mini-stick
    a.circle(540, 150, 16, fill='dark')                         # A2
    a.hat(640, 200, 24, 4)                                      # A4
    a.hat(470, 320, 24, 4)                                      # A3
    a.hat(400, 460, 22, 4)                                      # C1
    a.circle(690, 330, 14)                                      # B1
    a.rrect(640, 420, 26, 56, 9, fill='control')                # B2 rocker
    a.circle(370, 600, 14)                                      # D1
    c1 = (['button:24', 'button:21', 'button:22', 'button:23', 'button:25'] if left_hand else
          ['button:21', 'button:22', 'button:23', 'button:24', 'button:25'])
    near = [POV(1, 'a1', 'A1 hat', (420, 170)),
            C('a1x', 'A1 mini-stick', ['axis:rx', 'axis:ry'], (430, 178), tags=['X (RX)', 'Y (RY)']),
            ROSE('a3', 'A3 hat', (470, 320), {'up': ['button:11'], 'right': ['button:12'], 'down': ['button:13'],
                                              'left': ['button:14'], 'push': ['button:15']}),
            ROSE('c1', 'C1 hat', (400, 460), dict(zip(('up', 'right', 'down', 'left', 'push'), [[c] for c in c1]))),
            C('fire', 'Fire trigger', ['button:1', 'button:2'], (315, 445), tags=['1st', '2nd']),
            C('d1', 'D1 button', ['button:5'], (370, 600))]
    far = [C('a2', 'A2 button', ['button:3'], (540, 150)),
           ROSE('a4', 'A4 hat', (640, 200), {'up': ['button:6'], 'right': ['button:7'], 'down': ['button:8'],
                                             'left': ['button:9'], 'push': ['button:10']}),
           C('b1', 'B1 button', ['button:4'], (690, 330)),
           C('b2', 'B2 rocker', ['button:26', 'button:27'], (653, 448), tags=['up', 'down']),
           AX('rz', 'Twist (RZ)', (560, 92)), AX('x', 'X (roll)', (470, 880)), AX('y', 'Y (pitch)', (530, 880))]
    side = 'left' if left_hand else 'right'
    did = 'vkb-kosmosima-scg-' + side
    cs, gs = layout(did, xf, cols2(near, far), pitch=56)
    return dict(id=did, name='VKB Kosmosima SCG (%s hand) on Gunfighter' % side, kind='stick', side=side,
                usb=['231D:0127'] if left_hand else ['231D:0126'],
                games=({'msfs2020': ['VKBsim Space Gunfighter L'], 'dcs': ['VKBsim Space Gunfighter L'],
                        'starcitizen': ['VKBsim Space Gunfighter L'], 'il2': ['VKBsim Space Gunfighter L'],
                        'bms': ['VKBsim Space Gunfighter L'], 'squadrons': ['VKBsim Space Gunfighter L']}
                       if left_hand else
                       {'msfs2020': ['VKBsim Space Gunfighter'], 'dcs': ['VKBsim Space Gunfighter'],
                        'starcitizen': ['VKBsim Space Gunfighter'], 'il2': ['VKBsim Space Gunfighter'],
                        'bms': ['VKBsim Space Gunfighter'], 'squadrons': ['VKBsim Space Gunfighter']}),
                notes='231D:0126 is the right-hand, 0127 the left-hand Space Gunfighter (SDL lists both as flight '
                      'sticks; USB strings "VKBsim Space Gunfighter" and "... L"). Numbering from EDRefCard\'s '
                      'Kosmosima SCG layouts: fire 1-2, A2 3, B1 4, D1 5, A4 6-10, A3 11-15, C1 21-25 (the left '
                      'grip\'s C1 is mirrored: up 24, right 21), B2 26-27, A1 is POV 1 and the mini-stick RX/RY.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def vpc_warbrd_delta(left_hand=False):
    xf = Xf(1000, 1300, *ART2, mirror=left_hand); a = Art(xf)
    stick_grip(a, 'slim', 'compact')
    trigger_shape(a, 350, 390)
    lever_shape(a, 370, 560, 0.8)                               # trigger button (lower)
    a.hat(470, 170, 28, 8)                                      # LED 8-way hat
    a.hat(620, 230, 24, 4)                                      # right hat
    a.hat(400, 290, 24, 4)                                      # left hat
    a.circle(560, 340, 20, fill='body2'); a.circle(560, 340, 9)  # mini-stick
    a.ellipse(640, 430, 12, 30, fill='control')                 # wheel
    near = [ROSE('hl', '4-way hat (thumb side)', (400, 290), {'up': ['button:13'], 'right': ['button:14'],
                                                             'down': ['button:15'], 'left': ['button:16'],
                                                             'push': ['button:17']}),
            C('tg', 'Trigger', ['button:1', 'button:2'], (320, 440), tags=['1st', '2nd']),
            C('tb', 'Lower trigger button', ['button:3'], (340, 600)),
            AX('x', 'X (roll)', (470, 880))]
    far = [ROSE('led', '8-way LED hat', (470, 170), {'up': ['button:18'], 'right': ['button:19'], 'down': ['button:20'],
                                                     'left': ['button:21'], 'push': ['button:22']}),
           ROSE('hr', '4-way hat (far side)', (620, 230), {'up': ['button:8'], 'right': ['button:9'],
                                                          'down': ['button:10'], 'left': ['button:11'],
                                                          'push': ['button:12']}),
           C('ms', 'Mini-stick push', ['button:7'], (560, 340)),
           C('msx', 'Mini-stick', ['axis:rx', 'axis:ry'], (572, 348), tags=['X (RX)', 'Y (RY)']),
           C('wheel', 'Wheel', ['button:4', 'button:5', 'button:6'], (640, 430), tags=['up', 'down', 'push']),
           AX('z', 'Z axis (twist, if fitted)', (540, 100)), AX('y', 'Y (pitch)', (530, 880))]
    side = 'left' if left_hand else 'right'
    did = 'vpc-warbrd-delta-' + side
    cs, gs = layout(did, xf, cols2(near, far), pitch=60)
    return dict(id=did, name='Virpil WarBRD base with Constellation Delta grip (%s hand)' % side, kind='stick', side=side,
                usb=(['3344:80CC', '03EB:2042'] if left_hand else ['3344:40CC', '3344:43F5', '03EB:2044']),
                games=({'msfs2020': ['L-VPC Stick WarBRD', 'LEFT VPC Stick WarBRD', 'L-VPC Stick WarBRD-D'],
                        'dcs': ['L-VPC Stick WarBRD', 'LEFT VPC Stick WarBRD'], 'starcitizen': ['L-VPC Stick WarBRD'],
                        'il2': ['L-VPC Stick WarBRD'], 'bms': ['L-VPC Stick WarBRD'], 'squadrons': ['L-VPC Stick WarBRD']}
                       if left_hand else
                       {'msfs2020': ['R-VPC Stick WarBRD', 'RIGHT VPC Stick WarBRD', 'R-VPC Stick WarBRD-D',
                                     'VPC Stick WarBRD'],
                        'dcs': ['R-VPC Stick WarBRD', 'RIGHT VPC Stick WarBRD', 'VPC Stick WarBRD'],
                        'starcitizen': ['R-VPC Stick WarBRD', 'VPC Stick WarBRD'], 'il2': ['R-VPC Stick WarBRD'],
                        'bms': ['R-VPC Stick WarBRD'], 'squadrons': ['R-VPC Stick WarBRD']}),
                notes='Virpil names devices by base, not grip, so this card is the WarBRD with its common Delta grip. '
                      'USB ids: 3344:40CC right / 80CC left WarBRD (fredemmott devicedb), 3344:43F5 WarBRD-D (lsusb '
                      'report), 03EB:2044 / 2042 older firmware (EDRefCard). Numbering from EDRefCard\'s WarBRD '
                      'Delta layout: trigger 1-2 and 3, wheel 4-6, mini-stick push 7, hats 8-12 / 13-17, LED hat '
                      '18-22 (order of the hat buttons assumed up, right, down, left, push: verify).',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def vpc_alpha_prime(left_hand=False):
    xf = Xf(1000, 1300, *ART2, mirror=left_hand); a = Art(xf)
    stick_body(a, head='angular')
    trigger_shape(a, 350, 390)
    lever_shape(a, 372, 700)
    a.hat(420, 185, 28, 4)    # A1
    a.hat(610, 175, 26, 4)    # B1
    a.hat(655, 315, 24, 4)    # C1
    a.hat(470, 335, 24, 4)    # D1
    a.circle(525, 250, 14, fill='dark')   # A2
    a.circle(375, 285, 14)    # B2
    a.circle(420, 470, 20, fill='body2'); a.circle(420, 470, 9)  # E1 mini-stick
    a.rrect(560, 425, 60, 22, 8, fill='control')  # flip trigger
    a.ellipse(690, 420, 11, 26, fill='control')   # A3 encoder wheel
    near = [BHAT('a1', 'A1 hat', (420, 185), 5), BHAT('d1', 'D1 hat', (470, 335), 20),
            C('t', 'Trigger', ['button:1', 'button:2'], (320, 440), tags=['1st', '2nd']),
            C('b2', 'B2 button', ['button:25'], (375, 285)),
            C('e1', 'E1 mini-stick push', ['button:26'], (420, 470)),
            C('e1x', 'E1 mini-stick', ['axis:rx', 'axis:ry'], (430, 478), tags=['X (RX)', 'Y (RY)']),
            C('pinky', 'Pinky lever', ['button:27'], (345, 760)), AX('x', 'X (roll)', (470, 880))]
    far = [BHAT('b1', 'B1 hat', (610, 175), 10), BHAT('c1', 'C1 hat', (655, 315), 15),
           C('a2', 'A2 button', ['button:4'], (525, 250)), C('flip', 'Flip trigger', ['button:3'], (590, 436)),
           C('a3', 'A3 encoder wheel', ['button:28', 'button:29'], (690, 420), tags=['up', 'down']),
           AX('rz', 'Twist (RZ)', (520, 112)), AX('y', 'Y (pitch)', (530, 880))]
    side = 'left' if left_hand else 'right'
    did = 'vpc-alpha-prime-' + side
    cs, gs = layout(did, xf, cols2(near, far), pitch=58)
    nm = 'VPC Constellation ALPHA Prime'
    names = (['L-VPC Constellation ALPHA Prime', 'LEFT VPC Constellation ALPHA Prime', nm + ' L'] if left_hand else
             ['R-VPC Constellation ALPHA Prime', 'RIGHT VPC Constellation ALPHA Prime', nm + ' R', nm])
    return dict(id=did, name='Virpil Constellation Alpha Prime (%s hand)' % side, kind='stick', side=side,
                usb=['3344:0138'] if left_hand else ['3344:4139'],
                games={g: list(names) for g in ('msfs2020', 'dcs', 'starcitizen', 'il2', 'bms', 'squadrons')},
                notes='USB ids 3344:4139 (right) and 3344:0138 (left) as an open-source Virpil LED tool uses them; '
                      'Virpil ids follow base and firmware profile, so a grip on another base shows that base\'s '
                      'id and name. Numbering follows the VPC Configurator default for the Alpha family (A1 5-9, '
                      'B1 10-14, C1 15-19, D1 20-24, each up, right, down, left, push): verify.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def tflight_hotas_one():
    xf = Xf(1400, 1300, *ART2); a = Art(xf)
    throttle_base(a, 20, 1040, 460, 240)                       # low, as on the HOTAS X card
    a.rrect(120, 1070, 260, 24, 12, fill='dark')
    throttle_handle(a, 110, 600, 280, 300)
    a.rrect(150, 680, 36, 90, 12, fill='control')              # rudder rocker on the throttle
    a.circle(260, 680, 16); a.circle(330, 720, 16); a.circle(270, 780, 16)   # throttle buttons
    a.circle(160, 1180, 13); a.circle(220, 1180, 13); a.circle(280, 1180, 13)  # view, menu, guide
    stick_body(a, x0=560, scale=0.8, y0=230)
    sx = lambda v: 560 + v * 0.8
    sy = lambda v: 230 + v * 0.8
    trigger_shape(a, sx(345), sy(380), 0.8)
    a.hat(sx(500), sy(190), 26, 8)
    a.circle(sx(380), sy(270), 15); a.circle(sx(620), sy(270), 15); a.circle(sx(500), sy(330), 13)
    a.circle(sx(330), sy(540), 14)
    left = [C('b5', 'Throttle button 5', ['button:5'], (260, 680)), C('b6', 'Throttle button 6', ['button:6'], (330, 720)),
            C('b7', 'Throttle button 7', ['button:7'], (270, 780)),
            AX('rz', 'Rudder rocker (RZ)', (168, 725)), AX('z', 'Throttle (Z)', (250, 1070)),
            C('b9', 'View button', ['button:9'], (160, 1180)), C('b10', 'Menu button', ['button:10'], (220, 1180)),
            C('b11', 'Xbox button', ['button:11'], (280, 1180))]
    right = [POV(1, 'hat', 'Hat 8-way', (sx(500), sy(190))),
             C('b1', 'Trigger', ['button:1'], (sx(310), sy(430))),
             C('b2', 'Thumb button', ['button:2'], (sx(330), sy(540))),
             C('b3', 'Head button left', ['button:3'], (sx(380), sy(270))),
             C('b4', 'Head button right', ['button:4'], (sx(620), sy(270))),
             C('b8', 'Head button centre', ['button:8'], (sx(500), sy(330))),
             AX('x', 'X axis (roll)', (sx(470), sy(880))), AX('y', 'Y axis (pitch)', (sx(530), sy(880))),
             AX('slider1', 'Twist (slider)', (sx(500), sy(110)))]
    cs, gs = layout('tflight-hotas-one', xf, cols2(left, right), pitch=62)
    return dict(id='tflight-hotas-one', name='Thrustmaster T.Flight HOTAS One', kind='stick',
                usb=['044F:B68D', '044F:B68B'],
                games={'msfs2020': ['T.Flight Hotas One'], 'dcs': ['T.Flight Hotas One'],
                       'starcitizen': ['T.Flight Hotas One'], 'il2': ['T.Flight Hotas One'],
                       'bms': ['T.Flight Hotas One'], 'squadrons': ['T.Flight Hotas One']},
                notes='044F:B68D (linux-hardware.org, USB string "T.Flight Hotas One"; B68B is its bulk-endpoint '
                      'variant). Stick and throttle are one device. Button numbers and the axis of the twist '
                      '(slider or RZ, depending on the rudder setting) follow the PC-mode manual from memory: '
                      'verify on a device.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

def viper_tqs():
    xf = Xf(1000, 1300, *ART2); a = Art(xf)
    throttle_base(a, 100, 900, 800, 340)
    a.rrect(300, 930, 400, 26, 12, fill='dark')
    throttle_handle(a, 250, 300, 500, 420, lean=30)            # the F-16 style grip
    a.rrect(420, 330, 90, 30, 10, fill='control')              # DGFT / missile override slide
    a.hat(620, 380, 26, 4)                                     # IFF
    a.hat(330, 430, 26, 4)                                     # COMM (UHF/VHF)
    a.rrect(600, 460, 30, 80, 10, fill='control')              # speed brake slide
    a.circle(470, 470, 22, fill='body2'); a.circle(470, 470, 9)   # radar cursor
    a.circle(700, 580, 20, fill='body2')                       # MAN RNG rotary
    a.ellipse(330, 580, 12, 32, fill='control')                # antenna elevation wheel
    a.rrect(480, 680, 70, 24, 8, fill='dark')                  # cut-off / idle release
    a.circle(260, 1040, 13, fill='dark'); a.circle(330, 1040, 13, fill='dark')  # base buttons
    left = [ROSE('comm', 'COMM switch', (330, 430), {'up': ['button:7'], 'right': ['button:8'], 'down': ['button:9'],
                                                    'left': ['button:10'], 'push': ['button:11']}),
            C('cur', 'Radar cursor', ['axis:x', 'axis:y'], (480, 478), tags=['X', 'Y']),
            C('curp', 'Cursor enable (push)', ['button:12'], (470, 470)),
            AX('slider1', 'Antenna elevation (slider)', (330, 580)),
            AX('z', 'Throttle lever (Z)', (500, 943)),
            C('q1', 'Base button 1', ['button:20'], (260, 1040)),
            C('q2', 'Base button 2', ['button:21'], (330, 1040))]
    right = [C('dgft', 'DGFT / missile override', ['button:1', 'button:2'], (465, 345), tags=['DGFT', 'MSL OVRD']),
             ROSE('iff', 'IFF switch', (620, 380), {'up': ['button:3'], 'right': ['button:4'], 'down': ['button:5'],
                                                   'left': ['button:6']}),
             C('sb', 'Speed brake', ['button:13', 'button:14'], (615, 500), tags=['open', 'close']),
             C('rng', 'MAN RNG / uncage', ['button:15'], (700, 580)),
             AX('rz', 'MAN RNG rotary (RZ)', (714, 592)),
             C('idle', 'Cut-off / idle', ['button:16', 'button:17'], (515, 692), tags=['cut-off', 'idle'])]
    cs, gs = layout('viper-tqs', xf, cols2(left, right), pitch=60)
    return dict(id='viper-tqs', name='Thrustmaster Viper TQS', kind='throttle', usb=[],
                games={'msfs2020': ['Viper TQS', 'TM Viper TQS'], 'dcs': ['Viper TQS'], 'starcitizen': ['Viper TQS'],
                       'il2': ['Viper TQS'], 'bms': ['Viper TQS', 'TM Viper TQS'], 'squadrons': ['Viper TQS']},
                notes='Matched by the name Windows gives it ("Viper TQS", as in DCS file names "Viper TQS '
                      '{GUID}.diff.lua"); its USB product id was not confirmed from a public source, so none is '
                      'claimed. Button and axis numbers are a best reading of the F-16 throttle layout: verify.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)

ALL = [warthog_stick, warthog_throttle, t16000m, twcs, x52, x56_stick, x56_throttle, vkb_gladiator,
       lambda: vkb_gladiator(left_hand=True), vpc_alpha, lambda: vpc_alpha(left_hand=True), mongoost, tflight, gamepad,
       extreme_3d_pro, g940_stick, g940_throttle, x55_stick, x55_throttle, x45, vkb_gladiator_classic,
       vkb_kosmosima, lambda: vkb_kosmosima(left_hand=True), vpc_warbrd_delta, lambda: vpc_warbrd_delta(left_hand=True),
       vpc_alpha_prime, lambda: vpc_alpha_prime(left_hand=True), tflight_hotas_one, viper_tqs,
       lambda: pedals('tfrp-pedals', 'Thrustmaster T.Flight Rudder Pedals (TFRP)', ['044F:B678'],
                      {'elite': ['ThrustMasterTFRPRudderPedals', 'TFRPRudderPedals'],
                       'msfs2020': ['T.Flight Rudder Pedals'], 'dcs': ['T.Flight Rudder Pedals'],
                       'squadrons': ['T.Flight Rudder Pedals']},
                      'B678 is the TFRP (usb.ids); the T-Rudder (B679) has its own card. Axes as usually '
                      'reported: rudder RZ, toe brakes X and Y.'),
       lambda: pedals('thrustmaster-t-rudder', 'Thrustmaster T-Rudder', ['044F:B679'],
                      {'elite': ['T-Rudder', 'ThrustMasterTRudder'], 'msfs2020': ['T-Rudder'],
                       'dcs': ['T-Rudder'], 'il2': ['T-Rudder'], 'starcitizen': ['T-Rudder'],
                       'bms': ['T-Rudder']},
                      '044F:B679 "T-Rudder" (usb.ids). Axes as EDRefCard\'s T-Rudder sheet has them: rudder Z, '
                      'left toe brake X, right toe brake Y.', rudder='z'),
       lambda: pedals('mfg-crosswind', 'MFG Crosswind rudder pedals', ['16D0:0A38'],
                      {'elite': ['MFGCrosswind'], 'msfs2020': ['MFG Crosswind V2', 'MFG Crosswind V3'],
                       'dcs': ['MFG Crosswind V2', 'MFG Crosswind V3'], 'squadrons': ['MFG Crosswind V2']},
                      'USB id 16D0:0A38 (MCS shared VID) as reported by owners; uncertain. Axes: rudder RZ, '
                      'toe brakes X and Y.')]

if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from devgen_keyboard import keyboard
    from devgen_more import MORE
    for f in ALL + [keyboard] + MORE:
        emit(f())
