#!/usr/bin/env python3
"""Which tables and indexes the last commits in a SQLite WAL dirtied: pages per commit, by b-tree.

Run it on a copy of a data directory taken from a server killed mid-run (SIGKILL, so the WAL is still there):
    cp -r <data> /tmp/walcopy && python3 benchmarks/wal-pages.py /tmp/walcopy/parley.db [commits]
Reads the WAL's frame headers (page number; a non-zero "database size" marks a commit's last frame) for the last
`commits` (default 50) whole commits since the WAL last started over (salt), and maps page numbers to b-trees with
SQLite's dbstat virtual table (the database read through its WAL, so the mapping is the latest one).
"""
import collections
import sqlite3
import struct
import sys

db = sys.argv[1]
want = int(sys.argv[2]) if len(sys.argv) > 2 else 50
with open(db + "-wal", "rb") as f:
    header = f.read(32)
    page_size = struct.unpack(">I", header[8:12])[0]
    salt = header[16:24]
    commits, current = [], []
    while True:
        frame = f.read(24)
        if len(frame) < 24:
            break
        page, size_after = struct.unpack(">II", frame[:8])
        if frame[8:16] != salt:
            break  # frames left over from before the WAL started over
        f.seek(page_size, 1)
        current.append(page)
        if size_after:
            commits.append(current)
            current = []

con = sqlite3.connect(db)
owner = dict(con.execute("SELECT pageno, name FROM dbstat"))
last = commits[-want:]
by_tree = collections.Counter()
for pages in last:
    for page in set(pages):
        by_tree[owner.get(page, "(free or overflow)")] += 1
total = sum(len(set(p)) for p in last)
print(f"page size {page_size}; {len(commits)} commits in the WAL since it started over; the last {len(last)}:")
print(f"{total / max(1, len(last)):.1f} distinct pages per commit ({total * (page_size + 24) / max(1, len(last)) / 1024:.0f} KiB of WAL)")
for name, count in by_tree.most_common():
    print(f"  {name:32} {count / max(1, len(last)):6.1f}")
