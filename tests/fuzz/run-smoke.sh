#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Deterministic fuzz smoke test (tests/fuzz/smoke_exec.c): fixed-seed random
# code in real, 32-bit, 32-bit paged and 64-bit mode, and random decoding.
O=${O:-o}
exec "$O/tests/fuzz/smoke_exec"
