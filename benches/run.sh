#!/usr/bin/env bash
# Whole-process benchmark: one kit cold, 1,000 kits and 10,000 kits (wall time and peak RSS),
# each with its workspace in OUT_DIR, and the reportlab peer where it is installed
# (benches/peers.sh runs reportlab and typst from a venv of its own). Usage: benches/run.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/interview-kit

roster() { python3 benches/roster.py "$1" "$2"; } # roster N FILE

measure() { # measure LABEL ARGS...
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, %M KB peak RSS" "$@" >/dev/null
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"

# Every run writes into a fresh folder: ext4's inode allocator slows down right after
# thousands of files were deleted in one place, which would time the file system, not us.
fresh() { mktemp -d "$out/run.XXXXXX"; }

for i in 1 2 3 4 5; do
  d=$(fresh)
  measure "one kit, whole process (run $i)" "$bin" generate --seed 42 --candidate "Ada Lovelace" --out "$d/one" --workspace "$d/one.db" --quiet
done
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs 40 --prepare "rm -rf $out/hf $out/hf.db $out/hf.db-wal $out/hf.db-shm" \
    "$bin generate --seed 42 --candidate 'Ada Lovelace' --out $out/hf --workspace $out/hf.db --quiet"
fi

roster 1000 "$out/roster-1000.csv"
for i in 1 2 3; do
  d=$(fresh)
  measure "1,000 kits (run $i)" "$bin" generate --seed 7 --candidates "$out/roster-1000.csv" --out "$d/k1000" --workspace "$d/k1000.db" --quiet
done
echo "interviewer PDF size: $(stat -c %s "$d"/k1000/*-0/interviewer.pdf) bytes; handout: $(stat -c %s "$d"/k1000/*-0/handout.pdf) bytes"

roster 10000 "$out/roster-10000.csv"
d=$(fresh)
measure "10,000 kits" "$bin" generate --seed 7 --candidates "$out/roster-10000.csv" --out "$d/k10000" --workspace "$d/k10000.db" --quiet
rm -rf "$d"

if python3 -c "import reportlab" 2>/dev/null; then
  python3 benches/peers/reportlab_packet.py "$(ls -d "$out"/run.*/k1000/*-0 | head -1)/kit.json" "$out/reportlab"
else
  echo "reportlab peer: skipped (pip install reportlab to run benches/peers/reportlab_packet.py)"
fi
