# User-Mode Linux helpers (sourced after common.sh). This host's kernel has no IPVS; Debian's
# user-mode-linux kernel has, and boots in about 2 s with the host's root as read-only hostfs.
# uml_init_script FILE: writes the common start of an init script to FILE (mounts, lo, dummy d0 with
# 10.0.0.10/24 so NAT destinations in 10.0.0.0/24 have a route, ip_vs loaded); /tmp/out inside the UML
# is $work/out on the host, read-write. The caller appends its commands; uml_boot adds the poweroff.
# uml_boot FILE TIMEOUT-SECONDS: boots the UML with FILE as init, console to $work/console.log; the
# UML is killed by PID (timeout(1), then stop_pid on exit) if it overruns.
# Host CPU marks: `mark NAME` inside the UML makes the host record the CPU time the whole UML has used so
# far (utime+stime+cutime+cstime over its host process tree, clock ticks) as "NAME TICKS" in
# $work/host-marks. Time accounted inside the UML includes time the host did not run the UML at all (a
# loaded host inflates it); the host's own account of the UML does not.

uml_init_script() {
  local f=$1
  mkdir -p "$work/out"
  cat >"$f" <<INIT
#!/bin/bash
mount -t proc proc /proc; mount -t sysfs sys /sys
mount -t tmpfs tmpfs /tmp; mount -t tmpfs tmpfs /run
mkdir -p /tmp/out; mount -t hostfs hostfs /tmp/out -o $work/out
ip link set lo up
ip link add d0 type dummy && ip link set d0 up && ip addr add 10.0.0.10/24 dev d0
modprobe ip_vs
now() { date +%s.%N; }
elapsed() { awk -v a="\$1" -v b="\$2" 'BEGIN { printf "%.3f", b - a }'; }
mark() { : >/tmp/out/mark.\$1; for _ in \$(seq 1 100); do [ -e /tmp/out/mark.\$1 ] || return 0; sleep 0.02; done; }
say() { echo "\$*" >>/tmp/out/progress.log; echo "uml: \$*"; }
emit() { echo "\$1=\$2" >>/tmp/out/results; }   # KEY VALUE for the host
# ticks PID: utime+stime; kib PID FIELD: VmRSS/VmHWM
ticks() { awk '{ sub(/^.*\) /, ""); print \$12 + \$13 }' /proc/"\$1"/stat 2>/dev/null || echo 0; }
kib() { awk -v f="\$2:" '\$1 == f { print \$2 }' /proc/"\$1"/status 2>/dev/null || echo 0; }
# stop PID: TERM, wait up to 10 s, KILL
stop() { kill -TERM "\$1" 2>/dev/null; for _ in \$(seq 1 100); do kill -0 "\$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "\$1" 2>/dev/null; }
: >/tmp/out/results
say "booted, clock ticks \$(getconf CLK_TCK), \$(nproc) cpu"
INIT
  chmod +x "$f"
}

uml_boot() {
  local f=$1 t=$2
  command -v linux.uml >/dev/null || fail "linux.uml not found (apt-get install user-mode-linux)"
  [ -e "/lib/modules/$(linux.uml --version 2>/dev/null | tail -n 1)" ] || true
  echo 'poweroff -f' >>"$f"
  timeout "$t" linux.uml mem=768M rootfstype=hostfs rootflags=/ ro init="$f" con0=fd:0,fd:1 con=null \
    </dev/null >"$work/console.log" 2>&1 &
  uml_pid=$!
  track "$uml_pid"
  : >"$work/host-marks"
  local m name
  while kill -0 "$uml_pid" 2>/dev/null; do   # bounded by the UML's own timeout
    for m in "$work"/out/mark.*; do
      [ -e "$m" ] || continue
      name=${m##*/mark.}
      echo "$name $(uml_host_ticks "$uml_pid")" >>"$work/host-marks"
      rm -f "$m"                                 # the UML waits for this: the mark is taken
    done
    sleep 0.02
  done
  wait "$uml_pid" || true
}

uml_host_ticks() { # PID: utime+stime+cutime+cstime summed over the process tree
  local p total=0 t
  for p in $(tree_of "$1"); do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' /proc/"$p"/stat 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
# uml_mark_ticks NAME: the host ticks recorded at mark NAME (empty if none)
uml_mark_ticks() { awk -v k="$1" '$1 == k { print $2 }' "$work/host-marks" 2>/dev/null; }

# uml_result KEY: the value the UML emitted (empty if none)
uml_result() { awk -F= -v k="$1" '$1 == k { v = substr($0, length(k) + 2) } END { print v }' "$work/out/results" 2>/dev/null; }
