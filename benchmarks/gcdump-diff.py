"""What a managed heap gained between two `dotnet-gcdump report` outputs, by type, per unit (connection, message).

    usage: python3 benchmarks/gcdump-diff.py before.txt after.txt <units> [rows]

The report lists a type's instance size and count, or, for arrays over a size class ("(Bytes > 1K)" ...), their total.
"""
import re
import sys


def load(path):
    types = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*([\d,]+)\s+([\d,]+)\s+(.*)$", line)
        if not m:
            continue
        size, count, name = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", "")), m.group(3).strip()
        total = size if "(Bytes >" in name else size * count
        name = re.sub(r"\s+\(Bytes > [^)]*\)", "", name)
        entry = types.setdefault(name, [0, 0])
        entry[0] += total
        entry[1] += count
    return types


before, after = load(sys.argv[1]), load(sys.argv[2])
units = int(sys.argv[3])
rows = int(sys.argv[4]) if len(sys.argv) > 4 else 60
print(f"managed heap: {sum(v[0] for v in before.values()):,} -> {sum(v[0] for v in after.values()):,} B, "
      f"{(sum(v[0] for v in after.values()) - sum(v[0] for v in before.values())) / units:,.1f} B per unit")
deltas = sorted(((v[0] - before.get(k, [0, 0])[0], v[1] - before.get(k, [0, 0])[1], k) for k, v in after.items()), reverse=True)
for size, count, name in deltas[:rows]:
    print(f"{size / units:9.1f} B {count / units:7.2f} x  {name[:150]}")
