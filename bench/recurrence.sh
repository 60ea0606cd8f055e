#!/usr/bin/env bash
# Issue 9, "Expanding 1,000 recurrence rules over one year: time per rule".
# Builds bench/RecurrenceBench in Release and expands 1,000 varied recurring posts
# (daily, weekly with several days and WKST, monthly 1TU/-1FR/31st/-1, yearly, COUNT, UNTIL, skipped dates) over 2027
# in four time zones. Usage: bench/recurrence.sh [runs]   (default 7; prints the median run)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/RecurrenceBench -c Release --nologo -v q >/dev/null
dotnet bench/RecurrenceBench/bin/Release/net10.0/RecurrenceBench.dll "${1:-7}"
