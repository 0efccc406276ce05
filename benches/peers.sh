#!/usr/bin/env bash
# Side by side on this machine, in one run: interview-kit, reportlab and typst (both from
# PyPI, in a venv this script creates) render interviewer packets; prints pages/s, CPU per
# page and bytes per page. Usage: benches/peers.sh [OUT_DIR] [KITS] [PEER_DOCS]
# Ours: `generate` of KITS kits, --jobs 1, workspace on, both PDFs of every kit counted.
# Peers: PEER_DOCS interviewer packets of the same kit.json, one process, one stream.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
kits=${2:-200}
docs=${3:-100}
mkdir -p "$out"
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/interview-kit

if [ ! -x "$out/venv/bin/python" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install --quiet reportlab typst
fi
py=$out/venv/bin/python

python3 benches/roster.py "$kits" "$out/roster.csv"
rm -rf "$out/ours" "$out/ws.db"*
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$out/time.txt" nice "$bin" generate --seed 7 --candidates "$out/roster.csv" \
  --out "$out/ours" --workspace "$out/ws.db" --quiet --jobs 1
end=$(date +%s.%N)
read -r user sys < "$out/time.txt"
python3 - "$out/ours" "$kits" "$user" "$sys" "$start" "$end" > "$out/results.txt" <<'PY'
import pathlib, re, sys
root, kits, user, sys_, start, end = sys.argv[1:]
pdfs = list(pathlib.Path(root).glob("*/*.pdf"))
pages = sum(len(re.findall(rb"/Type\s*/Page\b(?!s)", p.read_bytes())) for p in pdfs)
size = sum(p.stat().st_size for p in pdfs)
print(f"RESULT interview-kit {len(pdfs)} {pages} {float(user) + float(sys_):.3f} {float(end) - float(start):.3f} {size}")
PY
kits_made=("$out"/ours/*/) # a glob, not `ls | head`: head closing the pipe early fails under pipefail
kit=${kits_made[0]}kit.json
rm -rf "$out/reportlab" "$out/typst"
nice "$py" benches/peers/reportlab_packet.py "$kit" "$out/reportlab" "$docs" | grep '^RESULT' >> "$out/results.txt"
nice "$py" benches/peers/typst_packet.py "$kit" "$out/typst" "$docs" | grep '^RESULT' >> "$out/results.txt"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr); reportlab $("$py" -c 'import reportlab; print(reportlab.Version)'), typst (PyPI) $("$py" -m pip show typst 2>/dev/null | awk '/^Version/ {print $2}')"
python3 - "$out/results.txt" <<'PY'
import sys
print(f"{'tool':14} {'documents':>9} {'pages':>6} {'pages/s (CPU)':>13} {'CPU ms/page':>11} {'KB/page':>8}")
for line in open(sys.argv[1]):
    _, name, docs, pages, cpu, wall, size = line.split()
    docs, pages, cpu, size = int(docs), int(pages), float(cpu), int(size)
    print(f"{name:14} {docs:9} {pages:6} {pages / cpu:13.0f} {1000 * cpu / pages:11.3f} {size / pages / 1000:8.2f}")
PY
