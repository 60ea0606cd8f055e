#!/usr/bin/env bash
# Lateness of the outbox: 10,000 deliveries due in the same minute (10 posts scheduled at the next whole minute on
# 1,000 webhook channels), test servers answering after ~50 ms; one portal (a real process, SQLite). Lateness = from
# the due time to the test server's receipt: p50 / p99 / p99.9, and throughput. Goal: p99.9 ≤ 2 s.
# Usage: bench/publish-lateness.sh [--deliveries N] [--channels N] [--answer-ms N]   (smoke: --deliveries 1000 --channels 100)
# Outbox settings: the portal's defaults unless Publishing__Parallelism, Publishing__BatchSize… are exported.
extra=("$@")
source "$(dirname "$0")/publish-setup.sh"
bench_workspace
dotnet "$bench" lateness --web "$web" --data "$data" --ports "$port_base,$((port_base + 2))" --token "$token" --workspace bench "${extra[@]}"
