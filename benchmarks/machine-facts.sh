#!/usr/bin/env bash
# Sourced by the benchmark scripts: prints this machine's own facts beside their ratios, so runs on two machines (or on
# one machine on two days) can be told apart.
#   machine_facts "before" [FILE]   load average, process start of /bin/true and of GNU patch --version (median of 51),
#                                  and, with FILE, the read floor: `cat FILE > /dev/null` (median of 11, page cache warm)
#   machine_facts "after"           the load average again
# Process start is timed by perf stat when it is there (less noise from the shell), else by the shell's clock.

_mf_start_ms() { # command...: median wall time of one start, in ms
  if command -v perf >/dev/null 2>&1 && perf stat -r 3 true >/dev/null 2>&1; then
    perf stat -r 51 "$@" 2>&1 >/dev/null | awk '/seconds time elapsed/ {printf "%.2f", $1 * 1000}'
  else
    local t=() s e
    for _ in $(seq 51); do s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); t+=($(( (e - s) / 1000 ))); done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)] / 1000}'
  fi
}

_mf_read_ms() { # file: median of 11 `cat FILE > /dev/null`, in ms
  local t=() s e
  cat "$1" >/dev/null
  for _ in $(seq 11); do s=$(date +%s%N); cat "$1" >/dev/null; e=$(date +%s%N); t+=($(( (e - s) / 1000 ))); done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] / 1000}'
}

machine_facts() { # when [file]
  echo "## machine facts ($1): $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"
  if [ "$1" = before ]; then
    MF_TRUE_MS=$(_mf_start_ms /bin/true)
    MF_PATCH_MS=$(_mf_start_ms patch --version)
    echo "start of /bin/true: ${MF_TRUE_MS} ms; start of GNU patch --version: ${MF_PATCH_MS} ms (mean of 51, perf stat)"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
      MF_READ_MS=$(_mf_read_ms "$2")
      echo "read floor: cat $(basename "$2") ($(stat -L -c %s "$2") bytes) > /dev/null: ${MF_READ_MS} ms (median of 11, page cache warm)"
    fi
  fi
}
