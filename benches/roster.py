"""Writes a roster of N made-up candidates for the benchmarks. Usage: roster.py N FILE"""

import csv
import sys

n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "email"])
    for i in range(n):
        w.writerow([f"Candidate Número {i}", f"c{i}@example.org"])
