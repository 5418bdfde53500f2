#!/usr/bin/env python3
"""More devices for tools/devgen.py: pedals, yokes, quadrants, panels and PlayStation pads that
players own. Each function returns the device dict devgen.emit writes; MORE lists them.

The drawings are ours: plain shapes placed from the devices' published control layouts, not
traced from photographs. Control numbers follow what Windows (DirectInput) reports for a device
with its factory settings; where a source was thin the device's "notes" say so.

Gamepads seen by a game as a raw joystick (Elite "Joy_2", DCS "JOY_BTN2") and as a pad (XInput
"pad:a") land on the same callout: each callout lists both ids."""
import math

from devgen import *  # noqa: F401,F403 (Art, Xf, layout, C, AX, POV, ...)

# The art stays above the extras box (y 968) and under the title band (y 100).
ART_M = (600, 112, 720, 846)


def _arrowhead(a, cx, cy, r, at, heading):
    """a small filled arrowhead on the circle (cx, cy, r) at angle `at`, pointing to `heading` (degrees)"""
    x, y = cx + r * math.cos(math.radians(at)), cy + r * math.sin(math.radians(at))
    h = math.radians(heading)
    tip = (x + 44 * math.cos(h), y + 44 * math.sin(h))
    l = (x + 24 * math.cos(h + 1.9), y + 24 * math.sin(h + 1.9))
    r2 = (x + 24 * math.cos(h - 1.9), y + 24 * math.sin(h - 1.9))
    a.path([('M',) + tip, ('L',) + l, ('L',) + r2, ('Z',)], fill='dark')


# ---- PlayStation pads ------------------------------------------------------------------
# DirectInput view of a DualShock 4 / DualSense (SDL's gamecontrollerdb agrees, 0-based there):
# buttons 1 Square, 2 Cross, 3 Circle, 4 Triangle, 5 L1, 6 R1, 7 L2, 8 R2, 9 Share/Create,
# 10 Options, 11 L3, 12 R3, 13 PS, 14 touchpad click, 15 mic mute (DualSense); axes X/Y left
# stick, Z/RZ right stick, RX/RY the L2/R2 triggers; the d-pad is POV 1.
def _sony_pad(dev_id, name, usb, games, notes, dualsense):
    xf = Xf(1400, 1000, *ART_M); a = Art(xf)
    # triggers and bumpers over the top edge
    for x0 in (230, 950):
        a.rrect(x0 + 10, 110, 200, 90, 34, fill='body2')
        a.rrect(x0, 190, 220, 44, 20, fill='control')
    if dualsense:
        body = [('M', 250, 240), ('L', 1150, 240), ('C', 1280, 245, 1330, 330, 1352, 470),
                ('C', 1385, 680, 1400, 860, 1300, 915), ('C', 1210, 960, 1130, 880, 1060, 780),
                ('C', 1010, 710, 960, 690, 900, 690), ('L', 500, 690), ('C', 440, 690, 390, 710, 340, 780),
                ('C', 270, 880, 190, 960, 100, 915), ('C', 0, 860, 15, 680, 48, 470),
                ('C', 70, 330, 120, 245, 250, 240), ('Z',)]
    else:
        body = [('M', 260, 245), ('L', 1140, 245), ('C', 1270, 250, 1320, 330, 1340, 460),
                ('C', 1370, 650, 1380, 830, 1290, 890), ('C', 1200, 945, 1120, 860, 1060, 770),
                ('C', 1020, 715, 980, 700, 930, 700), ('L', 470, 700), ('C', 420, 700, 380, 715, 340, 770),
                ('C', 280, 860, 200, 945, 110, 890), ('C', 20, 830, 30, 650, 60, 460),
                ('C', 80, 330, 130, 250, 260, 245), ('Z',)]
    a.path(body, fill='body')
    # touchpad, with the light bar (DS4) or the light strips (DualSense) beside it
    if dualsense:
        # the darker middle of the two-tone shell, the white touchpad and its light strips
        a.path([('M', 416, 244), ('L', 984, 244), ('C', 976, 420, 984, 560, 950, 690), ('L', 450, 690),
                ('C', 416, 560, 424, 420, 416, 244), ('Z',)], fill='body2')
        a.rrect(480, 240, 440, 235, 30, fill='control')
        a.path([('M', 474, 300), ('C', 466, 360, 466, 420, 474, 462)], fill='none', stroke=3)
        a.path([('M', 926, 300), ('C', 934, 360, 934, 420, 926, 462)], fill='none', stroke=3)
    else:
        a.rrect(500, 255, 400, 210, 26, fill='body2')
        a.rrect(540, 250, 320, 12, 6, fill='dark')
    a.rrect(434, 270, 26, 56, 10, fill='control')      # Share / Create
    a.rrect(940, 270, 26, 56, 10, fill='control')      # Options
    # d-pad: four arrow pads around a recess
    cx, cy = 300, 420
    for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0)):
        if dx == 0:
            a.rrect(cx - 26, cy + dy * 62 - 34, 52, 68, 10, fill='control')
        else:
            a.rrect(cx + dx * 62 - 34, cy - 26, 68, 52, 10, fill='control')
    a.circle(cx, cy, 20, fill='body2')
    # face buttons with their symbols
    fx, fy = 1100, 420
    for bx, by in ((fx, fy - 78), (fx + 78, fy), (fx, fy + 78), (fx - 78, fy)):
        a.circle(bx, by, 36, fill='control')
    a.path([('M', fx, fy - 98), ('L', fx + 19, fy - 66), ('L', fx - 19, fy - 66), ('Z',)], fill='none', stroke=3)
    a.circle(fx + 78, fy, 17, fill='none', stroke=3)
    a.line([(fx - 15, fy + 63), (fx + 15, fy + 93)], stroke=3)
    a.line([(fx + 15, fy + 63), (fx - 15, fy + 93)], stroke=3)
    a.rrect(fx - 95, fy - 17, 34, 34, 3, fill='none', stroke=3)
    # sticks, PS button (and the DualSense mute button)
    for sx in (500, 900):
        a.circle(sx, 600, 72, fill='body2'); a.circle(sx, 600, 48, fill='control')
    a.circle(700, 545, 26, fill='dark')
    if dualsense:
        a.rrect(668, 598, 64, 18, 8, fill='control')

    def dpad(d):
        return ['hat:1:' + d] + (['pad:dpad_' + d] if d in ('up', 'right', 'down', 'left') else [])
    left = [C('l2', 'L2 trigger', ['pad:lt', 'axis:rx', 'button:7'], (390, 150)),
            C('l1', 'L1 button', ['pad:lb', 'button:5'], (250, 212)),
            C('share', 'Create button' if dualsense else 'Share button', ['pad:back', 'button:9'], (447, 298)),
            ROSE('dpad', 'D-pad', (cx, cy), {d: dpad(d) for d in DIRS8}),
            C('touch', 'Touchpad click', ['button:14'], (620, 420)),
            C('ps', 'PS button', ['button:13'], (690, 545)),
            C('ly', 'Left stick Y', ['pad:ly', 'axis:y'], (500, 552)),
            C('lx', 'Left stick X', ['pad:lx', 'axis:x'], (452, 600)),
            C('l3', 'L3 (left stick click)', ['pad:ls', 'button:11'], (500, 600))]
    right = [C('r2', 'R2 trigger', ['pad:rt', 'axis:ry', 'button:8'], (1010, 150)),
             C('r1', 'R1 button', ['pad:rb', 'button:6'], (1150, 212)),
             C('options', 'Options button', ['pad:start', 'button:10'], (953, 298)),
             C('triangle', 'Triangle button', ['pad:y', 'button:4'], (fx, fy - 78)),
             C('square', 'Square button', ['pad:x', 'button:1'], (fx - 78, fy + 18)),
             C('circle', 'Circle button', ['pad:b', 'button:3'], (fx + 78, fy)),
             C('cross', 'Cross button', ['pad:a', 'button:2'], (fx, fy + 78)),
             C('ry', 'Right stick Y', ['pad:ry', 'axis:rz'], (900, 552)),
             C('r3', 'R3 (right stick click)', ['pad:rs', 'button:12'], (900, 600)),
             C('rx', 'Right stick X', ['pad:rx', 'axis:z'], (948, 600))]
    if dualsense:
        right.append(C('mute', 'Mute button', ['button:15'], (732, 607)))
    cs, gs = layout(dev_id, xf, cols2(left, right), pitch=72)
    return dict(id=dev_id, name=name, kind='gamepad', usb=usb, games=games, notes=notes,
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


def dualshock4():
    return _sony_pad(
        'dualshock4', 'Sony DualShock 4', ['054C:05C4', '054C:09CC', '054C:0BA0'],
        {'elite': ['DualShock4', 'DS4', '054C05C4', '054C09CC'],
         'msfs2020': ['Wireless Controller', 'DUALSHOCK 4 Wireless Controller'],
         'dcs': ['Wireless Controller'], 'starcitizen': ['Wireless Controller'],
         'il2': ['Wireless Controller'], 'bms': ['Wireless Controller'],
         'squadrons': ['Wireless Controller']},
        '054C:05C4 is the first DualShock 4 (CUH-ZCT1), 09CC the second (CUH-ZCT2), 0BA0 the USB '
        'wireless adaptor. Windows names it "Wireless Controller". As a raw joystick: buttons 1 Square, '
        '2 Cross, 3 Circle, 4 Triangle, 5 L1, 6 R1, 7 L2, 8 R2, 9 Share, 10 Options, 11 L3, 12 R3, 13 PS, '
        '14 touchpad; X/Y left stick, Z/RZ right stick, RX/RY the triggers; POV 1 the d-pad (Elite\'s '
        'shipped DualShock4 preset binds Joy_8 to primary fire and Joy_RZAxis to pitch).',
        dualsense=False)


def dualsense():
    return _sony_pad(
        'dualsense', 'Sony DualSense', ['054C:0CE6', '054C:0DF2'],
        {'elite': ['DualSense', '054C0CE6', '054C0DF2'],
         'msfs2020': ['DualSense Wireless Controller', 'DualSense Edge Wireless Controller'],
         'dcs': ['DualSense Wireless Controller', 'DualSense Edge Wireless Controller'],
         'starcitizen': ['DualSense Wireless Controller', 'DualSense Edge Wireless Controller'],
         'il2': ['DualSense Wireless Controller'], 'bms': ['DualSense Wireless Controller'],
         'squadrons': ['DualSense Wireless Controller']},
        '054C:0CE6 is the DualSense, 0DF2 the DualSense Edge (its back paddles and Fn buttons are '
        'extra buttons listed under "also bound"). The raw-joystick numbering is the DualShock 4\'s '
        'plus button 15 for the mute button.',
        dualsense=True)


# ---- rudder pedals ---------------------------------------------------------------------
def _pedal_callouts(dev_id, xf, brakes, rudder):
    """brakes: ((axis, anchor) left, (axis, anchor) right) or None; rudder: (axis, anchor)."""
    left, right = [], [AX(rudder[0], 'Rudder (%s)' % rudder[0].upper(), rudder[1])]
    if brakes:
        (la, lp), (ra, rp) = brakes
        left.append(AX(la, 'Left toe brake (%s)' % la.upper(), lp))
        right.insert(0, AX(ra, 'Right toe brake (%s)' % ra.upper(), rp))
    else:
        left, right = right, []
        right = [SPACER()]
    return layout(dev_id, xf, cols2(left, right), pitch=96)


def g940_pedals():
    xf = Xf(1100, 1000, *ART_M); a = Art(xf)
    # a low sled with a hump in the middle; each pedal slides on its own rail
    a.path([('M', 30, 880), ('L', 100, 700), ('L', 1000, 700), ('L', 1070, 880), ('Z',)], fill='body2')
    a.path([('M', 430, 700), ('C', 450, 570, 650, 570, 670, 700), ('Z',)], fill='body')
    a.circle(550, 650, 24, fill='dark')
    for cx in (250, 850):
        a.rrect(cx - 26, 560, 52, 300, 20, fill='dark')                 # rail slot
        a.path([('M', cx - 140, 820), ('L', cx - 118, 330), ('L', cx + 118, 330), ('L', cx + 140, 820),
                ('Z',)], fill='body')
        a.path([('M', cx - 118, 320), ('L', cx - 108, 170), ('C', cx - 106, 130, cx + 106, 130, cx + 108, 170),
                ('L', cx + 118, 320), ('Z',)], fill='control')           # toe brake plate
        a.line([(cx - 118, 326), (cx + 118, 326)], stroke=3)             # its hinge
        for yy in range(400, 780, 60):
            a.line([(cx - 90, yy), (cx + 90, yy)], stroke=1.2)
    cs, gs = _pedal_callouts('g940-pedals', xf, (('x', (250, 220)), ('y', (850, 220))), ('rz', (550, 650)))
    return dict(id='g940-pedals', name='Logitech G940 Pedals', kind='pedals', usb=[],
                games={'elite': ['LogitechG940Pedals'], 'msfs2020': ['Logitech G940 Pedals'],
                       'dcs': ['Logitech G940 Pedals'], 'starcitizen': ['Logitech G940 Pedals'],
                       'il2': ['Logitech G940 Pedals'], 'bms': ['Logitech G940 Pedals'],
                       'squadrons': ['Logitech G940 Pedals']},
                notes='The G940 is one USB device (046D:C287) holding three game controllers (joystick, '
                      'throttle, pedals), so the pedals are found by name only: a VID:PID would send the '
                      'stick\'s bindings here. Axes as DCS\'s own default assignment for "Logitech G940 '
                      'Pedals" has them: rudder RZ, left brake X, right brake Y; Elite\'s shipped G940 '
                      'preset binds yaw to Joy_RZAxis.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


def saitek_pedals():
    xf = Xf(1100, 1000, *ART_M); a = Art(xf)
    # wide base; the footplates slide on it, linked under a centre cover; heel rests and toe plates
    a.rrect(20, 740, 1060, 150, 50, fill='body2')
    a.line([(250, 700), (850, 700)], stroke=6)
    a.rrect(450, 620, 200, 140, 30, fill='body')
    a.circle(550, 690, 26, fill='dark')
    for cx, lean in ((250, -30), (850, 30)):
        a.path([('M', cx - 130, 700), ('C', cx - 130, 820, cx + 130, 820, cx + 130, 700)], fill='body2')  # heel rest
        a.path([('M', cx - 120 + lean, 150), ('L', cx + 120 + lean, 150), ('L', cx + 130, 700),
                ('L', cx - 130, 700), ('Z',)], fill='body')
        a.path([('M', cx - 116 + lean, 160), ('L', cx + 116 + lean, 160), ('L', cx + 118 + lean * 0.6, 330),
                ('L', cx - 118 + lean * 0.6, 330), ('Z',)], fill='control')   # toe brake
        for yy in range(380, 680, 50):
            off = lean * (700 - yy) / 550
            a.line([(cx - 95 + off, yy), (cx + 95 + off, yy)], stroke=1.2)
    cs, gs = _pedal_callouts('saitek-pro-flight-pedals', xf, (('x', (220, 230)), ('y', (880, 230))),
                             ('rz', (550, 850)))
    return dict(id='saitek-pro-flight-pedals', name='Saitek / Logitech Pro Flight Rudder Pedals', kind='pedals',
                usb=['06A3:0763'],
                games={'elite': ['SaitekProFlightRudderPedals'],
                       'msfs2020': ['Saitek Pro Flight Rudder Pedals', 'Pro Flight Rudder Pedals',
                                    'Logitech Pro Flight Rudder Pedals'],
                       'dcs': ['Saitek Pro Flight Rudder Pedals', 'Pro Flight Rudder Pedals'],
                       'starcitizen': ['Saitek Pro Flight Rudder Pedals'],
                       'il2': ['Saitek Pro Flight Rudder Pedals'], 'bms': ['Saitek Pro Flight Rudder Pedals'],
                       'squadrons': ['Saitek Pro Flight Rudder Pedals']},
                notes='06A3:0763 (usb.ids "Pro Flight Rudder Pedals"); the Logitech-badged unit keeps the Saitek '
                      'id and name. The Combat (0764) and Cessna (0765) pedals are other devices. Axes: left toe '
                      'brake X, right toe brake Y, rudder RZ (EDRefCard\'s Elite mapping).',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


def vkb_t_rudder():
    xf = Xf(1400, 1000, *ART_M); a = Art(xf)
    # seen from above: the housing runs back toward the seat, the T-bar turns on it and carries
    # both footrests; the arc shows the bar's travel
    a.arc(700, 330, 520, 200, 340, stroke=3)
    _arrowhead(a, 700, 330, 520, 200, 110)
    _arrowhead(a, 700, 330, 520, 340, 70)
    a.rrect(590, 300, 220, 600, 40, fill='body2')                      # housing
    a.rrect(640, 820, 120, 40, 12, fill='body')
    a.rrect(110, 280, 1180, 100, 44, fill='body')                      # T-bar
    a.circle(700, 330, 44, fill='dark')
    for cx in (250, 1150):
        a.rrect(cx - 130, 150, 260, 380, 50, fill='body')              # footrest
        a.rrect(cx - 105, 185, 210, 250, 30, fill='control')
        a.rrect(cx - 110, 455, 220, 50, 20, fill='body2')              # heel stop
        a.line([(cx - 130, 260), (cx + 130, 260)], stroke=5)           # strap
    cs, gs = _pedal_callouts('vkb-t-rudder', xf, None, ('rx', (700, 330)))
    return dict(id='vkb-t-rudder', name='VKB T-Rudder', kind='pedals', usb=['231D:011F'],
                games={'elite': ['VKBsimTRudder'],
                       'msfs2020': ['VKBsim T-Rudder', 'VKB-Sim T-Rudder'],
                       'dcs': ['VKBsim T-Rudder', 'VKB-Sim T-Rudder'],
                       'starcitizen': ['VKBsim T-Rudder'], 'il2': ['VKBsim T-Rudder'],
                       'bms': ['VKBsim T-Rudder'], 'squadrons': ['VKBsim T-Rudder']},
                notes='One axis, the rudder, on RX as VKB ships it (DCS\'s default assignment for " VKBsim '
                      'T-Rudder " is the VKB Black Box\'s JOY_RX; the name comes padded with spaces). No toe '
                      'brakes. 231D:011F as reported for the Mk.IV/Mk.V; VKBDevCfg can change both.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


# ---- Thrustmaster Cougar MFDs ----------------------------------------------------------
# 20 push buttons around the screen, numbered clockwise from the top-left (1-5 top, 6-10 right
# side top-down, 11-15 bottom right-to-left, 16-20 left side bottom-up), then four corner rockers:
# 21/22 SYM (top right), 23/24 CON (bottom right), 25/26 BRT (bottom left), 27/28 GAIN (top left).
def _cougar_mfd(side):
    n = 1 if side == 'left' else 2
    dev_id = 'cougar-mfd-%s' % side
    xf = Xf(1000, 1000, *ART_M); a = Art(xf)
    a.rrect(70, 70, 860, 860, 70, fill='body')
    a.rrect(235, 235, 530, 530, 16, fill='body2')
    a.rrect(265, 265, 470, 470, 8, fill='none', stroke=1.2)
    pos = {}
    for i in range(5):
        t = 300 + 100 * i
        pos[1 + i] = (t, 160)          # top, left to right
        pos[6 + i] = (840, t)          # right, top down
        pos[11 + i] = (1000 - t, 840)  # bottom, right to left
        pos[16 + i] = (160, 1000 - t)  # left, bottom up
    for b, (x, y) in pos.items():
        if y in (160, 840):
            a.rrect(x - 34, y - 24, 68, 48, 10, fill='control')
        else:
            a.rrect(x - 24, y - 34, 48, 68, 10, fill='control')
    rockers = {'sym': (840, 160, 21), 'con': (840, 840, 23), 'brt': (160, 840, 25), 'gain': (160, 160, 27)}
    for x, y, _ in rockers.values():
        a.rrect(x - 26, y - 46, 52, 92, 16, fill='body2')
        a.line([(x - 18, y), (x + 18, y)], stroke=2)
    items = [C('osb%d' % b, 'OSB %d' % b, ['button:%d' % b], xy) for b, xy in pos.items()]
    for rid, (x, y, first) in rockers.items():
        items.append(C(rid, '%s rocker' % rid.upper(), ['button:%d' % first, 'button:%d' % (first + 1)],
                       (x, y), tags=['up', 'down']))
    half = len(items) // 2
    cs, gs = layout(dev_id, xf, cols2(items[:half], items[half:]), pitch=72)
    return dict(id=dev_id, name='Thrustmaster Cougar MFD %d' % n, kind='throttle', side=side,
                usb=['044F:%s' % ('B351' if n == 1 else 'B352')],
                games={'msfs2020': ['F16 MFD %d' % n], 'dcs': ['F16 MFD %d' % n],
                       'starcitizen': ['F16 MFD %d' % n], 'il2': ['F16 MFD %d' % n],
                       'bms': ['F16 MFD %d' % n], 'squadrons': ['F16 MFD %d' % n],
                       'elite': ['044FB35%d' % n]},
                notes='Windows names the pair "F16 MFD 1" (044F:B351) and "F16 MFD 2" (044F:B352); MFD 1 '
                      'is usually the left one. Elite writes them as hex VID+PID. Buttons 1-20 run clockwise '
                      'from the top-left; rockers 21/22 SYM, 23/24 CON, 25/26 BRT, 27/28 GAIN (up, down), as '
                      'EDRefCard lays out its Cougar MFD sheet.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


def cougar_mfd_left():
    return _cougar_mfd('left')


def cougar_mfd_right():
    return _cougar_mfd('right')


# ---- Saitek / Logitech Pro Flight yoke and quadrant ------------------------------------
def _knob(a, kind, x, y, s=1.0):
    """the three Pro Flight lever knobs: throttle (T bar), propeller (ridged disc), mixture (star)"""
    if kind == 'throttle':
        a.rrect(x - 70 * s, y - 40 * s, 140 * s, 70 * s, 22 * s, fill='dark')
    elif kind == 'prop':
        a.circle(x, y, 46 * s, fill='body2')
        for k in range(8):
            t = math.radians(22.5 + 45 * k)
            a.line([(x + 30 * s * math.cos(t), y + 30 * s * math.sin(t)),
                    (x + 44 * s * math.cos(t), y + 44 * s * math.sin(t))], stroke=2)
    else:
        pts = []
        for k in range(12):
            r = (48 if k % 2 == 0 else 30) * s
            t = math.radians(-90 + 30 * k)
            pts.append((x + r * math.cos(t), y + r * math.sin(t)))
        a.path([('M',) + pts[0]] + [('L',) + p for p in pts[1:]] + [('Z',)], fill='control')


def _quadrant(a, x0, y0, s=1.0):
    """a three-lever quadrant in a 900x760 box at (x0, y0); returns lever, rocker and slot points"""
    def P(x, y): return (x0 + x * s, y0 + y * s)
    a.rrect(*P(40, 420), 820 * s, 330 * s, 40 * s, fill='body2')
    a.rrect(*P(90, 390), 720 * s, 70 * s, 24 * s, fill='body')
    levers, rockers, slots = [], [], []
    for i, (lx, kind) in enumerate(((230, 'throttle'), (450, 'prop'), (670, 'mixture'))):
        a.rrect(*P(lx - 12, 440), 24 * s, 20 * s, 6 * s, fill='dark')            # slot
        a.rrect(*P(lx - 14, 150), 28 * s, 290 * s, 10 * s, fill='body')          # lever arm
        _knob(a, kind, *P(lx, 130), s=s)
        a.rrect(*P(lx - 26, 560), 52 * s, 120 * s, 14 * s, fill='control')      # rocker
        a.line([P(lx - 18, 620), P(lx + 18, 620)], stroke=2)
        levers.append(P(lx, 300)); rockers.append(P(lx, 620)); slots.append(P(lx, 450))
    return levers, rockers, slots


# 06A3:0C2D is the Saitek quadrant (usb.ids, linux-hardware probes, Elite's "06A30C2D").
QUADRANT_USB = ['06A3:0C2D', '046D:C25A']


def saitek_quadrant():
    xf = Xf(900, 760, *ART_M); a = Art(xf)
    levers, rockers, slots = _quadrant(a, 0, 0)
    items = []
    for i, ax in enumerate(('x', 'y', 'z')):
        items.append(AX(ax, 'Lever %d (%s)' % (i + 1, ax.upper()), levers[i]))
        items.append(C('r%d' % (i + 1), 'Rocker %d' % (i + 1), ['button:%d' % (2 * i + 1), 'button:%d' % (2 * i + 2)],
                       rockers[i], tags=['up', 'down']))
        items.append(C('det%d' % (i + 1), 'Lever %d pulled past the detent' % (i + 1), ['button:%d' % (7 + i)],
                       slots[i]))
    cs, gs = layout('saitek-throttle-quadrant', xf, cols2(items[:5], items[5:]), pitch=72)
    return dict(id='saitek-throttle-quadrant', name='Saitek / Logitech Pro Flight Throttle Quadrant',
                kind='throttle', usb=QUADRANT_USB,
                games={'elite': ['SaitekProFlightQuadrant'],
                       'msfs2020': ['Saitek Pro Flight Quadrant', 'Pro Flight Quadrant',
                                    'Logitech Pro Flight Throttle Quadrant'],
                       'dcs': ['Saitek Pro Flight Quadrant', 'Pro Flight Quadrant'],
                       'starcitizen': ['Saitek Pro Flight Quadrant'], 'il2': ['Saitek Pro Flight Quadrant'],
                       'bms': ['Saitek Pro Flight Quadrant'], 'squadrons': ['Saitek Pro Flight Quadrant']},
                notes='06A3:0C2D (usb.ids "Pro Flight Quadrant"; Elite writes it as 06A30C2D, which EDRefCard '
                      'files under a CH quadrant); 046D:C25A is the Logitech G-branded quadrant. Levers X, Y, Z left to right; rockers 1/2, 3/4, 5/6 (up, down); '
                      'buttons 7-9 close when a lever is pulled back past its detent. Several quadrants are '
                      'often used at once: each gets its own card.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


def saitek_yoke():
    xf = Xf(1300, 1020, *ART_M); a = Art(xf)
    # the yoke seen from the seat: two horns on a hub, the shaft into the desk clamp behind it,
    # and the quadrant that plugs into the yoke
    a.rrect(380, 560, 380, 200, 36, fill='body2')                     # clamp housing
    a.rrect(520, 470, 100, 110, 20, fill='body')                      # shaft
    a.rrect(150, 320, 840, 110, 50, fill='body')                      # cross arms
    for gx in (90, 930):
        a.rrect(gx, 150, 130, 470, 60, fill='body')                   # horns
    a.rrect(360, 250, 420, 250, 60, fill='body')                      # hub
    a.rrect(430, 285, 280, 95, 12, fill='body2')                      # clock display
    for bx in (490, 570, 650):
        a.circle(bx, 430, 16)                                         # function, start/stop, reset
    a.circle(570, 200, 34, fill='body2'); a.line([(570, 200), (570, 172)], stroke=4)  # mode selector
    a.hat(155, 215, 40, 8)                                            # POV hat, left horn
    a.circle(155, 320, 22)                                            # D button
    a.rrect(84, 400, 24, 90, 8, fill='control')                       # E trigger (behind the horn)
    for (rx, ry) in ((995, 220), (995, 340)):                         # A and B rockers, right horn
        a.rrect(rx - 24, ry - 44, 48, 88, 14, fill='control'); a.line([(rx - 16, ry), (rx + 16, ry)], stroke=2)
    a.rrect(382, 290, 34, 86, 12, fill='control'); a.line([(386, 333), (412, 333)], stroke=2)  # C rocker
    levers, _, _ = _quadrant(a, 820, 640, 0.5)
    items = [POV(1, 'pov', 'Hat (POV 1)', (155, 215)),
             C('e', 'E trigger', ['button:1'], (96, 445)),
             C('d', 'D button', ['button:2'], (155, 320)),
             C('a', 'A rocker', ['button:3', 'button:4'], (995, 220), tags=['A1', 'A2']),
             C('b', 'B rocker', ['button:5', 'button:6'], (995, 340), tags=['B1', 'B2']),
             C('c', 'C rocker', ['button:7', 'button:8'], (399, 333), tags=['C1', 'C2']),
             C('mode', 'Mode selector', ['button:9', 'button:10', 'button:11'], (570, 200),
               tags=['M1', 'M2', 'M3']),
             C('clock', 'Clock: function / start-stop / reset', ['button:12', 'button:13', 'button:14'], (570, 430),
               tags=['fn', 'start', 'reset']),
             AX('x', 'Roll (X)', (990, 560)), AX('y', 'Pitch (Y)', (570, 520)),
             AX('z', 'Quadrant lever 1 (Z)', (levers[0][0], levers[0][1] - 70)),
             AX('rx', 'Quadrant lever 2 (RX)', levers[1]),
             AX('ry', 'Quadrant lever 3 (RY)', (levers[2][0], levers[2][1] + 50))]
    cs, gs = layout('saitek-yoke', xf, cols2(items[:7], items[7:]), pitch=68)
    return dict(id='saitek-yoke', name='Saitek / Logitech Pro Flight Yoke', kind='stick',
                usb=['06A3:0BAC', '046D:C259'],
                games={'elite': ['SaitekProFlightYoke'],
                       'msfs2020': ['Saitek Pro Flight Yoke', 'Logitech Pro Flight Yoke', 'Pro Flight Yoke'],
                       'dcs': ['Saitek Pro Flight Yoke', 'Pro Flight Yoke'],
                       'starcitizen': ['Saitek Pro Flight Yoke'], 'il2': ['Saitek Pro Flight Yoke'],
                       'bms': ['Saitek Pro Flight Yoke'], 'squadrons': ['Saitek Pro Flight Yoke']},
                notes='06A3:0BAC (usb.ids "Pro Flight Yoke"); 046D:C259 is the Logitech G Flight Yoke System. '
                      'The quadrant that comes with it plugs into the yoke, so its three levers are the yoke\'s '
                      'Z, RX and RY axes. Buttons as Linux lists them in HID order: 1 E, 2 D, 3/4 A, 5/6 B, '
                      '7/8 C, 9-11 mode, 12-14 clock. Where each sits on the horns follows the manual\'s diagram '
                      'from memory: verify.',
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


# ---- Honeycomb -------------------------------------------------------------------------
def _toggle(a, x, y):
    """a bat-handle toggle seen from the front, lever up; (x, y) is its pivot"""
    a.rrect(x - 22, y - 22, 44, 44, 8, fill='body2')
    a.line([(x, y), (x, y - 56)], stroke=7)
    a.circle(x, y - 56, 11, fill='dark')


def _rocker(a, x, y, w=40, h=80):
    a.rrect(x - w / 2, y - h / 2, w, h, 10, fill='control')
    a.line([(x - w / 2 + 6, y), (x + w / 2 - 6, y)], stroke=2)


def honeycomb_alpha():
    xf = Xf(1400, 1000, *ART_M); a = Art(xf)
    # the yoke on its shaft over the switch panel of the base
    a.rrect(120, 600, 1160, 340, 40, fill='body2')
    a.rrect(640, 480, 120, 140, 20, fill='body')                       # shaft
    a.path([('M', 300, 330), ('C', 420, 300, 980, 300, 1100, 330), ('L', 1100, 450),
            ('C', 980, 420, 420, 420, 300, 450), ('Z',)], fill='body')  # crossbar
    for gx in (170, 1100):
        a.rrect(gx, 120, 130, 450, 60, fill='body')                    # horns
    a.rrect(520, 300, 360, 200, 60, fill='body')                       # hub
    a.ellipse(700, 400, 90, 50, fill='body2')
    # left horn: hat, white button, two trim rockers, trigger behind
    a.hat(235, 195, 40, 8)
    a.circle(235, 290, 20)
    _rocker(a, 210, 385, 30, 64); _rocker(a, 262, 385, 30, 64)
    a.rrect(163, 460, 22, 90, 8, fill='control')
    # right horn: white and red buttons, two rockers
    a.circle(1165, 195, 20)
    a.circle(1165, 275, 22, fill='dark')
    for ry in (365, 425):                                                # two side-to-side rockers
        a.rrect(1133, ry - 16, 64, 32, 10, fill='control'); a.line([(1165, ry - 10), (1165, ry + 10)], stroke=2)
    # base, left to right as in a light aircraft: magneto key, master ALT/BAT, avionics 1/2, lights
    mag = (250, 780)
    masters = [(410, 780), (476, 780), (590, 780), (656, 780)]
    lights = [(780 + 105 * i, 810) for i in range(5)]
    for x, y in masters:
        _rocker(a, x, y, 56, 96)
    for x, y in lights:
        _toggle(a, x, y)
    a.circle(*mag, 80, fill='body'); a.circle(*mag, 44, fill='control')
    a.rrect(mag[0] - 10, mag[1] - 60, 20, 120, 8, fill='dark')         # key
    m = ['alt', 'bat', 'av1', 'av2']
    mn = ['Master ALT', 'Master BAT', 'Avionics bus 1', 'Avionics bus 2']
    ln = ['BCN', 'LAND', 'TAXI', 'NAV', 'STROBE']
    items = [POV(1, 'pov', 'Hat (POV 1)', (235, 195)),
             C('trig', 'Left trigger', ['button:1'], (174, 505)),
             C('lwhite', 'Left white button', ['button:2'], (235, 290)),
             C('rwhite', 'Right white button', ['button:3'], (1165, 195)),
             C('red', 'Right red button', ['button:4'], (1165, 275)),
             C('ltrim1', 'Left horn rocker, outer', ['button:5', 'button:6'], (210, 385), tags=['lower', 'upper']),
             C('ltrim2', 'Left horn rocker, inner', ['button:7', 'button:8'], (262, 385), tags=['lower', 'upper']),
             C('rtrim1', 'Right horn rocker, upper', ['button:9', 'button:10'], (1165, 365), tags=['left', 'right']),
             C('rtrim2', 'Right horn rocker, lower', ['button:11', 'button:12'], (1165, 425), tags=['left', 'right']),
             AX('x', 'Roll (X)', (880, 330)), AX('y', 'Pitch (Y)', (700, 560))]
    for i, (x, y) in enumerate(masters):
        items.append(C(m[i], mn[i], ['button:%d' % (13 + 2 * i), 'button:%d' % (14 + 2 * i)], (x, y), tags=['on', 'off']))
    for i, (x, y) in enumerate(lights):
        items.append(C(ln[i].lower(), '%s light' % ln[i], ['button:%d' % (21 + 2 * i), 'button:%d' % (22 + 2 * i)],
                       (x, y - 56), tags=['on', 'off']))
    items.append(C('mags', 'Magneto switch', ['button:%d' % b for b in range(31, 36)], mag,
                   tags=['OFF', 'R', 'L', 'BOTH', 'START']))
    cs, gs = layout('honeycomb-alpha', xf, cols4(items[:6], items[6:11], items[11:16], items[16:]), pitch=64)
    return dict(id='honeycomb-alpha', name='Honeycomb Alpha Flight Controls (yoke)', kind='stick',
                usb=['294B:1900'],
                games={'elite': ['294B1900'], 'msfs2020': ['Alpha Flight Controls', 'Honeycomb Alpha Flight Controls'],
                       'dcs': ['Alpha Flight Controls'], 'starcitizen': ['Alpha Flight Controls'],
                       'il2': ['Alpha Flight Controls'], 'bms': ['Alpha Flight Controls'],
                       'squadrons': ['Alpha Flight Controls']},
                notes='294B:1900, product string "Alpha Flight Controls". Buttons 1 left trigger, 2 left white, '
                      '3 right white, 4 right red, 5-8 left horn rockers (lower, upper), 9-12 right horn rockers '
                      '(left, right; MSFS\'s default profile trims the rudder left on 9 and 11), 13-20 master '
                      'ALT/BAT and avionics (on, off), 21-30 BCN LAND TAXI NAV STROBE (on, off), 31-35 magneto '
                      'OFF R L BOTH START; the hat is POV 1 (numbering as in Blake Buhlig\'s alpha.py, 0-based there).',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)


def honeycomb_bravo():
    xf = Xf(1400, 1000, *ART_M); a = Art(xf)
    a.rrect(100, 130, 1200, 230, 30, fill='body')                      # autopilot panel
    a.rrect(100, 360, 1200, 420, 30, fill='body2')                     # lever deck
    a.rrect(100, 780, 1200, 170, 30, fill='body')                      # switch row
    a.rrect(820, 160, 440, 56, 10, fill='body2')                       # annunciators
    for k in range(8):
        a.line([(820 + 55 * k, 166), (820 + 55 * k, 210)], stroke=1)
    a.circle(190, 270, 52, fill='body2'); a.line([(190, 270), (160, 232)], stroke=5)   # mode selector
    a.circle(320, 270, 40, fill='control'); a.circle(320, 270, 16, fill='body2')       # encoder
    ap = ['HDG', 'NAV', 'APR', 'REV', 'ALT', 'VS', 'IAS']
    apx = [420 + 80 * i for i in range(7)]
    for x in apx:
        a.rrect(x - 30, 250, 60, 44, 8, fill='control')
    a.rrect(1000, 240, 190, 64, 12, fill='control')                    # AUTOPILOT
    # six levers in the gate, gear lever left, flaps lever and trim wheel
    lx = [480 + 80 * i for i in range(6)]
    for x in lx:
        a.rrect(x - 10, 560, 20, 190, 6, fill='dark')                  # slot
        a.rrect(x - 14, 470, 28, 210, 10, fill='body')                 # arm
        a.rrect(x - 34, 420, 68, 60, 18, fill='control')               # knob
    a.rrect(210, 440, 24, 280, 10, fill='dark')                        # gear slot
    a.rrect(206, 440, 32, 150, 12, fill='body')
    a.circle(222, 430, 40, fill='control')                             # gear wheel knob
    a.ellipse(360, 580, 28, 130, fill='body')                          # trim wheel
    for k in range(-4, 5):
        a.line([(336, 580 + 26 * k), (384, 580 + 26 * k)], stroke=1.2)
    a.rrect(1120, 420, 24, 300, 10, fill='dark')                       # flaps slot
    a.rrect(1090, 460, 84, 50, 10, fill='control')                     # flap-shaped handle
    sw = [420 + 120 * i for i in range(7)]
    for x in sw:
        _toggle(a, x, 900)
    items = [C(n.lower(), '%s button' % n, ['button:%d' % (i + 1)], (apx[i], 272)) for i, n in enumerate(ap)]
    items += [C('ap', 'AUTOPILOT button', ['button:8'], (1095, 272)),
              C('sel', 'Mode selector', ['button:%d' % b for b in range(17, 22)], (190, 270),
                tags=['IAS', 'CRS', 'HDG', 'VS', 'ALT']),
              C('enc', 'Value encoder', ['button:13', 'button:14'], (320, 270), tags=['+', '-']),
              C('gear', 'Gear lever', ['button:31', 'button:32'], (222, 430), tags=['up', 'down']),
              C('trim', 'Trim wheel', ['button:22', 'button:23'], (360, 580), tags=['nose dn', 'nose up']),
              C('flaps', 'Flaps lever', ['button:15', 'button:16'], (1132, 485), tags=['down', 'up']),
              C('reverse', 'Levers pulled into reverse', ['button:%d' % b for b in (24, 25, 26, 27, 28, 33)],
                (lx[3], 740), tags=['L1', 'L2', 'L3', 'L4', 'L5', 'L6'])]
    for i, ax in enumerate(('y', 'x', 'rz', 'ry', 'rx', 'z')):
        # anchors step down toward the middle so the leaders of the six levers fan out
        items.append(AX(ax, 'Lever %d (%s)' % (i + 1, ax.upper()), (lx[i], 450 + 45 * min(i, 5 - i))))
    for i, x in enumerate(sw):
        items.append(C('sw%d' % (i + 1), 'Switch %d' % (i + 1), ['button:%d' % (34 + 2 * i), 'button:%d' % (35 + 2 * i)],
                       (x, 844), tags=['up', 'down']))
    q = len(items) // 4
    cs, gs = layout('honeycomb-bravo', xf, cols4(items[:q], items[q:2 * q], items[2 * q:3 * q], items[3 * q:]), pitch=60)
    return dict(id='honeycomb-bravo', name='Honeycomb Bravo Throttle Quadrant', kind='throttle', usb=['294B:1901'],
                games={'elite': ['294B1901'], 'msfs2020': ['Bravo Throttle Quadrant', 'Honeycomb Bravo Throttle Quadrant'],
                       'dcs': ['Bravo Throttle Quadrant'], 'starcitizen': ['Bravo Throttle Quadrant'],
                       'il2': ['Bravo Throttle Quadrant'], 'bms': ['Bravo Throttle Quadrant'],
                       'squadrons': ['Bravo Throttle Quadrant']},
                notes='294B:1901 "Bravo Throttle Quadrant" (DCS ships a default assignment under that name). '
                      'Buttons 1-7 HDG NAV APR REV ALT VS IAS, 8 AUTOPILOT, 13/14 encoder, 15/16 flaps, 17-21 '
                      'selector, 22/23 trim, 24-28 and 33 the levers\' reverse positions, 31/32 gear, 34-47 the '
                      'seven switches (up, down); levers 1-6 are Y, X, RZ, RY, RX, Z (published maps: '
                      'adilinden-oss/MobiFlight-Profiles). Buttons 9-12, 29, 30 and 48 (airliner lever buttons) '
                      'are listed under "also bound".',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)


# ---- Saitek side panel (Side Panel Control Deck) --------------------------------------
def saitek_side_panel():
    xf = Xf(800, 1000, *ART_M); a = Art(xf)
    a.path([('M', 130, 60), ('L', 670, 60), ('C', 720, 60, 740, 90, 740, 140), ('L', 740, 760), ('L', 620, 960),
            ('L', 180, 960), ('L', 60, 760), ('L', 60, 140), ('C', 60, 90, 80, 60, 130, 60), ('Z',)], fill='body')
    a.rrect(90, 90, 620, 200, 20, fill='body2')                          # buttons 1-10
    top = {1: (150, 150), 2: (250, 150), 3: (350, 150), 4: (520, 150), 5: (620, 150),
           6: (150, 235), 7: (250, 235), 8: (350, 235), 9: (520, 235), 10: (620, 235)}
    a.line([(435, 110), (435, 270)], stroke=2)
    a.rrect(90, 310, 370, 200, 20, fill='body2')                         # 11-16
    a.rrect(480, 310, 230, 200, 20, fill='body2')                        # 17-20
    mid = {11: (160, 365), 13: (275, 365), 15: (390, 365), 12: (160, 455), 14: (275, 455), 16: (390, 455)}
    sq = {17: (545, 365), 18: (645, 365), 19: (545, 455), 20: (645, 455)}
    for b, (x, y) in list(top.items()) + list(mid.items()):
        a.circle(x, y, 28)
    for b, (x, y) in sq.items():
        a.rrect(x - 28, y - 32, 56, 64, 8, fill='control')
    a.rrect(260, 540, 280, 60, 14, fill='control')                       # 21, the wide bar
    a.rrect(110, 640, 70, 150, 20, fill='body2'); a.rrect(128, 660, 34, 110, 12, fill='control')  # wheel
    for k in range(5):
        a.line([(132, 672 + 22 * k), (158, 672 + 22 * k)], stroke=1.2)
    right = {22: (660, 650), 23: (660, 705), 24: (660, 760)}
    for b, (x, y) in right.items():
        a.rrect(x - 30, y - 20, 60, 40, 8, fill='control')
    a.circle(400, 760, 130, fill='body2')                                # stick boot
    a.circle(400, 740, 60, fill='body'); a.circle(400, 700, 32, fill='dark')  # stick and red button
    # buttons in rows share a callout (one line per button); the stick's two modes share one per motion
    rows = [('top_a', 'Buttons 1 · 2 · 3', (1, 2, 3)), ('top_b', 'Buttons 4 · 5', (4, 5)),
            ('top_c', 'Buttons 6 · 7 · 8', (6, 7, 8)), ('top_d', 'Buttons 9 · 10', (9, 10)),
            ('mid_a', 'Buttons 11 · 13 · 15', (11, 13, 15)), ('mid_b', 'Buttons 12 · 14 · 16', (12, 14, 16)),
            ('sq_a', 'Buttons 17 · 18', (17, 18)), ('sq_b', 'Buttons 19 · 20', (19, 20)),
            ('col', 'Buttons 22 · 23 · 24', (22, 23, 24))]
    at = dict(list(top.items()) + list(mid.items()) + list(sq.items()) + list(right.items()))
    items = []
    for rid, label, bs in rows:
        xs = [at[b][0] for b in bs]; ys = [at[b][1] for b in bs]
        anchor = (sum(xs) / len(xs), sum(ys) / len(ys))
        if len(bs) == 3 and rid != 'col':
            anchor = at[bs[1]]
        items.append(C(rid, label, ['button:%d' % b for b in bs], anchor, tags=[str(b) for b in bs]))
    items += [C('b21', 'Bar button 21', ['button:21'], (400, 570)),
              C('wheel', 'Scroll wheel', ['button:26', 'button:27', 'button:25'], (145, 715), tags=['up', 'down', 'push']),
              C('red', 'Stick red button', ['button:28'], (400, 700)),
              C('sx', 'Stick left-right', ['axis:x', 'axis:rx'], (340, 750), tags=['mode 1', 'mode 2']),
              C('sy', 'Stick fore-aft', ['axis:y', 'axis:ry'], (400, 800), tags=['mode 1', 'mode 2']),
              C('sz', 'Stick twist', ['axis:z', 'axis:rz'], (460, 750), tags=['mode 1', 'mode 2'])]
    cs, gs = layout('saitek-side-panel', xf, cols2(items[:8], items[8:]), pitch=68)
    return dict(id='saitek-side-panel', name='Saitek Side Panel Control Deck', kind='throttle', usb=['0738:2218'],
                games={'elite': ['SidePanelControlDeck'],
                       'msfs2020': ['Saitek Side Panel Control Deck', 'Side Panel Control Deck'],
                       'dcs': ['Saitek Side Panel Control Deck', 'Side Panel Control Deck'],
                       'starcitizen': ['Saitek Side Panel Control Deck'], 'il2': ['Saitek Side Panel Control Deck'],
                       'bms': ['Saitek Side Panel Control Deck'], 'squadrons': ['Saitek Side Panel Control Deck']},
                notes='0738:2218 (Mad Catz vendor id), which Elite writes as 07382218. Buttons and axes as on '
                      'EDRefCard\'s sheet for it: 1-20 the button blocks, 21 the wide bar, 22-24 the small column, '
                      '25 wheel push with 26/27 up and down, 28 the stick\'s red button; the stick gives X, Y, Z '
                      'in mode 1 and RX, RY, RZ in mode 2.',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)


# ---- WinWing Orion 2 throttle with F/A-18 handles ---------------------------------------
def winwing_orion2_f18():
    xf = Xf(1240, 1000, *ART_M); a = Art(xf)
    # two F/A-18 handles side by side on their levers, over a base carrying the switch panel
    a.path([('M', 20, 950), ('L', 20, 560), ('C', 20, 500, 70, 470, 140, 470), ('L', 1100, 470),
            ('C', 1170, 470, 1220, 500, 1220, 560), ('L', 1220, 950), ('Z',)], fill='body2')
    a.rrect(400, 490, 440, 50, 20, fill='dark')                         # lever gate
    for hx, lean in ((520, -1), (720, 1)):
        a.path([('M', hx - 28, 515), ('L', hx - 40, 380), ('L', hx + 40, 380), ('L', hx + 28, 515), ('Z',)], fill='body')
        a.path([('M', hx - 80, 400), ('C', hx - 100, 300, hx - 90 + 10 * lean, 170, hx - 30 + 20 * lean, 130),
                ('C', hx + 10 + 20 * lean, 105, hx + 80 + 10 * lean, 130, hx + 85, 200),
                ('C', hx + 92, 280, hx + 90, 350, hx + 80, 400), ('Z',)], fill='body')   # grip
        a.hat(hx + 5 * lean, 200, 24, 4)
        a.circle(hx + 40 * lean, 290, 13); a.circle(hx - 30 * lean, 310, 13)
    # base panel: left block (launch bar, hook, wing fold, gear lever), right block (arm, jettison, knobs)
    pts = {'lbar': (100, 640), 'hook': (190, 640), 'pbrk': (100, 800), 'flap': (190, 800)}
    for x, y in pts.values():
        _toggle(a, x, y + 40)
    a.circle(290, 720, 34, fill='body'); a.line([(290, 720), (290, 690)], stroke=5)           # wing fold
    a.rrect(340, 800, 26, 130, 8, fill='dark'); a.circle(353, 800, 30, fill='control')       # gear lever
    right = {'marm': (960, 640), 'roll': (1050, 640), 'pitch': (1140, 640)}
    for x, y in right.values():
        _toggle(a, x, y + 40)
    a.rrect(940, 730, 90, 54, 10, fill='control')                                            # jettison
    a.rrect(1070, 730, 80, 54, 10, fill='control')                                           # ADV MODE
    knobs = {'hmd': (960, 880), 'hdg': (1060, 880), 'crs': (1160, 880), 'lts': (440, 880)}
    for x, y in knobs.values():
        a.circle(x, y, 32, fill='body'); a.circle(x, y, 13, fill='control')
    for bx in (500, 620, 740):
        a.rrect(bx - 50, 640, 100, 40, 8, fill='control')                                    # A/G, A/A
    a.ellipse(560, 780, 70, 24, fill='body'); a.ellipse(760, 780, 70, 24, fill='body')       # slider and dial wheels
    items = [AX('ry', 'Left lever (RY)', (520, 450)), AX('rx', 'Right lever (RX)', (720, 450)),
             C('lbar', 'LAUNCH BAR', ['button:65', 'button:66'], (100, 624), tags=['ret', 'ext']),
             C('hook', 'HOOK', ['button:67', 'button:68'], (190, 624), tags=['up', 'down']),
             C('wfold', 'WING FOLD', ['button:69', 'button:70', 'button:71', 'button:72'], (290, 720),
               tags=['fold', 'hold', 'spread', 'push']),
             C('gear', 'Gear lever', ['button:73', 'button:74'], (353, 800), tags=['up', 'down']),
             C('pbrk', 'Parking brake', ['button:75', 'button:76'], (100, 784), tags=['on', 'off']),
             C('flap', 'FLAP switch', ['button:77', 'button:78', 'button:79'], (190, 784), tags=['auto', 'half', 'full']),
             C('aga', 'Buttons, A/G, A/A', ['button:80', 'button:81', 'button:82'], (620, 660), tags=['btn', 'A/G', 'A/A']),
             C('hmd', 'HMD knob', ['button:83', 'button:84', 'button:85'], knobs['hmd'], tags=['-', '+', 'push']),
             C('roll', 'ROLL switch', ['button:86', 'button:87', 'button:88'], (1050, 624), tags=['up', 'mid', 'down']),
             C('pitch', 'PITCH switch', ['button:89', 'button:90', 'button:91'], (1140, 624), tags=['up', 'mid', 'down']),
             C('adv', 'ADV MODE', ['button:92'], (1110, 757)),
             C('marm', 'MASTER ARM', ['button:93', 'button:94', 'button:95'], (960, 624), tags=['arm', 'safe', '3']),
             C('jett', 'Emergency jettison', ['button:96'], (985, 757)),
             C('hdg', 'HDG knob', ['button:97', 'button:98', 'button:99'], knobs['hdg'], tags=['-', '+', 'push']),
             C('crs', 'CRS knob', ['button:100', 'button:101', 'button:102'], knobs['crs'], tags=['-', '+', 'push']),
             C('lts', 'Panel lights knob', ['button:103', 'button:104', 'button:105'], knobs['lts'], tags=['-', '+', 'push']),
             AX('slider1', 'Slider wheel', (560, 780)), AX('slider2', 'Dial wheel', (760, 780))]
    q = len(items) // 4
    cs, gs = layout('winwing-orion2-f18-throttle', xf, cols4(items[:q], items[q:2 * q], items[2 * q:3 * q], items[3 * q:]),
                    pitch=60)
    return dict(id='winwing-orion2-f18-throttle', name='WinWing Orion 2 Throttle (F/A-18 handles)', kind='throttle',
                usb=['4098:BE62'],
                games={'elite': ['4098BE62'],
                       'msfs2020': ['WINWING THROTTLE BASE2 + F18 HANDLE', 'WINWING Orion Throttle Base II + F18 HANDLE'],
                       'dcs': ['WINWING THROTTLE BASE2 + F18 HANDLE', 'WINWING Orion Throttle Base II + F18 HANDLE'],
                       'starcitizen': ['WINWING THROTTLE BASE2 + F18 HANDLE'],
                       'il2': ['WINWING THROTTLE BASE2 + F18 HANDLE'], 'bms': ['WINWING THROTTLE BASE2 + F18 HANDLE'],
                       'squadrons': ['WINWING THROTTLE BASE2 + F18 HANDLE']},
                notes='4098:BE62 "Orion Throttle Base II + F18 HANDLE"; Windows reports 8 axes and 111 buttons. '
                      'Levers: left RY, right RX (DCS\'s own default assignment). The base panel\'s switches are '
                      'buttons 65-111 whatever handles are fitted (a player\'s Joystick Gremlin script for this '
                      'device reads the gear on 74 and master arm on 93); the F/A-18 handles\' own buttons (1-64) '
                      'and their TDC axes are not mapped here and are listed under "also bound".',
                extras=EXTRAS4, art=a.shapes, groups=gs, callouts=cs)


# ---- Thrustmaster TCA Sidestick Airbus Edition ------------------------------------------
# MSFS's own default profile for "T.A320 Pilot" (ProductID 0405) binds X ailerons, Y elevator,
# Rotation Z rudder, Slider X throttle, Button4 autopilot master (the red takeover button), Button1
# smart camera (the trigger), Buttons 2/3 views (the head buttons) and the base buttons 5-16 (flaps
# 5/10, trim 6/9, brakes 7, gear 8, spoilers 13, parking brake 14). The base is the T.16000M's:
# two blocks of six, numbered as on the t16000m layout.
def _tca_sidestick(role):
    pid = '0405' if role == 'pilot' else '0406'
    win = 'T.A320 Pilot' if role == 'pilot' else 'T.A320 Copilot'
    dev_id = 'tca-sidestick-%s' % role
    xf = Xf(1000, 1100, *ART_M); a = Art(xf)
    a.path([('M', 90, 1080), ('L', 150, 830), ('C', 160, 790, 200, 770, 250, 770), ('L', 750, 770),
            ('C', 800, 770, 840, 790, 850, 830), ('L', 910, 1080), ('Z',)], fill='body2')       # base
    a.rrect(420, 700, 160, 110, 30, fill='body')                                             # boot
    a.path([('M', 440, 720), ('C', 430, 600, 400, 520, 390, 420), ('C', 380, 300, 400, 210, 500, 200),
            ('C', 600, 210, 620, 300, 610, 420), ('C', 600, 520, 570, 600, 560, 720), ('Z',)], fill='body')  # grip
    a.rrect(375, 380, 26, 90, 10, fill='control')                                            # trigger (front)
    a.hat(500, 255, 34, 8)
    a.circle(440, 320, 16); a.circle(560, 320, 16)                                           # head buttons 2, 3
    a.circle(600, 430, 20, fill='dark')                                                      # red takeover button
    a.rrect(860, 850, 40, 150, 14, fill='control')                                           # throttle lever
    t, b = 880, 950
    bl = [(230, t), (290, t), (350, t), (350, b), (290, b), (230, b)]
    br = [(650, t), (710, t), (770, t), (770, b), (710, b), (650, b)]
    for x, y in bl + br:
        a.circle(x, y, 17)
    items = [POV(1, 'hat', 'Hat 8-way', (500, 255)),
             C('b1', 'Trigger', ['button:1'], (388, 425)),
             C('b2', 'Head button left', ['button:2'], (440, 320)),
             C('b3', 'Head button right', ['button:3'], (560, 320)),
             C('b4', 'Red takeover button', ['button:4'], (600, 430)),
             AX('x', 'Roll (X)', (470, 760)), AX('y', 'Pitch (Y)', (530, 760)), AX('rz', 'Twist (RZ)', (500, 205)),
             AX('slider1', 'Throttle lever (slider)', (880, 925))]
    items += [C('b%d' % (5 + i), 'Base left, button %d' % (5 + i), ['button:%d' % (5 + i)], p) for i, p in enumerate(bl)]
    items += [C('b%d' % (11 + i), 'Base right, button %d' % (11 + i), ['button:%d' % (11 + i)], p)
              for i, p in enumerate(br)]
    cs, gs = layout(dev_id, xf, cols2(items[:10], items[10:]), pitch=62)
    return dict(id=dev_id, name='Thrustmaster TCA Sidestick Airbus Edition (%s)' % role.capitalize(), kind='stick',
                usb=['044F:%s' % pid],
                games={'elite': ['044F%s' % pid], 'msfs2020': [win], 'dcs': [win], 'starcitizen': [win],
                       'il2': [win], 'bms': [win], 'squadrons': [win]},
                notes='044F:%s, Windows name "%s" (the Pilot and Copilot identities let two sticks be used at '
                      'once). Numbering as MSFS\'s default profile uses it: 1 trigger, 2/3 head buttons, 4 the red '
                      'takeover button, 5-16 the base (T.16000M base), X/Y stick, RZ twist, slider the throttle '
                      'lever. Where each base button sits follows the t16000m layout: verify on a device.'
                      % (pid, win),
                extras=EXTRAS2, art=a.shapes, groups=gs, callouts=cs)


def tca_sidestick_pilot():
    return _tca_sidestick('pilot')


def tca_sidestick_copilot():
    return _tca_sidestick('copilot')


MORE = [dualshock4, dualsense, g940_pedals, saitek_pedals, vkb_t_rudder, cougar_mfd_left, cougar_mfd_right,
        saitek_quadrant, saitek_yoke, honeycomb_alpha, honeycomb_bravo, saitek_side_panel, winwing_orion2_f18,
        tca_sidestick_pilot, tca_sidestick_copilot]
