#!/usr/bin/env python3
"""More devices for tools/devgen.py (pedals, yokes, panels, gamepads): each a function returning
the device dict that devgen.emit writes; MORE lists them."""
from devgen import *  # noqa: F401,F403 (Art, Xf, layout, C, AX, POV, ...)

MORE = []
