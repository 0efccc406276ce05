#!/usr/bin/env bash
# Fuzzes every target (or those named) for SECS seconds each (default 600), JOBS at a time
# (default 2), with the seeds in fuzz/seeds/ and the corpus growing in fuzz/corpus/.
# A crash stops its target and is written to fuzz/artifacts/<target>/; logs go to fuzz/logs/.
#
#   fuzz/run.sh                      # every target, 10 minutes each
#   SECS=60 fuzz/run.sh roster       # one target, one minute
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain, or the stable one
# with RUSTC_BOOTSTRAP=1 (set TOOLCHAIN=stable for that).
set -euo pipefail
cd "$(dirname "$0")"
SECS=${SECS:-600}
JOBS=${JOBS:-2}
TOOLCHAIN=${TOOLCHAIN:-nightly}
if [ "$TOOLCHAIN" = stable ]; then
  export RUSTC_BOOTSTRAP=1
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo "+$TOOLCHAIN" fuzz list)
fi
cargo "+$TOOLCHAIN" fuzz build -O
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
run() {
  local t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  if "$bin/$t" "corpus/$t" "seeds/$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"logs/$t.log" 2>&1; then
    echo "$t: ok, $(grep -m1 '^Done' "logs/$t.log")"
  else
    echo "$t: FAILED, see fuzz/logs/$t.log and fuzz/artifacts/$t/"
  fi
}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
    wait -n
  done
  run "$t" &
done
wait
