#!/bin/sh
# unit.sh - stands in for build/unit-tests in tests/cli/runner.test.
case $1 in
--count) echo 3 ;;
0) echo "Running suite(s): fine"; echo "100%: Checks: 4, Failures: 0, Errors: 0" ;;
1) echo "Running suite(s): broken"
   echo "tests/unit/test_x.c:7:F:core:test_x:0: Assertion 'a == b' failed"
   echo "50%: Checks: 2, Failures: 1, Errors: 0"
   exit 1 ;;
2) echo "Running suite(s): silent" ;;
esac
