#!/usr/bin/env python3
"""Independent checker for a generated synthetic city (`zhiwang generate --out DIR`).

Python 3.11 standard library only; shares no code with the C# generator. The rules are
re-implemented from the public standards and from docs/SYNTHETIC.md and docs/GEO.md.

    python3 bench/verify/check_city.py DIR          # check DIR, exit 1 if any check fails
    python3 bench/verify/check_city.py --self-test  # assert the public test vectors

Files are read streaming; only the key sets needed for uniqueness and reference checks are
held in memory. Row numbers in failure reports are file line numbers (header = line 1) for
CSV files, record (line) numbers for .txt/.jsonl, and sheet row numbers for .xlsx.
"""

from __future__ import annotations

import csv
import datetime
import json
import operator
import os
import sys
import time
import zipfile
import xml.etree.ElementTree as ET

csv.field_size_limit(1 << 24)

EXAMPLES = int(os.environ.get("CHECK_CITY_EXAMPLES", "5"))  # failures shown per check

# ----------------------------------------------------------------------------------------
# Key algorithms (from the standards)
# ----------------------------------------------------------------------------------------

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i (0-based, 17 body digits) = 2^(17-i) mod 11
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
ID_WEIGHT_SUM_48 = 48 * sum(ID_WEIGHTS)
CHECK_11_2 = "0123456789X"
DIGITS = frozenset("0123456789")


def mod11_2_check(body: str) -> str:
    """Check character over 17 ASCII digits: (12 - sum mod 11) mod 11, 10 -> 'X'."""
    s = sum(map(operator.mul, ID_WEIGHTS, body.encode("ascii"))) - ID_WEIGHT_SUM_48
    return CHECK_11_2[(12 - s % 11) % 11]


def is_digits(s: str) -> bool:
    return s.isascii() and s.isdigit()


# GB 32100-2015 unified social credit code
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
# GB 11714-1997 organisation code
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
# GB 32100 registration authority -> allowed organisation types (code table 1)
USCC_KINDS = {
    "1": set("1239"), "2": set("19"), "3": set("1239"), "4": set("19"), "5": set("1239"),
    "6": set("129"), "7": set("129"), "8": set("19"), "9": set("123"), "A": set("19"),
    "N": set("1239"), "Y": set("1"),
}


def org_check(body8: str) -> str | None:
    try:
        s = sum(w * ORG_VALUE[c] for w, c in zip(ORG_WEIGHTS, body8))
    except KeyError:
        return None
    c = 11 - s % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(body17: str) -> str | None:
    try:
        s = sum(w * USCC_VALUE[c] for w, c in zip(USCC_WEIGHTS, body17))
    except KeyError:
        return None
    c = 31 - s % 31
    return USCC_CHARS[0 if c == 31 else c]


def credit_code_problem(code: str) -> str | None:
    """None if `code` is a valid GB 32100 code, else why not."""
    if len(code) != 18:
        return f"length {len(code)}, not 18"
    bad = [c for c in code if c not in USCC_VALUE]
    if bad:
        return f"character {bad[0]!r} not in the GB 32100 alphabet"
    if code[0] not in USCC_KINDS or code[1] not in USCC_KINDS[code[0]]:
        return f"authority/type {code[:2]} not in GB 32100 table 1"
    if not is_digits(code[2:8]):
        return f"area code {code[2:8]} not 6 digits"
    org = code[8:17]
    oc = org_check(org[:8])
    if oc is None:
        return f"organisation code {org} has an invalid character"
    if org[8] != oc:
        return f"organisation code {org}: check char {org[8]}, expected {oc}"
    cc = uscc_check(code[:17])
    if code[17] != cc:
        return f"check char {code[17]}, expected {cc}"
    return None


_DATE_CACHE: dict[str, datetime.date | None] = {}


def parse_yyyymmdd(s: str) -> datetime.date | None:
    d = _DATE_CACHE.get(s, 0)
    if d == 0:
        try:
            d = datetime.date(int(s[0:4]), int(s[4:6]), int(s[6:8]))
        except ValueError:
            d = None
        _DATE_CACHE[s] = d
    return d


PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
MIN_BIRTH = datetime.date(1900, 1, 1)


def id_number_problem(idn: str, today: datetime.date) -> str | None:
    """None if `idn` is a valid GB 11643 number (format, area prefix, date, check), else why not."""
    if len(idn) != 18:
        return f"length {len(idn)}, not 18"
    body = idn[:17]
    if not is_digits(body):
        return "first 17 characters are not all digits"
    if idn[17] not in CHECK_11_2:
        return f"check char {idn[17]!r} not 0-9/X"
    if idn[:2] not in PROVINCES:
        return f"area code {idn[:6]}: no province {idn[:2]}"
    d = parse_yyyymmdd(idn[6:14])
    if d is None:
        return f"birth date {idn[6:14]} is not a date"
    if d < MIN_BIRTH or d > today:
        return f"birth date {d} out of range"
    c = mod11_2_check(body)
    if idn[17] != c:
        return f"check char {idn[17]}, expected {c}"
    return None


SHENZHEN_DISTRICTS = frozenset(f"4403{n:02d}" for n in range(3, 12))  # 440303 Luohu .. 440311 Guangming

# ----------------------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------------------


class Check:
    def __init__(self, name: str):
        self.name = name
        self.checked = 0
        self.failed = 0
        self.examples: list[tuple] = []
        self.notes: list[str] = []

    def fail(self, file: str, row, field: str, value, why: str) -> None:
        self.failed += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append((file, row, field, value, why))

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def report(self) -> None:
        status = "OK" if self.ok else "FAIL"
        extra = ("; " + "; ".join(self.notes)) if self.notes else ""
        print(f"[{status}] {self.name}: {self.checked:,} checked, {self.failed:,} failed{extra}", flush=True)
        for f, r, fld, v, why in self.examples:
            print(f"       {f} row {r} {fld}={v!r}: {why}")
        if self.failed > len(self.examples):
            print(f"       ... and {self.failed - len(self.examples):,} more")


def open_csv(path: str, encoding: str = "utf-8"):
    f = open(path, newline="", encoding=encoding)
    r = csv.reader(f)
    header = next(r)
    return f, r, header


def short(row: list[str], need: int, check: Check, file: str, line) -> bool:
    """True (and a failure recorded) if the row has fewer fields than the checks read."""
    if len(row) >= need:
        return False
    check.checked += 1
    check.fail(file, line, "row", ",".join(row)[:60], f"{len(row)} fields, expected at least {need}")
    return True


def columns(header: list[str], names: list[str], file: str) -> list[int]:
    missing = [n for n in names if n not in header]
    if missing:
        raise SystemExit(f"{file}: missing columns {missing} (header {header})")
    return [header.index(n) for n in names]


# ----------------------------------------------------------------------------------------
# Geometry: own ray casting, bounding boxes, bucket index
# ----------------------------------------------------------------------------------------

EPS = 1e-9
BUCKET = 0.01  # degrees


class Grid:
    __slots__ = ("code", "idx", "district", "rings", "bbox")

    def __init__(self, code: str, idx: int, district: str, rings: list[list[tuple[float, float]]]):
        self.code = code
        self.idx = idx
        self.district = district
        self.rings = rings
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        self.bbox = (min(xs), min(ys), max(xs), max(ys))


def rings_of(geometry: dict) -> list[list[tuple[float, float]]]:
    t = geometry.get("type")
    if t == "Polygon":
        polys = [geometry["coordinates"]]
    elif t == "MultiPolygon":
        polys = geometry["coordinates"]
    else:
        raise ValueError(f"geometry type {t}")
    return [[(float(p[0]), float(p[1])) for p in ring] for poly in polys for ring in poly]


def edge_distance(rings, x: float, y: float) -> float:
    """Distance in degrees from (x, y) to the nearest edge of the rings."""
    best = float("inf")
    for ring in rings:
        x1, y1 = ring[-1]
        for x2, y2 in ring:
            dx, dy = x2 - x1, y2 - y1
            l2 = dx * dx + dy * dy
            t = 0.0 if l2 == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / l2))
            px, py = x1 + t * dx - x, y1 + t * dy - y
            best = min(best, (px * px + py * py) ** 0.5)
            x1, y1 = x2, y2
    return best


def locate(rings, x: float, y: float) -> int:
    """1 inside, 0 within EPS of an edge (ambiguous), -1 outside.

    Even-odd ray casting over every ring (exterior rings and holes alike, so holes and the
    parts of a MultiPolygon come out right when the rings do not overlap)."""
    inside = False
    for ring in rings:
        x1, y1 = ring[-1]
        for x2, y2 in ring:
            # distance test only near the edge's bounding box
            if (min(x1, x2) - EPS <= x <= max(x1, x2) + EPS) and (min(y1, y2) - EPS <= y <= max(y1, y2) + EPS):
                dx, dy = x2 - x1, y2 - y1
                l2 = dx * dx + dy * dy
                t = 0.0 if l2 == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / l2))
                px, py = x1 + t * dx - x, y1 + t * dy - y
                if px * px + py * py <= EPS * EPS:
                    return 0
            if (y1 > y) != (y2 > y):
                xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
                if x < xc:
                    inside = not inside
            x1, y1 = x2, y2
    return 1 if inside else -1


class GridIndex:
    def __init__(self, grids: list[Grid]):
        self.buckets: dict[tuple[int, int], list[Grid]] = {}
        for g in grids:
            x0, y0, x1, y1 = g.bbox
            for i in range(int(x0 // BUCKET), int(x1 // BUCKET) + 1):
                for j in range(int(y0 // BUCKET), int(y1 // BUCKET) + 1):
                    self.buckets.setdefault((i, j), []).append(g)

    def find(self, x: float, y: float) -> str:
        hits = []
        for g in self.buckets.get((int(x // BUCKET), int(y // BUCKET)), ()):
            x0, y0, x1, y1 = g.bbox
            if x0 - EPS <= x <= x1 + EPS and y0 - EPS <= y <= y1 + EPS and locate(g.rings, x, y) >= 0:
                hits.append(g.code)
        return ",".join(hits) if hits else "no grid"


class Containment(Check):
    def __init__(self, name):
        super().__init__(name)
        self.inside = self.boundary = self.outside = 0
        self.outside_near = 0  # outside by less than 1e-6 degrees (the 6-decimal rounding of the published polygons)

    def test(self, file, row, grid: Grid, index: GridIndex, lon_s: str, lat_s: str):
        self.checked += 1
        try:
            x, y = float(lon_s), float(lat_s)
        except ValueError:
            self.fail(file, row, "longitude,latitude", f"{lon_s},{lat_s}", "not a number")
            return
        x0, y0, x1, y1 = grid.bbox
        if x0 - EPS <= x <= x1 + EPS and y0 - EPS <= y <= y1 + EPS:
            r = locate(grid.rings, x, y)
        else:
            r = -1
        if r == 1:
            self.inside += 1
        elif r == 0:
            self.boundary += 1
        else:
            self.outside += 1
            dist = edge_distance(grid.rings, x, y)
            if dist < 1e-6:
                self.outside_near += 1
            self.fail(file, row, "longitude,latitude", f"{lon_s},{lat_s}",
                      f"outside its grid {grid.code} by {dist:.2e} deg; lies in {index.find(x, y)}")

    def report(self):
        self.notes.insert(0, f"inside {self.inside:,}, on boundary (<=1e-9) {self.boundary:,}, outside {self.outside:,} "
                             f"(of which {self.outside_near:,} by less than 1e-6 deg)")
        super().report()


# ----------------------------------------------------------------------------------------
# The checks
# ----------------------------------------------------------------------------------------


def check_city(d: str) -> int:
    t_start = time.monotonic()
    today = datetime.date.today()
    checks: list[Check] = []

    def new(name, cls=Check):
        c = cls(name)
        checks.append(c)
        return c

    def done(c: Check):
        c.report()

    # ---- 4. hierarchy codes in grids.geojson -------------------------------------------
    c4 = new("4 grid hierarchy codes (grids.geojson)")
    with open(os.path.join(d, "grids.geojson"), encoding="utf-8") as f:
        fc = json.load(f)
    grids: dict[str, Grid] = {}
    others = 0
    for n, feat in enumerate(fc.get("features", []), 1):
        p = feat.get("properties") or {}
        if p.get("level", "grid") != "grid":
            others += 1
            continue
        c4.checked += 1
        code = str(p.get("code", ""))
        comm, street, dist = str(p.get("community_code", "")), str(p.get("street_code", "")), str(p.get("district_code", ""))
        why = None
        if not (len(code) == 18 and is_digits(code)):
            why = "grid code is not 18 digits"
        elif not (len(comm) == 15 and is_digits(comm) and code.startswith(comm)):
            why = f"community_code {comm} is not 15 digits / not a prefix of the grid code"
        elif not (len(street) == 12 and is_digits(street) and comm.startswith(street)):
            why = f"street_code {street} is not 12 digits / not a prefix of the community code"
        elif dist not in SHENZHEN_DISTRICTS or not street.startswith(dist):
            why = f"district_code {dist} is not a Shenzhen district (440303-440311) / not a prefix of the street code"
        elif p.get("parent_code") not in (None, comm):
            why = f"parent_code {p.get('parent_code')} is not the community code {comm}"
        elif feat.get("id") not in (None, code):
            why = f"feature id {feat.get('id')} differs from code"
        elif code in grids:
            why = "duplicate grid code"
        if why:
            c4.fail("grids.geojson", f"feature {n}", "code", code, why)
        if code in grids:
            continue
        try:
            grids[code] = Grid(code, len(grids), code[:6], rings_of(feat.get("geometry") or {}))
        except (ValueError, KeyError, TypeError, IndexError) as e:
            c4.fail("grids.geojson", f"feature {n}", "geometry", code, f"unreadable geometry: {e}")
    del fc
    holes = sum(1 for g in grids.values() if len(g.rings) > 1)
    c4.notes.append(f"{len(grids):,} grids ({holes} with more than one ring), {others} non-grid features ignored")
    done(c4)
    index = GridIndex(list(grids.values()))
    grid_list = list(grids.values())

    # ---- buildings ------------------------------------------------------------------------
    cb = new("3a building codes (buildings.csv: 13 digits = district + serial, unique, grid exists)")
    c5 = new("5 containment of buildings and components in their own grid", Containment)
    fn = "buildings.csv"
    building_grid: dict[str, int] = {}
    f, r, h = open_csv(os.path.join(d, fn))
    i_code, i_grid, i_lon, i_lat = columns(h, ["building_code", "grid_code", "longitude", "latitude"], fn)
    with f:
        for line, row in enumerate(r, 2):
            if short(row, len(h), cb, fn, line):
                continue
            cb.checked += 1
            code, gc = row[i_code], row[i_grid]
            g = grids.get(gc)
            if not (len(code) == 13 and is_digits(code)):
                cb.fail(fn, line, "building_code", code, "not 13 digits")
            elif code[:6] not in SHENZHEN_DISTRICTS:
                cb.fail(fn, line, "building_code", code, "district part is not a Shenzhen district")
            elif g is not None and code[:6] != g.district:
                cb.fail(fn, line, "building_code", code, f"district part differs from its grid's district {g.district}")
            if code in building_grid:
                cb.fail(fn, line, "building_code", code, "duplicate")
            if g is None:
                cb.fail(fn, line, "grid_code", gc, "not a grid in grids.geojson")
                building_grid[code] = -1
                continue
            building_grid[code] = g.idx
            c5.test(fn, line, g, index, row[i_lon], row[i_lat])
    n_buildings = cb.checked
    done(cb)

    # ---- 3. houses --------------------------------------------------------------------------
    c3 = new("3 house codes (houses.csv: building code + unit(4) + MOD 11-2 check, unique, building exists)")
    fn = "houses.csv"
    house_grid: dict[str, int] = {}
    owner_persons: dict[str, int] = {}   # owner id -> first line
    owner_entities: dict[str, int] = {}
    f, r, h = open_csv(os.path.join(d, fn))
    i_code, i_b, i_grid, i_oid, i_occ = columns(
        h, ["house_code", "building_code", "grid_code", "owner_id_number", "owner_credit_code"], fn)
    with f:
        for line, row in enumerate(r, 2):
            if short(row, len(h), c3, fn, line):
                continue
            c3.checked += 1
            code, bc, gc = row[i_code], row[i_b], row[i_grid]
            if len(code) != 18 or not is_digits(code[:17]) or code[17] not in CHECK_11_2:
                c3.fail(fn, line, "house_code", code, "not 17 digits + check char 0-9/X")
            elif code[17] != mod11_2_check(code[:17]):
                c3.fail(fn, line, "house_code", code, f"check char {code[17]}, expected {mod11_2_check(code[:17])}")
            elif code[:13] != bc:
                c3.fail(fn, line, "house_code", code, f"does not start with its building_code {bc}")
            bg = building_grid.get(bc)
            g = grids.get(gc)
            if bg is None:
                c3.fail(fn, line, "building_code", bc, "building not in buildings.csv")
            elif g is None:
                c3.fail(fn, line, "grid_code", gc, "not a grid in grids.geojson")
            elif bg != g.idx:
                c3.fail(fn, line, "grid_code", gc, f"differs from its building's grid {grid_list[bg].code}")
            if code in house_grid:
                c3.fail(fn, line, "house_code", code, "duplicate")
            house_grid[code] = g.idx if g is not None else -1
            oid, occ = row[i_oid], row[i_occ]
            if bool(oid) == bool(occ):
                c3.fail(fn, line, "owner_id_number,owner_credit_code", f"{oid},{occ}", "not exactly one owner key")
            if oid and oid not in owner_persons:
                owner_persons[oid] = line
            if occ and occ not in owner_entities:
                owner_entities[occ] = line
    n_houses = c3.checked

    # ---- 1. persons -------------------------------------------------------------------------
    c1 = new("1 ID numbers (persons.csv: GB 11643 check, date, sex, 4403 for registered, unique)")
    cp = new("3b persons' references (house_code in houses.csv and in the person's grid, household_id, employer active)")
    fn = "persons.csv"
    person_grid: dict[str, int] = {}
    employers: dict[str, int] = {}
    f, r, h = open_csv(os.path.join(d, fn))
    i_id, i_sex, i_birth, i_hukou, i_area, i_hh, i_house, i_grid, i_emp = columns(
        h, ["id_number", "sex", "birth_date", "hukou", "registered_area_code", "household_id", "house_code",
            "grid_code", "employer_credit_code"], fn)
    sex_of = {"male": 1, "female": 0}
    with f:
        for line, row in enumerate(r, 2):
            if short(row, len(h), c1, fn, line):
                continue
            c1.checked += 1
            idn = row[i_id]
            why = id_number_problem(idn, today)
            if why is None:
                birth = row[i_birth]
                if birth != f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}":
                    why = f"birth date in the ID differs from birth_date {birth}"
                elif (ord(idn[16]) & 1) != sex_of.get(row[i_sex], -1):
                    why = f"17th digit {idn[16]} disagrees with sex {row[i_sex]}"
                elif row[i_area] != idn[:6]:
                    why = f"area code differs from registered_area_code {row[i_area]}"
                elif (row[i_hukou] == "registered") != idn.startswith("4403"):
                    why = f"hukou {row[i_hukou]} but area code {idn[:6]}"
            if why:
                c1.fail(fn, line, "id_number", idn, why)
            gc = row[i_grid]
            g = grids.get(gc)
            gi = g.idx if g is not None else -1
            if idn in person_grid:
                c1.fail(fn, line, "id_number", idn, "duplicate")
            person_grid[idn] = gi
            cp.checked += 1
            hc = row[i_house]
            hg = house_grid.get(hc)
            if hg is None:
                cp.fail(fn, line, "house_code", hc, "house not in houses.csv")
            elif g is None:
                cp.fail(fn, line, "grid_code", gc, "not a grid in grids.geojson")
            elif hg != gi:
                cp.fail(fn, line, "house_code", hc, f"house is in grid {grid_list[hg].code}, person in {gc}")
            hh = row[i_hh]
            if len(hh) != 22 or not hh.startswith(gc) or not is_digits(hh):
                cp.fail(fn, line, "household_id", hh, f"not grid code {gc} + 4 digits")
            emp = row[i_emp]
            if emp and emp not in employers:
                employers[emp] = line
    n_persons = c1.checked

    # ---- 2. legal entities ----------------------------------------------------------------------
    c2 = new("2 credit codes (legal_entities.csv: GB 32100 + GB 11714 checks, unique, representative exists)")
    fn = "legal_entities.csv"
    entity_active: dict[str, bool] = {}
    f, r, h = open_csv(os.path.join(d, fn))
    i_cc, i_rep, i_house, i_grid, i_status = columns(
        h, ["credit_code", "legal_representative_id_number", "house_code", "grid_code", "status"], fn)
    statuses = {"active", "revoked", "deregistered"}
    with f:
        for line, row in enumerate(r, 2):
            if short(row, len(h), c2, fn, line):
                continue
            c2.checked += 1
            cc = row[i_cc]
            why = credit_code_problem(cc)
            if why is None and cc[2:6] != "4403":
                why = f"area code {cc[2:8]} is not in Shenzhen"
            if why:
                c2.fail(fn, line, "credit_code", cc, why)
            if cc in entity_active:
                c2.fail(fn, line, "credit_code", cc, "duplicate")
            if row[i_status] not in statuses:
                c2.fail(fn, line, "status", row[i_status], "not active/revoked/deregistered")
            entity_active[cc] = row[i_status] == "active"
            g = grids.get(row[i_grid])
            rep = row[i_rep]
            pg = person_grid.get(rep)
            if pg is None:
                c2.fail(fn, line, "legal_representative_id_number", rep, "not in persons.csv")
            elif g is not None and pg != g.idx:
                c2.fail(fn, line, "legal_representative_id_number", rep,
                        f"lives in grid {grid_list[pg].code if pg >= 0 else '?'}, entity in {row[i_grid]} (documented: own grid)")
            hg = house_grid.get(row[i_house])
            if hg is None:
                c2.fail(fn, line, "house_code", row[i_house], "house not in houses.csv")
            elif g is None:
                c2.fail(fn, line, "grid_code", row[i_grid], "not a grid in grids.geojson")
            elif hg != g.idx:
                c2.fail(fn, line, "house_code", row[i_house], f"house is in grid {grid_list[hg].code}, entity in {row[i_grid]}")
    n_entities = c2.checked

    # deferred references: employers, house owners
    for emp, line in employers.items():
        a = entity_active.get(emp)
        if a is None:
            cp.fail("persons.csv", line, "employer_credit_code", emp, "not in legal_entities.csv")
        elif not a:
            cp.fail("persons.csv", line, "employer_credit_code", emp, "employer is not active (documented: always active)")
    for oid, line in owner_persons.items():
        if oid not in person_grid:
            c3.fail("houses.csv", line, "owner_id_number", oid, "not in persons.csv")
    for occ, line in owner_entities.items():
        if occ not in entity_active:
            c3.fail("houses.csv", line, "owner_credit_code", occ, "not in legal_entities.csv")
    cp.notes.append(f"{len(employers):,} distinct employers")
    c3.notes.append(f"{len(owner_persons):,} person owners, {len(owner_entities):,} entity owners")
    del employers, owner_persons, owner_entities
    done(c1)
    done(c2)
    done(c3)
    done(cp)

    # ---- components -----------------------------------------------------------------------------
    cc_ = new("3c component codes (city_components.csv: district(6)+class(2)+subclass(2)+serial(8), unique)")
    fn = "city_components.csv"
    seen: set[str] = set()
    f, r, h = open_csv(os.path.join(d, fn))
    i_code, i_grid, i_lon, i_lat = columns(h, ["component_code", "grid_code", "longitude", "latitude"], fn)
    with f:
        for line, row in enumerate(r, 2):
            if short(row, len(h), cc_, fn, line):
                continue
            cc_.checked += 1
            code, gc = row[i_code], row[i_grid]
            g = grids.get(gc)
            if not (len(code) == 18 and is_digits(code)):
                cc_.fail(fn, line, "component_code", code, "not 18 digits")
            elif not ("01" <= code[6:8] <= "06"):
                cc_.fail(fn, line, "component_code", code, f"class {code[6:8]} not 01-06")
            elif g is not None and code[:6] != g.district:
                cc_.fail(fn, line, "component_code", code, f"district part differs from its grid's district {g.district}")
            if code in seen:
                cc_.fail(fn, line, "component_code", code, "duplicate")
            seen.add(code)
            if g is None:
                cc_.fail(fn, line, "grid_code", gc, "not a grid in grids.geojson")
                continue
            c5.test(fn, line, g, index, row[i_lon], row[i_lat])
    n_components = cc_.checked
    del seen
    done(cc_)
    done(c5)

    # ---- 6. extracts vs truth ---------------------------------------------------------------------
    c6 = new("6 extracts have a truth row per record (counts and record ids, in order)")
    c6r = new("6b truth keys exist (id_number/related_id_number in persons, credit_code in entities, house_code in houses)")
    check_extracts(d, c6, c6r, person_grid, entity_active, house_grid)
    done(c6)
    done(c6r)

    failed = [c for c in checks if not c.ok]
    elapsed = time.monotonic() - t_start
    summary = (f"checked {n_persons:,} persons, {n_entities:,} legal entities, {n_houses:,} houses, "
               f"{n_buildings:,} buildings, {n_components:,} components: ")
    summary += "OK" if not failed else f"FAILED ({len(failed)} checks)"
    print(f"({elapsed:.1f} s)")
    print(summary)
    return 1 if failed else 0


# extract file -> (truth department, reader kind, encoding, record-id prefix)
EXTRACTS = {
    "public_security_hukou.csv": ("public_security", "csv", "gbk", "GA"),
    "civil_affairs.xlsx": ("civil_affairs", "xlsx", None, "MZ"),
    "education_students.csv": ("education", "csv", "utf-8-sig", "JY"),
    "health_vaccination.csv": ("health", "csv", "utf-8", "WJ"),
    "social_insurance.txt": ("social_insurance", "pipe", "utf-8", "RS"),
    "housing_rental.csv": ("housing_rental", "csv", "utf-8-sig", "ZJ"),
    "market_regulation.xlsx": ("market_regulation", "xlsx", None, "SJ"),
    "tax_taxpayers.jsonl": ("tax", "jsonl", "utf-8", "SW"),
}

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_RNS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def xlsx_first_column(path: str):
    """Yields (row label, first cell text) of every data row of every sheet (header rows skipped)."""
    with zipfile.ZipFile(path) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {e.get("Id"): e.get("Target") for e in rels.iter(f"{PKG_RNS}Relationship")}
        for sheet in wb.iter(f"{NS}sheet"):
            target = targets[sheet.get(f"{RNS}id")]
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            name = sheet.get("name")
            shared: list[str] | None = None
            with z.open(target) as s:
                ctx = ET.iterparse(s, events=("start", "end"))
                _, root = next(ctx)
                n = 0
                for ev, el in ctx:
                    if ev != "end" or el.tag != f"{NS}row":
                        continue
                    n += 1
                    if n > 1:
                        c = el.find(f"{NS}c")
                        text = ""
                        if c is not None:
                            if c.get("t") == "inlineStr":
                                text = "".join(t.text or "" for t in c.iter(f"{NS}t"))
                            else:
                                v = c.find(f"{NS}v")
                                text = v.text if v is not None and v.text else ""
                                if c.get("t") == "s":
                                    if shared is None:
                                        shared = ["".join(t.text or "" for t in si.iter(f"{NS}t"))
                                                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{NS}si")]
                                    text = shared[int(text)]
                        yield f"{name}!{n}", text
                    root.clear()


def extract_ids(path: str, kind: str, enc: str | None):
    if kind == "csv":
        with open(path, newline="", encoding=enc) as f:
            r = csv.reader(f)
            next(r)
            for line, row in enumerate(r, 2):
                yield line, row[0] if row else ""
    elif kind == "pipe":
        with open(path, encoding=enc, newline="") as f:
            next(f)
            for line, l in enumerate(f, 2):
                yield line, l.split("|", 1)[0].rstrip("\r\n")
    elif kind == "jsonl":
        with open(path, encoding=enc) as f:
            for line, l in enumerate(f, 1):
                if l.strip():
                    yield line, str(json.loads(l).get("record_id", ""))
    else:
        yield from xlsx_first_column(path)


def check_extracts(d, c6, c6r, persons, entities, houses):
    ed, td = os.path.join(d, "extracts"), os.path.join(d, "truth")
    present = sorted(os.listdir(ed)) if os.path.isdir(ed) else []
    truth_files = set(os.listdir(td)) if os.path.isdir(td) else set()
    used_truth = set()
    for name in present:
        if name not in EXTRACTS:
            c6.fail(f"extracts/{name}", "-", "file", name, "unknown extract file (no department known)")
            continue
    counts = []
    for name, (dept, kind, enc, prefix) in EXTRACTS.items():
        ep, tp = os.path.join(ed, name), os.path.join(td, dept + ".csv")
        if not os.path.exists(ep):
            c6.fail(f"extracts/{name}", "-", "file", name, "missing")
            continue
        if not os.path.exists(tp):
            c6.fail(f"truth/{dept}.csv", "-", "file", dept, "missing")
            continue
        used_truth.add(dept + ".csv")
        tf, tr, th = open_csv(tp)
        ti = columns(th, ["record_id", "id_number", "credit_code", "house_code", "related_id_number"], f"truth/{dept}.csv")
        en = tn = 0
        seen_ids: set[int] = set()
        with tf:
            tit = enumerate(tr, 2)
            for erow, rid in extract_ids(ep, kind, enc):
                en += 1
                c6.checked += 1
                nxt = next(tit, None)
                if nxt is None:
                    c6.fail(f"extracts/{name}", erow, "record id", rid, f"no truth row left in truth/{dept}.csv")
                    continue
                tn += 1
                tline, trow = nxt
                if short(trow, len(th), c6, f"truth/{dept}.csv", tline):
                    continue
                if trow[ti[0]] != rid:
                    c6.fail(f"extracts/{name}", erow, "record id", rid, f"truth/{dept}.csv line {tline} has {trow[ti[0]]}")
                if rid.startswith(prefix) and len(rid) == 14 and is_digits(rid[2:]):
                    key = int(rid[2:])  # ints take a third of the memory of the strings
                    if key in seen_ids:
                        c6.fail(f"extracts/{name}", erow, "record id", rid, "duplicate record id")
                    seen_ids.add(key)
                else:
                    c6.fail(f"extracts/{name}", erow, "record id", rid, f"not {prefix} + 12 digits")
                c6r.checked += 1
                idn, cc, hc, rel = trow[ti[1]], trow[ti[2]], trow[ti[3]], trow[ti[4]]
                if idn and idn not in persons:
                    c6r.fail(f"truth/{dept}.csv", tline, "id_number", idn, "not in persons.csv")
                if rel and rel not in persons:
                    c6r.fail(f"truth/{dept}.csv", tline, "related_id_number", rel, "not in persons.csv")
                if cc and cc not in entities:
                    c6r.fail(f"truth/{dept}.csv", tline, "credit_code", cc, "not in legal_entities.csv")
                if hc and hc not in houses:
                    c6r.fail(f"truth/{dept}.csv", tline, "house_code", hc, "not in houses.csv")
                if not (idn or cc):
                    c6r.fail(f"truth/{dept}.csv", tline, "id_number,credit_code", "", "neither a person nor an entity")
            for tline, trow in tit:
                tn += 1
                c6.fail(f"truth/{dept}.csv", tline, "record_id", trow[ti[0]], f"no row in extracts/{name}")
        counts.append(f"{dept} {en:,}/{tn:,}")
    for t in sorted(truth_files - used_truth):
        c6.fail(f"truth/{t}", "-", "file", t, "truth file without an extract")
    c6.notes.append("extract/truth rows: " + ", ".join(counts))


# ----------------------------------------------------------------------------------------
# Self-test
# ----------------------------------------------------------------------------------------


def self_test() -> int:
    today = datetime.date.today()
    assert ID_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), ID_WEIGHTS
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), USCC_WEIGHTS
    for good in ("110102199101010078", "44011320141005001X"):
        assert id_number_problem(good, today) is None, (good, id_number_problem(good, today))
    for bad in ("110102199101010079", "44011320141005001", "110102199102300078", "4401132014100500X1"):
        assert id_number_problem(bad, today) is not None, bad
    for good in ("91110000600037341L", "9144030071526726XG"):
        assert credit_code_problem(good) is None, (good, credit_code_problem(good))
    for bad in ("91110000600037341N", "91110000600037342L", "9111000060003734IL", "91110000600037341"):
        assert credit_code_problem(bad) is not None, bad
    assert org_check("60003734") == "1" and org_check("71526726") == "X"
    # house code: check over the 17-digit body like GB 11643
    assert mod11_2_check("44030300000000001") == "7"
    # ray casting: square with a hole, and a point on an edge
    sq = [[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)],
          [(1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (2.0, 1.0), (1.0, 1.0)]]
    assert locate(sq, 3.0, 3.0) == 1 and locate(sq, 1.5, 1.5) == -1 and locate(sq, 5.0, 1.0) == -1
    assert locate(sq, 4.0, 2.0) == 0 and locate(sq, 1.0, 1.5) == 0 and locate(sq, 2.0 + 5e-10, 3.0) == 1
    print("self-test OK: ID numbers 110102199101010078, 44011320141005001X valid; credit codes "
          "91110000600037341L, 9144030071526726XG valid, 91110000600037341N invalid; house check; ray casting")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__, file=sys.stderr)
        return 2
    return check_city(argv[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
