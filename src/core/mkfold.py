#!/usr/bin/env python3
"""mkfold.py: writes fold_table.h, the letters a name's sort key folds.

A name sorts by its key (qpc_name_key, fold.c): case and accents left
out first, as a dictionary and the locales' collation do (Ålesund among
the A, Łódź among the L).  For each letter of the Latin, Greek and
Cyrillic blocks, and the full-width forms: its compatibility
decomposition without the combining marks, case-folded; the letters that
do not decompose (æ, ø, ł...) by the table below.  Run by `make
fold-table` when Python's Unicode data moves on; the build does not need
Python.
"""
import sys
import unicodedata

BLOCKS = [(0x00A0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x052F),
          (0x1E00, 0x1EFF), (0x1F00, 0x1FFF), (0xFF21, 0xFF5A)]
# letters with no decomposition, as their base letters
OWN = {"æ": "ae", "ø": "o", "ł": "l", "đ": "d", "þ": "th", "œ": "oe",
       "ħ": "h", "ŧ": "t", "ı": "i", "ð": "d", "ŋ": "n", "ĸ": "k",
       "ƀ": "b", "ƒ": "f", "ɨ": "i", "ʉ": "u", "ɍ": "r", "ɏ": "y",
       "ƶ": "z", "ǥ": "g", "ȼ": "c", "ɇ": "e", "ɉ": "j", "ȿ": "s"}


def fold(ch):
    low = ch.lower() if len(ch.lower()) == 1 else ch
    if low in OWN:
        return OWN[low]
    d = unicodedata.normalize("NFKD", ch)
    d = "".join(c for c in d if not unicodedata.combining(c))
    d = d.casefold()
    if len(d) == 1 and d in OWN:
        return OWN[d]
    return d


def main():
    rows = []
    for lo, hi in BLOCKS:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if not unicodedata.category(ch).startswith("L"):
                continue
            to = fold(ch)
            if not to or to == ch or len(to.encode()) > 4:
                continue
            rows.append((cp, to))
    out = sys.stdout
    out.write("/* fold_table.h: made by mkfold.py (Unicode %s); do not edit. */\n"
              % unicodedata.unidata_version)
    out.write("static const struct fold_entry fold_table[] = {\n")
    for cp, to in rows:
        esc, hexed = "", False
        for b in to.encode():
            if 0x20 < b < 0x7F and chr(b) not in '"\\':
                if hexed and chr(b) in "0123456789abcdefABCDEF":
                    esc += '" "'  # a hex escape would take the digit
                esc, hexed = esc + chr(b), False
            else:
                esc, hexed = esc + "\\x%02x" % b, True
        out.write('\t{ 0x%04X, "%s" },\n' % (cp, esc))
    out.write("};\n")


main()
