#!/usr/bin/env python3
"""Derives the linkage engine's Chinese-text tables from Unicode's Unihan database.

Usage: python3 tools/unihan/derive.py UNIHAN_DIR [OUT_DIR]

UNIHAN_DIR holds Unihan_Readings.txt and Unihan_Variants.txt (e.g. Debian's unicode-data 15.0.0:
/usr/share/unicode/). OUT_DIR defaults to src/Zhiwang.Linkage/Data beside this repository.

Writes two UTF-8 text files (see src/Zhiwang.Linkage/Data/LICENSES.md for the format):
  t2s.txt     one line per character: traditional character, then its simplified character
  pinyin.txt  one line per toneless syllable: syllable TAB characters whose most common reading it is
              TAB characters for which it is a further reading
The output is deterministic (sorted), so a re-run over the same Unihan version changes nothing.
"""
import os
import re
import sys
import unicodedata

# Ranges the engine indexes: CJK Extension A, the URO and the compatibility block (BMP only, so a
# character is one UTF-16 code unit and the tables are flat arrays).
HAN_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
SEMANTIC_FOLDS = {"樑": "梁", "週": "周", "裡": "里"}
SYLLABLE = re.compile(r"^[a-z]+$")


def in_han(cp):
    return any(lo <= cp <= hi for lo, hi in HAN_RANGES)


def fields(path):
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not parts[0].startswith("U+"):
                sys.exit(f"{path}:{line_no}: expected 'U+XXXX<TAB>field<TAB>value', got {line!r}")
            yield line_no, int(parts[0][2:], 16), parts[1], parts[2]


def toneless(reading, where):
    # Tone marks are combining accents after NFD; the diaeresis of ü is kept and written 'v'
    # (what pinyin input methods type: lv for 吕), so lü and lu stay different syllables.
    decomposed = unicodedata.normalize("NFD", reading.strip().lower())
    out = []
    for ch in decomposed:
        if ch == "\u0308":
            if not out or out[-1] != "u":
                sys.exit(f"{where}: diaeresis not on u in {reading!r}")
            out[-1] = "v"
        elif unicodedata.combining(ch):
            continue
        else:
            out.append(ch)
    syllable = "".join(out)
    if not SYLLABLE.match(syllable):
        sys.exit(f"{where}: reading {reading!r} does not reduce to a toneless syllable ({syllable!r})")
    return syllable


def dictionary_readings(value):
    # "0117.100:chán 0207.100:dān" or "10056.100:qián,gān" or "1092.070*,1092.071:sóng"
    for entry in value.split():
        _, _, readings = entry.rpartition(":")
        yield from readings.split(",")


def add(seq, item):
    if item not in seq:
        seq.append(item)


def derive_pinyin(readings_path):
    mandarin, modern, hanyu = {}, {}, {}
    for line_no, cp, field, value in fields(readings_path):
        if not in_han(cp):
            continue
        where = f"{readings_path}:{line_no}"
        if field == "kMandarin":
            mandarin[cp] = [toneless(r, where) for r in value.split()]
        elif field in ("kXHC1983", "kTGHZ2013"):
            for r in dictionary_readings(value):
                add(modern.setdefault(cp, []), toneless(r, where))
        elif field == "kHanyuPinyin":
            for r in dictionary_readings(value):
                add(hanyu.setdefault(cp, []), toneless(r, where))

    table = {}
    for cp in sorted(set(mandarin) | set(modern) | set(hanyu)):
        readings = []
        for r in mandarin.get(cp, []):
            add(readings, r)
        # The two modern dictionaries list today's readings (单 dan/shan/chan, 曾 zeng/ceng); the
        # Hanyu Da Zidian adds archaic ones (龍 mang), so it is used only for characters they lack.
        for r in modern.get(cp) or hanyu.get(cp, []):
            add(readings, r)
        table[cp] = readings
    return table


def derive_t2s(variants_path):
    simplified = {}
    for line_no, cp, field, value in fields(variants_path):
        if field != "kSimplifiedVariant" or cp > 0xFFFF:
            continue
        targets = [int(t[2:], 16) for t in value.split()]
        # A character listed among its own simplified variants (乾: 乾 and 干) is also written in
        # simplified text, so folding it would merge distinct words: leave it alone.
        if cp in targets:
            continue
        if targets[0] <= 0xFFFF:
            simplified[cp] = targets[0]

    # Unihan records these only as semantic variants, but mainland conversion tables fold them and
    # departments' records carry them in names and addresses (梁/樑 as surname, 周/週, 里/裡).
    for traditional, simple in SEMANTIC_FOLDS.items():
        simplified.setdefault(ord(traditional), ord(simple))

    # Compatibility ideographs (from legacy Big5/KS X 1001 round trips) fold to their unified form first.
    for cp in range(0xF900, 0xFB00):
        unified = unicodedata.normalize("NFC", chr(cp))
        if unified != chr(cp) and len(unified) == 1 and ord(unified) <= 0xFFFF:
            simplified[cp] = simplified.get(ord(unified), ord(unified))

    # Resolve chains so one lookup gives the final simplified form.
    for cp in list(simplified):
        target, steps = simplified[cp], 0
        while target in simplified and steps < 8:
            target, steps = simplified[target], steps + 1
        simplified[cp] = target
    return simplified


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    unihan = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "Zhiwang.Linkage", "Data")

    pinyin = derive_pinyin(os.path.join(unihan, "Unihan_Readings.txt"))
    t2s = derive_t2s(os.path.join(unihan, "Unihan_Variants.txt"))

    primary, further = {}, {}
    for cp, readings in pinyin.items():
        primary.setdefault(readings[0], []).append(chr(cp))
        for r in readings[1:]:
            further.setdefault(r, []).append(chr(cp))

    with open(os.path.join(out, "pinyin.txt"), "w", encoding="utf-8", newline="\n") as f:
        for syllable in sorted(set(primary) | set(further)):
            f.write(f"{syllable}\t{''.join(primary.get(syllable, []))}\t{''.join(further.get(syllable, []))}\n")
    with open(os.path.join(out, "t2s.txt"), "w", encoding="utf-8", newline="\n") as f:
        for cp in sorted(t2s):
            f.write(f"{chr(cp)}{chr(t2s[cp])}\n")

    polyphones = sum(1 for r in pinyin.values() if len(r) > 1)
    print(f"pinyin.txt: {len(pinyin)} characters ({polyphones} polyphonic), "
          f"{len(set(primary) | set(further))} syllables; t2s.txt: {len(t2s)} characters")


if __name__ == "__main__":
    main()
