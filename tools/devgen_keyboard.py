#!/usr/bin/env python3
"""The keyboard layout for tools/devgen.py: key caps as callouts (one per key id of bindings.h)."""
from devgen import r1

def keyboard():
    U, UY, X0, Y0, G = 79.5, 96, 46, 150, 6
    rows = [
        [('Escape', 'Esc', 1), None, ('F1', 'F1', 1), ('F2', 'F2', 1), ('F3', 'F3', 1), ('F4', 'F4', 1), (None, 0.5),
         ('F5', 'F5', 1), ('F6', 'F6', 1), ('F7', 'F7', 1), ('F8', 'F8', 1), (None, 0.5), ('F9', 'F9', 1),
         ('F10', 'F10', 1), ('F11', 'F11', 1), ('F12', 'F12', 1), (None, 0.5), ('PrintScreen', 'PrtSc', 1),
         ('ScrollLock', 'ScrLk', 1), ('Pause', 'Pause', 1)],
        [('Grave', '`', 1)] + [(str(d), str(d), 1) for d in '1234567890'] +
        [('Minus', '-', 1), ('Equals', '=', 1), ('Backspace', 'Backspace', 2), (None, 0.5), ('Insert', 'Ins', 1),
         ('Home', 'Home', 1), ('PageUp', 'PgUp', 1), (None, 0.5), ('NumLock', 'Num', 1), ('NumpadDivide', '/', 1),
         ('NumpadMultiply', '*', 1), ('NumpadMinus', '-', 1)],
        [('Tab', 'Tab', 1.5)] + [(c, c, 1) for c in 'QWERTYUIOP'] +
        [('LeftBracket', '[', 1), ('RightBracket', ']', 1), ('Backslash', '\\', 1.5), (None, 0.5),
         ('Delete', 'Del', 1), ('End', 'End', 1), ('PageDown', 'PgDn', 1), (None, 0.5), ('Numpad7', '7', 1),
         ('Numpad8', '8', 1), ('Numpad9', '9', 1), ('NumpadPlus', '+', 1, 2)],
        [('CapsLock', 'Caps', 1.75)] + [(c, c, 1) for c in 'ASDFGHJKL'] +
        [('Semicolon', ';', 1), ('Apostrophe', "'", 1), ('Enter', 'Enter', 2.25), (None, 4), ('Numpad4', '4', 1),
         ('Numpad5', '5', 1), ('Numpad6', '6', 1)],
        [('LeftShift', 'Shift', 2.25)] + [(c, c, 1) for c in 'ZXCVBNM'] +
        [('Comma', ',', 1), ('Period', '.', 1), ('Slash', '/', 1), ('RightShift', 'Shift', 2.75), (None, 1.5),
         ('UpArrow', '\u2191', 1), (None, 1.5), ('Numpad1', '1', 1), ('Numpad2', '2', 1), ('Numpad3', '3', 1),
         ('NumpadEnter', 'Enter', 1, 2)],
        [('LeftControl', 'Ctrl', 1.25), ('LeftWin', 'Win', 1.25), ('LeftAlt', 'Alt', 1.25), ('Space', 'Space', 6.25),
         ('RightAlt', 'Alt', 1.25), ('RightWin', 'Win', 1.25), ('Menu', 'Menu', 1.25), ('RightControl', 'Ctrl', 1.25),
         (None, 0.5), ('LeftArrow', '\u2190', 1), ('DownArrow', '\u2193', 1), ('RightArrow', '\u2192', 1), (None, 0.5),
         ('Numpad0', '0', 2), ('NumpadDecimal', '.', 1)],
    ]
    names = {'Grave': 'Grave / tilde', 'Minus': 'Minus', 'Equals': 'Equals', 'LeftBracket': 'Left bracket',
             'RightBracket': 'Right bracket', 'Backslash': 'Backslash', 'Semicolon': 'Semicolon',
             'Apostrophe': 'Apostrophe', 'Comma': 'Comma', 'Period': 'Period', 'Slash': 'Slash'}
    shapes = [{'rrect': [X0 - 22, Y0 - 22, 23 * U + 44 - G, 6.5 * UY + 44 - G, 18], 'fill': 'body2'}]
    callouts = []
    for ri, row in enumerate(rows):
        x = 0.0
        y = Y0 + (ri * UY if ri == 0 else (ri + 0.5) * UY)
        for k in row:
            if k is None: x += 1; continue
            if k[0] is None: x += k[1]; continue
            kid, leg, w = k[0], k[1], k[2]
            h = k[3] if len(k) > 3 else 1
            box = [r1(X0 + x * U), r1(y), r1(w * U - G), r1(h * UY - G)]
            shapes.append({'rrect': box + [7], 'fill': 'control', 'stroke': 1.5})
            callouts.append({'id': kid.lower(), 'label': names.get(kid, kid), 'legend': leg,
                             'controls': ['key:' + kid], 'box': box})
            x += w
    return dict(id='keyboard', name='Keyboard (full-size ANSI)', kind='keyboard', usb=[],
                games={'elite': ['Keyboard'], 'msfs2020': ['Keyboard'], 'dcs': ['Keyboard'],
                       'squadrons': ['Keyboard']},
                notes='US ANSI 104-key layout; key ids are the normalised key:NAME ids of bindings.h. '
                      'F13-F24 and mouse bindings are listed under "also bound".',
                extras=[46, 820, 1828, 236], art=shapes, groups=[], callouts=callouts)

