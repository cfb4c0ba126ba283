#!/usr/bin/env python3
"""Draws the app icon (512 px) and the tray icon (32 px) as PNGs: a bridge arc over a
deck on two piers, on a teal rounded square. Standard library only; run from anywhere:
    python3 build/make-icons.py
"""
import math
import struct
import zlib
from pathlib import Path

TEAL = (15, 118, 110)
WHITE = (255, 255, 255)


def coverage(size, x, y):
    """Colour of one pixel, with 4x4 supersampling for smooth edges."""
    samples = 4
    acc = [0.0, 0.0, 0.0, 0.0]
    for sy in range(samples):
        for sx in range(samples):
            u = (x + (sx + 0.5) / samples) / size
            v = (y + (sy + 0.5) / samples) / size
            colour = shade(u, v)
            if colour is None:
                continue
            for i in range(3):
                acc[i] += colour[i]
            acc[3] += 255
    n = samples * samples
    if acc[3] == 0:
        return (0, 0, 0, 0)
    covered = acc[3] / 255
    return tuple(int(acc[i] / covered) for i in range(3)) + (int(acc[3] / n),)


def shade(u, v):
    """Colour at (u, v) in 0..1, or None outside the rounded square."""
    r = 0.18
    cx = min(max(u, r), 1 - r)
    cy = min(max(v, r), 1 - r)
    if (u - cx) ** 2 + (v - cy) ** 2 > r * r:
        return None
    # The deck: a horizontal bar.
    if 0.58 <= v <= 0.66 and 0.12 <= u <= 0.88:
        return WHITE
    # The arch: a ring segment above the deck.
    d = math.hypot(u - 0.5, v - 0.74)
    if 0.34 <= d <= 0.41 and v < 0.6:
        return WHITE
    # Hangers between arch and deck.
    for hx in (0.34, 0.42, 0.5, 0.58, 0.66):
        top = 0.74 - math.sqrt(max(0.0, 0.375**2 - (hx - 0.5) ** 2))
        if abs(u - hx) <= 0.016 and top <= v <= 0.6:
            return WHITE
    # Piers under the deck ends: the two sides the bridge joins.
    for px in (0.22, 0.78):
        if abs(u - px) <= 0.045 and 0.6 <= v <= 0.84:
            return WHITE
    return TEAL


def png(size):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(coverage(size, x, y))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    (here / "icon.png").write_bytes(png(512))
    (here / "tray.png").write_bytes(png(32))
    print("wrote", here / "icon.png", "and", here / "tray.png")
