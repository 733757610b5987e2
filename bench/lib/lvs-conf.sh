# lvs_conf FILE VS-COUNT RS-COUNT CHANGED-EVERY [extra global_defs line]: a keepalived.conf with VS-COUNT
# virtual servers 10.1.X.Y:80 (lb_algo wrr, NAT, TCP), each with RS-COUNT real servers 10.0.0.11.. :80,
# weight 1, no checkers (so the timing is the data plane's). When CHANGED-EVERY is N > 0, every Nth
# virtual server's real servers listen on port 8080 instead: the "10% changed" reload when N is 10.
# Sourced; pure (no side effect but FILE).
lvs_conf() {
  awk -v n="$2" -v m="$3" -v every="$4" -v extra="${5:-}" 'BEGIN {
    printf "global_defs {\n    router_id bench-lvs\n%s}\n", (extra == "" ? "" : "    " extra "\n")
    for (v = 1; v <= n; v++) {
      printf "\nvirtual_server 10.1.%d.%d 80 {\n    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n", int((v - 1) / 250), (v - 1) % 250 + 1
      port = (every > 0 && v % every == 0) ? 8080 : 80
      for (r = 1; r <= m; r++) printf "    real_server 10.0.0.%d %d {\n        weight 1\n    }\n", 10 + r, port
      printf "}\n"
    }
  }' >"$1"
}
