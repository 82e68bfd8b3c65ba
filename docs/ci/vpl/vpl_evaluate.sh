#!/bin/bash
# Moodle VPL evaluation script. VPL runs vpl_execution and reads its "Grade :=>>" / "Comment :=>>" lines;
# the grader prints a running Grade line after every scenario, so a run killed at VPL's time limit still
# has a grade (keep --budget below the activity's maximum execution time). The harness must be installed
# on the jail server (HARNESS below); the rubric's points should add up to the activity's maximum grade.
HARNESS=${HARNESS:-/opt/chat-conformance}
cat > vpl_execution <<SCRIPT
#!/bin/bash
# --no-sandbox: the VPL jail is the sandbox (it runs each evaluation confined already).
cd "$HARNESS" && node --import tsx grading/cli.ts --no-sandbox --format vpl --budget 240 \
  --server "cd '$PWD' && python3 server.py {port}" --reports "$PWD/reports" 2>/dev/null \
  | grep --line-buffered -E '^(Grade|Comment) :=>>'
SCRIPT
chmod +x vpl_execution
