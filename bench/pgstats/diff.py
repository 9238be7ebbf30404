#!/usr/bin/env python3
"""What happened between two snap.sh snapshots: diff.py BEFORE AFTER [REPORTS]

Prints, largest first, the pages each table and index read from outside shared buffers and found in them, and the
WAL (records, full-page images, bytes, writes, syncs) and background-writer counters. With REPORTS, also per report.
"""
import sys


def load(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        kind, name, *values = line.rstrip("\n").split("|")
        rows[(kind, name)] = [float(v) for v in values]
    return rows


before, after = load(sys.argv[1]), load(sys.argv[2])
reports = float(sys.argv[3]) if len(sys.argv) > 3 else None
changes = []
for key, values in after.items():
    old = before.get(key, [0.0] * len(values))
    changes.append((key, [a - b for a, b in zip(values, old)]))
changes.sort(key=lambda change: -change[1][0])
for (kind, name), delta in changes:
    if any(delta):
        line = f"{kind} {name:<45}" + "".join(f"{d:16,.0f}" for d in delta)
        if reports:
            line += "   per report:" + "".join(f"{d / reports:10.2f}" for d in delta)
        print(line)
