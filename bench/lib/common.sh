# Shared helpers for the data-plane and checker benchmarks (bench/checkers, bench/ipvs-apply,
# bench/nftables-apply, bench/throughput). Sourced, not run. The caller sets `set -euo pipefail`,
# defines nothing of these names, and calls bench_init NAME first.
# Every process started through these helpers is recorded in bench_pids and stopped by PID on exit;
# every namespace in bench_namespaces is deleted; the work directory (under /var/tmp, so a UML that
# mounts tmpfs on /tmp cannot hide it) is removed unless BENCH_KEEP is set.

bench_pids=()
bench_namespaces=()
bench_results=()   # "metric|vigil|keepalived|ratio|target"

now() { date +%s.%N; }
# pause SECONDS: a sleep that a trapped INT/TERM interrupts at once
pause() { sleep "$1" & wait $! || true; }
# elapsed T0 T1 -> seconds with 3 decimals
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
result() { bench_results+=("$1|$2|$3|$4|$5"); }

tree_of() { # PID -> the PID and all its descendants
  local p=$1 c
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_of "$c"; done
}
stop_pid() { # PID [signal]: signal the process and its descendants, wait up to 5 s, then SIGKILL
  local p=$1 sig=${2:-TERM} all
  kill -0 "$p" 2>/dev/null || return 0
  all=$(tree_of "$p" | tr '\n' ' ')
  # shellcheck disable=SC2086
  kill -"$sig" $all 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  # shellcheck disable=SC2086
  kill -KILL $all 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
track() { bench_pids+=("$1"); }  # PID: stop it on exit

wait_for() { # CONDITION TIMEOUT-SECONDS [INTERVAL]: polls; 1 when the deadline passes
  local deadline
  deadline=$(awk -v t="$(now)" -v d="$2" 'BEGIN { printf "%.3f", t + d }')
  until eval "$1"; do
    if awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t > d) }'; then return 1; fi
    sleep "${3:-0.02}"
  done
}

new_ns() { ip netns add "$1"; bench_namespaces+=("$1"); ip -n "$1" link set lo up; }

bench_cleanup() {
  set +e
  local p ns
  for p in "${bench_pids[@]}"; do stop_pid "$p"; done
  for ns in "${bench_namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ -n "${BENCH_KEEP:-}" ]; then echo "$bench_name: work files kept in $work"; else rm -rf "$work"; fi
}

# bench_init NAME: root check, binaries, work dir, traps. Sets bench_name, root, vigil, keepalived, work, id.
bench_init() {
  bench_name=$1
  [ "$(id -u)" -eq 0 ] || { echo "$bench_name: needs root: sudo bench/$bench_name" >&2; exit 1; }
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  vigil=${VIGIL_BINARY:-${VIGIL:-$root/artifacts/vigil}}
  keepalived=${KEEPALIVED:-$(command -v keepalived || true)}
  [ -x "$vigil" ] || { echo "$bench_name: no vigil binary at $vigil (run scripts/build or set VIGIL_BINARY)" >&2; exit 1; }
  id="vb$$"
  work=$(mktemp -d "/var/tmp/vigil-bench-$bench_name.XXXXXX")
  trap bench_cleanup EXIT
  trap 'echo; echo "$bench_name: interrupted"; exit 130' INT TERM
}

fail() { echo "$bench_name: $1" >&2; shift; local f; for f in "$@"; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done; exit 1; }

machine_facts() {
  echo "== machine"
  echo "   date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "   kernel:     $(uname -r)"
  echo "   nproc:      $(nproc)"
  echo "   load avg:   $(cut -d' ' -f1-3 /proc/loadavg) (before)"
  echo "   vigil:      $vigil ($("$vigil" -v 2>&1 | head -n 1))"
  if [ -n "$keepalived" ]; then echo "   keepalived: $keepalived ($("$keepalived" -v 2>&1 | head -n 1))"; fi
}

print_results() { # TITLE
  echo
  echo "== $1 (targets are reported, not asserted)"
  printf '%-58s %12s %12s %8s %9s\n' metric vigil keepalived ratio target
  local row m a b r tg
  for row in "${bench_results[@]}"; do
    IFS='|' read -r m a b r tg <<<"$row"
    printf '%-58s %12s %12s %8s %9s\n' "$m" "$a" "$b" "$r" "$tg"
  done
  echo "   load avg after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
