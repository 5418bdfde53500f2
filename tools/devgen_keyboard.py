#!/usr/bin/env python3
"""The keyboard layout for tools/devgen.py: key caps as callouts, one per key id of bindings.h.

One drawing serves every board: a full-size ISO keyboard (the layout of most non-US boards: the
extra key between left Shift and Z, key id IntlBackslash, "<>" on German and "\\|" on UK boards;
the tall Enter with the "#" key, id Backslash, beside it), plus the keys other boards add: a row
of F13-F24 above F1-F12 (as on IBM's 122-key boards; macro and voice tools bind them) and the
two JIS keys (IntlYen, IntlRo) above the numeric pad. A US ANSI board's keys are all there too:
its backslash key is the same key id as the ISO "#" key, so it is drawn where ISO puts it and
named for both. So a bound key always lands on a cap."""
from devgen import r1

U, UY, X0, Y0, G = 80, 88, 46, 122, 5


def keyboard():
    # (id, legend, width[, height]) ; (None, gap) ; heights in rows
    fn_row = [(None, 2)] + [('F%d' % i, 'F%d' % i, 1) for i in range(13, 17)] + [(None, 0.5)] + \
        [('F%d' % i, 'F%d' % i, 1) for i in range(17, 21)] + [(None, 0.5)] + \
        [('F%d' % i, 'F%d' % i, 1) for i in range(21, 25)] + [(None, 4)] + \
        [('IntlYen', '\u00a5', 1), ('IntlRo', 'Ro', 1)]
    f_row = [('Escape', 'Esc', 1), (None, 1)] + [('F%d' % i, 'F%d' % i, 1) for i in range(1, 5)] + [(None, 0.5)] + \
        [('F%d' % i, 'F%d' % i, 1) for i in range(5, 9)] + [(None, 0.5)] + \
        [('F%d' % i, 'F%d' % i, 1) for i in range(9, 13)] + [(None, 0.5)] + \
        [('PrintScreen', 'PrtSc', 1), ('ScrollLock', 'ScrLk', 1), ('Pause', 'Pause', 1)]
    rows = [
        (0, fn_row),
        (1, f_row),
        (2.25, [('Grave', '` ^', 1)] + [(str(d), str(d), 1) for d in '1234567890'] +
         [('Minus', '-', 1), ('Equals', '=', 1), ('Backspace', 'Backspace', 2), (None, 0.5), ('Insert', 'Ins', 1),
          ('Home', 'Home', 1), ('PageUp', 'PgUp', 1), (None, 0.5), ('NumLock', 'Num', 1), ('NumpadDivide', '/', 1),
          ('NumpadMultiply', '*', 1), ('NumpadMinus', '-', 1)]),
        # ISO Enter: its text box is the tall 1.25u part; the 1.5u top is drawn with it (art below)
        (3.25, [('Tab', 'Tab', 1.5)] + [(c, c, 1) for c in 'QWERTYUIOP'] +
         [('LeftBracket', '[', 1), ('RightBracket', ']', 1), (None, 0.25), ('Enter', 'Enter', 1.25, 2), (None, 0.5),
          ('Delete', 'Del', 1), ('End', 'End', 1), ('PageDown', 'PgDn', 1), (None, 0.5), ('Numpad7', '7', 1),
          ('Numpad8', '8', 1), ('Numpad9', '9', 1), ('NumpadPlus', '+', 1, 2)]),
        (4.25, [('CapsLock', 'Caps', 1.75)] + [(c, c, 1) for c in 'ASDFGHJKL'] +
         [('Semicolon', ';', 1), ('Apostrophe', "'", 1), ('Backslash', '\\ #', 1), (None, 1.25), (None, 4),
          ('Numpad4', '4', 1), ('Numpad5', '5', 1), ('Numpad6', '6', 1)]),
        (5.25, [('LeftShift', 'Shift', 1.25), ('IntlBackslash', '< >', 1)] + [(c, c, 1) for c in 'ZXCVBNM'] +
         [('Comma', ',', 1), ('Period', '.', 1), ('Slash', '/', 1), ('RightShift', 'Shift', 2.75), (None, 1.5),
          ('UpArrow', '\u2191', 1), (None, 1.5), ('Numpad1', '1', 1), ('Numpad2', '2', 1), ('Numpad3', '3', 1),
          ('NumpadEnter', 'Enter', 1, 2)]),
        (6.25, [('LeftControl', 'Ctrl', 1.25), ('LeftWin', 'Win', 1.25), ('LeftAlt', 'Alt', 1.25),
                ('Space', 'Space', 6.25), ('RightAlt', 'AltGr', 1.25), ('RightWin', 'Win', 1.25),
                ('Menu', 'Menu', 1.25), ('RightControl', 'Ctrl', 1.25), (None, 0.5), ('LeftArrow', '\u2190', 1),
                ('DownArrow', '\u2193', 1), ('RightArrow', '\u2192', 1), (None, 0.5), ('Numpad0', '0', 2),
                ('NumpadDecimal', '.', 1)]),
    ]
    names = {'Grave': 'Grave / ^ key', 'Minus': 'Minus', 'Equals': 'Equals', 'LeftBracket': 'Left bracket',
             'RightBracket': 'Right bracket', 'Backslash': 'Backslash / # key', 'Semicolon': 'Semicolon',
             'Apostrophe': 'Apostrophe', 'Comma': 'Comma', 'Period': 'Period', 'Slash': 'Slash',
             'IntlBackslash': 'ISO < > key', 'IntlYen': 'Yen (JIS)', 'IntlRo': 'Ro (JIS)',
             'RightAlt': 'Right Alt / AltGr'}
    width = 23 * U
    shapes = [{'rrect': [X0 - 22, Y0 - 16, width + 44 - G, 7.25 * UY + 32 - G, 18], 'fill': 'body2'}]
    callouts = []
    for ry, row in rows:
        x = 0.0
        y = Y0 + ry * UY
        for k in row:
            if k[0] is None:
                x += k[1]
                continue
            kid, leg, w = k[0], k[1], k[2]
            h = k[3] if len(k) > 3 else 1
            box = [r1(X0 + x * U), r1(y), r1(w * U - G), r1(h * UY - G)]
            if kid == 'Enter':
                # the ISO Enter: 1.5u on the top row, 1.25u below, as one key
                L, T = X0 + (x - 0.25) * U, y
                R, B, M = X0 + (x + w) * U - G, y + 2 * UY - G, y + UY - G
                shapes.append({'path': 'M %s %s L %s %s L %s %s L %s %s L %s %s L %s %s Z' % tuple(
                    r1(v) for v in (L, T, R, T, R, B, box[0], B, box[0], M, L, M)),
                    'fill': 'control', 'stroke': 1.5})
            else:
                shapes.append({'rrect': box + [7], 'fill': 'control', 'stroke': 1.5})
            callouts.append({'id': kid.lower(), 'label': names.get(kid, kid), 'legend': leg,
                             'controls': ['key:' + kid], 'box': box})
            x += w
    return dict(id='keyboard', name='Keyboard', kind='keyboard', usb=[],
                games={'elite': ['Keyboard'], 'msfs2020': ['Keyboard'], 'dcs': ['Keyboard'],
                       'squadrons': ['Keyboard']},
                notes='Full-size ISO layout (the < > key IntlBackslash, the # key beside the tall Enter, '
                      'which is the key id Backslash of US boards) with F13-F24 above F1-F12 and the JIS '
                      'keys IntlYen and IntlRo: every key id of bindings.h has a cap. Mouse bindings are '
                      'not drawn.',
                extras=[46, 800, 1828, 260], art=shapes, groups=[], callouts=callouts)
