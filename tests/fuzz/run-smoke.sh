#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Deterministic fuzz smoke test (tests/fuzz/smoke_exec.c): fixed-seed random
# code in real, 32-bit, 32-bit paged and 64-bit mode, random decoding and
# host MSR writes. A run that hangs (pac_run not returning) is a failure:
# the time limit keeps make check from waiting for ever.
O=${O:-o}
timeout 300 "$O/tests/fuzz/smoke_exec"
rc=$?
[ "$rc" -eq 124 ] && echo "not ok - fuzz smoke: timed out (pac_run did not return?)"
exit "$rc"
