#!/usr/bin/env bash
# make check part of the differential tests: a few thousand seeded cases.
O=${O:-o}
exec "$O/tests/diff/pacdiff" --cases "${DIFF_CASES:-4000}" --seed 1 --classes "${DIFF_CLASSES:-all}" --tap
